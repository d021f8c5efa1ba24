"""The transaction APIs through their handlers, with a RequestContext and no socket:
InitProducerId with a transactional id, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
TxnOffsetCommit, the Produce-side verification, read_committed fetches (last stable
offset, aborted transactions, long polls woken by markers), the admin views, and a restart
in the middle of a transaction."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.cluster import TRANSACTION_KEY, Cluster
from kafkalite.config import BrokerConfig
from kafkalite.handlers import HANDLERS
from kafkalite.handlers.context import RequestContext
from kafkalite.protocol.connection import Request
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.add_offsets_to_txn import AddOffsetsToTxnRequest
from kafkalite.protocol.messages.add_partitions_to_txn import (
    AddPartitionsToTxnRequest,
    AddPartitionsToTxnTopic,
    AddPartitionsToTxnTransaction,
)
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.describe_producers import (
    DescribeProducersRequest,
    DescribeProducersTopicRequest,
)
from kafkalite.protocol.messages.describe_transactions import DescribeTransactionsRequest
from kafkalite.protocol.messages.end_txn import EndTxnRequest
from kafkalite.protocol.messages.fetch import FetchPartition, FetchRequest, FetchTopic
from kafkalite.protocol.messages.init_producer_id import InitProducerIdRequest
from kafkalite.protocol.messages.list_offsets import (
    ListOffsetsPartition,
    ListOffsetsRequest,
    ListOffsetsTopic,
)
from kafkalite.protocol.messages.list_transactions import ListTransactionsRequest
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
from kafkalite.protocol.messages.txn_offset_commit import (
    TxnOffsetCommitRequest,
    TxnOffsetCommitRequestPartition,
    TxnOffsetCommitRequestTopic,
)
from kafkalite.protocol.record_codec import Record, encode_batch
from kafkalite.runtime.waiters import PartitionWaiters

E = ErrorCode
TOPIC = "t"
TXN = "txn-a"
GROUP = "g"
READ_COMMITTED, READ_UNCOMMITTED = 1, 0
from tests.unit.server.kafka_wire import api_versions_request


class Env:
    """A cluster opened in a temp dir; ``call`` runs one handler on a node."""

    def __init__(self, data_dir: Path, brokers: int = 1) -> None:
        config = BrokerConfig(host="127.0.0.1", port=0, data_dir=data_dir, brokers=brokers).with_properties({
            "num.partitions": "3",
            "offsets.topic.num.partitions": "1",
            "transaction.state.log.num.partitions": "1",
        })
        self.cluster = Cluster(config)
        self.cluster.open()
        self.waiters = PartitionWaiters()
        self.cluster.partition_listeners.append(self.waiters.wake)
        if self.cluster.partition(TOPIC, 0) is None:
            self.cluster.auto_create_topic(TOPIC)

    def close(self) -> None:
        self.cluster.close()

    @property
    def coordinator_node(self) -> int:
        node = self.cluster.coordinator(TRANSACTION_KEY, TXN)
        assert node is not None
        return node.id

    async def acall(self, key: ApiKey, version: int, body: Any, node: int | None = None) -> Any:
        node_id = self.coordinator_node if node is None else node
        request = Request(api_key=key, api_version=version, header=None, body=body, size=0)  # type: ignore[arg-type]
        ctx = RequestContext(
            node=self.cluster.nodes[node_id], cluster=self.cluster, request=request, waiters=self.waiters
        )
        return await HANDLERS[key].fn(ctx, body)

    def call(self, key: ApiKey, version: int, body: Any, node: int | None = None) -> Any:
        return asyncio.run(self.acall(key, version, body, node))

    # -- the producer's side ---------------------------------------------------------------

    def init(self, version: int = 4, txn: str = TXN, **fields: Any) -> Any:
        body = InitProducerIdRequest(transactional_id=txn, transaction_timeout_ms=60_000, **fields)
        return self.call(ApiKey.INIT_PRODUCER_ID, version, body)

    def add(self, pid: int, epoch: int, partitions: list[int], version: int = 3, topic: str = TOPIC) -> dict[int, int]:
        body = AddPartitionsToTxnRequest(
            transactional_id=TXN, producer_id=pid, producer_epoch=epoch,
            topics=[AddPartitionsToTxnTopic(name=topic, partitions=partitions)],
        )
        response = self.call(ApiKey.ADD_PARTITIONS_TO_TXN, version, body)
        return {
            r.partition_index: r.partition_error_code
            for t in response.results_by_topic for r in t.results_by_partition
        }

    def produce(self, pid: int, epoch: int, partition: int, seq: int, values: list[bytes],
                version: int = 9, transactional: bool = True) -> Any:
        batch = encode_batch(
            [Record(offset=i, timestamp=int(time.time() * 1000), key=None, value=v) for i, v in enumerate(values)],
            attributes=0x10 if transactional else 0, producer_id=pid, producer_epoch=epoch, base_sequence=seq,
        )
        body = ProduceRequest(
            transactional_id=TXN if transactional else None, acks=-1, timeout_ms=5000,
            topic_data=[ProduceTopicData(name=TOPIC, partition_data=[ProducePartitionData(index=partition, records=batch)])],
        )
        response = self.call(ApiKey.PRODUCE, version, body, node=self.leader(partition))
        return response.responses[0].partition_responses[0]

    def end(self, pid: int, epoch: int, commit: bool, version: int = 3) -> Any:
        body = EndTxnRequest(transactional_id=TXN, producer_id=pid, producer_epoch=epoch, committed=commit)
        return self.call(ApiKey.END_TXN, version, body)

    # -- the consumer's side ---------------------------------------------------------------

    def leader(self, partition: int, topic: str = TOPIC) -> int:
        return self.cluster.leader_of(topic, partition)

    def fetch_request(self, partition: int, isolation: int, offset: int = 0, wait_ms: int = 0) -> FetchRequest:
        return FetchRequest(
            replica_id=-1, max_wait_ms=wait_ms, min_bytes=1, max_bytes=1 << 20, isolation_level=isolation,
            topics=[FetchTopic(topic=TOPIC, partitions=[
                FetchPartition(partition=partition, fetch_offset=offset, partition_max_bytes=1 << 20)
            ])],
        )

    def fetch(self, partition: int, isolation: int, offset: int = 0) -> Any:
        response = self.call(ApiKey.FETCH, 11, self.fetch_request(partition, isolation, offset), node=self.leader(partition))
        return response.responses[0].partitions[0]

    def latest(self, partition: int, isolation: int) -> int:
        body = ListOffsetsRequest(replica_id=-1, isolation_level=isolation, topics=[
            ListOffsetsTopic(name=TOPIC, partitions=[ListOffsetsPartition(partition_index=partition, timestamp=-1)])
        ])
        response = self.call(ApiKey.LIST_OFFSETS, 5, body, node=self.leader(partition))
        return response.topics[0].partitions[0].offset


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    made = Env(tmp_path / "data")
    try:
        yield made
    finally:
        made.close()


def begin(env: Env, partitions: list[int]) -> tuple[int, int]:
    response = env.init()
    assert response.error_code == E.NONE
    pid, epoch = response.producer_id, response.producer_epoch
    assert env.add(pid, epoch, partitions) == dict.fromkeys(partitions, E.NONE)
    return pid, epoch


def records_in(part: Any) -> bytes:
    """The bytes a fetch returned for a partition (read through its file slice)."""
    import os

    records = part.records
    if not records:
        return b""
    return os.pread(records.fd, records.length, records.position)


# ------------------------------------------------------------------------ InitProducerId


def test_init_producer_id_keeps_the_id_and_bumps_the_epoch(env: Env) -> None:
    first = env.init()
    second = env.init()
    assert (first.error_code, first.producer_epoch) == (E.NONE, 0)
    assert (second.error_code, second.producer_id, second.producer_epoch) == (E.NONE, first.producer_id, 1)


def test_init_producer_id_without_transactional_id_is_idempotent_only(env: Env) -> None:
    response = env.call(ApiKey.INIT_PRODUCER_ID, 4, InitProducerIdRequest(transaction_timeout_ms=1))
    assert (response.error_code, response.producer_epoch) == (E.NONE, 0)


def test_transaction_timeout_over_the_maximum(env: Env) -> None:
    body = InitProducerIdRequest(transactional_id=TXN, transaction_timeout_ms=900_001)
    response = env.call(ApiKey.INIT_PRODUCER_ID, 4, body)
    assert (response.error_code, response.producer_id, response.producer_epoch) == (
        E.INVALID_TRANSACTION_TIMEOUT, -1, -1)


def test_only_the_coordinator_answers(tmp_path: Path) -> None:
    env = Env(tmp_path / "data", brokers=2)
    try:
        other = next(n for n in env.cluster.nodes if n != env.coordinator_node)
        body = InitProducerIdRequest(transactional_id=TXN, transaction_timeout_ms=60_000)
        assert env.call(ApiKey.INIT_PRODUCER_ID, 4, body, node=other).error_code == E.NOT_COORDINATOR
        end = EndTxnRequest(transactional_id=TXN, producer_id=0, producer_epoch=0, committed=True)
        assert env.call(ApiKey.END_TXN, 3, end, node=other).error_code == E.NOT_COORDINATOR
        assert env.call(ApiKey.INIT_PRODUCER_ID, 4, body).error_code == E.NONE
    finally:
        env.close()


def test_a_new_instance_fences_an_open_transaction(env: Env) -> None:
    pid, epoch = begin(env, [0])
    assert env.produce(pid, epoch, 0, 0, [b"a"]).error_code == E.NONE
    assert env.init().error_code == E.CONCURRENT_TRANSACTIONS  # aborted, then retried
    retried = env.init()
    assert retried.error_code == E.NONE and retried.producer_epoch > epoch
    assert env.fetch(0, READ_COMMITTED).aborted_transactions[0].producer_id == pid
    # the fenced instance: PRODUCER_FENCED from v2, INVALID_PRODUCER_EPOCH before (KIP-588)
    assert env.end(pid, epoch, commit=True, version=3).error_code == E.PRODUCER_FENCED
    assert env.end(pid, epoch, commit=True, version=1).error_code == E.INVALID_PRODUCER_EPOCH
    assert env.produce(pid, epoch, 0, 1, [b"b"]).error_code == E.INVALID_PRODUCER_EPOCH


# ------------------------------------------------------------------------ commit and abort


def test_commit_moves_the_last_stable_offset(env: Env) -> None:
    pid, epoch = begin(env, [0, 1])
    assert env.produce(pid, epoch, 0, 0, [b"a", b"b"]).error_code == E.NONE
    assert env.produce(pid, epoch, 1, 0, [b"c"]).error_code == E.NONE
    open_fetch = env.fetch(0, READ_COMMITTED)
    assert (open_fetch.high_watermark, open_fetch.last_stable_offset) == (2, 0)
    assert records_in(open_fetch) == b"" and open_fetch.aborted_transactions == []
    assert env.fetch(0, READ_UNCOMMITTED).aborted_transactions is None
    assert (env.latest(0, READ_UNCOMMITTED), env.latest(0, READ_COMMITTED)) == (2, 0)

    response = env.end(pid, epoch, commit=True)
    assert response.error_code == E.NONE
    done = env.fetch(0, READ_COMMITTED)
    assert (done.high_watermark, done.last_stable_offset) == (3, 3)  # records + COMMIT marker
    assert b"a" in records_in(done) and done.aborted_transactions == []
    assert env.latest(1, READ_COMMITTED) == 2
    assert env.end(pid, epoch, commit=True).error_code == E.NONE  # a retry
    assert env.end(pid, epoch, commit=False).error_code == E.INVALID_TXN_STATE


def test_abort_is_reported_to_read_committed_fetches(env: Env) -> None:
    pid, epoch = begin(env, [0])
    env.produce(pid, epoch, 0, 0, [b"a", b"b"])
    assert env.end(pid, epoch, commit=False).error_code == E.NONE
    part = env.fetch(0, READ_COMMITTED)
    assert [(a.producer_id, a.first_offset) for a in part.aborted_transactions] == [(pid, 0)]
    assert part.last_stable_offset == 3
    # a fetch from past the aborted transaction gets none of it
    assert env.fetch(0, READ_COMMITTED, offset=3).aborted_transactions == []


def test_end_txn_v5_answers_the_current_id_and_epoch(env: Env) -> None:
    pid, epoch = begin(env, [0])
    response = env.end(pid, epoch, commit=True, version=5)
    assert (response.error_code, response.producer_id, response.producer_epoch) == (E.NONE, pid, epoch)


def test_read_committed_long_poll_wakes_on_the_marker(env: Env) -> None:
    pid, epoch = begin(env, [0])
    env.produce(pid, epoch, 0, 0, [b"a"])

    async def scenario() -> tuple[Any, float]:
        started = time.monotonic()
        poll = asyncio.ensure_future(env.acall(
            ApiKey.FETCH, 11, env.fetch_request(0, READ_COMMITTED, wait_ms=10_000), node=env.leader(0)))
        await asyncio.sleep(0.05)
        assert not poll.done()
        body = EndTxnRequest(transactional_id=TXN, producer_id=pid, producer_epoch=epoch, committed=True)
        assert (await env.acall(ApiKey.END_TXN, 3, body)).error_code == E.NONE
        response = await asyncio.wait_for(poll, 5)
        return response, time.monotonic() - started

    response, waited = asyncio.run(scenario())
    assert waited < 5
    assert response.responses[0].partitions[0].last_stable_offset == 2


# ------------------------------------------------------------------------ Produce verification


@pytest.mark.parametrize(("version", "error"), [(9, E.INVALID_TXN_STATE), (11, E.TRANSACTION_ABORTABLE)])
def test_produce_to_a_partition_outside_the_transaction(env: Env, version: int, error: ErrorCode) -> None:
    pid, epoch = begin(env, [0])
    assert env.produce(pid, epoch, 1, 0, [b"x"], version=version).error_code == error
    assert env.fetch(1, READ_UNCOMMITTED).high_watermark == 0


def test_plain_and_control_batches(env: Env) -> None:
    pid = env.call(ApiKey.INIT_PRODUCER_ID, 4, InitProducerIdRequest(transaction_timeout_ms=1)).producer_id
    assert env.produce(pid, 0, 0, 0, [b"plain"], transactional=False).error_code == E.NONE
    batch = bytearray(encode_batch([Record(offset=0, timestamp=0, key=b"\0\0\0\1", value=b"")], attributes=0x30,
                                   producer_id=pid, producer_epoch=0))
    body = ProduceRequest(acks=-1, timeout_ms=1000, topic_data=[
        ProduceTopicData(name=TOPIC, partition_data=[ProducePartitionData(index=0, records=batch)])])
    part = env.call(ApiKey.PRODUCE, 9, body, node=env.leader(0)).responses[0].partition_responses[0]
    assert part.error_code == E.INVALID_RECORD


# ------------------------------------------------------------------------ AddPartitionsToTxn


def test_unknown_partitions_add_nothing(env: Env) -> None:
    pid, epoch = begin(env, [0])
    errors = env.add(pid, epoch, [1, 99])
    assert errors == {1: E.OPERATION_NOT_ATTEMPTED, 99: E.UNKNOWN_TOPIC_OR_PARTITION}
    assert env.produce(pid, epoch, 1, 0, [b"x"]).error_code == E.INVALID_TXN_STATE


def test_add_partitions_errors_by_version(env: Env) -> None:
    pid, epoch = begin(env, [0])
    env.init()  # a new epoch: the old one is fenced
    assert env.add(pid, epoch, [1], version=1) == {1: E.INVALID_PRODUCER_EPOCH}
    assert env.add(pid, epoch, [1], version=2) == {1: E.PRODUCER_FENCED}
    assert env.add(pid + 1000, epoch, [1]) == {1: E.INVALID_PRODUCER_ID_MAPPING}


def test_batched_add_partitions_and_verify_only(env: Env) -> None:
    pid, epoch = begin(env, [0])
    body = AddPartitionsToTxnRequest(transactions=[
        AddPartitionsToTxnTransaction(
            transactional_id=TXN, producer_id=pid, producer_epoch=epoch, verify_only=True,
            topics=[AddPartitionsToTxnTopic(name=TOPIC, partitions=[0, 1])],
        ),
    ])
    response = env.call(ApiKey.ADD_PARTITIONS_TO_TXN, 4, body)
    (result,) = response.results_by_transaction
    assert result.transactional_id == TXN
    assert {r.partition_index: r.partition_error_code for r in result.topic_results[0].results_by_partition} == {
        0: E.NONE, 1: E.TRANSACTION_ABORTABLE}


# ------------------------------------------------------------------------ offsets in a transaction


def txn_offset_commit(env: Env, pid: int, epoch: int, offset: int, version: int = 3) -> int:
    body = TxnOffsetCommitRequest(
        transactional_id=TXN, group_id=GROUP, producer_id=pid, producer_epoch=epoch,
        topics=[TxnOffsetCommitRequestTopic(name=TOPIC, partitions=[
            TxnOffsetCommitRequestPartition(partition_index=0, committed_offset=offset)])],
    )
    response = env.call(ApiKey.TXN_OFFSET_COMMIT, version, body, node=env.cluster.coordinator(0, GROUP).id)
    return response.topics[0].partitions[0].error_code


def committed(env: Env, require_stable: bool = False) -> tuple[int, int]:
    body = OffsetFetchRequest(groups=[OffsetFetchRequestGroup(group_id=GROUP, topics=[
        OffsetFetchRequestGroupTopic(name=TOPIC, partition_indexes=[0])])], require_stable=require_stable)
    response = env.call(ApiKey.OFFSET_FETCH, 8, body, node=env.cluster.coordinator(0, GROUP).id)
    part = response.groups[0].topics[0].partitions[0]
    return part.error_code, part.committed_offset


def test_txn_offsets_commit_with_the_transaction(env: Env) -> None:
    pid, epoch = begin(env, [0])
    assert txn_offset_commit(env, pid, epoch, 5) == E.INVALID_TXN_STATE  # no AddOffsetsToTxn yet
    body = AddOffsetsToTxnRequest(transactional_id=TXN, producer_id=pid, producer_epoch=epoch, group_id=GROUP)
    assert env.call(ApiKey.ADD_OFFSETS_TO_TXN, 2, body).error_code == E.NONE
    assert txn_offset_commit(env, pid, epoch, 5) == E.NONE
    assert committed(env) == (E.NONE, -1)
    assert committed(env, require_stable=True) == (E.UNSTABLE_OFFSET_COMMIT, -1)
    assert env.end(pid, epoch, commit=True).error_code == E.NONE
    assert committed(env, require_stable=True) == (E.NONE, 5)


def test_txn_offsets_are_dropped_on_abort(env: Env) -> None:
    pid, epoch = begin(env, [0])
    body = AddOffsetsToTxnRequest(transactional_id=TXN, producer_id=pid, producer_epoch=epoch, group_id=GROUP)
    assert env.call(ApiKey.ADD_OFFSETS_TO_TXN, 0, body).error_code == E.NONE
    assert txn_offset_commit(env, pid, epoch, 7, version=0) == E.NONE
    assert env.end(pid, epoch, commit=False).error_code == E.NONE
    assert committed(env, require_stable=True) == (E.NONE, -1)
    assert txn_offset_commit(env, pid, epoch - 1, 7) == E.INVALID_PRODUCER_EPOCH


# ------------------------------------------------------------------------ admin views


def test_describe_and_list_transactions(env: Env) -> None:
    pid, epoch = begin(env, [0, 2])
    body = DescribeTransactionsRequest(transactional_ids=[TXN, "nobody"])
    ours, unknown = env.call(ApiKey.DESCRIBE_TRANSACTIONS, 0, body).transaction_states
    assert (ours.error_code, ours.transaction_state, ours.producer_id, ours.producer_epoch) == (
        E.NONE, "Ongoing", pid, epoch)
    assert [(t.topic, t.partitions) for t in ours.topics] == [(TOPIC, [0, 2])]
    assert unknown.error_code == E.TRANSACTIONAL_ID_NOT_FOUND

    listed = env.call(ApiKey.LIST_TRANSACTIONS, 2, ListTransactionsRequest(state_filters=["Ongoing", "Bogus"]))
    assert listed.unknown_state_filters == ["Bogus"]
    assert [(s.transactional_id, s.transaction_state) for s in listed.transaction_states] == [(TXN, "Ongoing")]
    none = env.call(ApiKey.LIST_TRANSACTIONS, 2, ListTransactionsRequest(transactional_id_pattern="other.*"))
    assert none.transaction_states == []
    bad = env.call(ApiKey.LIST_TRANSACTIONS, 2, ListTransactionsRequest(transactional_id_pattern="(["))
    assert bad.error_code == E.INVALID_REGULAR_EXPRESSION


def test_describe_producers_shows_the_open_transaction(env: Env) -> None:
    pid, epoch = begin(env, [0])
    env.produce(pid, epoch, 0, 0, [b"a", b"b"])
    body = DescribeProducersRequest(topics=[DescribeProducersTopicRequest(name=TOPIC, partition_indexes=[0, 7])])
    response = env.call(ApiKey.DESCRIBE_PRODUCERS, 0, body, node=env.leader(0))
    found, missing = response.topics[0].partitions
    (state,) = found.active_producers
    assert (state.producer_id, state.producer_epoch, state.last_sequence, state.current_txn_start_offset) == (
        pid, epoch, 1, 0)
    assert missing.error_code == E.UNKNOWN_TOPIC_OR_PARTITION


def test_transactions_v2_is_not_advertised(env: Env) -> None:
    response = env.call(ApiKey.API_VERSIONS, 3, api_versions_request())
    assert all(f.name != "transaction.version" for f in response.finalized_features)
    ranges = {k.api_key: (k.min_version, k.max_version) for k in response.api_keys}
    assert ranges[ApiKey.END_TXN] == (0, 5) and ranges[ApiKey.INIT_PRODUCER_ID] == (0, 5)


# ------------------------------------------------------------------------ restart


def test_restart_keeps_the_transaction_and_a_new_instance_aborts_it(tmp_path: Path) -> None:
    env = Env(tmp_path / "data")
    pid, epoch = begin(env, [0])
    env.produce(pid, epoch, 0, 0, [b"a"])
    env.close()

    env = Env(tmp_path / "data")
    try:
        assert env.fetch(0, READ_COMMITTED).last_stable_offset == 0  # still open
        body = DescribeTransactionsRequest(transactional_ids=[TXN])
        assert env.call(ApiKey.DESCRIBE_TRANSACTIONS, 0, body).transaction_states[0].transaction_state == "Ongoing"
        assert env.init().error_code == E.CONCURRENT_TRANSACTIONS
        again = env.init()
        assert (again.error_code, again.producer_id) == (E.NONE, pid)
        part = env.fetch(0, READ_COMMITTED)
        assert part.last_stable_offset == 2
        assert [(a.producer_id, a.first_offset) for a in part.aborted_transactions] == [(pid, 0)]
    finally:
        env.close()
