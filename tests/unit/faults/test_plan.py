"""FaultPlan: matchers, first match wins, count, skip, seeded probability, waits."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest

from kafkalite.faults import Action, FaultPlan, RequestSummary
from kafkalite.faults.names import api_name, parse_api, parse_error
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey

ORDERS_0 = RequestSummary(topics={"orders": (0,)})


def hit(
    plan: FaultPlan,
    api: ApiKey = ApiKey.PRODUCE,
    *,
    node: int = 1,
    client: str | None = "app",
    summary: RequestSummary = ORDERS_0,
) -> int | None:
    match = plan.match(node_id=node, api_key=api, client_id=client, summary=summary)
    return match.id if match is not None else None


@pytest.mark.parametrize("api", [ApiKey.PRODUCE, 0, "Produce", "PRODUCE", "produce", "0"])
def test_api_by_key_number_or_name(api: ApiKey | int | str) -> None:
    assert parse_api(api) is ApiKey.PRODUCE


def test_api_names_are_kafkas() -> None:
    assert parse_api("ListOffsets") is ApiKey.LIST_OFFSETS
    assert parse_api("list_offsets") is ApiKey.LIST_OFFSETS
    assert api_name(ApiKey.LIST_OFFSETS) == "ListOffsets"
    assert api_name(ApiKey.API_VERSIONS) == "ApiVersions"
    with pytest.raises(ValueError):
        parse_api("Nope")


@pytest.mark.parametrize("error", ["NOT_LEADER_OR_FOLLOWER", "not_leader_or_follower", 6, "6"])
def test_error_by_name_or_number(error: str | int) -> None:
    assert parse_error(error) is ErrorCode.NOT_LEADER_OR_FOLLOWER


def test_each_matcher() -> None:
    cases = [
        ({"api": "Fetch"}, {"api": ApiKey.FETCH}, {}),
        ({"node": 2}, {"node": 2}, {}),
        ({"client_id": "x"}, {"client": "x"}, {}),
        ({"topic": "t"}, {"summary": RequestSummary(topics={"t": (3,)})}, {}),
        ({"partition": 3}, {"summary": RequestSummary(topics={"t": (3,)})}, {}),
        ({"topic": "t", "partition": 1}, {"summary": RequestSummary(topics={"t": (0, 1)})},
         {"summary": RequestSummary(topics={"t": (0,), "u": (1,)})}),
        ({"group": "g"}, {"summary": RequestSummary(groups=("g",))}, {}),
        ({"transactional_id": "tx"}, {"summary": RequestSummary(transactional_ids=("tx",))}, {}),
        ({"transactional_id": "t2"}, {"summary": RequestSummary(transactional_ids=("t1", "t2"))},
         {"summary": RequestSummary(transactional_ids=("t1",))}),
    ]
    for matchers, matching, other in cases:
        plan = FaultPlan()
        rule_id = plan.add("observe", **matchers).id  # type: ignore[arg-type]
        assert hit(plan, **matching) == rule_id, matchers  # type: ignore[arg-type]
        assert hit(plan, **other) is None, matchers  # type: ignore[arg-type]


def test_first_match_wins_and_later_rules_see_the_rest() -> None:
    plan = FaultPlan()
    first = plan.add("error", api="Produce", topic="orders", error="NOT_LEADER_OR_FOLLOWER")
    second = plan.add("observe")
    assert hit(plan) == first.id
    assert hit(plan, ApiKey.FETCH) == second.id
    assert (first.hits, second.hits) == (1, 1)


def test_count_retires_the_rule() -> None:
    plan = FaultPlan()
    rule = plan.add("error", error=7, count=2)
    assert [hit(plan) for _ in range(3)] == [rule.id, rule.id, None]
    assert rule.hits == 2
    assert plan.describe()[0]["retired"] is True


def test_skip_fails_the_nth_request() -> None:
    plan = FaultPlan()
    rule = plan.add("error", error="REQUEST_TIMED_OUT", skip=2, count=1)
    assert [hit(plan) for _ in range(4)] == [None, None, rule.id, None]


def test_skipped_requests_go_on_to_later_rules() -> None:
    plan = FaultPlan()
    plan.add("error", error=7, skip=1)
    later = plan.add("observe")
    assert hit(plan) == later.id


def test_probability_is_reproducible_with_a_seed() -> None:
    def run() -> list[int | None]:
        plan = FaultPlan()
        plan.add("drop", probability=0.3, seed=42)
        return [hit(plan) for _ in range(200)]

    first, second = run(), run()
    assert first == second
    assert 20 < sum(1 for x in first if x is not None) < 100


def test_remove_and_reset() -> None:
    plan = FaultPlan()
    a = plan.add("observe", api="Produce")
    b = plan.add("observe", api="Fetch")
    assert a.remove()
    assert not plan.remove(a.id)
    assert [h.id for h in plan.rules()] == [b.id]
    assert hit(plan) is None
    plan.reset()
    assert plan.rules() == [] and len(plan) == 0


def test_describe_is_json_with_the_constructors_keys() -> None:
    plan = FaultPlan()
    plan.add("delay", api=1, ms=5, topic="t", partition=0, count=3, skip=1, probability=0.5,
             seed=7, node=2, group="g", transactional_id="tx", client_id="c")
    (rule,) = json.loads(json.dumps(plan.describe()))
    assert rule["api"] == "Fetch" and rule["action"] == "delay" and rule["ms"] == 5
    for key in ("error", "count", "skip", "topic", "partition", "node", "group",
                "transactional_id", "client_id", "probability", "seed", "id", "hits"):
        assert key in rule


def test_bad_rules_are_refused() -> None:
    plan = FaultPlan()
    for kwargs in ({"action": "error"}, {"action": "delay"}, {"action": "nope"},
                   {"action": "drop", "count": 0}, {"action": "drop", "probability": 2.0},
                   {"action": "fail_write"}):
        with pytest.raises(ValueError):
            plan.add(**kwargs)


def test_storage_rules_match_produce_by_default() -> None:
    plan = FaultPlan()
    rule = plan.add(Action.FAIL_WRITE, topic="orders")
    assert hit(plan, ApiKey.FETCH) is None
    assert hit(plan, ApiKey.PRODUCE) == rule.id


def test_wait_from_another_thread_is_woken_by_a_hit() -> None:
    plan = FaultPlan()
    rule = plan.add("observe")
    started = threading.Event()
    result: list[bool] = []

    def waiter() -> None:
        started.set()
        result.append(rule.wait(2, timeout=30))

    thread = threading.Thread(target=waiter)
    thread.start()
    started.wait()
    hit(plan)
    hit(plan)
    thread.join(30)
    assert result == [True]


def test_wait_times_out() -> None:
    plan = FaultPlan()
    rule = plan.add("observe")
    assert rule.wait(1, timeout=0.01) is False
    hit(plan)
    assert rule.wait(1, timeout=0) is True


def test_wait_async_is_woken_by_a_hit_and_times_out() -> None:
    plan = FaultPlan()
    rule = plan.add("observe")

    async def scenario() -> tuple[bool, bool]:
        waiting = asyncio.ensure_future(rule.wait_async(1, timeout=30))
        asyncio.get_running_loop().call_soon(hit, plan)  # runs after the waiter registers
        return await waiting, await rule.wait_async(5, timeout=0.01)

    assert asyncio.run(scenario()) == (True, False)


def test_a_removed_rules_handle_still_reports_its_hits() -> None:
    plan = FaultPlan()
    rule = plan.add("observe")
    hit(plan)
    rule.remove()
    assert rule.hits == 1 and rule.wait(1, timeout=0)
    assert rule.describe()["hits"] == 1
