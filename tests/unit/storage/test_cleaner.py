"""Compaction: the latest value per key survives in valid batches at unchanged offsets,
tombstones go after delete.retention.ms, every codec is rewritten readable, and a crash at
any step of the swap leaves one consistent version."""

from __future__ import annotations

import asyncio
import os
import struct
import time
from pathlib import Path

import cramjam
import crc32c
import pytest
from kafka.record.default_records import DefaultRecordBatchBuilder
from kafka.record.memory_records import MemoryRecords
from storage_helpers import NOW_MS, abandon, append, new_log, read_all, reopen

from kafkalite.protocol import compression
from kafkalite.protocol.records import BatchHeader, read_header, validate_batches
from kafkalite.storage.cleaner import LogCleaner, install_clean, plan_clean
from kafkalite.storage.compactor import run_clean
from kafkalite.storage.config import LogConfig
from kafkalite.storage.flusher import Flusher
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.manager import LogManager
from kafkalite.storage.record_set import delete_horizon_ms
from kafkalite.storage.retention import SegmentDeleter
from kafkalite.storage.segment import segment_path

DAY = 86_400_000
COMPACT = LogConfig(cleanup_policy="compact", segment_bytes=400)

Records = list[tuple[bytes | None, bytes | None]]


def batch(
    records: Records,
    *,
    codec: int = 0,
    producer: tuple[int, int, int] = (-1, -1, -1),
    timestamp: int = NOW_MS,
) -> bytearray:
    builder = DefaultRecordBatchBuilder(
        magic=2,
        compression_type=codec,
        is_transactional=False,
        producer_id=producer[0],
        producer_epoch=producer[1],
        base_sequence=producer[2],
        batch_size=1 << 20,
    )
    for i, (key, value) in enumerate(records):
        builder.append(i, timestamp=timestamp + i, key=key, value=value, headers=[])
    return bytearray(builder.build())


def produce(log: PartitionLog, records: Records, **kwargs: object) -> int:
    return append(log, batch(records, **kwargs)).base_offset  # type: ignore[arg-type]


def contents(log: PartitionLog) -> list[tuple[int, bytes | None, bytes | None]]:
    """Every record from the log start, read by kafka-python with CRC checks."""
    data = read_all(log, log.log_start_offset)
    validate_batches(data, from_client=False)
    out = []
    for client_batch in MemoryRecords(data):
        assert client_batch.validate_crc()
        out.extend((r.offset, r.key, r.value) for r in client_batch)
    return out


def headers(log: PartitionLog) -> list[BatchHeader]:
    return validate_batches(read_all(log, log.log_start_offset), from_client=False)


def flush(log: PartitionLog) -> None:
    log.flush_future(log.log_end_offset).result(timeout=10)


def cleaner(tmp_path: Path, log: PartitionLog) -> LogCleaner:
    flusher = Flusher()
    return LogCleaner(
        tmp_path, logs=lambda: [log], flusher=flusher, deleter=SegmentDeleter(flusher)
    )


def compacted(log: PartitionLog, written: dict[int, tuple[bytes | None, bytes | None]]) -> bool:
    """Whether the closed segments hold exactly the latest record of each key and the
    active segment everything written to it, each at the offset it was written at."""
    got = contents(log)
    if any(written[offset] != (key, val) for offset, key, val in got):
        return False
    active = log.segments[-1].base_offset
    latest: dict[bytes | None, int] = {}
    for offset, (key, _) in sorted(written.items()):
        latest[key] = offset
    expected = sorted(o for o in latest.values() if o < active)
    expected += sorted(o for o in written if o >= active)
    return [o for o, _, _ in got] == expected


def value(key: bytes, version: int) -> bytes:
    return key + b"=" + b"%03d " % version * 20  # compressible


def test_latest_value_per_key_at_unchanged_offsets(tmp_path: Path) -> None:
    log = new_log(tmp_path, COMPACT)
    written: dict[int, tuple[bytes | None, bytes | None]] = {}
    keys = [b"a", b"b", b"c", b"d"]
    for version in range(12):
        records: Records = [(k, value(k, version)) for k in keys[: 1 + version % 4]]
        base = produce(log, records, codec=version % 5)
        written.update((base + i, r) for i, r in enumerate(records))
    base = produce(log, [(b"a", value(b"a", 99))])  # in the active segment
    written[base] = (b"a", value(b"a", 99))
    flush(log)
    before = headers(log)
    end, size = log.log_end_offset, log.size_bytes
    assert len(log.segments) > 4

    assert cleaner(tmp_path, log).clean_now(log, NOW_MS) >= 1
    after = headers(log)
    got = contents(log)
    assert log.log_end_offset == end and log.size_bytes < size // 2
    assert compacted(log, written)  # offsets unchanged, one record per key
    assert {h.base_offset for h in after} <= {h.base_offset for h in before}
    codecs = {h.base_offset: h.compression for h in before}
    assert all(h.compression in (codecs[h.base_offset], 0) for h in after)  # 0: empty header
    # What a consumer reading from the start ends with is unchanged.
    assert {k: v for _, k, v in got} == {k: v for o, (k, v) in sorted(written.items())}
    state = [
        (s.base_offset, s.next_offset, s.size, s.max_timestamp, s.offset_of_max_timestamp,
         s.first_batch_timestamp, s.offset_index.entries, s.time_index.entries)
        for s in log.segments[:-1]
    ]
    for clean in (True, False):  # trusted as written, then re-validated batch by batch
        again = reopen(log, clean=clean)
        assert contents(again) == got and again.log_end_offset == end
        assert state == [
            (s.base_offset, s.next_offset, s.size, s.max_timestamp, s.offset_of_max_timestamp,
             s.first_batch_timestamp, s.offset_index.entries, s.time_index.entries)
            for s in again.segments[:-1]
        ]
        abandon(again)


def test_tombstones_go_after_delete_retention_ms(tmp_path: Path) -> None:
    log = new_log(
        tmp_path, LogConfig(cleanup_policy="compact", segment_bytes=300, delete_retention_ms=DAY)
    )
    produce(log, [(b"gone", b"value"), (b"kept", b"value")])
    produce(log, [(b"gone", None)])  # the tombstone, offset 2
    produce(log, [(b"kept", b"newer value " * 30)])  # rolls: the tombstone is in a closed segment
    produce(log, [(b"other", b"value " * 60)])
    flush(log)
    logs = cleaner(tmp_path, log)
    logs.clean_now(log, NOW_MS)
    assert [(o, k, v) for o, k, v in contents(log) if k != b"other"][:2] == [
        (2, b"gone", None),
        (3, b"kept", b"newer value " * 30),
    ]
    tombstone_batch = next(h for h in headers(log) if h.base_offset == 2)
    assert delete_horizon_ms(tombstone_batch) == NOW_MS + DAY  # KIP-534: set when first kept
    logs.clean_now(log, NOW_MS + DAY - 1)
    assert (2, b"gone", None) in contents(log)
    logs.clean_now(log, NOW_MS + DAY)
    assert b"gone" not in {k for _, k, _ in contents(log)}
    assert (3, b"kept", b"newer value " * 30) in contents(log)


def test_dirty_ratio_lag_and_the_checkpoint(tmp_path: Path) -> None:
    log = new_log(tmp_path, COMPACT)
    for version in range(8):
        produce(log, [(b"k%d" % i, value(b"k", version)) for i in range(4)])
    flush(log)
    logs = cleaner(tmp_path, log)
    planned = logs.select(NOW_MS)  # never cleaned: everything closed is dirty
    assert planned is not None and planned.plan.first_dirty == 0
    first_uncleanable = log.segments[-1].base_offset
    assert planned.plan.first_uncleanable == first_uncleanable
    install_clean(planned, run_clean(planned.plan), logs._flusher, logs._deleter, now_ms=NOW_MS)
    logs._done(planned)
    checkpoint = (tmp_path / "cleaner-offset-checkpoint").read_text()
    assert checkpoint == f"0\n1\nt 0 {first_uncleanable}\n"
    assert logs.select(NOW_MS) is None  # nothing dirty
    produce(log, [(b"k0", b"x" * 900)])  # one more closed segment: dirty, but small
    produce(log, [(b"k1", b"y")])
    log.config = LogConfig(
        cleanup_policy="compact", segment_bytes=400, min_cleanable_dirty_ratio=0.9
    )
    assert logs.select(NOW_MS) is None
    log.config = LogConfig(
        cleanup_policy="compact",
        segment_bytes=400,
        min_cleanable_dirty_ratio=0.1,
        min_compaction_lag_ms=DAY,
    )
    assert logs.select(NOW_MS) is None  # the dirty segment is younger than the lag
    assert logs.select(NOW_MS + 2 * DAY) is not None
    restarted = cleaner(tmp_path, log)
    restarted.load_checkpoint()
    assert restarted.first_dirty_offset(log) == first_uncleanable


CODEC_CASES = ["none", "gzip", "snappy-xerial", "snappy-raw", "lz4", "zstd"]


def raw_snappy(xerial_batch: bytearray) -> bytearray:
    """The same batch as librdkafka would send it: one raw snappy block."""
    header = read_header(xerial_batch)
    records = compression.decompress(compression.SNAPPY, xerial_batch[61:])
    after_crc = bytes(xerial_batch[21:61]) + bytes(cramjam.snappy.compress_raw(records))
    crc = crc32c.crc32c(after_crc)
    return bytearray(
        struct.pack(">qiibI", header.base_offset, len(after_crc) + 9, -1, 2, crc) + after_crc
    )


@pytest.mark.parametrize("case", CODEC_CASES)
def test_every_codec_is_compacted_and_rewritten_with_its_codec(tmp_path: Path, case: str) -> None:
    codec = {"none": 0, "gzip": 1, "lz4": 3, "zstd": 4}.get(case, 2)
    log = new_log(tmp_path, COMPACT)
    for version in range(6):
        records: Records = [(b"k%d" % i, value(b"k%d" % i, version)) for i in range(6)]
        if version == 5:
            records = records[:3]  # k0-k2 superseded, k3-k5 stay from version 4
        built = batch(records, codec=codec)
        append(log, raw_snappy(built) if case == "snappy-raw" else built)
    assert read_header(built).compression == codec
    produce(log, [(b"filler", b"f" * 500)])  # a segment of its own
    produce(log, [(b"tail", b"t")])  # the active segment
    flush(log)
    cleaner(tmp_path, log).clean_now(log, NOW_MS)
    rebuilt = [h for h in headers(log) if 0 < h.records_count < h.last_offset_delta + 1]
    assert [h.base_offset for h in rebuilt] == [24]  # version 4 lost k0-k2, kept k3-k5
    assert all(h.compression == codec for h in rebuilt)
    latest = [(k, v) for _, k, v in contents(log)]
    assert latest == [(b"k%d" % i, value(b"k%d" % i, 4)) for i in (3, 4, 5)] + [
        (b"k%d" % i, value(b"k%d" % i, 5)) for i in (0, 1, 2)
    ] + [(b"filler", b"f" * 500), (b"tail", b"t")]
    if codec == compression.SNAPPY:  # rewritten as Kafka does: snappy-java framing
        data = read_all(log, 0)
        pos = sum(h.size for h in headers(log) if h.base_offset < 24)
        assert compression.is_xerial_snappy(data[pos + 61 : pos + rebuilt[0].size])


def test_producers_last_batch_stays_as_an_empty_header(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(cleanup_policy="compact", segment_bytes=300))
    produce(log, [(b"k", b"from producer 5")], producer=(5, 0, 0))
    produce(log, [(b"j", b"from producer 6")], producer=(6, 0, 0))
    produce(log, [(b"j", b"newer")], producer=(6, 0, 1))
    produce(log, [(b"k", b"newer " * 40)])  # no producer id
    produce(log, [(b"x", b"active")])
    assert [(s.base_offset, s.next_offset) for s in log.segments] == [(0, 3), (3, 4), (4, 5)]
    flush(log)
    cleaner(tmp_path, log).clean_now(log, NOW_MS)
    kept = {h.base_offset: h for h in headers(log)}
    assert kept[0].records_count == 0 and kept[0].producer_id == 5
    assert kept[0].last_sequence == 0  # the producer's last sequence survives
    assert 1 not in kept  # producer 6 wrote again later: nothing to keep
    assert [(o, k) for o, k, _ in contents(log)] == [(2, b"j"), (3, b"k"), (4, b"x")]


def test_keyless_records_are_dropped(tmp_path: Path) -> None:
    log = new_log(tmp_path, LogConfig(segment_bytes=200))  # written before it was compacted
    produce(log, [(None, b"no key"), (b"k", b"v")])
    produce(log, [(b"k2", b"v" * 200)])
    produce(log, [(b"k3", b"v")])
    log.config = LogConfig(cleanup_policy="compact", segment_bytes=200)
    flush(log)
    cleaner(tmp_path, log).clean_now(log, NOW_MS)
    assert [k for _, k, _ in contents(log)] == [b"k", b"k2", b"k3"]


# -- a crash in the middle of the swap --------------------------------------------------

CRASH_POINTS = ["cleaned", "swap", "old-renamed", "index-renamed", "swapped"]


@pytest.mark.parametrize("point", CRASH_POINTS)
def test_crash_during_the_swap_recovers_one_consistent_version(tmp_path: Path, point: str) -> None:
    log = new_log(tmp_path, COMPACT)
    for version in range(10):
        produce(log, [(b"k%d" % i, value(b"k", version)) for i in range(3)], codec=version % 5)
    produce(log, [(b"last", b"active")])
    flush(log)
    original = contents(log)
    log.config = LogConfig(cleanup_policy="compact", segment_bytes=1 << 20)  # one group
    planned = plan_clean(log, None, NOW_MS, force=True)
    assert planned is not None and len(planned.groups) == 1  # one group: files are easy to name
    (group,) = run_clean(planned.plan)
    expected_bytes = group.files[".log"].read_bytes()
    old = planned.groups[0]
    directory, base = log.directory, group.base_offset
    steps = [
        lambda: os.replace(group.files[".log"], segment_path(directory, base, ".log.swap")),
        lambda: [
            os.rename(p, p.with_name(p.name + ".deleted"))
            for s in old
            for p in directory.glob(f"{s.base_offset:020d}.*")
            if p.suffix in (".log", ".index", ".timeindex")
        ],
        lambda: [
            os.replace(group.files[x], segment_path(directory, base, x))
            for x in (".index", ".timeindex")
        ],
        lambda: os.replace(
            segment_path(directory, base, ".log.swap"), segment_path(directory, base, ".log")
        ),
    ]
    for step in steps[: CRASH_POINTS.index(point)]:
        step()
    abandon(log)  # the process dies here
    for clean in (False, True):  # whatever the shutdown marker said
        again = reopen(log, clean=clean)
        names = sorted(p.name for p in directory.iterdir() if ".log" in p.name)
        assert not [n for n in names if n.endswith((".cleaned", ".swap", ".deleted"))]
        if point == "cleaned":  # not committed: the old segments, untouched
            assert contents(again) == original
            assert len(names) == len(old) + 1
        else:  # committed: the cleaned segment, then the active one
            assert names == [f"{base:020d}.log", f"{again.segments[-1].base_offset:020d}.log"]
            assert segment_path(directory, base, ".log").read_bytes() == expected_bytes
            got = contents(again)
            assert {k for _, k, _ in got} == {b"k0", b"k1", b"k2", b"last"} and len(got) == 4
            assert all(record in original for record in got)
        assert again.log_end_offset == log.log_end_offset
        abandon(again)


def test_background_cleaner_on_the_event_loop(tmp_path: Path) -> None:
    """The LogManager's cleaner picks the dirty log, cleans on its worker thread and swaps
    on the loop; a fetch answered before the swap keeps reading the old bytes."""

    async def run() -> tuple[bool, bytes, bytes]:
        logs = LogManager(tmp_path, default_config=COMPACT, cleaner_backoff_ms=10)
        logs.start()
        log = logs.create_topic("table", 1).partitions[0]
        written: dict[int, tuple[bytes | None, bytes | None]] = {}
        for version in range(10):
            records: Records = [(b"k%d" % i, value(b"k", version)) for i in range(3)]
            base = produce(log, records)
            written.update((base + i, r) for i, r in enumerate(records))
        # Durable before the cleaner first looks (the loop is still ours): the map it builds
        # covers the whole log, so one clean leaves exactly the latest records.
        flush(log)
        in_flight = log.read(0, 1 << 20)
        assert in_flight is not None
        dup = os.dup(in_flight.fd)
        old_bytes = os.pread(dup, in_flight.length, in_flight.position)
        done = False
        deadline = time.monotonic() + 60  # generous: CI machines may be busy
        while time.monotonic() < deadline:
            if done := compacted(log, written):
                break
            await asyncio.sleep(0.01)
        still = os.pread(dup, in_flight.length, in_flight.position)
        os.close(dup)
        logs.shutdown()
        return done, old_bytes, still

    done, old_bytes, still = asyncio.run(run())
    assert done
    assert (tmp_path / "cleaner-offset-checkpoint").read_text().startswith("0\n1\ntable 0 ")
    assert still == old_bytes
