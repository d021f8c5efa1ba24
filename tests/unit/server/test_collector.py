"""Full collections are held while large requests are in flight, and large messages are
freed a slice at a time."""

from __future__ import annotations

import gc

from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.server.collector import hold_full_collections, take_apart


def test_full_collections_are_held_until_the_last_large_request_ends() -> None:
    before = gc.get_threshold()
    with hold_full_collections():
        held = gc.get_threshold()
        assert held[:2] == before[:2] and held[2] > 1_000_000
        with hold_full_collections():
            assert gc.get_threshold() == held
        assert gc.get_threshold() == held  # the outer request is still in flight
    assert gc.get_threshold() == before


def test_take_apart_empties_a_large_message_in_slices() -> None:
    partitions = [ProducePartitionData(index=i, records=None) for i in range(2_500)]
    small = [ProducePartitionData(index=0, records=None)]
    request = ProduceRequest(
        acks=1,
        timeout_ms=1,
        topic_data=[
            ProduceTopicData(name="a", partition_data=partitions),
            ProduceTopicData(name="b", partition_data=small),
        ],
    )
    steps = sum(1 for _ in take_apart(request, step=250))
    assert steps >= 10
    assert partitions == [] and small == [ProducePartitionData(index=0, records=None)]
    assert [t.name for t in request.topic_data] == ["a", "b"]  # short lists are kept
