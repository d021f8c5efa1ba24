"""The one call a node makes per request: check the fault plan, run the handler as the
matched rule says, journal the answer.

    outcome = await run_with_faults(plan, node_id=node.id, api_key=request.api_key,
                                    version=request.api_version, client_id=request.client_id,
                                    body=request.body, call=handle, journal=journal,
                                    correlation_id=request.correlation_id)
    # send outcome.response unless it is None; close the connection if outcome.close

``call`` runs the real handler on a body, which may be a copy of the request holding only
the partitions a rule did not match. What each action does:
- ``error``: the matched partitions of a per-partition API (``responses.can_split``) get the
  error and are not applied, the others run; other APIs get Kafka's error response whole;
- ``drop``: nothing runs, the connection closes;
- ``delay``: waits ``ms`` (the fault itself), then runs the request;
- ``after_apply``: runs the request, then sets the error on the matched partitions;
- ``observe``: runs the request; the hit is counted;
- ``fail_write``/``fail_fsync``: arms the storage shim for each matched partition, then runs
  the request, whose handler meets the failure as it would a real one.

An acks=0 Produce has no response to carry an error, so an error there closes the connection,
as Kafka does (``KafkaApis.handleProduceRequest``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from kafkalite.faults.journal import Journal
from kafkalite.faults.plan import Action, FaultPlan, Match, Rule
from kafkalite.faults.responses import (
    can_split,
    error_response,
    merge_responses,
    override_errors,
    split_request,
)
from kafkalite.faults.summary import (
    RequestSummary,
    error_codes,
    error_codes_in_steps,
    summarize,
    summarize_in_steps,
)
from kafkalite.protocol.messages import ApiKey
from kafkalite.storage import faults as storage_faults
from kafkalite.storage.steps import run_sliced

__all__ = ["Call", "Outcome", "run_with_faults"]

log = logging.getLogger(__name__)

Call = Callable[[Any], Awaitable[Any]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to do with a request: send ``response`` (None: send nothing), then close the
    connection if ``close``. ``fault_id`` is the rule that took the request, if any."""

    response: Any
    close: bool = False
    fault_id: int | None = None
    summary: RequestSummary = RequestSummary()


async def run_with_faults(
    plan: FaultPlan,
    *,
    node_id: int,
    api_key: ApiKey,
    version: int,
    client_id: str | None,
    body: Any,
    call: Call,
    journal: Journal | None = None,
    correlation_id: int = -1,
    sliced: bool = False,
) -> Outcome:
    """Run one request under ``plan``; see the module docstring. ``sliced`` (a large
    request): its summary and the error codes of its answer are read in slices, letting
    the event loop serve others in between."""
    summary = (
        await run_sliced(summarize_in_steps(api_key, body)) if sliced else summarize(api_key, body)
    )
    match = plan.match(node_id=node_id, api_key=api_key, client_id=client_id, summary=summary)
    if match is None:
        outcome = Outcome(await call(body), summary=summary)
    else:
        outcome = await _apply(match, api_key, version, body, call, summary)
    if journal is not None:
        errors = (
            await run_sliced(error_codes_in_steps(outcome.response))
            if sliced
            else error_codes(outcome.response)
        )
        journal.record(
            node=node_id,
            api_key=api_key,
            version=version,
            correlation_id=correlation_id,
            client_id=client_id,
            summary=summary,
            errors=errors,
            fault_id=outcome.fault_id,
        )
    return outcome


async def _apply(
    match: Match, api_key: ApiKey, version: int, body: Any, call: Call, summary: RequestSummary
) -> Outcome:
    rule = match.rule
    action = rule.action
    if action == Action.DROP:
        return Outcome(None, close=True, fault_id=rule.id, summary=summary)
    if action == Action.DELAY:
        await asyncio.sleep(rule.ms / 1000)
    elif action in (Action.FAIL_WRITE, Action.FAIL_FSYNC):
        _arm_storage(rule, summary)
    elif action == Action.ERROR:
        try:
            response = await _answer_error(rule, api_key, version, body, call)
        except ValueError as exc:  # nowhere to put the error: closing is all that is left
            log.warning("fault %d: %s; closing the connection instead", rule.id, exc)
            return Outcome(None, close=True, fault_id=rule.id, summary=summary)
        return _outcome(rule, api_key, body, response, summary)
    response = await call(body)
    if action == Action.AFTER_APPLY and response is not None:
        assert rule.error is not None
        predicate = rule.matches_partition if rule.filters_partitions else None
        override_errors(api_key, response, rule.error, predicate)
    return _outcome(rule, api_key, body, response, summary)


async def _answer_error(rule: Rule, api_key: ApiKey, version: int, body: Any, call: Call) -> Any:
    assert rule.error is not None
    if not (rule.filters_partitions and can_split(api_key, version, body, rule.error)):
        return error_response(api_key, version, body, rule.error)
    matched, rest = split_request(api_key, body, rule.matches_partition)
    if matched is None:  # the topic was named without partitions: fail all of it
        return error_response(api_key, version, body, rule.error)
    failed = error_response(api_key, version, matched, rule.error)
    answered = await call(rest) if rest is not None else None
    if _no_response(api_key, body):
        return None
    return merge_responses(api_key, body, failed, answered)


def _outcome(
    rule: Rule, api_key: ApiKey, body: Any, response: Any, summary: RequestSummary
) -> Outcome:
    failing = rule.action in (Action.ERROR, Action.AFTER_APPLY)
    close = failing and _no_response(api_key, body)
    return Outcome(None if close else response, close=close, fault_id=rule.id, summary=summary)


def _no_response(api_key: ApiKey, body: Any) -> bool:
    return api_key == ApiKey.PRODUCE and getattr(body, "acks", 1) == 0


def _arm_storage(rule: Rule, summary: RequestSummary) -> None:
    for topic, partition in summary.partitions():
        if not rule.matches_partition(topic, partition):
            continue
        directory = f"{topic}-{partition}"  # Kafka's log directory name
        if rule.action == Action.FAIL_WRITE:
            storage_faults.fail_next_write(rule.errno, partition=directory)
        else:
            storage_faults.fail_next_fsync(rule.errno, partition=directory)
