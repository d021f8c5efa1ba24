"""OffsetForLeaderEpoch over real sockets, v2-v4, on a three-node cluster: the end offset of
an epoch is the log end (no election truncates the shared log), the leader checks, and the
unknown-partition answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.metadata import MetadataRequest, MetadataRequestTopic
from kafkalite.protocol.messages.offset_for_leader_epoch import (
    OffsetForLeaderEpochRequest,
    OffsetForLeaderPartition,
    OffsetForLeaderTopic,
)
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.testing import KafkaliteServer
from tests.unit.batches import record_batch
from tests.unit.server.kafka_wire import call

E = ErrorCode
Address = tuple[str, int]


@pytest.fixture
def cluster() -> Iterator[KafkaliteServer]:
    properties = {
        "num.partitions": 1,
        "default.replication.factor": 3,
        "offsets.topic.num.partitions": 1,
    }
    with KafkaliteServer(properties, brokers=3) as server:
        yield server


def address(server: KafkaliteServer, node: int) -> Address:
    host, port = server.bootstrap_servers.split(",")[node - 1].rsplit(":", 1)
    return host, int(port)


def epoch_end(
    to: Address, version: int, topic: str, leader_epoch: int, current_leader_epoch: int = -1
) -> tuple[int, int, int]:
    """(error, leader epoch, end offset) of partition 0."""
    request = OffsetForLeaderEpochRequest(
        replica_id=-2,
        topics=[
            OffsetForLeaderTopic(
                topic=topic,
                partitions=[
                    OffsetForLeaderPartition(
                        partition=0,
                        current_leader_epoch=current_leader_epoch,
                        leader_epoch=leader_epoch,
                    )
                ],
            )
        ],
    )
    [t] = call(to, ApiKey.OFFSET_FOR_LEADER_EPOCH, version, request).topics
    [p] = t.partitions
    assert (t.topic, p.partition) == (topic, 0)
    return p.error_code, p.leader_epoch, p.end_offset


def produce(to: Address, topic: str, count: int) -> None:
    request = ProduceRequest(
        acks=-1,
        timeout_ms=5000,
        topic_data=[
            ProduceTopicData(
                name=topic,
                partition_data=[
                    ProducePartitionData(index=0, records=record_batch([(None, b"x")] * count))
                ],
            )
        ],
    )
    part = call(to, ApiKey.PRODUCE, 9, request).responses[0].partition_responses[0]
    assert part.error_code == E.NONE


@pytest.mark.parametrize("version", range(2, 5))
def test_epoch_ends_at_the_log_end_across_leader_changes(
    cluster: KafkaliteServer, version: int
) -> None:
    control = cluster.control
    topic = f"epochs-v{version}"
    first = address(cluster, 1)
    # auto-created through Metadata on any node, then written on its leader
    call(
        first,
        ApiKey.METADATA,
        9,
        MetadataRequest(topics=[MetadataRequestTopic(name=topic)], allow_auto_topic_creation=True),
    )
    state = control.partition(topic, 0)
    leader, new = state["leader"], address(cluster, state["leader"])
    produce(new, topic, 3)
    assert epoch_end(new, version, topic, 0) == (E.NONE, 0, 3)

    other = next(n for n in state["replicas"] if n != leader)
    epoch = control.move_leader(topic, 0, other)["leader_epoch"]
    old, new = new, address(cluster, other)
    produce(new, topic, 2)
    # the old epoch was never truncated: it ends at the log end, as the new one does
    assert epoch_end(new, version, topic, 0) == (E.NONE, 0, 5)
    assert epoch_end(new, version, topic, epoch) == (E.NONE, epoch, 5)
    # an epoch the partition has not reached: the current one
    assert epoch_end(new, version, topic, epoch + 5) == (E.NONE, epoch, 5)
    # the former leader is no leader any more; stale and future client epochs are refused
    assert epoch_end(old, version, topic, 0) == (E.NOT_LEADER_OR_FOLLOWER, -1, -1)
    assert epoch_end(new, version, topic, 0, current_leader_epoch=0)[0] == E.FENCED_LEADER_EPOCH
    assert epoch_end(new, version, topic, 0, epoch + 1)[0] == E.UNKNOWN_LEADER_EPOCH
    assert epoch_end(new, version, topic, 0, epoch) == (E.NONE, 0, 5)
    assert epoch_end(first, version, "no-such-topic", 0)[0] == E.UNKNOWN_TOPIC_OR_PARTITION
