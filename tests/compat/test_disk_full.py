"""A real full disk: the broker's data directory on a small tmpfs, filled up by the test.

Producers get KAFKA_STORAGE_ERROR (56) for the appends that do not fit; nothing acknowledged
is lost; Fetch keeps serving what is there; the broker logs the cause; once space returns the
same broker takes appends again (an idempotent producer that kept retrying gets every record
in, once). The failed writes leave no partial batch: the log end offset does not move, and a
SIGKILL and restart afterwards finds nothing to truncate.

Mounting needs root (or CAP_SYS_ADMIN); where ``mount`` is refused the test skips.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import compat_durability_helpers as dh
import compat_helpers as h
import confluent_kafka as ck
import pytest
from compat_durability_helpers import broker_factory  # noqa: F401 - fixture

pytestmark = pytest.mark.compat

TMPFS_SIZE = "24m"
EXTRA = 999_999  # the id of records produced outside the continuous producer (partition 0)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield mount_point
    finally:
        if subprocess.run(["umount", str(mount_point)], check=False, timeout=30).returncode:
            subprocess.run(["umount", "-l", str(mount_point)], check=False, timeout=30)


def fill(directory: Path) -> Path:
    """Write a ballast file until the file system is full; return it."""
    ballast = directory / "ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for chunk in (1 << 20, 1 << 16, 1 << 12, 1 << 9):
            block = b"\xee" * chunk
            for _ in range(10_000):
                try:
                    if os.write(fd, block) < chunk:
                        break
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC, exc
                    break
    finally:
        os.close(fd)
    return ballast


def produce_one(bootstrap: str, topic: str, partition: int, value: bytes) -> ck.KafkaError | int:
    """One record with a plain producer (retries=0): its offset, or the delivery error."""
    outcome: list[ck.KafkaError | int] = []
    producer = ck.Producer(
        {
            **dh.BASE_PRODUCER,
            "bootstrap.servers": bootstrap,
            "retries": 0,
            "message.timeout.ms": 20_000,
        }
    )
    producer.produce(
        topic,
        value=value,
        partition=partition,
        on_delivery=lambda err, msg: outcome.append(err or msg.offset()),
    )
    assert producer.flush(30) == 0
    return outcome[0]


@pytest.mark.timeout(180)
def test_full_disk_refuses_appends_keeps_serving_and_recovers(
    small_disk: Path,
    broker_factory,  # noqa: F811
) -> None:
    b = broker_factory(
        small_disk, **{"log.segment.bytes": str(1 << 20), "log.index.size.max.bytes": str(1 << 20)}
    )
    topic = h.unique_topic("full")
    dh.create_topic(b.bootstrap, topic)
    producer = dh.ContinuousProducer(
        b.bootstrap, topic, {"enable.idempotence": True}, rate=2000, limit=20_000
    ).start()
    for _ in h.deadline_loop(30):
        if len(producer.snapshot()) >= 3000:
            break
        time.sleep(0.02)
    ballast = fill(small_disk)
    time.sleep(1.0)  # appends in flight when the disk filled up either landed or failed
    acked_when_full = producer.snapshot()
    ends_when_full = dh.high_watermarks(b.bootstrap, topic)

    # An append that cannot fit: KAFKA_STORAGE_ERROR, and the log end does not move.
    outcome = produce_one(b.bootstrap, topic, 0, dh.make_value(EXTRA) + b"x" * 200_000)
    assert isinstance(outcome, ck.KafkaError), f"appended at {outcome} on a full disk"
    assert outcome.code() == ck.KafkaError.KAFKA_STORAGE_ERROR, outcome
    time.sleep(0.5)
    assert len(producer.snapshot()) == len(acked_when_full)  # the idempotent one is stuck
    assert dh.high_watermarks(b.bootstrap, topic) == ends_when_full
    # Reads go on: everything acknowledged so far is served, by both consumers.
    stored = dh.read_confluent(b.bootstrap, topic, ends_when_full)
    assert dh.check_log(stored, acked_when_full) == len(acked_when_full)
    assert dh.read_kafka_python(b.bootstrap, topic, ends_when_full) == stored
    log_text = b.log_path.read_text(errors="replace")
    assert "append refused" in log_text and "No space left on device" in log_text

    # Space comes back: the same broker takes appends again; the retrying producer gets
    # every record in, once.
    ballast.unlink()
    outcome = produce_one(b.bootstrap, topic, 0, dh.make_value(EXTRA))
    assert isinstance(outcome, int), outcome
    for _ in h.deadline_loop(60):
        if sum(producer.counts()[1:]) == 20_000:
            break
        time.sleep(0.05)
    producer.stop()
    assert not producer.errors, producer.errors
    produced, acked, failed = producer.counts()
    assert (produced, acked, failed) == (20_000, 20_000, 0), producer.failures
    acks = producer.snapshot()
    ends = dh.high_watermarks(b.bootstrap, topic)
    stored = dh.read_confluent(b.bootstrap, topic, ends)
    assert dh.Stored(outcome, EXTRA) in stored[0]
    stored[0] = [s for s in stored[0] if s.record != EXTRA]  # not one of the producer's
    assert dh.check_log(stored, acks, contiguous=False) == 20_000
    assert sum(len(items) for items in stored.values()) == 20_000  # no partial batch anywhere

    # A crash now recovers a clean log: nothing to truncate.
    dh.kill(b)
    b.start()
    assert "truncated" not in b.log_path.read_text(errors="replace")
    again = dh.read_kafka_python(b.bootstrap, topic, dh.high_watermarks(b.bootstrap, topic))
    again[0] = [s for s in again[0] if s.record != EXTRA]
    assert again == stored
