"""Every check of ``kafkalite check`` can fail, and says why.

``PROOFS`` gives each registered check a misbehaviour (``mutating_proxy``): a proxy in front of
kafkalite rewrites an error code, an offset, a watermark, an epoch, an assignment, the records
or the ApiVersions ranges of one API's answers, closes the connection, answers a frame it
should not, or crashes on a malformed request. Each check runs in this process against the
proxy with its own misbehaviour on and must report ``failed`` (not skipped, not a crash of
the runner) with a reason naming what went wrong. A registered check in neither ``PROOFS``
nor ``UNPROVEN`` (checks that can only skip against kafkalite) fails the suite.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from compat_mutating_proxy import (
    MutatingProxy,
    Mutation,
    answer_bad_frames,
    change,
    close,
    crash_on,
    errors,
    nth,
    raw,
    recode,
)

from kafkalite.check.context import Settings, delete_leftover_topics
from kafkalite.check.runner import FAILED, load_checks, run_one
from kafkalite.client.records import ProducerRecord, encode_batch
from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey as K
from kafkalite.testing import KafkaliteServer

pytestmark = pytest.mark.compat

_WRONG = E.POLICY_VIOLATION  # an error no check expects, for checks that expect success
_ONE_RECORD = encode_batch([ProducerRecord(b"k", b"stray")])


def _plus(n: int) -> Any:
    return lambda value: value + n


def _without(api: K) -> Any:
    return lambda keys: [k for k in keys if k.api_key != api]


def _capped(api: K, high: int) -> Any:
    def cap(keys: list[Any]) -> list[Any]:
        for entry in keys:
            if entry.api_key == api:
                entry.max_version = min(entry.max_version, high)
        return keys

    return cap


def _correlation(old: int, new: int) -> Any:
    def rewrite(frame: bytes) -> bytes:
        if int.from_bytes(frame[:4], "big", signed=True) == old:
            return new.to_bytes(4, "big", signed=True) + frame[4:]
        return frame

    return rewrite


def _other_values(records: Any) -> Any:
    """Ten records with values other than those stored, in place of a non-empty answer."""
    if not records:
        return records
    return encode_batch([ProducerRecord(b"k", f"other-{i}".encode()) for i in range(10)])


def _no_records(word: str) -> Mutation:
    return change(K.FETCH, "records", lambda _: b"", word)


def _later_members_get_the_first_assignment() -> Mutation:
    """Every member joining after the first is answered the first member's assignment too."""
    first: dict[str, Any] = {}

    def rewrite(spec: Any, body: Any) -> None:
        if body.assignment is None:
            return
        if not first:
            first.update(member_id=body.member_id, assignment=body.assignment)
        elif body.member_id != first["member_id"]:
            body.assignment = first["assignment"]

    return Mutation("while the first still owned both", K.CONSUMER_GROUP_HEARTBEAT, rewrite)


#: Checks that only skip against kafkalite, so no misbehaviour of it can make them fail.
UNPROVEN: dict[str, str] = {}

#: check name -> the misbehaviour that must make it fail (and the word its reason carries).
PROOFS: dict[str, Mutation] = {
    # --- new_groups
    "new_groups.share_groups": change(
        K.SHARE_FETCH, "delivery_count", lambda count: count + 1, "delivery count"
    ),
    # --- api_versions
    "api_versions.unknown_version_fallback": close(K.API_VERSIONS, "closed the connection"),
    "api_versions.v0_request": change(K.API_VERSIONS, "api_keys", _without(K.PRODUCE), "PRODUCE"),
    "api_versions.ranges_well_formed": change(
        K.API_VERSIONS, "api_keys", _without(K.FETCH), "FETCH"
    ),
    "api_versions.ranges_vs_release": change(
        K.API_VERSIONS, "api_keys", _capped(K.PRODUCE, 2), "no release covered"
    ),
    "api_versions.invalid_software_name": recode(K.API_VERSIONS, E.INVALID_REQUEST, E.NONE),
    "api_versions.feature_levels": change(
        K.API_VERSIONS, "finalized_features", lambda _: [], "finalized features"
    ),
    # --- metadata
    "metadata.auto_creation": recode(K.METADATA, E.NONE, E.UNKNOWN_TOPIC_OR_PARTITION),
    "metadata.no_auto_creation_when_disallowed": recode(
        K.METADATA, E.UNKNOWN_TOPIC_OR_PARTITION, E.NONE
    ),
    "metadata.topic_ids": change(
        K.METADATA, "topic_id", lambda _: uuid.UUID(int=0), "zero topic id"
    ),
    "metadata.internal_topics": change(
        K.METADATA, "is_internal", lambda flag: not flag, "reported internal"
    ),
    "metadata.invalid_topic_name": recode(K.METADATA, E.INVALID_TOPIC_EXCEPTION, E.NONE),
    "metadata.cluster_view": change(K.METADATA, "leader_epoch", lambda _: -1, "leader epoch -1"),
    # --- produce
    "produce.acks_leader": change(K.PRODUCE, "base_offset", _plus(1), "base offset 1"),
    "produce.acks_all": change(K.PRODUCE, "base_offset", _plus(1), "base offset 1"),
    "produce.acks_none": change(K.PRODUCE, "base_offset", _plus(1), "base offset 3"),
    "produce.codec_none": _no_records("values differ"),
    "produce.codec_gzip": _no_records("values differ"),
    "produce.codec_snappy": _no_records("values differ"),
    "produce.codec_lz4": _no_records("values differ"),
    "produce.codec_zstd": _no_records("values differ"),
    "produce.log_append_time": change(
        K.PRODUCE, "log_append_time_ms", lambda _: 1000, "log_append_time_ms 1000"
    ),
    "produce.create_time": change(
        K.PRODUCE, "log_append_time_ms", lambda _: 1000, "log_append_time_ms 1000"
    ),
    "produce.message_too_large": recode(K.PRODUCE, E.MESSAGE_TOO_LARGE, E.NONE),
    "produce.corrupt_crc": recode(K.PRODUCE, E.CORRUPT_MESSAGE, E.NONE),
    "produce.keyless_on_compacted": recode(K.PRODUCE, E.INVALID_RECORD, E.NONE),
    "produce.bad_offset_deltas": recode(K.PRODUCE, E.INVALID_RECORD, E.NONE),
    "produce.invalid_timestamp": recode(K.PRODUCE, E.INVALID_TIMESTAMP, E.NONE),
    "produce.unknown_topic": recode(K.PRODUCE, E.UNKNOWN_TOPIC_OR_PARTITION, E.NONE),
    "produce.unknown_partition": recode(K.PRODUCE, E.UNKNOWN_TOPIC_OR_PARTITION, E.NONE),
    "produce.record_fields": _no_records("read back []"),
    # --- idempotence
    "idempotence.init_producer_id": change(
        K.INIT_PRODUCER_ID, "producer_epoch", lambda _: 3, "epoch 3"
    ),
    "idempotence.duplicate_batch": change(K.LIST_OFFSETS, "offset", _plus(1), "appended again"),
    "idempotence.sequence_gap": recode(K.PRODUCE, E.OUT_OF_ORDER_SEQUENCE_NUMBER, E.NONE),
    "idempotence.epoch_bump": recode(K.PRODUCE, E.OUT_OF_ORDER_SEQUENCE_NUMBER, E.NONE),
    "idempotence.describe_producers": change(
        K.DESCRIBE_PRODUCERS, "last_sequence", _plus(1), "last_sequence 4"
    ),
    # --- transactions
    "transactions.commit": change(K.LIST_OFFSETS, "offset", _plus(1), "end offset 5"),
    "transactions.abort": change(
        K.FETCH, "aborted_transactions", lambda _: [], "aborted_transactions []"
    ),
    "transactions.last_stable_offset": change(
        K.FETCH, "last_stable_offset", _plus(1), "last_stable_offset 3"
    ),
    "transactions.fencing": recode(K.END_TXN, E.PRODUCER_FENCED, E.NONE),
    "transactions.init_bumps_epoch": change(
        K.INIT_PRODUCER_ID, "producer_epoch", nth(2, _plus(1)), "expected"
    ),
    "transactions.timeout_aborts": recode(K.END_TXN, E.PRODUCER_FENCED, E.NONE),
    "transactions.invalid_timeout": recode(
        K.INIT_PRODUCER_ID, E.INVALID_TRANSACTION_TIMEOUT, E.NONE
    ),
    "transactions.end_without_transaction": recode(K.END_TXN, E.INVALID_TXN_STATE, _WRONG),
    "transactions.offsets_in_transaction": errors(K.TXN_OFFSET_COMMIT, _WRONG),
    "transactions.produce_without_add_partitions": errors(
        K.PRODUCE, E.NONE, "not in the transaction"
    ),
    # --- fetch
    "fetch.long_poll_woken_by_append": _no_records("did not wait for data"),
    "fetch.zero_wait_returns_data": _no_records("returned offsets []"),
    "fetch.empty_fetch_waits": change(
        K.FETCH, "records", lambda _: _ONE_RECORD, "records in an empty topic"
    ),
    "fetch.offset_out_of_range": recode(K.FETCH, E.OFFSET_OUT_OF_RANGE, E.NONE),
    "fetch.fetch_at_high_watermark": change(
        K.FETCH, "high_watermark", _plus(1), "high_watermark 3"
    ),
    "fetch.oversize_first_batch": _no_records("expected the 64 KiB batch"),
    "fetch.partition_max_bytes": _no_records("0 records"),
    "fetch.fetch_inside_batch": _no_records("no batch returned"),
    "fetch.watermarks": change(K.FETCH, "high_watermark", _plus(1), "high_watermark 5"),
    "fetch.isolation_levels": _no_records("read_uncommitted saw []"),
    "fetch.unknown_topic": recode(K.FETCH, E.UNKNOWN_TOPIC_OR_PARTITION, E.NONE),
    "fetch.fetch_session": change(K.FETCH, "session_id", nth(2, _plus(1)), "session id changed"),
    "fetch.fetch_session_errors": recode(K.FETCH, E.INVALID_FETCH_SESSION_EPOCH, E.NONE),
    # --- list_offsets
    "list_offsets.earliest": change(K.LIST_OFFSETS, "offset", _plus(1), "EARLIEST is not 0"),
    "list_offsets.latest": change(K.LIST_OFFSETS, "offset", _plus(1), "LATEST"),
    "list_offsets.by_timestamp_in_compressed_batch": change(
        K.LIST_OFFSETS, "offset", _plus(1), "offset 3, expected 2"
    ),
    "list_offsets.by_timestamp_in_zstd_batch": change(
        K.LIST_OFFSETS, "offset", _plus(1), "offset 3, expected 2"
    ),
    "list_offsets.timestamp_after_all": change(
        K.LIST_OFFSETS, "offset", lambda _: 0, "answered offset 0"
    ),
    "list_offsets.max_timestamp": change(
        K.LIST_OFFSETS, "timestamp", _plus(-1), "answered offset 4 timestamp +99"
    ),
    "list_offsets.unknown_partition": recode(K.LIST_OFFSETS, E.UNKNOWN_TOPIC_OR_PARTITION, E.NONE),
    # --- groups
    "groups.member_id_required": recode(K.JOIN_GROUP, E.MEMBER_ID_REQUIRED, _WRONG),
    "groups.join_sync_heartbeat_leave": change(
        K.DESCRIBE_GROUPS, "group_state", lambda _: "PreparingRebalance", "not Stable"
    ),
    "groups.heartbeat_unknown_member": recode(K.HEARTBEAT, E.UNKNOWN_MEMBER_ID, E.NONE),
    "groups.illegal_generation": recode(K.HEARTBEAT, E.ILLEGAL_GENERATION, E.NONE),
    "groups.invalid_session_timeout": recode(K.JOIN_GROUP, E.INVALID_SESSION_TIMEOUT, E.NONE),
    "groups.inconsistent_protocol": recode(
        K.JOIN_GROUP, E.INCONSISTENT_GROUP_PROTOCOL, E.UNKNOWN_SERVER_ERROR
    ),
    "groups.protocol_selection": change(
        K.JOIN_GROUP,
        "protocol_name",
        lambda name: "roundrobin" if name == "range" else name,
        "expected range",
    ),
    "groups.rebalance_on_join": recode(
        K.HEARTBEAT, E.REBALANCE_IN_PROGRESS, E.UNKNOWN_SERVER_ERROR
    ),
    "groups.static_membership": recode(K.HEARTBEAT, E.FENCED_INSTANCE_ID, E.NONE),
    "groups.standalone_offset_commit": change(
        K.OFFSET_FETCH, "committed_offset", _plus(1), "did not return 42"
    ),
    "groups.commit_fenced_generation": recode(K.OFFSET_COMMIT, E.ILLEGAL_GENERATION, E.NONE),
    "groups.list_and_describe": change(
        K.LIST_GROUPS, "protocol_type", lambda _: "", "expected protocol type 'consumer'"
    ),
    # --- new_groups
    "new_groups.consumer_group_heartbeat": change(
        K.CONSUMER_GROUP_HEARTBEAT, "topic_id", lambda _: uuid.UUID(int=7), "sole member assigned"
    ),
    "new_groups.consumer_group_member_epochs": recode(
        K.CONSUMER_GROUP_HEARTBEAT, E.FENCED_MEMBER_EPOCH, E.NONE
    ),
    "new_groups.consumer_group_rebalance": _later_members_get_the_first_assignment(),
    "new_groups.consumer_group_static_member": recode(
        K.CONSUMER_GROUP_HEARTBEAT, E.UNRELEASED_INSTANCE_ID, E.NONE
    ),
    "new_groups.consumer_group_commit_epochs": recode(
        K.OFFSET_COMMIT, E.STALE_MEMBER_EPOCH, E.NONE
    ),
    "new_groups.consumer_group_describe": change(
        K.CONSUMER_GROUP_DESCRIBE, "group_state", lambda _: "Assigning", "expected 'Stable'"
    ),
    # --- admin
    "admin.acl_round_trip": recode(K.CREATE_ACLS, E.SECURITY_DISABLED, E.NONE, "DescribeAcls"),
    "admin.create_and_delete_topic": errors(K.DELETE_TOPICS, _WRONG),
    "admin.create_existing_topic": recode(K.CREATE_TOPICS, E.TOPIC_ALREADY_EXISTS, E.NONE),
    "admin.create_invalid_topics": recode(K.CREATE_TOPICS, E.INVALID_PARTITIONS, E.NONE),
    "admin.create_validate_only": recode(
        K.METADATA, E.UNKNOWN_TOPIC_OR_PARTITION, E.NONE, "created the topic"
    ),
    "admin.create_partitions_grow": recode(K.CREATE_PARTITIONS, E.INVALID_PARTITIONS, E.NONE),
    "admin.topic_config_sources": change(
        K.DESCRIBE_CONFIGS, "config_source", lambda _: 5, "source 5"
    ),
    "admin.incremental_alter_topic": change(
        K.DESCRIBE_CONFIGS, "config_source", lambda _: 5, "source 5"
    ),
    "admin.alter_invalid_config": recode(K.INCREMENTAL_ALTER_CONFIGS, E.INVALID_CONFIG, E.NONE),
    "admin.broker_configs": change(
        K.DESCRIBE_CONFIGS, "config_source", lambda _: 1, "message.max.bytes source 1"
    ),
    "admin.delete_records": change(K.DELETE_RECORDS, "low_watermark", _plus(1), "low_watermark 4"),
    "admin.dynamic_broker_config": change(
        K.DESCRIBE_CONFIGS, "config_source", lambda _: 5, "source 5"
    ),
    "admin.delete_unknown_topic": recode(K.DELETE_TOPICS, E.UNKNOWN_TOPIC_OR_PARTITION, E.NONE),
    "admin.describe_cluster": change(
        K.DESCRIBE_CLUSTER, "cluster_id", lambda _: "another-cluster", "another-cluster"
    ),
    "admin.describe_acls": errors(K.DESCRIBE_ACLS, E.UNKNOWN_SERVER_ERROR, "UnknownError"),
    # --- malformed
    "malformed.truncated_body": crash_on(K.METADATA),
    "malformed.unknown_api_key": crash_on(9999),
    "malformed.unsupported_version": crash_on(K.METADATA),
    "malformed.oversized_frame": answer_bad_frames("answered a 1 GiB frame"),
    "malformed.negative_frame_size": answer_bad_frames("answered a frame of negative size"),
    "malformed.garbage_frame": crash_on(K.PRODUCE),
    "malformed.pipelined_order": raw(
        K.API_VERSIONS, _correlation(101, 999), "correlation ids answered [999"
    ),
    # --- clients
    "clients.kafka_python_roundtrip": change(K.FETCH, "records", _other_values, "read 10 records"),
    "clients.kafka_python_group": change(
        K.OFFSET_FETCH, "committed_offset", lambda o: o + 1 if o >= 0 else o, "committed offset"
    ),
    "clients.aiokafka_roundtrip": errors(
        K.FETCH, E.TOPIC_AUTHORIZATION_FAILED, "TopicAuthorizationFailed"
    ),
    "clients.confluent_kafka_roundtrip": errors(
        K.PRODUCE, E.TOPIC_AUTHORIZATION_FAILED, "undelivered"
    ),
    "clients.confluent_kafka_transactions": errors(
        K.END_TXN, E.INVALID_TXN_STATE, "code=INVALID_TXN_STATE"
    ),
}


@pytest.fixture(scope="module")
def proxy() -> Iterator[MutatingProxy]:
    proxy = MutatingProxy()
    properties = {
        "advertised.listeners": f"PLAINTEXT://127.0.0.1:{proxy.port}",
        "transaction.abort.timed.out.transaction.cleanup.interval.ms": "500",
        "group.initial.rebalance.delay.ms": "0",
        "kafkalite.shutdown.timeout.ms": "500",
    }
    try:
        with KafkaliteServer(properties) as server:
            proxy.target = ("127.0.0.1", server.port)
            yield proxy
    finally:
        proxy.close()


def test_every_check_has_a_proof() -> None:
    checks = set(load_checks())
    covered = set(PROOFS) | set(UNPROVEN)
    assert not checks - covered, f"checks with no proof they can fail: {checks - covered}"
    assert not covered - checks, f"proofs of checks that do not exist: {covered - checks}"
    assert not set(PROOFS) & set(UNPROVEN)


def test_each_check_fails_when_the_broker_misbehaves(proxy: MutatingProxy) -> None:
    settings = Settings(f"127.0.0.1:{proxy.port}", allow_destructive=True, timeout_s=5.0)
    checks = load_checks()
    wrong = {}
    try:
        for name, mutation in PROOFS.items():
            proxy.reset(mutation)
            result = run_one(checks[name], settings)
            if result.result != FAILED or mutation.word not in result.reason:
                wrong[name] = f"{result.result}: {result.reason}"
    finally:
        proxy.reset(None)
        delete_leftover_topics(settings)
    assert not wrong, "\n".join(f"{name}: {why}" for name, why in wrong.items())
