"""run_with_faults end to end, with a fake handler standing in for the broker's."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from kafkalite.faults import FaultPlan, Journal, Outcome, run_with_faults
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.join_group import JoinGroupRequest, JoinGroupResponse
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProducePartitionResponse,
    ProduceRequest,
    ProduceResponse,
    ProduceTopicData,
    ProduceTopicResponse,
)
from kafkalite.storage import faults as storage_faults


@pytest.fixture(autouse=True)
def _disarm() -> Iterator[None]:
    storage_faults.clear()
    yield
    storage_faults.clear()


class FakeBroker:
    """Appends every partition it is given at offset 100 + partition; records the bodies."""

    def __init__(self) -> None:
        self.bodies: list[Any] = []

    async def call(self, body: Any) -> Any:
        self.bodies.append(body)
        if isinstance(body, JoinGroupRequest):
            return JoinGroupResponse(generation_id=1, member_id="m")
        if body.acks == 0:
            return None
        return ProduceResponse(responses=[
            ProduceTopicResponse(name=t.name, partition_responses=[
                ProducePartitionResponse(index=p.index, base_offset=100 + p.index)
                for p in t.partition_data
            ]) for t in body.topic_data
        ])

    def applied(self) -> list[list[tuple[str, int]]]:
        return [[(t.name, p.index) for t in b.topic_data for p in t.partition_data]
                for b in self.bodies]


def produce(acks: int = -1, **topics: list[int]) -> ProduceRequest:
    topics = topics or {"a": [0, 1]}
    return ProduceRequest(acks=acks, topic_data=[
        ProduceTopicData(name=name, partition_data=[ProducePartitionData(index=i) for i in parts])
        for name, parts in topics.items()
    ])


def run(plan: FaultPlan, broker: FakeBroker, body: Any, *, journal: Journal | None = None,
        api_key: ApiKey = ApiKey.PRODUCE, version: int = 9) -> Outcome:
    return asyncio.run(run_with_faults(
        plan, node_id=1, api_key=api_key, version=version, client_id="app", body=body,
        call=broker.call, journal=journal, correlation_id=42,
    ))


def results(outcome: Outcome) -> dict[tuple[str, int], tuple[int, int]]:
    return {(t.name, p.index): (p.error_code, p.base_offset)
            for t in outcome.response.responses for p in t.partition_responses}


def test_no_rule_runs_the_handler_and_journals_it() -> None:
    plan, broker, journal = FaultPlan(), FakeBroker(), Journal()
    outcome = run(plan, broker, produce(), journal=journal)
    assert results(outcome) == {("a", 0): (0, 100), ("a", 1): (0, 101)}
    assert (outcome.close, outcome.fault_id) == (False, None)
    (entry,) = journal.query()
    assert (entry.api, entry.correlation_id, entry.errors, entry.fault_id) == ("Produce", 42, (), None)


def test_error_on_one_partition_applies_the_others() -> None:
    plan, broker, journal = FaultPlan(), FakeBroker(), Journal()
    rule = plan.add("error", topic="a", partition=1, error="NOT_LEADER_OR_FOLLOWER")
    outcome = run(plan, broker, produce(a=[0, 1], b=[1]), journal=journal)
    assert broker.applied() == [[("a", 0), ("b", 1)]]
    assert results(outcome) == {("a", 0): (0, 100), ("a", 1): (6, -1), ("b", 1): (0, 101)}
    assert outcome.fault_id == rule.id and rule.hits == 1
    (entry,) = journal.query(fault_id=rule.id)
    assert entry.errors == (6,)


def test_error_on_every_partition_skips_the_handler() -> None:
    plan, broker = FaultPlan(), FakeBroker()
    plan.add("error", topic="a", error=ErrorCode.KAFKA_STORAGE_ERROR)
    outcome = run(plan, broker, produce())
    assert broker.bodies == []
    assert results(outcome) == {("a", 0): (56, -1), ("a", 1): (56, -1)}


def test_error_at_the_top_level_for_group_apis() -> None:
    plan, broker = FaultPlan(), FakeBroker()
    plan.add("error", api="JoinGroup", group="g", error="COORDINATOR_LOAD_IN_PROGRESS")
    outcome = run(plan, broker, JoinGroupRequest(group_id="g"), api_key=ApiKey.JOIN_GROUP)
    assert broker.bodies == []
    assert (outcome.response.error_code, outcome.response.generation_id) == (14, -1)


def test_skip_fails_only_the_nth_request() -> None:
    plan, broker = FaultPlan(), FakeBroker()
    plan.add("error", api="Produce", error="REQUEST_TIMED_OUT", skip=1, count=1)
    codes = [results(run(plan, broker, produce(a=[0])))[("a", 0)][0] for _ in range(3)]
    assert codes == [0, 7, 0]
    assert len(broker.bodies) == 2


def test_drop_closes_without_running() -> None:
    plan, broker = FaultPlan(), FakeBroker()
    rule = plan.add("drop", api="Produce")
    outcome = run(plan, broker, produce())
    assert (outcome.response, outcome.close, outcome.fault_id) == (None, True, rule.id)
    assert broker.bodies == []


def test_delay_then_answer() -> None:
    plan, broker = FaultPlan(), FakeBroker()
    plan.add("delay", ms=1)
    outcome = run(plan, broker, produce())
    assert results(outcome)[("a", 0)] == (0, 100) and not outcome.close


def test_after_apply_writes_then_answers_the_error() -> None:
    plan, broker = FaultPlan(), FakeBroker()
    plan.add("after_apply", topic="a", partition=0, error="NOT_ENOUGH_REPLICAS_AFTER_APPEND")
    outcome = run(plan, broker, produce())
    assert broker.applied() == [[("a", 0), ("a", 1)]]
    assert results(outcome) == {("a", 0): (20, -1), ("a", 1): (0, 101)}


def test_observe_only_counts() -> None:
    plan, broker = FaultPlan(), FakeBroker()
    rule = plan.add("observe", api="Produce")
    outcome = run(plan, broker, produce())
    assert results(outcome)[("a", 1)] == (0, 101)
    assert (outcome.fault_id, rule.hits) == (rule.id, 1)


def test_an_error_on_an_acks_0_produce_closes_the_connection() -> None:
    plan, broker = FaultPlan(), FakeBroker()
    plan.add("error", topic="a", partition=1, error="NOT_LEADER_OR_FOLLOWER")
    outcome = run(plan, broker, produce(acks=0))
    assert (outcome.response, outcome.close) == (None, True)
    assert broker.applied() == [[("a", 0)]]


def test_storage_rules_arm_the_shim_for_the_matched_partitions() -> None:
    plan, broker = FaultPlan(), FakeBroker()
    plan.add("fail_write", topic="a", partition=1)
    plan.add("fail_fsync", topic="b")
    run(plan, broker, produce(a=[0, 1]))
    assert storage_faults.pending() == (1, 0)
    run(plan, broker, produce(b=[0, 2]))
    assert storage_faults.pending() == (1, 2)
    assert len(broker.bodies) == 2  # the handler runs and meets the failure itself
    plan.reset()
    assert storage_faults.pending() == (0, 0)
