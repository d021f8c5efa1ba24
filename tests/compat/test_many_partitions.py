"""Many partitions under a low limit on open files: ``kafkalite serve`` started with a soft
and hard RLIMIT_NOFILE of 256 (macOS's default soft limit) holds 2,000 partitions. One
record is produced to each and read back with confluent-kafka (a Fetch of all 2,000
partitions at once), then again after a restart, which loads every partition.

Each partition used to keep three descriptors open (its active segment's ``.log``,
``.index`` and ``.timeindex``), so this broker stopped at about 80 partitions. Now indexes
keep no descriptor and ``.log`` files are opened on use and closed when idle
(``kafkalite.log.open.files.max``, by default half the soft limit).
"""

from __future__ import annotations

import os
import resource
import signal
from collections.abc import Iterator
from pathlib import Path

import compat_helpers as h
import pytest
from compat_clients import CLIENTS

pytestmark = [pytest.mark.compat, pytest.mark.skipif(
    not Path("/proc/self/fd").exists(), reason="counts descriptors through /proc"
)]

LIMIT = 256
PARTITIONS = 2_000
SLOW_S = 120.0  # creating, stopping and loading 2,000 partitions on a busy disk


def _lower_open_files_limit() -> None:
    # Hard as well as soft: ``kafkalite serve`` raises its soft limit to the hard one.
    resource.setrlimit(resource.RLIMIT_NOFILE, (LIMIT, LIMIT))


@pytest.fixture(scope="module")
def low_limit_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[h.KafkaliteBroker]:
    if h.external_bootstrap():
        pytest.skip("KAFKALITE_BOOTSTRAP is set: the suite cannot limit an external broker")
    root = tmp_path_factory.mktemp("kafkalite-low-limit")
    b = h.KafkaliteBroker(
        data_dir=root / "data",
        options={"log.flush.interval.ms": "200"},  # background fsyncs run during the test
        preexec_fn=_lower_open_files_limit,
    )
    b.start()
    try:
        yield b
    finally:
        b.stop()


def _open_files(broker: h.KafkaliteBroker) -> tuple[int, int]:
    """The broker's soft limit on open files and how many it has open now."""
    assert broker.proc is not None
    pid = broker.proc.pid
    with open(f"/proc/{pid}/limits") as limits:
        row = next(line for line in limits if line.startswith("Max open files"))
    return int(row.split()[3]), len(os.listdir(f"/proc/{pid}/fd"))


def _create_topic(broker: h.KafkaliteBroker) -> str:
    from confluent_kafka.admin import AdminClient, NewTopic

    topic = h.unique_topic("wide")
    admin = AdminClient({"bootstrap.servers": broker.bootstrap})
    futures = admin.create_topics(
        [NewTopic(topic, num_partitions=PARTITIONS, replication_factor=1)],
        operation_timeout=SLOW_S, request_timeout=SLOW_S,
    )
    futures[topic].result(timeout=SLOW_S)
    return topic


def _restart(broker: h.KafkaliteBroker, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean stop (SIGTERM to our own child; closing 2,000 logs may take longer than the
    suite's usual stop timeout), then a start that loads every partition."""
    assert broker.proc is not None
    broker.proc.send_signal(signal.SIGTERM)
    assert broker.proc.wait(timeout=SLOW_S) == 0
    broker.proc = None
    monkeypatch.setattr(h, "STARTUP_TIMEOUT_S", SLOW_S)
    broker.start()
    assert "recovered " not in broker.log_tail()  # the stop was clean: nothing to recover


def _read_back(client: object, broker: h.KafkaliteBroker, topic: str) -> None:
    got = client.consume(broker.bootstrap, topic, dict.fromkeys(range(PARTITIONS), 1))  # type: ignore[attr-defined]
    by_partition = {g.partition: g for g in got}
    assert sorted(by_partition) == list(range(PARTITIONS)) and len(got) == PARTITIONS
    for partition, g in by_partition.items():
        assert (g.offset, g.key, g.value) == (0, b"k%d" % partition, b"v%d" % partition)


def test_2000_partitions_under_a_limit_of_256_descriptors(
    low_limit_broker: h.KafkaliteBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = CLIENTS["confluent-kafka"]
    broker = low_limit_broker
    assert _open_files(broker)[0] == LIMIT
    topic = _create_topic(broker)
    records = [
        h.Rec(p, p, b"k%d" % p, b"v%d" % p, (), h.BASE_TS + p) for p in range(PARTITIONS)
    ]
    delivered = client.produce(broker.bootstrap, topic, records)
    assert sorted((d.partition, d.offset) for d in delivered) == [(p, 0) for p in range(PARTITIONS)]
    _read_back(client, broker, topic)
    limit, open_now = _open_files(broker)
    assert open_now < limit
    _restart(broker, monkeypatch)  # loads all 2,000 partitions under the same limit
    _read_back(client, broker, topic)
    assert _open_files(broker)[1] < LIMIT
