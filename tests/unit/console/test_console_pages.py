"""The console's pages through aiohttp's test client, over a real ``Runtime`` (one node,
its data in a temporary directory): what each page shows (topic names, offsets, configs,
lag) and what its forms change (topics, partitions, records, group offsets)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from kafkalite.config import BrokerConfig
from kafkalite.console import data
from kafkalite.groups.api import CommitEntry
from kafkalite.http.control_views import CONTROL
from kafkalite.http.routes import ROUTES
from kafkalite.http.server import _json_errors, _json_view
from kafkalite.runtime import Runtime

pytestmark = pytest.mark.timeout(60)

Body = Callable[[TestClient, Runtime], Awaitable[None]]


def run(tmp_path: Path, body: Body) -> None:
    async def main() -> None:
        config = BrokerConfig(port=0, data_dir=tmp_path / "data")
        runtime = Runtime(config.with_properties({"offsets.topic.num.partitions": "1"}))
        await runtime.start()
        try:
            app = web.Application(middlewares=[_json_errors])
            app[CONTROL] = runtime.control
            for route in ROUTES:
                app.router.add_route(route.method, route.path, _json_view(route.view))
            async with TestClient(TestServer(app)) as client:
                await body(client, runtime)
        finally:
            await runtime.stop()

    asyncio.run(main())


async def page(client: TestClient, path: str, status: int = 200) -> str:
    answer = await client.get(path)
    text = await answer.text()
    assert answer.status == status, text
    if status == 200 and "/api/" not in path and "/static/" not in path:
        assert answer.content_type == "text/html"
    return text


async def post(client: TestClient, path: str, form: dict[str, str]) -> tuple[str, str]:
    """(where the form redirected to, that page's text)."""
    answer = await client.post(path, data=form, allow_redirects=False)
    assert answer.status == 303, await answer.text()
    location = answer.headers["Location"]
    return location, await page(client, location)


def cells(text: str, css: str) -> list[list[str]]:
    """The cell texts of the rows of the table of class ``css``."""
    found = re.search(rf'<table class="{css}">.*?<tbody>(.*?)</tbody>', text, re.S)
    assert found, f"no table {css}"
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    ]


def test_topics_create_partitions_configs_and_delete(tmp_path: Path) -> None:
    async def body(client: TestClient, runtime: Runtime) -> None:
        overview = await page(client, "/console/")
        assert "Cluster overview" in overview and runtime.cluster.cluster_id in overview
        assert f"{runtime.first_node.host}:{runtime.first_node.port}" in overview
        location, text = await post(
            client, "/console/topics/",
            {"name": "orders", "partitions": "2", "configs": "retention.ms=123456"},
        )
        assert location.startswith("/console/topics/orders") and "Created orders" in text
        configs = {row[0]: row[1:] for row in cells(text, "configs")}
        assert configs["retention.ms"] == ["123456", "DYNAMIC_TOPIC_CONFIG"]
        assert configs["cleanup.policy"] == ["delete", "DEFAULT_CONFIG"]
        _, text = await post(client, "/console/topics/", {"name": "orders", "partitions": "1"})
        assert "already exists" in text
        _, text = await post(client, "/console/topics/", {"name": "bad name!", "partitions": "1"})
        assert "Cannot create" in text and "bad name!" not in runtime.cluster.topics()
        _, text = await post(
            client, "/console/topics/orders/configs", {"config": "retention.ms", "value": "999"}
        )
        assert {r[0]: r[1] for r in cells(text, "configs")}["retention.ms"] == "999"
        _, text = await post(
            client, "/console/topics/orders/configs", {"config": "retention.ms", "op": "delete"}
        )
        assert {r[0]: r[2] for r in cells(text, "configs")}["retention.ms"] == "DEFAULT_CONFIG"
        _, text = await post(
            client, "/console/topics/orders/configs", {"config": "retention.ms", "value": "x"}
        )
        assert "Config not changed" in text
        _, text = await post(client, "/console/topics/orders/partitions", {"count": "3"})
        assert [row[0] for row in cells(text, "partitions")] == ["0", "1", "2"]
        assert len(runtime.cluster.topics()["orders"].partitions) == 3
        listing = await page(client, "/console/topics/")
        assert cells(listing, "topics")[0][:5] == ["orders", "3", "0", "0 B", "-"]
        _, text = await post(client, "/console/topics/orders/delete", {})
        assert "Deleted orders" in text and "orders" not in runtime.cluster.topics()

    run(tmp_path, body)


def test_produce_browse_search_tail(tmp_path: Path) -> None:
    async def body(client: TestClient, runtime: Runtime) -> None:
        await post(client, "/console/topics/", {"name": "events", "partitions": "2"})
        tail = await client.get("/console/api/topics/events/tail")
        after = (await tail.json())["after"]
        for i in range(5):
            _, text = await post(
                client, "/console/topics/events/produce",
                {"partition": str(i % 2), "key": f"key-{i}", "value": json.dumps({"n": i}),
                 "headers": f"trace: t{i}\nsource: console"},
            )
            assert f"Produced to partition {i % 2} at offset {i // 2}" in text
        _, text = await post(
            client, "/console/topics/events/produce", {"partition": "", "key": "", "value": "\x00"}
        )
        assert "at offset" in text
        topic = await page(client, "/console/topics/events")
        assert [row[5] for row in cells(topic, "partitions")] == ["4", "2"]  # high watermarks
        newest = cells(await page(client, "/console/topics/events/messages"), "messages")
        assert len(newest) == 6
        by_key = cells(
            await page(client, "/console/topics/events/messages?search=key-3&decode=text"),
            "messages",
        )
        assert [(row[0], row[1]) for row in by_key] == [("1", "1")]
        assert '{"n": 3}' in by_key[0][4].replace("&quot;", '"') and "t3" in by_key[0][5]
        by_header = cells(await page(client, "/console/topics/events/messages?search=t4"), "messages")
        assert [(row[0], row[1]) for row in by_header] == [("0", "2")]
        one = cells(
            await page(client, "/console/topics/events/messages?seek=offset&partition=0&offset=1"),
            "messages",
        )
        assert [row[1] for row in one] == ["1", "2"] + (["3"] if len(one) == 3 else [])
        hexed = cells(
            await page(client, "/console/topics/events/messages?partition=1&seek=oldest&decode=hex"),
            "messages",
        )
        assert hexed[0][4].startswith("7b 22 6e 22")  # {"n"
        future = await page(client, "/console/topics/events/messages?seek=timestamp&timestamp=4102444800000")
        assert cells(future, "messages") == []
        answer = await client.get(f"/console/api/topics/events/tail?after={after}")
        tailed = await answer.json()
        assert sorted((r["partition"], r["offset"]) for r in tailed["records"])[:2] == [(0, 0), (0, 1)]
        assert len(tailed["records"]) == 6
        assert tailed["records"][0]["headers"]["source"] == "console"
        again = await (await client.get(f"/console/api/topics/events/tail?after={tailed['after']}")).json()
        assert again["records"] == []

    run(tmp_path, body)


def test_browse_bounds_its_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "MAX_SCAN", 700)

    async def body(client: TestClient, runtime: Runtime) -> None:
        from kafkalite.internal_topics import append_records

        await post(client, "/console/topics/", {"name": "big", "partitions": "1"})
        log = runtime.cluster.partition("big", 0)
        assert log is not None
        for _ in range(10):
            append_records(log, [(b"k", b"v")] * 100, now_ms=1)
        page_ = data.browse(runtime.cluster, "big", search="absent")
        assert page_.truncated and page_.scanned == 700 and page_.messages == []
        assert page_.next_offsets == {0: 700}
        text = await page(client, "/console/topics/big/messages?search=absent")
        assert "The scan stopped after 700 records" in text

    run(tmp_path, body)


def test_groups_lag_reset_and_delete(tmp_path: Path) -> None:
    async def body(client: TestClient, runtime: Runtime) -> None:
        await post(client, "/console/topics/", {"name": "work", "partitions": "2"})
        for i in range(7):
            await post(client, "/console/topics/work/produce", {"partition": str(i % 2), "value": f"v{i}"})
        groups = runtime.cluster.groups
        assert groups.commit_offsets(
            "billing", -1, "", None, [CommitEntry("work", 0, 1), CommitEntry("work", 1, 3)]
        ) == {("work", 0): 0, ("work", 1): 0}
        listing = cells(await page(client, "/console/groups/"), "groups")
        assert listing == [["billing", "Empty", "-", "-", "0", "1", "3"]]  # lag 3 + 0
        lag = cells(await page(client, "/console/groups/billing"), "lag")
        assert [row[:6] for row in lag] == [
            ["work", "0", "1", "0", "4", "3"],
            ["work", "1", "3", "0", "3", "0"],
        ]
        _, text = await post(client, "/console/groups/billing/reset", {"topic": "work", "to": "earliest"})
        assert [row[2] for row in cells(text, "lag")] == ["0", "0"]
        _, text = await post(
            client, "/console/groups/billing/reset", {"topic": "work", "to": "offset", "value": "2"}
        )
        assert [(row[2], row[5]) for row in cells(text, "lag")] == [("2", "2"), ("2", "1")]
        _, text = await post(client, "/console/groups/billing/reset", {"topic": "work", "to": "latest"})
        assert [row[5] for row in cells(text, "lag")] == ["0", "0"]
        _, text = await post(client, "/console/groups/billing/reset", {"topic": "work", "to": "offset"})
        assert "Not reset" in text
        _, text = await post(client, "/console/groups/billing/delete", {})
        assert "Deleted group billing" in text and groups.list_groups() == []

    run(tmp_path, body)


def test_schemas_static_and_unknown_things(tmp_path: Path) -> None:
    async def body(client: TestClient, runtime: Runtime) -> None:
        registry = runtime.cluster.schema_registry
        schema = {"type": "record", "name": "Pay", "fields": [{"name": "cents", "type": "long"}]}
        registered: Any = registry.register("pay-value", {"schema": json.dumps(schema)})
        text = await page(client, "/console/schemas/")
        rows = cells(text, "subjects")
        assert rows[0][:5] == ["pay-value", "1", str(registered["id"]), "AVRO", "BACKWARD"]
        await post(client, "/console/topics/", {"name": "pay", "partitions": "1"})
        framed = b"\x00" + int(registered["id"]).to_bytes(4, "big") + b"\x2a"  # cents 21
        data.produce(runtime.cluster, "pay", 0, b"p1", framed)
        shown = cells(await page(client, "/console/topics/pay/messages"), "messages")
        assert '"cents": 21' in shown[0][4].replace("&quot;", '"')
        assert f"avro (schema id {registered['id']})" in shown[0][4]
        hexed = cells(await page(client, "/console/topics/pay/messages?decode=hex"), "messages")
        assert hexed[0][4].startswith(framed.hex(" "))
        proto = 'syntax = "proto3";\nmessage Shop { string name = 1; }\nmessage Sale { int64 cents = 1; string note = 2; }\n'
        sale: Any = registry.register("sale-value", {"schema": proto, "schemaType": "PROTOBUF"})
        # message indexes [1] (the second message), then cents=300, note="ok"
        body_bytes = b"\x02\x02" + b"\x08\xac\x02" + b"\x12\x02ok"
        data.produce(runtime.cluster, "pay", 0, b"p2", b"\x00" + int(sale["id"]).to_bytes(4, "big") + body_bytes)
        shown = cells(await page(client, "/console/topics/pay/messages"), "messages")
        decoded = [row[4].replace("&quot;", '"') for row in shown if "protobuf" in row[4]]
        assert decoded and '"cents": "300"' in decoded[0] and '"note": "ok"' in decoded[0]
        css = await page(client, "/console/static/console.css")
        assert "table" in css
        assert "fetch(" in await page(client, "/console/static/console.js")
        await page(client, "/console/static/../views.py", 404)
        answer = await client.get("/console/topics/nope", allow_redirects=False)
        assert answer.status == 303 and "error=" in answer.headers["Location"]

    run(tmp_path, body)


def test_a_consumer_protocol_group_shows_its_members_and_refuses_a_reset(tmp_path: Path) -> None:
    from kafkalite.groups.consumer_manager import ConsumerHeartbeat

    async def body(client: TestClient, runtime: Runtime) -> None:
        await post(client, "/console/topics/", {"name": "orders", "partitions": "2"})
        joined = runtime.cluster.groups.consumer_group_heartbeat(ConsumerHeartbeat(
            group_id="kip848", member_id="m-1", member_epoch=0, rebalance_timeout_ms=10000,
            subscribed_topic_names=["orders"], owned={}, client_id="shop", client_host="/127.0.0.1",
        ))
        assert joined.error_code == 0
        text = await page(client, "/console/groups/kip848")
        members = cells(text, "members")
        assert members == [["m-1", "-", "shop", "/127.0.0.1", "orders: 0, 1"]]
        assert [row[:2] + row[6:] for row in cells(text, "lag")] == [
            ["orders", "0", "m-1"], ["orders", "1", "m-1"]
        ]
        listing = cells(await page(client, "/console/groups/"), "groups")
        assert listing[0][:5] == ["kip848", "Stable", "consumer", "uniform", "1"]
        _, text = await post(client, "/console/groups/kip848/reset", {"topic": "orders", "to": "earliest"})
        assert "Not reset" in text and "current state is Stable" in text

    run(tmp_path, body)
