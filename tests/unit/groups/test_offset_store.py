"""The durable offsets log: reopen, torn tails, corruption, compaction, failed writes."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import crc32c
import pytest

from kafkalite.groups import (
    CommitEntry,
    CommittedOffset,
    GroupCoordinator,
    GroupErrorCode,
    GroupState,
    ManualTimer,
    OffsetStore,
    OffsetStoreError,
    TopicPartition,
)
from kafkalite.groups.offset_log import MAX_ENTRY_BYTES, decode_log

E = GroupErrorCode
T0 = TopicPartition("t", 0)
T1 = TopicPartition("t", 1)


def committed(offset: int, *, epoch: int = -1, metadata: str = "", ts: int = 1) -> CommittedOffset:
    return CommittedOffset(offset, epoch, metadata, ts)


def open_store(directory: Path, **kwargs: int | bool) -> OffsetStore:
    store = OffsetStore(directory, **kwargs)  # type: ignore[arg-type]
    store.open()
    return store


def test_offsets_and_groups_survive_a_coordinator_restart(tmp_path: Path) -> None:
    timer = ManualTimer()
    first = GroupCoordinator(tmp_path, timer=timer, wall_clock_ms=lambda: 1234)
    first.start()
    first.commit_offsets("simple", -1, "", None, [CommitEntry("t", 0, 42, 7, "note")])
    join_box: list[object] = []
    from kafkalite.groups import JoinRequest, Protocol

    first.groups.join_group(
        JoinRequest(
            group_id="members",
            protocol_type="consumer",
            protocols=[Protocol("range", b"")],
            session_timeout_ms=10_000,
            rebalance_timeout_ms=10_000,
            require_known_member_id=False,
        ),
        join_box.append,
    )
    timer.advance(0)
    first.close()
    assert (tmp_path / "__consumer_offsets" / "offsets.log").exists()

    second = GroupCoordinator(tmp_path, timer=ManualTimer())
    second.start()
    try:
        fetched = second.fetch_offsets("simple", [T0]).offsets[0]
        assert (fetched.offset, fetched.leader_epoch, fetched.metadata) == (42, 7, "note")
        assert second.offsets.get("simple", T0) == CommittedOffset(42, 7, "note", 1234)
        restored = second.groups.get("members")
        assert restored is not None
        assert (restored.state, restored.generation_id, restored.protocol_type) == (
            GroupState.EMPTY,
            1,
            "consumer",
        )
        listing = {(g.group_id, g.group_state, g.protocol_type) for g in second.list_groups()}
        assert listing == {("simple", "Empty", ""), ("members", "Empty", "consumer")}
        # Members are not persisted: a member of the old generation must rejoin.
        assert second.heartbeat("members", "whoever", None, 1) == E.UNKNOWN_MEMBER_ID
    finally:
        second.close()


def test_torn_last_entry_is_dropped_at_every_cut(tmp_path: Path) -> None:
    store = open_store(tmp_path / "src")
    store.commit("g", [(T0, committed(1)), (T1, committed(2))])
    store.put_group("g", "consumer", 3)
    before = store.size_bytes
    store.commit("g", [(T0, committed(99, metadata="the last one"))])
    after = store.size_bytes
    store.close()
    data = (tmp_path / "src" / "offsets.log").read_bytes()
    assert len(data) == after > before

    for cut in range(before, after):
        directory = tmp_path / f"cut-{cut}"
        directory.mkdir()
        (directory / "offsets.log").write_bytes(data[:cut])
        reopened = open_store(directory)
        try:
            assert reopened.get("g", T0) == committed(1), cut
            assert reopened.get("g", T1) == committed(2)
            assert reopened.group_record("g") is not None
            assert (directory / "offsets.log").stat().st_size == before
            # Appends after recovery land behind the valid prefix.
            reopened.commit("g", [(T1, committed(5))])
        finally:
            reopened.close()
        again = open_store(directory)
        assert again.get("g", T1) == committed(5)
        again.close()


def test_corrupt_entry_drops_it_and_everything_after(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.commit("g", [(T0, committed(1))])
    first_end = store.size_bytes
    store.commit("g", [(T1, committed(2))])
    store.commit("h", [(T0, committed(3))])
    store.close()
    path = tmp_path / "offsets.log"
    data = bytearray(path.read_bytes())
    data[first_end + 12] ^= 0xFF  # inside the second entry's payload: CRC mismatch
    path.write_bytes(bytes(data))
    reopened = open_store(tmp_path)
    assert reopened.get("g", T0) == committed(1)
    assert reopened.get("g", T1) is None
    assert not reopened.has_offsets("h")
    assert path.stat().st_size == first_end
    reopened.close()


def test_impossible_length_is_treated_as_a_torn_tail(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.commit("g", [(T0, committed(1))])
    good = store.size_bytes
    store.close()
    path = tmp_path / "offsets.log"
    with path.open("ab") as f:
        f.write(struct.pack(">I", MAX_ENTRY_BYTES + 1) + b"\x00" * 16)
    reopened = open_store(tmp_path)
    assert reopened.get("g", T0) == committed(1)
    assert path.stat().st_size == good
    reopened.close()


def test_entry_from_a_newer_format_refuses_to_open(tmp_path: Path) -> None:
    body = bytes((1,)) + b"future payload"
    (tmp_path / "offsets.log").write_bytes(
        struct.pack(">II", len(body) + 4, crc32c.crc32c(body)) + body
    )
    with pytest.raises(OffsetStoreError, match="format version 1"):
        open_store(tmp_path)
    assert (tmp_path / "offsets.log").stat().st_size == len(body) + 8  # untouched


def test_compaction_keeps_only_the_latest_state(tmp_path: Path) -> None:
    store = open_store(tmp_path, compact_threshold_bytes=4096)
    for i in range(500):
        store.commit("g", [(T0, committed(i)), (T1, committed(1000 + i))])
        store.commit(f"temp-{i}", [(T0, committed(i))])
        store.delete_group(f"temp-{i}")
    store.put_group("g", "consumer", 9)
    store.delete_offsets("g", [T1])
    size = store.size_bytes
    assert size < 4096 * 2  # compacted along the way
    store.close()
    assert not (tmp_path / "offsets.log.compacting").exists()

    entries, valid, problem = decode_log((tmp_path / "offsets.log").read_bytes())
    assert problem is None and valid == size
    reopened = open_store(tmp_path)
    assert reopened.get("g", T0) == committed(499)
    assert reopened.get("g", T1) is None
    assert reopened.group_ids() == {"g"}
    assert reopened.group_record("g") is not None
    reopened.compact()  # explicitly: only g's group record and one offset remain
    entries, _, _ = decode_log((tmp_path / "offsets.log").read_bytes())
    assert len(entries) == 2
    reopened.close()


def test_leftover_compaction_file_is_removed(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    store.commit("g", [(T0, committed(1))])
    store.close()
    (tmp_path / "offsets.log.compacting").write_bytes(b"half-written")
    reopened = open_store(tmp_path)
    assert not (tmp_path / "offsets.log.compacting").exists()
    assert reopened.get("g", T0) == committed(1)
    reopened.close()


def test_failed_write_is_rolled_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(tmp_path)
    store.commit("g", [(T0, committed(1))])
    good = store.size_bytes
    real_write = os.write

    def torn_write(fd: int, data: bytes) -> int:
        real_write(fd, bytes(data)[:5])  # a partial write, then the disk fills up
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", torn_write)
    with pytest.raises(OffsetStoreError):
        store.commit("g", [(T0, committed(2))])
    monkeypatch.setattr(os, "write", real_write)
    assert store.get("g", T0) == committed(1)  # memory unchanged
    assert (tmp_path / "offsets.log").stat().st_size == good  # torn bytes removed
    store.commit("g", [(T1, committed(3))])
    store.close()
    reopened = open_store(tmp_path)
    assert (reopened.get("g", T0), reopened.get("g", T1)) == (committed(1), committed(3))
    reopened.close()


def test_failed_write_maps_to_not_coordinator(
    coordinator: GroupCoordinator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_write(fd: int, data: bytes) -> int:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(os, "write", failing_write)
    result = coordinator.commit_offsets("g", -1, "", None, [CommitEntry("t", 0, 1)])
    assert result == {T0: E.NOT_COORDINATOR}


def test_oversized_entry_answers_invalid_commit_offset_size(tmp_path: Path) -> None:
    from kafkalite.groups import GroupConfig

    config = GroupConfig(offset_metadata_max_bytes=2 * MAX_ENTRY_BYTES)
    coordinator = GroupCoordinator(tmp_path, timer=ManualTimer(), config=config)
    coordinator.start()
    try:
        huge = "x" * MAX_ENTRY_BYTES
        result = coordinator.commit_offsets(
            "g", -1, "", None, [CommitEntry("t", 0, 1, metadata=huge)]
        )
        assert result == {T0: E.INVALID_COMMIT_OFFSET_SIZE}
        assert coordinator.commit_offsets("g", -1, "", None, [CommitEntry("t", 0, 1)]) == {
            T0: E.NONE
        }
    finally:
        coordinator.close()


def test_fsync_policy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real_fsync(fd))[1])

    lazy = open_store(tmp_path / "lazy")
    calls.clear()
    lazy.commit("g", [(T0, committed(1))])
    assert calls == []  # page cache only
    lazy.flush()
    assert len(calls) == 1
    lazy.flush()
    assert len(calls) == 1  # nothing new to flush
    lazy.close()

    eager = open_store(tmp_path / "eager", fsync_on_write=True)
    calls.clear()
    eager.commit("g", [(T0, committed(1))])
    assert len(calls) == 1  # before the commit is acknowledged
    eager.close()
