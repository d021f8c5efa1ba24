"""The web console in a real headless Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by Selenium with an explicit driver path), against a kafkalite
process, with kafka-python on the Kafka side: every page loads without console errors, the
message browser finds a record by key, a record produced from the console reaches a
consumer, the live tail shows new records, and resetting a group's offsets changes what
the group's next consumer reads.

With ``KAFKALITE_SCREENSHOTS=DIR`` the main pages are saved there as PNG files (the README's
pictures come from ``docs/screenshots``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from kafkalite.testing import KafkaliteServer

pytestmark = [pytest.mark.compat, pytest.mark.timeout(120)]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WAIT_S = 15

if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
    pytest.skip(
        f"needs {CHROMIUM} and {CHROMEDRIVER} (Debian packages chromium, chromium-driver)",
        allow_module_level=True,
    )
webdriver = pytest.importorskip("selenium.webdriver", reason="needs the selenium package")
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def server() -> Iterator[KafkaliteServer]:
    properties = {
        "num.partitions": 1,
        "offsets.topic.num.partitions": 1,
        "group.initial.rebalance.delay.ms": 0,
    }
    with KafkaliteServer(properties, mode="process", control_port=0) as running:
        assert running.control_url is not None
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    profile = tempfile.mkdtemp(prefix="kafkalite-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1440,900", f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT_S)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(browser: Any, server: KafkaliteServer, path: str) -> None:
    """Load ``path`` and check that the browser logged no error while loading it."""
    browser.get(f"{server.control_url}{path}")
    assert "kafkalite" in browser.title
    errors = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert errors == [], errors


def screenshot(browser: Any, name: str) -> None:
    folder = os.environ.get("KAFKALITE_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(folder) / f"{name}.png"))


def fill(browser: Any, name: str, text: str) -> None:
    field = browser.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def submit(browser: Any, form_action_suffix: str) -> None:
    form = browser.find_element(By.CSS_SELECTOR, f'form[action$="{form_action_suffix}"]')
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def rows(browser: Any, css: str) -> list[list[str]]:
    return [
        [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]
        for row in browser.find_elements(By.CSS_SELECTOR, f"table.{css} tbody tr")
    ]


def produce(server: KafkaliteServer, topic: str, records: list[tuple[bytes, bytes]]) -> None:
    producer = KafkaProducer(bootstrap_servers=server.bootstrap_servers, acks="all")
    try:
        for key, value in records:
            producer.send(topic, key=key, value=value, headers=[("origin", b"kafka-python")])
        producer.flush(timeout=WAIT_S)
    finally:
        producer.close(timeout=WAIT_S)


def consume(server: KafkaliteServer, topic: str, group: str, count: int) -> list[Any]:
    """The next ``count`` records the group reads (committed on close)."""
    consumer = KafkaConsumer(
        topic,
        bootstrap_servers=server.bootstrap_servers,
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        consumer_timeout_ms=WAIT_S * 1000,
    )
    found: list[Any] = []
    try:
        for record in consumer:
            found.append(record)
            if len(found) >= count:
                break
        consumer.commit()
    finally:
        consumer.close()
    return found


def read_all(server: KafkaliteServer, topic: str, count: int) -> list[Any]:
    """The first ``count`` records of partition 0 of ``topic``, read without a group."""
    consumer = KafkaConsumer(
        bootstrap_servers=server.bootstrap_servers,
        auto_offset_reset="earliest",
        consumer_timeout_ms=WAIT_S * 1000,
    )
    found: list[Any] = []
    try:
        consumer.assign([TopicPartition(topic, 0)])
        for record in consumer:
            found.append(record)
            if len(found) >= count:
                break
    finally:
        consumer.close()
    return found


def test_pages_load_without_errors_and_create_a_topic(browser: Any, server: KafkaliteServer) -> None:
    topic = f"console-{uuid.uuid4().hex[:8]}"
    open_page(browser, server, "/console/topics/")
    fill(browser, "name", topic)
    fill(browser, "partitions", "2")
    fill(browser, "configs", "retention.ms=3600000")
    submit(browser, "/console/topics/")
    assert "Created " + topic in browser.find_element(By.CLASS_NAME, "notice").text
    assert [r[0] for r in rows(browser, "partitions")] == ["0", "1"]
    produce(server, topic, [(f"k{i}".encode(), f'{{"n": {i}}}'.encode()) for i in range(6)])
    for path, name in (
        ("/console/", "overview"),
        ("/console/topics/", "topics"),
        (f"/console/topics/{topic}", "topic"),
        (f"/console/topics/{topic}/messages", "messages"),
        (f"/console/topics/{topic}/produce", None),
        (f"/console/topics/{topic}/tail", None),
        ("/console/groups/", None),
        ("/console/schemas/", None),
    ):
        open_page(browser, server, path)
        if name:
            screenshot(browser, name)


def test_message_browser_finds_a_record_by_key(browser: Any, server: KafkaliteServer) -> None:
    topic = f"browse-{uuid.uuid4().hex[:8]}"
    produce(server, topic, [(f"user-{i}".encode(), f"payload {i}".encode()) for i in range(30)])
    open_page(browser, server, f"/console/topics/{topic}/messages")
    fill(browser, "search", "user-17")
    Select(browser.find_element(By.NAME, "seek")).select_by_value("oldest")
    submit(browser, "/messages")
    WebDriverWait(browser, WAIT_S).until(lambda b: "search=user-17" in b.current_url)
    found = rows(browser, "messages")
    assert [(r[1], r[3], r[4].splitlines()[0]) for r in found] == [("17", "user-17", "payload 17")]
    assert "origin: kafka-python" in found[0][5]


def test_record_produced_from_the_console_reaches_a_consumer(
    browser: Any, server: KafkaliteServer
) -> None:
    topic = f"produce-{uuid.uuid4().hex[:8]}"
    produce(server, topic, [(b"first", b"from kafka-python")])
    open_page(browser, server, f"/console/topics/{topic}/produce")
    fill(browser, "key", "console-key")
    fill(browser, "value", '{"from": "console"}')
    fill(browser, "headers", "trace-id: abc123")
    submit(browser, "/produce")
    assert "at offset 1" in browser.find_element(By.CLASS_NAME, "notice").text
    records = read_all(server, topic, 2)
    assert [(r.offset, r.key, r.value) for r in records] == [
        (0, b"first", b"from kafka-python"),
        (1, b"console-key", b'{"from": "console"}'),
    ]
    assert records[1].headers == [("trace-id", b"abc123")]


def test_live_tail_shows_new_records(browser: Any, server: KafkaliteServer) -> None:
    topic = f"tail-{uuid.uuid4().hex[:8]}"
    produce(server, topic, [(b"old", b"before the page")])
    open_page(browser, server, f"/console/topics/{topic}/tail")
    WebDriverWait(browser, WAIT_S).until(
        lambda b: "polling" in b.find_element(By.ID, "tail-status").text
    )
    produce(server, topic, [(b"new", b"after the page")])
    WebDriverWait(browser, WAIT_S).until(lambda b: rows(b, "messages"))
    assert [(r[1], r[3], r[4]) for r in rows(browser, "messages")] == [("1", "new", "after the page")]


def test_resetting_a_group_changes_what_it_consumes_next(
    browser: Any, server: KafkaliteServer
) -> None:
    topic = f"reset-{uuid.uuid4().hex[:8]}"
    group = f"group-{uuid.uuid4().hex[:8]}"
    produce(server, topic, [(f"k{i}".encode(), f"v{i}".encode()) for i in range(5)])
    assert [r.offset for r in consume(server, topic, group, 5)] == [0, 1, 2, 3, 4]
    open_page(browser, server, f"/console/groups/{group}")
    assert rows(browser, "lag") == [[topic, "0", "5", "0", "5", "0", "-"]]
    screenshot(browser, "group")
    Select(browser.find_element(By.NAME, "to")).select_by_value("offset")
    fill(browser, "value", "2")
    submit(browser, "/reset")
    assert "Offsets reset" in browser.find_element(By.CLASS_NAME, "notice").text
    assert rows(browser, "lag") == [[topic, "0", "2", "0", "5", "3", "-"]]
    assert [(r.offset, r.value) for r in consume(server, topic, group, 3)] == [
        (2, b"v2"), (3, b"v3"), (4, b"v4"),
    ]
    open_page(browser, server, "/console/groups/")
    screenshot(browser, "groups")
