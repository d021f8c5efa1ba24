"""The fault plan: ordered rules checked against every request at dispatch (the idea of
franz-go kfake's ``ControlKey`` faults, with librdkafka's mock error stacks' counts).

    plan = FaultPlan()
    h = plan.add(api="Produce", topic="orders", partition=0, error="NOT_LEADER_OR_FOLLOWER",
                 count=1)
    ...                                   # a producer sends; one Produce gets the error
    assert h.wait(1, timeout=5)           # from the test thread, while the loop runs

A rule matches on any of: API, node id, topic, partition, group id, transactional id and
client id (each left out matches anything; ``partition`` without ``topic`` means that
partition of any topic). Rules are checked in the order added; the first rule that takes the
request wins. A rule whose matchers pass first lets ``skip`` requests through, then draws
from its own ``random.Random(seed)`` when ``probability`` < 1; a request let through this way
goes on to the later rules. A request the rule takes is a *hit*: after ``count`` hits the
rule retires (it stays listed, with its hits, until removed).

Actions (``Action``): ``error`` answers an error code without applying the request;
``drop`` closes the connection instead of answering; ``delay`` answers ``ms`` later;
``after_apply`` applies the request, then answers the error for what matched; ``observe``
only counts. ``fail_write`` and ``fail_fsync`` arm the storage fault shim
(``kafkalite.storage.faults``) for the next log write or fsync of each matched partition,
then let the request run: they match Produce unless given another API.

Thread-safety: the plan is changed from the test thread and read on the event loop; one lock
guards the rule list and the counters. ``FaultHandle.wait`` blocks any thread;
``wait_async`` suits coroutines.
"""

from __future__ import annotations

import asyncio
import errno as errno_codes
import itertools
import random
import threading
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kafkalite.faults.names import api_name, parse_api, parse_error
from kafkalite.faults.summary import RequestSummary
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.storage import faults as storage_faults

__all__ = [
    "Action",
    "FaultHandle",
    "FaultPlan",
    "Match",
    "Rule",
]


class Action(StrEnum):
    ERROR = "error"
    DROP = "drop"
    DELAY = "delay"
    AFTER_APPLY = "after_apply"
    OBSERVE = "observe"
    FAIL_WRITE = "fail_write"
    FAIL_FSYNC = "fail_fsync"


STORAGE_ACTIONS = frozenset({Action.FAIL_WRITE, Action.FAIL_FSYNC})
_NEEDS_ERROR = frozenset({Action.ERROR, Action.AFTER_APPLY})
_DEFAULT_ERRNO = {Action.FAIL_WRITE: errno_codes.ENOSPC, Action.FAIL_FSYNC: errno_codes.EIO}


@dataclass(slots=True, kw_only=True, eq=False)  # a rule is its identity
class Rule:
    """One rule: matchers, an action and its limits. Built by ``FaultPlan.add``."""

    id: int
    action: Action
    api: ApiKey | None = None
    node: int | None = None
    topic: str | None = None
    partition: int | None = None
    group: str | None = None
    transactional_id: str | None = None
    client_id: str | None = None
    error: ErrorCode | None = None
    ms: int = 0
    errno: int = 0
    count: int | None = None
    skip: int = 0
    probability: float = 1.0
    seed: int | None = None
    hits: int = 0
    seen: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False)

    @property
    def retired(self) -> bool:
        return self.count is not None and self.hits >= self.count

    @property
    def filters_partitions(self) -> bool:
        return self.topic is not None or self.partition is not None

    def matches_partition(self, topic: str, partition: int) -> bool:
        return (self.topic is None or topic == self.topic) and (
            self.partition is None or partition == self.partition
        )

    def applies(
        self, node_id: int, api_key: ApiKey, client_id: str | None, summary: RequestSummary
    ) -> bool:
        """Whether the matchers pass (count, skip and probability aside)."""
        if self.api is not None and api_key != self.api:
            return False
        if self.node is not None and node_id != self.node:
            return False
        if self.client_id is not None and client_id != self.client_id:
            return False
        if self.group is not None and self.group not in summary.groups:
            return False
        if self.transactional_id is not None and self.transactional_id not in summary.transactional_ids:
            return False
        if self.partition is not None:
            return any(self.matches_partition(t, p) for t, p in summary.partitions())
        return self.topic is None or self.topic in summary.topics

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "action": self.action.value,
            "api": api_name(self.api) if self.api is not None else None,
            "node": self.node,
            "topic": self.topic,
            "partition": self.partition,
            "group": self.group,
            "transactional_id": self.transactional_id,
            "client_id": self.client_id,
            "error": self.error.name if self.error is not None else None,
            "ms": self.ms,
            "errno": self.errno or None,
            "count": self.count,
            "skip": self.skip,
            "probability": self.probability,
            "seed": self.seed,
            "hits": self.hits,
            "retired": self.retired,
        }


@dataclass(frozen=True, slots=True)
class Match:
    """A hit: the rule that took a request, its handle, and the hit's number (from 1)."""

    rule: Rule
    handle: FaultHandle
    hit: int

    @property
    def id(self) -> int:
        return self.rule.id

    @property
    def action(self) -> Action:
        return self.rule.action


class FaultHandle:
    """What ``FaultPlan.add`` returns: the rule's id, its hit count, waits and removal."""

    __slots__ = ("_plan", "_rule", "id")

    def __init__(self, plan: FaultPlan, rule: Rule) -> None:
        self._plan = plan
        self._rule = rule  # kept after removal: hits and waits still answer
        self.id = rule.id

    @property
    def hits(self) -> int:
        return self._plan._hits(self._rule)

    def wait(self, hits: int = 1, timeout: float | None = None) -> bool:
        """Block until the rule has ``hits`` hits; False on timeout. Any thread but the
        event loop's (which would block the hits it waits for)."""
        return self._plan._wait(self._rule, hits, timeout)

    async def wait_async(self, hits: int = 1, timeout: float | None = None) -> bool:
        """``wait`` for coroutines on the event loop."""
        future = self._plan._waiter(self._rule, hits)
        try:
            await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return False
        finally:
            self._plan._forget_waiter(future)
        return True

    def remove(self) -> bool:
        return self._plan.remove(self.id)

    def describe(self) -> dict[str, Any]:
        return self._plan._describe(self._rule)

    def __repr__(self) -> str:
        return f"FaultHandle(id={self.id}, hits={self.hits})"


@dataclass(slots=True, eq=False)
class _AsyncWaiter:
    rule: Rule
    hits: int
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[None]


class FaultPlan:
    """An ordered list of rules; see the module docstring."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._rules: list[Rule] = []
        self._ids = itertools.count(1)
        self._waiters: list[_AsyncWaiter] = []

    def add(
        self,
        action: Action | str = Action.ERROR,
        *,
        api: ApiKey | int | str | None = None,
        error: ErrorCode | int | str | None = None,
        count: int | None = None,
        skip: int = 0,
        topic: str | None = None,
        partition: int | None = None,
        node: int | None = None,
        group: str | None = None,
        transactional_id: str | None = None,
        client_id: str | None = None,
        probability: float = 1.0,
        seed: int | None = None,
        ms: int = 0,
        errno: int | None = None,
    ) -> FaultHandle:
        """Append a rule. ``error`` is required for ``error`` and ``after_apply``, ``ms`` for
        ``delay``; ``count`` None means unlimited."""
        kind = Action(action)
        code = parse_error(error) if error is not None else None
        if kind in _NEEDS_ERROR and code is None:
            raise ValueError(f"action {kind.value!r} needs an error code")
        if kind == Action.DELAY and ms <= 0:
            raise ValueError("action 'delay' needs ms > 0")
        if count is not None and count < 1:
            raise ValueError("count must be at least 1 (or None for unlimited)")
        if skip < 0:
            raise ValueError("skip must not be negative")
        if not 0.0 <= probability <= 1.0:
            raise ValueError("probability must be within [0, 1]")
        api_key = parse_api(api) if api is not None else None
        if kind in STORAGE_ACTIONS:
            if topic is None:
                raise ValueError(f"action {kind.value!r} needs a topic")
            api_key = api_key if api_key is not None else ApiKey.PRODUCE
        with self._lock:
            rule = Rule(
                id=next(self._ids),
                action=kind,
                api=api_key,
                node=node,
                topic=topic,
                partition=partition,
                group=group,
                transactional_id=transactional_id,
                client_id=client_id,
                error=code,
                ms=ms,
                errno=errno if errno is not None else _DEFAULT_ERRNO.get(kind, 0),
                count=count,
                skip=skip,
                probability=probability,
                seed=seed,
                rng=random.Random(seed),
            )
            self._rules.append(rule)
        return FaultHandle(self, rule)

    def remove(self, rule_id: int) -> bool:
        """Remove a rule; False if there is none with that id."""
        with self._lock:
            before = len(self._rules)
            self._rules = [rule for rule in self._rules if rule.id != rule_id]
            return len(self._rules) != before

    def reset(self) -> None:
        """Remove every rule and disarm the storage failures not fired yet."""
        with self._lock:
            self._rules = []
        storage_faults.clear()

    def rules(self) -> list[FaultHandle]:
        with self._lock:
            return [FaultHandle(self, rule) for rule in self._rules]

    def describe(self) -> list[dict[str, Any]]:
        """Every rule, JSON-able, in order."""
        with self._lock:
            return [rule.describe() for rule in self._rules]


    def __len__(self) -> int:
        with self._lock:
            return len(self._rules)

    def match(
        self,
        *,
        node_id: int,
        api_key: ApiKey,
        client_id: str | None,
        summary: RequestSummary,
    ) -> Match | None:
        """The rule that takes this request, counting the hit, or None."""
        if not self._rules:  # read without the lock: the common case costs nothing
            return None
        with self._lock:
            for rule in self._rules:
                if rule.retired or not rule.applies(node_id, api_key, client_id, summary):
                    continue
                rule.seen += 1
                if rule.seen <= rule.skip:
                    continue
                if rule.probability < 1.0 and rule.rng.random() >= rule.probability:
                    continue
                rule.hits += 1
                self._changed.notify_all()
                self._wake(rule)
                return Match(rule, FaultHandle(self, rule), rule.hits)
        return None

    # -- hits and waits ----------------------------------------------------------------------

    def _describe(self, rule: Rule) -> dict[str, Any]:
        with self._lock:
            return rule.describe()

    def _hits(self, rule: Rule) -> int:
        with self._lock:
            return rule.hits

    def _wait(self, rule: Rule, hits: int, timeout: float | None) -> bool:
        with self._lock:
            return self._changed.wait_for(lambda: rule.hits >= hits, timeout)

    def _waiter(self, rule: Rule, hits: int) -> asyncio.Future[None]:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if rule.hits >= hits:
                future.set_result(None)
            else:
                self._waiters.append(_AsyncWaiter(rule, hits, loop, future))
        return future

    def _forget_waiter(self, future: asyncio.Future[None]) -> None:
        with self._lock:
            self._waiters = [w for w in self._waiters if w.future is not future]

    def _wake(self, rule: Rule) -> None:  # with the lock held
        waiting: list[_AsyncWaiter] = []
        for waiter in self._waiters:
            if waiter.rule is rule and rule.hits >= waiter.hits:
                waiter.loop.call_soon_threadsafe(_resolve, waiter.future)
            else:
                waiting.append(waiter)
        self._waiters = waiting


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
