"""The transaction coordinator's state machine, on a fake clock with fake markers:
commit, abort, fencing, KIP-360 retries, concurrent requests and the Produce check."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from kafkalite.internal_topics import partition_for
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.transactions import (
    TopicPartition,
    TransactionConfig,
    TransactionState,
    error_for_version,
)
from kafkalite.transactions.records import decode_key, decode_value

if TYPE_CHECKING:
    from conftest import Harness

S = TransactionState
T0, T1 = TopicPartition("t", 0), TopicPartition("t", 1)
TIMEOUT = 60_000


def _begin(h: Harness, txn: str = "txn", partitions: tuple[TopicPartition, ...] = (T0, T1)) -> tuple[int, int]:
    error, pid, epoch = h.coordinator.init_producer_id(txn, TIMEOUT)
    assert error == E.NONE
    assert h.coordinator.add_partitions(txn, pid, epoch, partitions) == dict.fromkeys(partitions, E.NONE)
    return pid, epoch


def _logged_states(h: Harness, txn: str = "txn") -> list[S]:
    return [
        decode_value(txn, value).state
        for key, value in h.state_log.all_records()
        if value is not None and decode_key(key or b"") == txn
    ]


def test_init_producer_id_creates_and_bumps(harness: Harness) -> None:
    c = harness.coordinator
    assert c.init_producer_id("txn", TIMEOUT) == (E.NONE, 1000, 0)
    assert c.init_producer_id("txn", TIMEOUT) == (E.NONE, 1000, 1)  # the old instance is fenced
    assert _logged_states(harness) == [S.EMPTY, S.EMPTY]
    assert list(harness.state_log.records) == [partition_for("txn", 5)]


@pytest.mark.parametrize("timeout", [0, -1, 900_001])
def test_invalid_transaction_timeout(harness: Harness, timeout: int) -> None:
    assert harness.coordinator.init_producer_id("txn", timeout) == (E.INVALID_TRANSACTION_TIMEOUT, -1, -1)
    assert harness.coordinator.init_producer_id("", TIMEOUT).error_code == E.INVALID_REQUEST


def test_commit_writes_prepare_markers_then_complete(harness: Harness) -> None:
    c = harness.coordinator
    pid, epoch = _begin(harness)
    assert c.metadata("txn").state is S.ONGOING  # type: ignore[union-attr]
    assert c.end_txn("txn", pid, epoch, commit=True) == (E.NONE, pid, epoch)
    assert [(m.commit, m.partition, m.producer_epoch) for m in harness.markers.written] == [
        (True, T0, 0), (True, T1, 0),
    ]
    assert _logged_states(harness) == [S.EMPTY, S.ONGOING, S.PREPARE_COMMIT, S.COMPLETE_COMMIT]
    meta = c.metadata("txn")
    assert meta is not None and meta.state is S.COMPLETE_COMMIT and not meta.partitions
    # A retry of the same EndTxn succeeds; the opposite outcome is refused.
    assert c.end_txn("txn", pid, epoch, commit=True).error_code == E.NONE
    assert c.end_txn("txn", pid, epoch, commit=False).error_code == E.INVALID_TXN_STATE


def test_abort_and_next_transaction(harness: Harness) -> None:
    c = harness.coordinator
    pid, epoch = _begin(harness)
    harness.clock.now += 10
    assert c.end_txn("txn", pid, epoch, commit=False).error_code == E.NONE
    assert {m.commit for m in harness.markers.written} == {False}
    assert c.metadata("txn").state is S.COMPLETE_ABORT  # type: ignore[union-attr]
    # The next transaction starts from CompleteAbort with a new start time.
    harness.clock.now += 10
    assert c.add_partitions("txn", pid, epoch, [T1]) == {T1: E.NONE}
    meta = c.metadata("txn")
    assert meta is not None and meta.start_timestamp_ms == harness.clock.now and meta.partitions == {T1}


def test_end_txn_without_a_transaction(harness: Harness) -> None:
    c = harness.coordinator
    _, pid, epoch = c.init_producer_id("txn", TIMEOUT)
    assert c.end_txn("txn", pid, epoch, commit=True).error_code == E.INVALID_TXN_STATE
    assert c.end_txn("txn", pid + 1, epoch, commit=True).error_code == E.INVALID_PRODUCER_ID_MAPPING
    assert c.end_txn("other", pid, epoch, commit=True).error_code == E.INVALID_PRODUCER_ID_MAPPING
    assert harness.markers.written == []


def test_add_offsets_adds_the_groups_offsets_partition(harness: Harness) -> None:
    c = harness.coordinator
    _, pid, epoch = c.init_producer_id("txn", TIMEOUT)
    assert c.add_offsets("txn", pid, epoch, "group") == E.NONE
    offsets = TopicPartition("__consumer_offsets", partition_for("group", 50))
    assert c.metadata("txn").partitions == {offsets}  # type: ignore[union-attr]
    assert c.end_txn("txn", pid, epoch, commit=True).error_code == E.NONE
    assert [m.partition for m in harness.markers.written] == [offsets]


def test_adding_known_partitions_writes_nothing(harness: Harness) -> None:
    pid, epoch = _begin(harness)
    records = len(harness.state_log.all_records())
    assert harness.coordinator.add_partitions("txn", pid, epoch, [T0]) == {T0: E.NONE}
    assert len(harness.state_log.all_records()) == records


def test_new_instance_fences_and_aborts_the_ongoing_transaction(harness: Harness) -> None:
    c = harness.coordinator
    pid, epoch = _begin(harness)
    # Kafka aborts first and answers CONCURRENT_TRANSACTIONS; the client retries.
    assert c.init_producer_id("txn", TIMEOUT) == (E.CONCURRENT_TRANSACTIONS, -1, -1)
    assert [(m.commit, m.producer_epoch) for m in harness.markers.written] == [(False, 1), (False, 1)]
    assert _logged_states(harness)[-2:] == [S.PREPARE_ABORT, S.COMPLETE_ABORT]
    assert c.init_producer_id("txn", TIMEOUT) == (E.NONE, pid, 2)
    # The old instance is fenced everywhere.
    assert c.add_partitions("txn", pid, epoch, [T0]) == {T0: E.PRODUCER_FENCED}
    assert c.end_txn("txn", pid, epoch, commit=True).error_code == E.PRODUCER_FENCED
    assert c.add_offsets("txn", pid, epoch, "g") == E.PRODUCER_FENCED


def test_kip_360_retry_and_fencing(harness: Harness) -> None:
    c = harness.coordinator
    _, pid, epoch = c.init_producer_id("txn", TIMEOUT)
    # The producer bumps its own epoch after an abortable error...
    assert c.init_producer_id("txn", TIMEOUT, pid, epoch) == (E.NONE, pid, epoch + 1)
    # ...and a retry of that call (the answer was lost) gets the same epoch back.
    assert c.init_producer_id("txn", TIMEOUT, pid, epoch) == (E.NONE, pid, epoch + 1)
    # An epoch that is neither current nor last is fenced, as is another producer id.
    assert c.init_producer_id("txn", TIMEOUT, pid, epoch + 7).error_code == E.PRODUCER_FENCED
    assert c.init_producer_id("txn", TIMEOUT, pid + 50, 0).error_code == E.PRODUCER_FENCED
    # A new instance (no expected epoch) resets the last epoch: the old retry is now fenced.
    assert c.init_producer_id("txn", TIMEOUT) == (E.NONE, pid, epoch + 2)
    assert c.init_producer_id("txn", TIMEOUT, pid, epoch).error_code == E.PRODUCER_FENCED


def test_kip_360_unknown_id_hands_out_a_fresh_producer(harness: Harness) -> None:
    # A producer recovering from UNKNOWN_PRODUCER_ID for an id the coordinator lost.
    assert harness.coordinator.init_producer_id("txn", TIMEOUT, 77, 3) == (E.NONE, 1000, 0)


def test_epoch_exhaustion_rotates_the_producer_id(harness: Harness) -> None:
    c = harness.coordinator
    c.init_producer_id("txn", TIMEOUT)
    meta = c.metadata("txn")
    assert meta is not None
    meta.producer_epoch = 32766  # Short.MaxValue - 1: exhausted
    assert c.init_producer_id("txn", TIMEOUT) == (E.NONE, 1001, 0)
    meta = c.metadata("txn")
    assert meta is not None and meta.previous_producer_id == 1000
    # A KIP-360 retry from the exhausted epoch of the previous id gets the new id.
    meta.last_producer_epoch = 32766
    assert c.init_producer_id("txn", TIMEOUT, 1000, 32766) == (E.NONE, 1001, 0)


def test_concurrent_transactions_while_markers_are_pending(harness: Harness) -> None:
    c = harness.coordinator
    pid, epoch = _begin(harness)
    harness.markers.errors[T1] = E.NOT_LEADER_OR_FOLLOWER  # retriable
    # Kafka answers EndTxn once PrepareCommit is written; markers follow.
    assert c.end_txn("txn", pid, epoch, commit=True).error_code == E.NONE
    meta = c.metadata("txn")
    assert meta is not None and meta.state is S.PREPARE_COMMIT and meta.partitions == {T1}
    assert c.init_producer_id("txn", TIMEOUT).error_code == E.CONCURRENT_TRANSACTIONS
    assert c.add_partitions("txn", pid, epoch, [T0]) == {T0: E.CONCURRENT_TRANSACTIONS}
    assert c.end_txn("txn", pid, epoch, commit=True).error_code == E.CONCURRENT_TRANSACTIONS
    assert c.end_txn("txn", pid, epoch, commit=False).error_code == E.INVALID_TXN_STATE
    assert c.verify(pid, epoch, "t", 1) == E.CONCURRENT_TRANSACTIONS
    # The periodic pass retries the marker and completes the transaction.
    del harness.markers.errors[T1]
    assert c.expire(harness.clock.now) == []
    assert c.metadata("txn").state is S.COMPLETE_COMMIT  # type: ignore[union-attr]
    assert [m.partition for m in harness.markers.written] == [T0, T1]


def test_a_deleted_topic_needs_no_marker(harness: Harness) -> None:
    pid, epoch = _begin(harness)
    harness.markers.errors[T1] = E.UNKNOWN_TOPIC_OR_PARTITION
    assert harness.coordinator.end_txn("txn", pid, epoch, commit=False).error_code == E.NONE
    assert harness.coordinator.metadata("txn").state is S.COMPLETE_ABORT  # type: ignore[union-attr]


def test_failed_append_changes_nothing(harness: Harness) -> None:
    c = harness.coordinator
    pid, epoch = _begin(harness)
    harness.state_log.fail_with = E.KAFKA_STORAGE_ERROR
    assert c.end_txn("txn", pid, epoch, commit=True).error_code == E.NOT_COORDINATOR
    assert c.metadata("txn").state is S.ONGOING  # type: ignore[union-attr]
    harness.state_log.fail_with = E.UNKNOWN_TOPIC_OR_PARTITION
    assert c.init_producer_id("other", TIMEOUT).error_code == E.COORDINATOR_NOT_AVAILABLE
    harness.state_log.fail_with = E.NONE
    assert c.init_producer_id("other", TIMEOUT) == (E.NONE, 1001, 0)  # same id on retry
    assert harness.markers.written == []


def test_timeout_aborts_and_fences(harness: Harness) -> None:
    c = harness.coordinator
    pid, epoch = _begin(harness)
    start = harness.clock.now
    assert c.expire(start + TIMEOUT) == []  # not past the timeout yet
    assert c.expire(start + TIMEOUT + 1) == ["txn"]
    assert [(m.commit, m.producer_epoch) for m in harness.markers.written] == [(False, 1), (False, 1)]
    meta = c.metadata("txn")
    assert meta is not None and meta.state is S.COMPLETE_ABORT and meta.producer_epoch == epoch + 1
    assert c.end_txn("txn", pid, epoch, commit=True).error_code == E.PRODUCER_FENCED
    assert c.verify(pid, epoch, "t", 0) == E.INVALID_PRODUCER_EPOCH


def test_idle_transactional_ids_expire(make: Callable[..., Harness]) -> None:
    h = make(TransactionConfig(transactional_id_expiration_ms=1_000, transaction_state_log_num_partitions=5))
    c = h.coordinator
    _, pid, epoch = c.init_producer_id("idle", TIMEOUT)
    _begin(h, "busy")
    h.clock.now += 1_000
    assert c.expire(h.clock.now) == []  # "busy" is Ongoing but within its timeout
    assert c.metadata("idle") is None and c.metadata("busy") is not None
    assert h.state_log.records[partition_for("idle", 5)][-1] == (b"\x00\x00\x00\x04idle", None)
    assert c.describe(["idle"])[0].error_code == E.TRANSACTIONAL_ID_NOT_FOUND
    assert c.verify(pid, epoch, "t", 0) == E.INVALID_PRODUCER_ID_MAPPING


def test_verify_for_produce(harness: Harness) -> None:
    c = harness.coordinator
    pid, epoch = _begin(harness, partitions=(T0,))
    assert c.verify(pid, epoch, "t", 0) == E.NONE
    assert c.verify(pid, epoch, "t", 1) == E.INVALID_TXN_STATE
    assert c.verify(pid, epoch, "t", 1, abortable=True) == E.TRANSACTION_ABORTABLE
    assert c.verify(pid, epoch + 1, "t", 0) == E.INVALID_PRODUCER_EPOCH
    assert c.verify(pid, epoch, "t", 0, transactional_id="other") == E.INVALID_PRODUCER_ID_MAPPING
    assert c.verify(4242, 0, "t", 0) == E.INVALID_PRODUCER_ID_MAPPING


def test_add_partitions_verify_only(harness: Harness) -> None:
    c = harness.coordinator
    pid, epoch = _begin(harness, partitions=(T0,))
    assert c.add_partitions("txn", pid, epoch, [T0, T1], verify_only=True) == {
        T0: E.NONE, T1: E.TRANSACTION_ABORTABLE,
    }
    assert c.add_partitions("txn", pid, epoch + 1, [T0], verify_only=True) == {T0: E.PRODUCER_FENCED}
    assert c.metadata("txn").partitions == {T0}  # type: ignore[union-attr]


def test_describe_and_list(harness: Harness) -> None:
    c = harness.coordinator
    pid, epoch = _begin(harness)
    _, other_pid, _ = c.init_producer_id("other", TIMEOUT)
    described = c.describe(["txn", "missing", ""])
    assert [d.error_code for d in described] == [E.NONE, E.TRANSACTIONAL_ID_NOT_FOUND, E.INVALID_REQUEST]
    assert described[0].state == "Ongoing" and described[0].topics == {"t": [0, 1]}
    assert (described[0].producer_id, described[0].producer_epoch) == (pid, epoch)
    assert described[0].transaction_start_time_ms == harness.clock.now

    everything = c.list_transactions()
    assert sorted(t.transactional_id for t in everything.transactions) == ["other", "txn"]
    only_ongoing = c.list_transactions(["Ongoing", "Bogus"])
    assert [t.transactional_id for t in only_ongoing.transactions] == ["txn"]
    assert only_ongoing.unknown_state_filters == ["Bogus"]
    assert [t.producer_id for t in c.list_transactions(producer_id_filters=[other_pid]).transactions] == [other_pid]
    harness.clock.now += 500
    assert [t.transactional_id for t in c.list_transactions(["Ongoing"], duration_filter_ms=499).transactions] == ["txn"]
    assert c.list_transactions(["Ongoing"], duration_filter_ms=500).transactions == []


def test_old_versions_get_invalid_producer_epoch() -> None:
    assert error_for_version(E.PRODUCER_FENCED, "InitProducerId", 3) == E.INVALID_PRODUCER_EPOCH
    assert error_for_version(E.PRODUCER_FENCED, "InitProducerId", 4) == E.PRODUCER_FENCED
    assert error_for_version(E.PRODUCER_FENCED, "EndTxn", 1) == E.INVALID_PRODUCER_EPOCH
    assert error_for_version(E.CONCURRENT_TRANSACTIONS, "EndTxn", 0) == E.CONCURRENT_TRANSACTIONS
