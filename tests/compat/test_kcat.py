"""kcat (the librdkafka command-line client) against the broker.

Uses ``kcat`` from PATH, or the command in ``KAFKALITE_KCAT`` (shell words, e.g.
``env LD_LIBRARY_PATH=/tmp/kcat-newrdk kcat`` to run Debian's kcat on a newer librdkafka).
Skipped when neither is available. Topics are auto-created by the first ``-P``.
"""

from __future__ import annotations

import json
import subprocess

import compat_helpers as h
import pytest

pytestmark = pytest.mark.compat

RUN_TIMEOUT_S = 60


@pytest.fixture(scope="module")
def kcat() -> list[str]:
    cmd = h.kcat_command()
    if cmd is None:
        pytest.skip("kcat is not on PATH (apt-get install kcat) and KAFKALITE_KCAT is not set")
    return cmd


def run(kcat: list[str], broker, *args: str, stdin: bytes | None = None) -> bytes:
    proc = subprocess.run(
        [*kcat, "-b", broker.bootstrap, *args],
        input=stdin, capture_output=True, timeout=RUN_TIMEOUT_S, check=False,
    )
    assert proc.returncode == 0, (
        f"kcat {' '.join(args)} exited {proc.returncode}\n"
        f"stderr: {proc.stderr.decode(errors='replace')[-3000:]}"
    )
    return proc.stdout


LINES = [b"line-%d %s" % (i, b"payload " * (i % 5)) for i in range(200)] + [b"\xf0\x9f\x93\xa6 utf-8"]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("codec", h.CODECS)
def test_produce_then_consume_lines(kcat, broker, codec: str) -> None:
    topic = h.unique_topic("kcat")
    extra = [] if codec == "none" else ["-z", codec]
    run(kcat, broker, "-P", "-t", topic, "-p", "0", *extra, stdin=b"\n".join(LINES) + b"\n")

    out = run(kcat, broker, "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e")
    assert out == b"\n".join(LINES) + b"\n"

    out = run(kcat, broker, "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e",
              "-f", "%p|%o|%s\n")
    assert out.splitlines() == [b"0|%d|%s" % (i, line) for i, line in enumerate(LINES)]


@pytest.mark.timeout(120)
def test_keys_with_delimiter(kcat, broker) -> None:
    topic = h.unique_topic("kcat-keys")
    pairs = [(b"k%d" % i, b"value %d" % i) for i in range(100)]
    run(kcat, broker, "-P", "-t", topic, "-p", "0", "-K:",
        stdin=b"".join(k + b":" + v + b"\n" for k, v in pairs))

    out = run(kcat, broker, "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e", "-K:")
    assert out == b"".join(k + b":" + v + b"\n" for k, v in pairs)

    out = run(kcat, broker, "-C", "-t", topic, "-p", "0", "-o", "beginning", "-e",
              "-f", "%o|%k|%s|%K|%S\n")
    assert out.splitlines() == [
        b"%d|%s|%s|%d|%d" % (i, k, v, len(k), len(v)) for i, (k, v) in enumerate(pairs)
    ]


@pytest.mark.timeout(120)
def test_metadata_lists_topic_and_partitions(kcat, broker) -> None:
    topic = h.unique_topic("kcat-meta")
    run(kcat, broker, "-P", "-t", topic, "-p", "0", stdin=b"one\ntwo\n")

    meta = json.loads(run(kcat, broker, "-L", "-J"))
    brokers = {b["name"] for b in meta["brokers"]}
    assert broker.bootstrap in brokers, f"advertised brokers {brokers}"
    topics = {t["topic"]: t for t in meta["topics"]}
    assert topic in topics, f"{topic} not listed; topics: {sorted(topics)}"
    entry = topics[topic]
    assert "error" not in entry, entry
    ids = sorted(p["partition"] for p in entry["partitions"])
    if broker.external:
        assert ids and ids == list(range(len(ids))), ids
    else:  # kafkalite runs with num.partitions=3
        assert ids == list(range(h.PARTITIONS))
    leaders = {p["leader"] for p in entry["partitions"]}
    assert len(leaders) == 1 and leaders <= {b["id"] for b in meta["brokers"]}

    # text output as a user reads it
    text = run(kcat, broker, "-L", "-t", topic).decode()
    assert f'topic "{topic}" with {len(ids)} partitions:' in text
    for p in ids:
        assert f"partition {p}, leader" in text
