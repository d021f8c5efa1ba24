"""Transactions: commit, abort, the last stable offset, fencing and timeouts (KIP-98)."""

from __future__ import annotations

import time

from kafkalite.check.areas.produce import read_back
from kafkalite.check.context import CheckContext
from kafkalite.check.registry import Failed, check, expect, expect_code
from kafkalite.client.records import decode_records
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.add_offsets_to_txn import AddOffsetsToTxnRequest
from kafkalite.protocol.messages.add_partitions_to_txn import (
    AddPartitionsToTxnRequest,
    AddPartitionsToTxnTopic,
)
from kafkalite.protocol.messages.end_txn import EndTxnRequest
from kafkalite.protocol.messages.offset_fetch import (
    OffsetFetchRequest,
    OffsetFetchRequestGroup,
    OffsetFetchRequestGroupTopic,
    OffsetFetchRequestTopic,
)
from kafkalite.protocol.messages.txn_offset_commit import (
    TxnOffsetCommitRequest,
    TxnOffsetCommitRequestPartition,
    TxnOffsetCommitRequestTopic,
)

LATEST = -1
READ_COMMITTED = 1
_RETRY = {
    ErrorCode.CONCURRENT_TRANSACTIONS,
    ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
    ErrorCode.COORDINATOR_NOT_AVAILABLE,
    ErrorCode.NOT_COORDINATOR,
}


class Txn:
    """One transactional producer driven request by request."""

    def __init__(self, ctx: CheckContext, *, timeout_ms: int = 60_000) -> None:
        self.ctx = ctx
        self.id = ctx.unique("txn")
        self.coordinator = ctx.coordinator(self.id, key_type=1)
        self.pid, self.epoch = ctx.producer_id(
            self.id, timeout_ms=timeout_ms, connection=self.coordinator
        )
        self.sequences: dict[tuple[str, int], int] = {}

    def _retrying(self, api: ApiKey, request, version: int):
        deadline = time.monotonic() + 10
        while True:
            response = self.ctx.call(self.coordinator, api, request, version)
            code = _top_code(response)
            if code in _RETRY and time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            return response

    def add_partitions(self, topic: str, partitions: list[int] | None = None) -> int:
        partitions = partitions or [0]
        version = self.ctx.require(ApiKey.ADD_PARTITIONS_TO_TXN, connection=self.coordinator)
        version = min(version, 3)  # v4+ is the broker-to-broker batch form (KIP-890)
        request = AddPartitionsToTxnRequest(
            transactional_id=self.id,
            producer_id=self.pid,
            producer_epoch=self.epoch,
            topics=[AddPartitionsToTxnTopic(name=topic, partitions=partitions)],
        )
        response = self._retrying(ApiKey.ADD_PARTITIONS_TO_TXN, request, version)
        return _top_code(response)

    def produce(self, topic: str, count: int, partition: int = 0, epoch: int | None = None):
        key = (topic, partition)
        sequence = self.sequences.get(key, 0)
        batch = self.ctx.batch(
            count,
            producer_id=self.pid,
            producer_epoch=self.epoch if epoch is None else epoch,
            base_sequence=sequence,
            transactional=True,
        )
        result = self.ctx.produce(topic, batch, partition=partition, transactional_id=self.id)
        if result.error_code == ErrorCode.NONE:
            self.sequences[key] = sequence + count
        return result

    def end(self, commit: bool, epoch: int | None = None) -> int:
        version = self.ctx.require(ApiKey.END_TXN, connection=self.coordinator)
        request = EndTxnRequest(
            transactional_id=self.id,
            producer_id=self.pid,
            producer_epoch=self.epoch if epoch is None else epoch,
            committed=commit,
        )
        return self._retrying(ApiKey.END_TXN, request, version).error_code

    def end_ok(self, commit: bool) -> None:
        expect_code(self.end(commit), ErrorCode.NONE, "EndTxn " + ("commit" if commit else "abort"))


def _top_code(response) -> int:
    code = getattr(response, "error_code", 0)
    if code:
        return code
    for topic in getattr(response, "results_by_topic", None) or []:
        for part in topic.results_by_partition:
            if part.partition_error_code:
                return part.partition_error_code
    for txn in getattr(response, "results_by_transaction", None) or []:
        for topic in txn.topic_results:
            for part in topic.results_by_partition:
                if part.partition_error_code:
                    return part.partition_error_code
    return 0


def wait_lso(ctx: CheckContext, topic: str, expected: int, wait_s: float = 5.0) -> int:
    """The read_committed end offset once it reaches ``expected`` (markers are written after
    EndTxn answers on some brokers), or the last one seen."""
    deadline = time.monotonic() + wait_s
    while True:
        lso = ctx.offset_of(topic, LATEST, isolation_level=READ_COMMITTED, minimum=2)
        if lso >= expected or time.monotonic() >= deadline:
            return lso
        time.sleep(0.05)


@check(
    "transactions",
    "A committed transaction's records are visible to read_committed fetches, "
    "followed by a commit marker (the end offset moves past it).",
    "KIP-98; Kafka TransactionCoordinator.endTransaction; control batches",
)
def commit(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    txn = Txn(ctx)
    expect_code(txn.add_partitions(topic), ErrorCode.NONE, "AddPartitionsToTxn")
    expect_code(txn.produce(topic, 3).error_code, ErrorCode.NONE, "transactional Produce")
    txn.end_ok(True)
    lso = wait_lso(ctx, topic, 4)
    expect(lso == 4, f"read_committed end offset {lso}, expected 4 (3 records + commit marker)")
    _, records = read_back(ctx, topic, isolation_level=READ_COMMITTED)
    expect(
        [r.offset for r in records] == [0, 1, 2],
        f"read_committed saw offsets {[r.offset for r in records]}",
    )


@check(
    "transactions",
    "An aborted transaction's records are hidden from read_committed consumers: "
    "the fetch lists the producer in aborted_transactions with the first offset.",
    "KIP-98; Kafka FetchResponse aborted_transactions; LogSegment / TransactionIndex",
)
def abort(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    txn = Txn(ctx)
    expect_code(txn.add_partitions(topic), ErrorCode.NONE, "AddPartitionsToTxn")
    expect_code(txn.produce(topic, 2).error_code, ErrorCode.NONE, "transactional Produce")
    txn.end_ok(False)
    expect(wait_lso(ctx, topic, 3) == 3, "the abort marker did not move the end offset to 3")
    part = ctx.fetch(topic, 0, isolation_level=READ_COMMITTED)
    aborted = [(a.producer_id, a.first_offset) for a in part.aborted_transactions or []]
    expect(aborted == [(txn.pid, 0)], f"aborted_transactions {aborted}, expected [({txn.pid}, 0)]")
    uncommitted = decode_records(part.records, topic=topic).records
    expect(
        len(uncommitted) == 2,
        "the fetch should still carry the aborted batch for the client to drop",
    )


@check(
    "transactions",
    "While a transaction is open the last stable offset stays at its first "
    "offset: ListOffsets read_committed and Fetch last_stable_offset say so; read_uncommitted "
    "sees the high watermark.",
    "KIP-98; Kafka UnifiedLog.lastStableOffset; ListOffsets v2+",
)
def last_stable_offset(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    ctx.produce_ok(topic, ctx.batch(2))
    txn = Txn(ctx)
    expect_code(txn.add_partitions(topic), ErrorCode.NONE, "AddPartitionsToTxn")
    expect_code(txn.produce(topic, 3).error_code, ErrorCode.NONE, "transactional Produce")
    try:
        lso = ctx.offset_of(topic, LATEST, isolation_level=READ_COMMITTED, minimum=2)
        hw = ctx.offset_of(topic, LATEST)
        expect(
            lso == 2, f"read_committed ListOffsets {lso}, expected 2 (the open transaction's start)"
        )
        expect(hw == 5, f"read_uncommitted ListOffsets {hw}, expected 5")
        part = ctx.fetch(topic, 0, isolation_level=READ_COMMITTED)
        expect(
            part.last_stable_offset == 2,
            f"Fetch last_stable_offset {part.last_stable_offset}, expected 2",
        )
        records = decode_records(part.records, topic=topic).records
        expect(
            all(r.offset < 2 for r in records),
            f"read_committed fetch returned offsets {[r.offset for r in records]} past the LSO",
        )
    finally:
        txn.end(False)


@check(
    "transactions",
    "A second InitProducerId for the same transactional id bumps the epoch and "
    "fences the first producer: its EndTxn gets PRODUCER_FENCED (or INVALID_PRODUCER_EPOCH).",
    "KIP-98; KIP-588; Kafka TransactionCoordinator.handleInitProducerId",
)
def fencing(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    txn = Txn(ctx)
    expect_code(txn.add_partitions(topic), ErrorCode.NONE, "AddPartitionsToTxn")
    expect_code(txn.produce(topic, 1).error_code, ErrorCode.NONE, "transactional Produce")
    pid, epoch = ctx.producer_id(txn.id, connection=txn.coordinator)
    expect(
        pid == txn.pid and epoch > txn.epoch,
        f"second InitProducerId gave {pid}/{epoch}, first {txn.pid}/{txn.epoch}",
    )
    code = txn.end(True)
    expect_code(
        code,
        (ErrorCode.PRODUCER_FENCED, ErrorCode.INVALID_PRODUCER_EPOCH),
        "EndTxn by the fenced producer",
    )
    stale = txn.produce(topic, 1)
    expect_code(
        stale.error_code,
        (ErrorCode.PRODUCER_FENCED, ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.INVALID_TXN_STATE),
        "Produce by the fenced producer",
    )
    expect(wait_lso(ctx, topic, 2) == 2, "the open transaction was not aborted by the new epoch")


@check(
    "transactions",
    "InitProducerId v3+ for a transactional id with its current producer id "
    "and epoch bumps the epoch and keeps the id (recovering from an abortable error); the same "
    "request retried answers the same id and epoch, not a second bump.",
    "KIP-360; Kafka TransactionCoordinator.handleInitProducerId",
)
def init_bumps_epoch(ctx: CheckContext) -> None:
    txn = Txn(ctx)
    ctx.require(ApiKey.INIT_PRODUCER_ID, minimum=3, connection=txn.coordinator)
    pid, epoch = ctx.producer_id(
        txn.id, producer_id=txn.pid, producer_epoch=txn.epoch, connection=txn.coordinator
    )
    expect(
        (pid, epoch) == (txn.pid, txn.epoch + 1),
        f"InitProducerId with {txn.pid}/{txn.epoch} gave {pid}/{epoch}, expected {txn.pid}/{txn.epoch + 1}",
    )
    retry = ctx.init_producer_id(
        txn.id, producer_id=txn.pid, producer_epoch=txn.epoch, connection=txn.coordinator
    )
    expect_code(
        retry.error_code, ErrorCode.NONE, "a retried InitProducerId with the pre-bump epoch"
    )
    expect(
        (retry.producer_id, retry.producer_epoch) == (pid, epoch),
        f"the retried bump answered {retry.producer_id}/{retry.producer_epoch}, expected the same {pid}/{epoch}",
    )


@check(
    "transactions",
    "A transaction idle past its transaction_timeout_ms is aborted by the "
    "coordinator: the LSO moves past it and the producer's next EndTxn is fenced.",
    "KIP-98; Kafka TransactionCoordinator.abortTimedOutTransactions "
    "(transaction.abort.timed.out.transaction.cleanup.interval.ms)",
    timeout_s=40,
)
def timeout_aborts(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    txn = Txn(ctx, timeout_ms=1000)
    expect_code(txn.add_partitions(topic), ErrorCode.NONE, "AddPartitionsToTxn")
    expect_code(txn.produce(topic, 1).error_code, ErrorCode.NONE, "transactional Produce")
    lso = wait_lso(ctx, topic, 2, wait_s=30)
    expect(lso == 2, f"read_committed end offset still {lso} 30 s after a 1 s transaction timeout")
    code = txn.end(True)
    expect_code(
        code,
        (ErrorCode.PRODUCER_FENCED, ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.INVALID_TXN_STATE),
        "EndTxn commit after the timeout abort",
    )


@check(
    "transactions",
    "InitProducerId with a transaction timeout above transaction.max.timeout.ms "
    "is rejected with INVALID_TRANSACTION_TIMEOUT.",
    "KIP-98; Kafka TransactionCoordinator.handleInitProducerId",
)
def invalid_timeout(ctx: CheckContext) -> None:
    txn_id = ctx.unique("txn")
    response = ctx.init_producer_id(txn_id, timeout_ms=2**31 - 1)
    expect_code(
        response.error_code,
        ErrorCode.INVALID_TRANSACTION_TIMEOUT,
        "InitProducerId timeout 2^31-1 ms",
    )


@check(
    "transactions",
    "EndTxn for a transactional id that has not started a transaction answers INVALID_TXN_STATE.",
    "Kafka TransactionCoordinator.endTransaction (Empty state)",
)
def end_without_transaction(ctx: CheckContext) -> None:
    txn = Txn(ctx)
    version = ctx.require(ApiKey.END_TXN, connection=txn.coordinator)
    code = txn.end(True)
    if version >= 5 and code == ErrorCode.NONE:
        return  # KIP-890 part 2: an empty commit is accepted as a no-op retry
    expect_code(code, ErrorCode.INVALID_TXN_STATE, "EndTxn commit with no transaction")


@check(
    "transactions",
    "Offsets committed in a transaction (AddOffsetsToTxn + TxnOffsetCommit) "
    "become visible to OffsetFetch once the transaction commits.",
    "KIP-98; KIP-447; Kafka GroupCoordinator.handleTxnCommitOffsets",
)
def offsets_in_transaction(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    group = ctx.group_name()
    txn = Txn(ctx)
    version = ctx.require(ApiKey.ADD_OFFSETS_TO_TXN, connection=txn.coordinator)
    response = txn._retrying(
        ApiKey.ADD_OFFSETS_TO_TXN,
        AddOffsetsToTxnRequest(
            transactional_id=txn.id, producer_id=txn.pid, producer_epoch=txn.epoch, group_id=group
        ),
        version,
    )
    expect_code(response.error_code, ErrorCode.NONE, "AddOffsetsToTxn")
    group_conn = ctx.coordinator(group)
    commit_version = ctx.require(ApiKey.TXN_OFFSET_COMMIT, connection=group_conn)
    commit_response = ctx.call(
        group_conn,
        ApiKey.TXN_OFFSET_COMMIT,
        TxnOffsetCommitRequest(
            transactional_id=txn.id,
            group_id=group,
            producer_id=txn.pid,
            producer_epoch=txn.epoch,
            generation_id=-1,
            member_id="",
            topics=[
                TxnOffsetCommitRequestTopic(
                    name=topic,
                    partitions=[
                        TxnOffsetCommitRequestPartition(partition_index=0, committed_offset=17)
                    ],
                )
            ],
        ),
        commit_version,
    )
    expect_code(
        commit_response.topics[0].partitions[0].error_code, ErrorCode.NONE, "TxnOffsetCommit"
    )
    txn.end_ok(True)
    deadline = time.monotonic() + 5
    while True:
        offset = fetch_committed(ctx, group, topic)
        if offset == 17 or time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    expect(offset == 17, f"committed offset {offset} after the commit, expected 17")


def fetch_committed(ctx: CheckContext, group: str, topic: str, partition: int = 0) -> int:
    conn = ctx.coordinator(group)
    version = ctx.require(ApiKey.OFFSET_FETCH, minimum=1, connection=conn)
    if version >= 8:
        request = OffsetFetchRequest(
            groups=[
                OffsetFetchRequestGroup(
                    group_id=group,
                    topics=[
                        OffsetFetchRequestGroupTopic(name=topic, partition_indexes=[partition])
                    ],
                )
            ],
            require_stable=True,
        )
        response = ctx.call(conn, ApiKey.OFFSET_FETCH, request, version)
        group_result = response.groups[0]
        expect_code(group_result.error_code, ErrorCode.NONE, "OffsetFetch")
        parts = [p for t in group_result.topics for p in t.partitions]
    else:
        request = OffsetFetchRequest(
            group_id=group,
            topics=[OffsetFetchRequestTopic(name=topic, partition_indexes=[partition])],
            require_stable=version >= 7,
        )
        response = ctx.call(conn, ApiKey.OFFSET_FETCH, request, version)
        expect_code(response.error_code, ErrorCode.NONE, "OffsetFetch")
        parts = [p for t in response.topics for p in t.partitions]
    if not parts:
        raise Failed("OffsetFetch answered no partition")
    if parts[0].error_code not in (ErrorCode.NONE, ErrorCode.UNSTABLE_OFFSET_COMMIT):
        expect_code(parts[0].error_code, ErrorCode.NONE, "OffsetFetch partition")
    return parts[0].committed_offset


@check(
    "transactions",
    "A transactional Produce to a partition never added with "
    "AddPartitionsToTxn is rejected (Kafka 3.6+ verifies it; KIP-890).",
    "KIP-890 part 1; Kafka ReplicaManager.appendRecords (transaction verification)",
)
def produce_without_add_partitions(ctx: CheckContext) -> None:
    topic = ctx.create_topic()
    txn = Txn(ctx)
    result = txn.produce(topic, 1)
    expect_code(
        result.error_code,
        (
            ErrorCode.INVALID_TXN_STATE,
            ErrorCode.TRANSACTION_ABORTABLE,
            ErrorCode.INVALID_PRODUCER_ID_MAPPING,
        ),
        "transactional Produce to a partition not in the transaction",
    )
