"""Incremental fetch sessions (KIP-227) and the Kafka 4.x versions that name topics by id
(KIP-516): Produce v13, Fetch v13-v18, OffsetCommit/OffsetFetch v10, plus ListOffsets v9-v11
and Metadata v13, over real sockets against one broker per test module."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.cluster.fetch_sessions import CachedPartition, FetchSessionCache
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.fetch import (
    FetchForgottenTopic,
    FetchPartition,
    FetchRequest,
    FetchTopic,
)
from kafkalite.protocol.messages.list_offsets import (
    ListOffsetsPartition,
    ListOffsetsRequest,
    ListOffsetsTopic,
)
from kafkalite.protocol.messages.metadata import MetadataRequest
from kafkalite.protocol.messages.offset_commit import (
    OffsetCommitRequest,
    OffsetCommitRequestPartition,
    OffsetCommitRequestTopic,
)
from kafkalite.protocol.messages.offset_fetch import (
    OffsetFetchRequest,
    OffsetFetchRequestGroup,
    OffsetFetchRequestGroupTopic,
)
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from tests.unit.batches import record_batch
from tests.unit.handlers.admin_wire import create_topic, running_broker
from tests.unit.server.kafka_wire import call

E = ErrorCode
BIG = 1 << 20
UNKNOWN_ID = uuid.UUID("00000000-0000-4000-8000-00000000dead")


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    # Two session slots, and sessions never stale: eviction is by size alone.
    with running_broker(
        tmp_path_factory.mktemp("sessions") / "data",
        **{
            "num.partitions": "1",
            "offsets.topic.num.partitions": "1",
            "max.incremental.fetch.session.cache.slots": "2",
            "min.incremental.fetch.session.eviction.ms": "600000",
        },
    ) as running:
        yield running


@pytest.fixture(scope="module")
def topics(broker: Any) -> dict[str, uuid.UUID]:
    ids = {}
    for name, partitions in (("s1", 4), ("s2", 2), ("ids", 2)):
        created = create_topic(broker.address, name, partitions=partitions)
        assert created.error_code == E.NONE
        ids[name] = created.topic_id
    return ids


def produce(address: Any, topic: str | uuid.UUID, partition: int, *values: bytes,
            version: int = 9) -> Any:
    named = {"topic_id": topic} if isinstance(topic, uuid.UUID) else {"name": topic}
    request = ProduceRequest(acks=-1, timeout_ms=5000, topic_data=[ProduceTopicData(
        **named, partition_data=[ProducePartitionData(
            index=partition, records=record_batch([(None, v) for v in values]))])])
    return call(address, ApiKey.PRODUCE, version, request).responses[0]


def fetch(address: Any, wanted: dict[tuple[Any, int], int], *, session_id: int = 0,
          epoch: int = -1, forgotten: dict[Any, list[int]] | None = None, version: int = 12,
          ) -> Any:
    by_id = version >= 13
    topics: dict[Any, list[FetchPartition]] = {}
    for (topic, partition), offset in wanted.items():
        topics.setdefault(topic, []).append(
            FetchPartition(partition=partition, fetch_offset=offset, partition_max_bytes=BIG))
    request = FetchRequest(
        max_wait_ms=0, min_bytes=0, max_bytes=BIG, session_id=session_id, session_epoch=epoch,
        topics=[FetchTopic(**({"topic_id": t} if by_id else {"topic": t}), partitions=p)
                for t, p in topics.items()],
        forgotten_topics_data=[
            FetchForgottenTopic(**({"topic_id": t} if by_id else {"topic": t}), partitions=p)
            for t, p in (forgotten or {}).items()
        ],
    )
    return call(address, ApiKey.FETCH, version, request)


def answered(response: Any, by_id: bool = False) -> dict[tuple[Any, int], int]:
    """(topic, partition) -> records bytes returned, for each partition answered."""
    return {
        (t.topic_id if by_id else t.topic, p.partition_index): len(bytes(p.records or b""))
        for t in response.responses for p in t.partitions
    }


# -- sessions -------------------------------------------------------------------------------


def test_session_create_incremental_forget_and_close(broker: Any, topics: Any) -> None:
    address = broker.address
    produce(address, "s1", 0, b"a", b"b")
    wanted = {("s1", p): 0 for p in range(4)}
    full = fetch(address, wanted, epoch=0)
    assert full.error_code == E.NONE and full.session_id != 0
    assert set(answered(full)) == set(wanted)  # a full fetch answers every partition
    sid = full.session_id

    # Nothing new: an incremental fetch answers no partition at all.
    quiet = fetch(address, {("s1", 0): 2}, session_id=sid, epoch=1)
    assert (quiet.error_code, quiet.session_id, answered(quiet)) == (E.NONE, sid, {})

    # A produce to partition 2 only: only partition 2 comes back, with its records.
    produce(address, "s1", 2, b"c")
    only = fetch(address, {}, session_id=sid, epoch=2)
    assert list(answered(only)) == [("s1", 2)] and answered(only)[("s1", 2)] > 0
    [part] = only.responses[0].partitions
    assert part.high_watermark == 1

    # Partition 3 forgotten, partition 2 moved on: new data in 3 is not answered.
    produce(address, "s1", 3, b"d")
    after_forget = fetch(address, {("s1", 2): 1}, session_id=sid, epoch=3,
                         forgotten={"s1": [3]})
    assert answered(after_forget) == {}

    # A partition added to the session is answered once, then only when it changes.
    added = fetch(address, {("s2", 1): 0}, session_id=sid, epoch=4)
    assert list(answered(added)) == [("s2", 1)]
    assert answered(fetch(address, {}, session_id=sid, epoch=5)) == {}

    # Errors: a replayed epoch, then closing (epoch -1) and using the closed session.
    stale = fetch(address, {}, session_id=sid, epoch=5)
    assert (stale.error_code, stale.session_id, stale.responses) == (
        E.INVALID_FETCH_SESSION_EPOCH, 0, [])
    closed = fetch(address, {("s1", 0): 0}, session_id=sid, epoch=-1)
    assert closed.error_code == E.NONE and closed.session_id == 0
    assert list(answered(closed)) == [("s1", 0)]
    gone = fetch(address, {}, session_id=sid, epoch=6)
    assert (gone.error_code, gone.responses) == (E.FETCH_SESSION_ID_NOT_FOUND, [])


def test_unknown_session_id_and_topic_id_mismatch(broker: Any, topics: Any) -> None:
    address = broker.address
    missing = fetch(address, {}, session_id=12345, epoch=1)
    assert (missing.error_code, missing.session_id) == (E.FETCH_SESSION_ID_NOT_FOUND, 0)
    by_name = fetch(address, {("s2", 0): 0}, epoch=0)
    assert by_name.session_id != 0
    mixed = fetch(address, {}, session_id=by_name.session_id, epoch=1, version=13)
    assert mixed.error_code == E.FETCH_SESSION_TOPIC_ID_ERROR
    fetch(address, {}, session_id=by_name.session_id, epoch=-1)


def test_a_full_cache_evicts_a_smaller_session_for_a_bigger_one(broker: Any, topics: Any) -> None:
    address = broker.address
    small = [fetch(address, {("s2", 0): 0}, epoch=0).session_id for _ in range(2)]
    assert all(small)
    # Cache full (2 slots) and nothing stale: a session no bigger gets no id ...
    same = fetch(address, {("s2", 1): 0}, epoch=0)
    assert same.error_code == E.NONE and same.session_id == 0
    assert list(answered(same)) == [("s2", 1)]  # ... but is still answered in full
    # ... a bigger one evicts the smallest, whose next incremental fetch is refused.
    big = fetch(address, {("s1", p): 0 for p in range(4)}, epoch=0)
    assert big.session_id != 0
    refused = [fetch(address, {}, session_id=sid, epoch=1).error_code for sid in small]
    assert sorted(refused) == [E.NONE, E.FETCH_SESSION_ID_NOT_FOUND]
    # Starting over with a full fetch (epoch 0) works: nothing is lost, only bandwidth.
    again = fetch(address, {("s1", 0): 0}, epoch=0)
    assert set(answered(again)) == {("s1", 0)}
    for sid in (big.session_id, again.session_id, *small):
        fetch(address, {}, session_id=sid, epoch=-1)


def test_cache_evicts_a_stale_session_first() -> None:
    now = [0.0]
    cache = FetchSessionCache(max_slots=2, eviction_ms=1000, clock=lambda: now[0])
    parts = {("t", p): CachedPartition(0, BIG) for p in range(5)}
    first = cache.create(dict(parts), uses_topic_ids=False)
    now[0] = 0.5
    second = cache.create({("t", 0): CachedPartition(0, BIG)}, uses_topic_ids=False)
    assert first and second and len(cache) == 2
    now[0] = 1.2  # first unused for 1.2 s >= 1 s: stale, evicted though it is the bigger
    third = cache.create({("t", 1): CachedPartition(0, BIG)}, uses_topic_ids=False)
    assert third is not None and cache.get(first.id) is None and cache.get(second.id) is second
    assert cache.evictions == 1
    assert FetchSessionCache(max_slots=0, eviction_ms=0).create(dict(parts), False) is None


# -- topic ids ------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [13, 14, 15, 16, 17, 18])
def test_produce_and_fetch_by_topic_id(broker: Any, topics: Any, version: int) -> None:
    address = broker.address
    topic_id = topics["ids"]
    answer = produce(address, topic_id, 1, b"by-id-%d" % version, version=13)
    assert answer.topic_id == topic_id
    [part] = answer.partition_responses
    assert part.error_code == E.NONE
    response = fetch(address, {(topic_id, 1): part.base_offset}, version=version)
    [topic] = response.responses
    assert topic.topic_id == topic_id
    [got] = topic.partitions
    assert got.error_code == E.NONE and got.high_watermark == part.base_offset + 1
    assert (b"by-id-%d" % version) in bytes(got.records)


def test_unknown_topic_id(broker: Any, topics: Any) -> None:
    address = broker.address
    answer = produce(address, UNKNOWN_ID, 0, b"x", version=13)
    assert answer.topic_id == UNKNOWN_ID
    assert [p.error_code for p in answer.partition_responses] == [E.UNKNOWN_TOPIC_ID]
    response = fetch(address, {(UNKNOWN_ID, 0): 0}, version=18)
    [topic] = response.responses
    assert topic.topic_id == UNKNOWN_ID
    assert [p.error_code for p in topic.partitions] == [E.UNKNOWN_TOPIC_ID]


def test_sessions_by_topic_id(broker: Any, topics: Any) -> None:
    address = broker.address
    topic_id = topics["ids"]
    full = fetch(address, {(topic_id, 0): 0, (topic_id, 1): 0}, epoch=0, version=18)
    assert full.session_id != 0 and len(answered(full, by_id=True)) == 2
    ends = {(topic_id, p.partition_index): p.high_watermark for p in full.responses[0].partitions}
    caught_up = fetch(address, ends, session_id=full.session_id, epoch=1, version=18)
    assert answered(caught_up, by_id=True) == {}
    produce(address, topic_id, 0, b"new", version=13)
    delta = fetch(address, {}, session_id=full.session_id, epoch=2, version=18)
    assert list(answered(delta, by_id=True)) == [(topic_id, 0)]
    fetch(address, {}, session_id=full.session_id, epoch=-1, version=18)


def test_offset_commit_and_fetch_v10_by_topic_id(broker: Any, topics: Any) -> None:
    address = broker.address
    topic_id = topics["ids"]
    commit = call(address, ApiKey.OFFSET_COMMIT, 10, OffsetCommitRequest(
        group_id="g-v10", topics=[
            OffsetCommitRequestTopic(topic_id=topic_id, partitions=[
                OffsetCommitRequestPartition(partition_index=1, committed_offset=7,
                                             committed_metadata="m")]),
            OffsetCommitRequestTopic(topic_id=UNKNOWN_ID, partitions=[
                OffsetCommitRequestPartition(partition_index=0, committed_offset=1)]),
        ]))
    assert [(t.topic_id, [p.error_code for p in t.partitions]) for t in commit.topics] == [
        (topic_id, [E.NONE]), (UNKNOWN_ID, [E.UNKNOWN_TOPIC_ID])]
    fetched = call(address, ApiKey.OFFSET_FETCH, 10, OffsetFetchRequest(groups=[
        OffsetFetchRequestGroup(group_id="g-v10", topics=[
            OffsetFetchRequestGroupTopic(topic_id=topic_id, partition_indexes=[1]),
            OffsetFetchRequestGroupTopic(topic_id=UNKNOWN_ID, partition_indexes=[0]),
        ])]))
    [group] = fetched.groups
    got = {t.topic_id: [(p.partition_index, p.committed_offset, p.metadata, p.error_code)
                        for p in t.partitions] for t in group.topics}
    assert got == {topic_id: [(1, 7, "m", E.NONE)], UNKNOWN_ID: [(0, -1, "", E.UNKNOWN_TOPIC_ID)]}
    everything = call(address, ApiKey.OFFSET_FETCH, 10, OffsetFetchRequest(groups=[
        OffsetFetchRequestGroup(group_id="g-v10", topics=None)]))
    [group] = everything.groups
    assert [(t.topic_id, [p.committed_offset for p in t.partitions]) for t in group.topics] == [
        (topic_id, [7])]


@pytest.mark.parametrize(("version", "timestamp"), [(9, -5), (11, -5), (11, -6)])
def test_list_offsets_tiered_timestamps_without_remote_storage(
    broker: Any, topics: Any, version: int, timestamp: int
) -> None:
    request = ListOffsetsRequest(replica_id=-1, timeout_ms=1000, topics=[ListOffsetsTopic(
        name="s1", partitions=[ListOffsetsPartition(partition_index=0, timestamp=timestamp)])])
    [topic] = call(broker.address, ApiKey.LIST_OFFSETS, version, request).topics
    [part] = topic.partitions
    assert (part.error_code, part.offset, part.timestamp) == (E.NONE, -1, -1)


def test_metadata_v13_has_a_top_level_error_code(broker: Any, topics: Any) -> None:
    response = call(broker.address, ApiKey.METADATA, 13, MetadataRequest(topics=None))
    assert response.error_code == E.NONE
    assert {t.name: t.topic_id for t in response.topics if t.name in topics} == topics


def test_a_session_slot_count_of_zero_disables_sessions(tmp_path: Path) -> None:
    with running_broker(tmp_path / "data", **{"max.incremental.fetch.session.cache.slots": "0"}
                        ) as running:
        create_topic(running.address, "z")
        response = fetch(running.address, {("z", 0): 0}, epoch=0)
        assert response.error_code == E.NONE and response.session_id == 0
