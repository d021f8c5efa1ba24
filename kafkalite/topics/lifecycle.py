"""Topic lifecycle: create, add partitions, delete records, delete; Kafka's rules, one broker.

Creation (``plan_topic`` then ``create_topic``) checks in the order of Kafka's
``ReplicationControlManager.createTopics``: the name (``Topic.validate``), existence, a clash
with an existing name that differs only in '.' against '_', the configs (null values, then
``catalog.validate_overrides``), then either the manual assignment or the partition count and
replication factor. A count of -1 means ``num.partitions``; a replication factor of -1 means
one, since kafkalite keeps one copy whatever ``default.replication.factor`` says; anything
above one cannot be placed on a single broker. A manual assignment may name this broker only.

Deletion removes the partition directories (``LogManager.delete_topic``), drops the topic's
entries from the offset checkpoints at once (so a topic created later under the same name
never inherits a log start or recovery point), forgets every group's committed offsets of it,
and wakes long-polling fetches of its partitions so they answer UNKNOWN_TOPIC_OR_PARTITION
now rather than at their timeout. Fetches already answered are unaffected: their file slices
read through duplicated descriptors. A topic created again gets a new topic id and starts at
offset 0.

Deleting records moves a partition's log start offset (``PartitionLog.delete_records``),
rewrites the log-start-offset checkpoint before answering (Kafka checkpoints it every minute;
an answered DeleteRecords here survives a crash), then retires the segments wholly below the
new start the way retention does (renamed ``*.deleted``, unlinked after
``file.delete.delay.ms``) instead of waiting for the next retention pass.

Failures raise ``KafkaError`` with Kafka's code and, where Kafka has one, its message.
Kafka caps one request at 10000 new partitions (``MAX_RECORDS_PER_USER_OP``); so do we.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.storage.checkpoint import kafka_uuid_string, random_kafka_uuid
from kafkalite.storage.errors import KafkaStorageError, StorageError
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.manager import NewTopic, TopicInfo, topic_name_error
from kafkalite.storage.retention import retire_segments
from kafkalite.storage.steps import Steps
from kafkalite.topics.catalog import validate_overrides
from kafkalite.topics.model import invalid_request

if TYPE_CHECKING:
    from kafkalite.cluster import Cluster as Broker

__all__ = [
    "MAX_PARTITIONS_PER_REQUEST",
    "TopicPlan",
    "add_partitions",
    "create_topic",
    "create_topics_in_steps",
    "delete_records",
    "delete_topic",
    "plan_topic",
]

log = logging.getLogger(__name__)

MAX_PARTITIONS_PER_REQUEST = 10_000
HIGH_WATERMARK = -1  # DeleteRecords: "up to the high watermark"


@dataclass(frozen=True, slots=True)
class TopicPlan:
    """A topic that passed every check, ready to create (or to report, for validate_only)."""

    name: str
    num_partitions: int
    replication_factor: int
    overrides: dict[str, str] = field(default_factory=dict)
    topic_id: uuid.UUID = field(default_factory=random_kafka_uuid)
    assignments: dict[int, list[int]] = field(default_factory=dict)
    """A manual assignment: partition -> replica node ids, the first preferred."""


def plan_topic(
    broker: Broker,
    name: str,
    num_partitions: int,
    replication_factor: int,
    assignments: Sequence[tuple[int, Sequence[int]]],
    configs: Sequence[tuple[str, str | None]],
) -> TopicPlan:
    error = topic_name_error(name)
    if error is not None:
        raise KafkaError(error, ErrorCode.INVALID_TOPIC_EXCEPTION)
    if broker.logs.get_topic(name) is not None:
        raise KafkaError(f"Topic '{name}' already exists.", ErrorCode.TOPIC_ALREADY_EXISTS)
    unified = name.replace(".", "_")
    for existing in broker.logs.topics():  # at most one can collide: they exclude each other
        if existing.replace(".", "_") == unified:
            raise KafkaError(
                f"Topic '{name}' collides with existing topic: {existing}",
                ErrorCode.INVALID_TOPIC_EXCEPTION,
            )
    nulls = [config_name for config_name, value in configs if value is None]
    if nulls:
        raise KafkaError(
            "Null value not supported for topic configs: " + ",".join(nulls),
            ErrorCode.INVALID_CONFIG,
        )
    overrides = {config_name: value for config_name, value in configs if value is not None}
    validate_overrides(broker.logs.default_config, overrides)
    node_ids = sorted(broker.nodes)
    if assignments:
        count, replicas = _check_assignments(
            node_ids, assignments, replication_factor, num_partitions
        )
    else:
        if replication_factor < -1 or replication_factor == 0:
            raise KafkaError(
                "Replication factor must be larger than 0, or -1 to use the default value.",
                ErrorCode.INVALID_REPLICATION_FACTOR,
            )
        if num_partitions < -1 or num_partitions == 0:
            raise KafkaError(
                "Number of partitions was set to an invalid non-positive value.",
                ErrorCode.INVALID_PARTITIONS,
            )
        count = broker.config.num_partitions if num_partitions == -1 else num_partitions
        replicas = (
            min(broker.config.default_replication_factor, len(node_ids))
            if replication_factor == -1
            else replication_factor
        )
        live = len(broker.online_nodes())
        if replicas > live:
            raise KafkaError(
                f"Unable to replicate the partition {replicas} time(s): The target replication "
                f"factor of {replicas} cannot be reached because only {live} broker(s) are "
                "registered.",
                ErrorCode.INVALID_REPLICATION_FACTOR,
            )
    _check_batch_size(count)
    manual = {partition: list(ids) for partition, ids in assignments}
    return TopicPlan(name, count, replicas, overrides, assignments=manual)


def _check_assignments(
    node_ids: Sequence[int],
    assignments: Sequence[tuple[int, Sequence[int]]],
    replication_factor: int,
    num_partitions: int,
) -> tuple[int, int]:
    """Kafka's checks of a CreateTopics manual assignment; returns (partitions, replicas)."""
    if replication_factor != -1:
        raise invalid_request(
            "A manual partition assignment was specified, but replication factor was not set to -1."
        )
    if num_partitions != -1:
        raise invalid_request(
            "A manual partition assignment was specified, but numPartitions was not set to -1."
        )
    seen: set[int] = set()
    replicas: int | None = None
    for partition, broker_ids in assignments:
        if partition in seen:
            raise KafkaError(
                f"Found multiple manual partition assignments for partition {partition}",
                ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            )
        _check_replicas(node_ids, broker_ids, replicas)
        replicas = len(broker_ids)
        seen.add(partition)
    if seen != set(range(len(seen))):
        raise KafkaError(
            "partitions should be a consecutive 0-based integer sequence",
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        )
    return len(seen), replicas or 1


def _check_replicas(node_ids: Sequence[int], broker_ids: Sequence[int], replicas: int | None) -> None:
    """Kafka's ``validateManualPartitionAssignment`` against this cluster's nodes."""
    if not broker_ids:
        raise KafkaError(
            "The manual partition assignment includes an empty replica list.",
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        )
    previous: int | None = None
    for broker_id in sorted(broker_ids):
        if broker_id not in node_ids:
            raise KafkaError(
                f"The manual partition assignment includes broker {broker_id}, but "
                "no such broker is registered.",
                ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            )
        if broker_id == previous:
            raise KafkaError(
                f"The manual partition assignment includes the broker {previous} more than once.",
                ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            )
        previous = broker_id
    if replicas is not None and len(broker_ids) != replicas:
        raise KafkaError(
            f"The manual partition assignment includes a partition with {len(broker_ids)} "
            f"replica(s), but this is not consistent with previous partitions, which have "
            f"{replicas} replica(s).",
            ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        )


def _check_batch_size(new_partitions: int) -> None:
    if new_partitions > MAX_PARTITIONS_PER_REQUEST:
        raise KafkaError(
            "Unable to perform excessively large batch operation.", ErrorCode.POLICY_VIOLATION
        )


def create_topic(broker: Broker, plan: TopicPlan) -> TopicInfo:
    try:
        info = broker.logs.create_topic(
            plan.name, plan.num_partitions, configs=plan.overrides, topic_id=plan.topic_id
        )
    except StorageError as exc:
        raise KafkaError(str(exc), ErrorCode(exc.error_code)) from None
    except OSError as exc:
        log.exception("creating topic %s failed", plan.name)
        raise KafkaError(
            f"creating topic {plan.name} failed: {exc}", ErrorCode.KAFKA_STORAGE_ERROR
        ) from None
    log.info(
        "created topic %s (id %s) with %d partitions, configs %s",
        plan.name,
        kafka_uuid_string(plan.topic_id),
        plan.num_partitions,
        plan.overrides,
    )
    broker.place_topic(plan.name, plan.num_partitions, plan.replication_factor, plan.assignments)
    return info


def create_topics_in_steps(broker: Broker, plans: Sequence[TopicPlan]) -> Steps[list[KafkaError | None]]:
    """Create the planned topics as one batch (``LogManager.create_topics_in_steps``: one
    file-system sync, two rewrites of the topics file, partitions made on a worker thread
    when run with ``steps.run_sliced``) and place them with one rewrite of the leadership
    file. One entry per plan: None, or the ``KafkaError`` it failed with."""
    results = yield from broker.logs.create_topics_in_steps(
        [NewTopic(p.name, p.num_partitions, dict(p.overrides), p.topic_id) for p in plans]
    )
    out: list[KafkaError | None] = []
    for plan, result in zip(plans, results, strict=True):
        if isinstance(result, StorageError):
            if isinstance(result, KafkaStorageError):
                log.error("creating topic %s failed: %s", plan.name, result)
            out.append(KafkaError(str(result), ErrorCode(result.error_code)))
            continue
        log.info(
            "created topic %s (id %s) with %d partitions, configs %s",
            plan.name, kafka_uuid_string(plan.topic_id), plan.num_partitions, plan.overrides,
        )
        broker.place_topic(
            plan.name, plan.num_partitions, plan.replication_factor, plan.assignments, save=False
        )
        out.append(None)
    if any(error is None for error in out):
        broker.save_leadership()
    return out


def add_partitions(
    broker: Broker,
    name: str,
    count: int,
    assignments: Sequence[Sequence[int]] | None,
    *,
    validate_only: bool,
) -> None:
    """CreatePartitions of one topic (Kafka's ``ReplicationControlManager.createPartitions``)."""
    info = broker.logs.get_topic(name)
    if info is None:
        raise KafkaError("", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    current = len(info.partitions)
    if count == current:
        raise KafkaError(f"Topic already has {current} partition(s).", ErrorCode.INVALID_PARTITIONS)
    if count < current:
        raise KafkaError(
            f"The topic {name} currently has {current} partition(s); {count} would "
            "not be an increase.",
            ErrorCode.INVALID_PARTITIONS,
        )
    additional = count - current
    if assignments is not None:
        if len(assignments) != additional:
            raise KafkaError(
                f"Attempted to add {additional} additional partition(s), but only "
                f"{len(assignments)} assignment(s) were specified.",
                ErrorCode.INVALID_REPLICA_ASSIGNMENT,
            )
        width = len(broker.partition_state(name, 0).replicas)
        for broker_ids in assignments:
            _check_replicas(sorted(broker.nodes), broker_ids, width)
    _check_batch_size(additional)
    if validate_only:
        return
    try:
        broker.logs.add_partitions(name, count)
    except StorageError as exc:
        raise KafkaError(str(exc), ErrorCode(exc.error_code)) from None
    except OSError as exc:
        log.exception("adding partitions to %s failed", name)
        raise KafkaError(
            f"adding partitions to {name} failed: {exc}", ErrorCode.KAFKA_STORAGE_ERROR
        ) from None
    broker.place_topic(
        name, count, len(broker.partition_state(name, 0).replicas),
        {current + i: list(ids) for i, ids in enumerate(assignments or [])}, first=current,
    )
    log.info("topic %s: partitions %d -> %d", name, current, count)


def delete_topic(broker: Broker, name: str) -> TopicInfo:
    info = broker.logs.get_topic(name)
    if info is None:
        raise KafkaError("", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    try:
        broker.logs.delete_topic(name)
        broker.logs.write_checkpoints()
    except StorageError as exc:
        raise KafkaError(str(exc), ErrorCode(exc.error_code)) from None
    except OSError as exc:
        log.exception("deleting topic %s failed", name)
        raise KafkaError(
            f"deleting topic {name} failed: {exc}", ErrorCode.KAFKA_STORAGE_ERROR
        ) from None
    broker.groups.on_topic_deleted(name)
    broker.forget_topic(name)
    for partition in range(len(info.partitions)):
        broker.notify_partition(name, partition)
    log.info("deleted topic %s (id %s)", name, kafka_uuid_string(info.topic_id))
    return info


def delete_records(broker: Broker, topic: str, partition: int, offset: int) -> int:
    """DeleteRecords of one partition (Kafka's ``Partition.deleteRecordsOnLeader``); returns
    the low watermark, which with one replica is the new log start offset."""
    partition_log = broker.partition(topic, partition)
    if partition_log is None:
        raise KafkaError("", ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
    if not partition_log.config.delete:
        raise KafkaError(
            f"Records of partition {topic}-{partition} can not be deleted due to "
            "the configured policy",
            ErrorCode.POLICY_VIOLATION,
        )
    target = partition_log.high_watermark if offset == HIGH_WATERMARK else offset
    if target < 0:
        raise KafkaError(
            f"The offset {target} for partition {topic}-{partition} is not valid",
            ErrorCode.OFFSET_OUT_OF_RANGE,
        )
    before = partition_log.log_start_offset
    try:
        low_watermark = partition_log.delete_records(target)
        if low_watermark != before:
            broker.logs.write_checkpoints()
            _drop_segments_below_start(broker, partition_log)
    except StorageError as exc:
        raise KafkaError(str(exc), ErrorCode(exc.error_code)) from None
    except OSError as exc:
        log.exception("deleting records of %s-%d failed", topic, partition)
        raise KafkaError(f"deleting records failed: {exc}", ErrorCode.KAFKA_STORAGE_ERROR) from None
    if low_watermark != before:
        # A long poll below the new start answers OFFSET_OUT_OF_RANGE now.
        broker.notify_partition(topic, partition)
        log.info("%s-%d: log start offset %d -> %d", topic, partition, before, low_watermark)
    return low_watermark


def _drop_segments_below_start(broker: Broker, partition_log: PartitionLog) -> None:
    """Retention's first rule applied now rather than at its next pass (where Kafka leaves
    it): every closed segment whose successor starts at or below the log start offset goes,
    its files renamed ``*.deleted`` and unlinked after ``file.delete.delay.ms``. A log the
    cleaner is working on is left to the retention pass."""
    logs = broker.logs
    if logs.cleaner.is_cleaning(partition_log):
        return
    segments = partition_log.segments
    count = 0
    while (
        count < len(segments) - 1
        and segments[count + 1].base_offset <= partition_log.log_start_offset
    ):
        count += 1
    if count:
        dropped = partition_log.drop_oldest_segments(count)
        retire_segments(
            partition_log.directory,
            dropped,
            logs.flusher,
            logs.deleter,
            delete_delay_ms=partition_log.config.file_delete_delay_ms,
        )
