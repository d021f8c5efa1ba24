"""What a request is about, read from any decoded request: the topics and partitions it
names, its group ids and its transactional ids. Also, the error codes a response carries.

Generic over the generated message classes: it reads the attribute names Kafka's schemas use
(``topics``/``topic_data``/``topic_names``, ``name``/``topic``, ``partitions``/
``partition_data``/``partition_indexes`` with ``partition_index``/``index``/``partition``,
``group_id``/``groups``/``groups_names``, ``transactional_id``/``transactional_ids``), so an
API added to ``protocol/messages`` is summarized without a change here. Batched requests hold
their topics in entries of an outer list: AddPartitionsToTxn v4+ ``transactions`` (each with
its transactional id) and WriteTxnMarkers ``markers``. FindCoordinator's keys are group ids
(key_type 0) or transactional ids (key_type 1); DescribeConfigs/AlterConfigs resources of type
TOPIC (2) name topics.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kafkalite.protocol.message import Message

__all__ = [
    "STEP",
    "RequestSummary",
    "error_codes",
    "error_codes_in_steps",
    "partition_index",
    "partition_list",
    "summarize",
    "summarize_in_steps",
    "topic_name",
]

_TOPIC_LISTS = ("topic_data", "topics", "topic_names")
_TOPIC_NAMES = ("name", "topic")
_PARTITION_LISTS = ("partition_data", "partitions", "partition_indexes")
_PARTITION_KEYS = ("partition_index", "index", "partition")
_GROUP_LISTS = ("groups", "groups_names")
_BATCH_LISTS = ("transactions", "markers")  # AddPartitionsToTxn v4+, WriteTxnMarkers
_RESOURCE_TOPIC = 2  # ConfigResource.Type.TOPIC
_KEY_TYPE_TRANSACTION = 1  # FindCoordinatorRequest.CoordinatorType.TRANSACTION


@dataclass(frozen=True, slots=True)
class RequestSummary:
    """``topics`` maps each topic named to its partitions (empty when the request names the
    topic only, as Metadata or CreateTopics do). A batched AddPartitionsToTxn or a
    DescribeTransactions names several ``transactional_ids``."""

    topics: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    groups: tuple[str, ...] = ()
    transactional_ids: tuple[str, ...] = ()

    @property
    def group_id(self) -> str | None:
        return self.groups[0] if self.groups else None

    @property
    def transactional_id(self) -> str | None:
        return self.transactional_ids[0] if self.transactional_ids else None

    def partitions(self) -> Iterator[tuple[str, int]]:
        for topic, partitions in self.topics.items():
            for partition in partitions:
                yield topic, partition

    def to_json(self) -> dict[str, Any]:
        return {
            "topics": {topic: list(parts) for topic, parts in self.topics.items()},
            "groups": list(self.groups),
            "transactional_id": self.transactional_id,
            "transactional_ids": list(self.transactional_ids),
        }


STEP = 2000
"""Entries the ``_in_steps`` forms read between two steps: a few milliseconds of work."""

Steps = Generator[None, None, Any]


def summarize(api_key: int, body: Any) -> RequestSummary:
    """The topics, partitions, groups and transactional ids ``body`` names."""
    fast = _FAST.get(api_key)
    if fast is not None:
        return fast(body)
    summary: RequestSummary = _finish(_summarize_steps(body, 0))
    return summary


def summarize_in_steps(api_key: int, body: Any) -> Generator[None, None, RequestSummary]:
    """``summarize`` for a large request: the same summary, with a step (a ``None``) every
    ``STEP`` partitions or so, where the caller may let other work run."""
    if api_key == 0:
        return (yield from _produce_steps(body))
    if api_key == 1:
        return (yield from _fetch_steps(body))
    return (yield from _summarize_steps(body, STEP))


def _finish(steps: Steps) -> Any:
    """Run ``steps`` to the end at once and return its value."""
    try:
        while True:
            next(steps)
    except StopIteration as done:
        return done.value


def _summarize_steps(body: Any, step: int) -> Generator[None, None, RequestSummary]:
    topics: dict[str, dict[int, None]] = {}  # partitions as an ordered set
    groups: list[str] = []
    transactional_ids = [_string(_get(body, "transactional_id"))]
    transactional_ids.extend(_string(t) for t in _get(body, "transactional_ids") or ())
    yield from _collect_topics_steps(body, topics, step)
    for name in _BATCH_LISTS:
        for batch in _get(body, name) or ():
            if isinstance(batch, Message):
                transactional_ids.append(_string(_get(batch, "transactional_id")))
                yield from _collect_topics_steps(batch, topics, step)
    group_id = _string(_get(body, "group_id"))
    if group_id:
        groups.append(group_id)
    for name in _GROUP_LISTS:
        for item in _get(body, name) or ():
            if isinstance(item, str):
                groups.append(item)
            elif isinstance(item, Message):
                nested = _string(_get(item, "group_id"))
                if nested:
                    groups.append(nested)
                yield from _collect_topics_steps(item, topics, step)
    keys = [_string(_get(body, "key")), *(_get(body, "coordinator_keys") or ())]
    for key in filter(None, keys):
        if (_get(body, "key_type") or 0) == _KEY_TYPE_TRANSACTION:
            transactional_ids.append(key)
        else:
            groups.append(key)
    for resource in _get(body, "resources") or ():
        if _get(resource, "resource_type") == _RESOURCE_TOPIC:
            topics.setdefault(resource.resource_name, {})
    return RequestSummary(
        topics={topic: tuple(parts) for topic, parts in topics.items()},
        groups=tuple(dict.fromkeys(groups)),
        transactional_ids=tuple(dict.fromkeys(filter(None, transactional_ids))),
    )


def _collect_topics_steps(
    owner: Any, topics: dict[str, dict[int, None]], step: int
) -> Generator[None, None, None]:
    """Adds the topics and partitions ``owner`` names to ``topics``; with ``step`` > 0,
    yields about every ``step`` entries."""
    done = 0
    for list_name in _TOPIC_LISTS:
        for topic in _get(owner, list_name) or ():
            done += 1
            if isinstance(topic, str):
                topics.setdefault(topic, {})
                continue
            name = topic_name(topic)
            if name is None:  # e.g. a Metadata or DeleteTopics entry by topic id
                continue
            partitions = topics.setdefault(name, {})
            entries = partition_list(topic)
            if not step or len(entries) <= step:
                for partition in entries:
                    partitions[partition_index(partition)] = None
                done += len(entries)
            else:
                for start in range(0, len(entries), step):
                    for partition in entries[start : start + step]:
                        partitions[partition_index(partition)] = None
                    yield
            if step and done >= step:
                done = 0
                yield


def topic_name(topic: Any) -> str | None:
    """The name of a topic entry of a request or response."""
    for attribute in _TOPIC_NAMES:
        value = _get(topic, attribute)
        if isinstance(value, str):
            return value
    return None


def partition_list(topic: Any) -> list[Any]:
    """The partition entries (structs or plain indexes) of a topic entry."""
    for attribute in _PARTITION_LISTS:
        value = _get(topic, attribute)
        if isinstance(value, list):
            return value
    return []


def partition_index(partition: Any) -> int:
    """The index of a partition entry: the entry itself, or its index field."""
    if isinstance(partition, int):
        return partition
    for attribute in _PARTITION_KEYS:
        value = _get(partition, attribute)
        if isinstance(value, int):
            return value
    raise TypeError(f"{type(partition).__name__} has no partition index")


def _summarize_produce(body: Any) -> RequestSummary:
    topics: dict[str, dict[int, None]] = {}
    for topic in body.topic_data:
        partitions = topics.setdefault(topic.name, {})
        for data in topic.partition_data:
            partitions[data.index] = None
    return RequestSummary(
        topics={name: tuple(parts) for name, parts in topics.items()},
        transactional_ids=(body.transactional_id,) if body.transactional_id else (),
    )


def _summarize_fetch(body: Any) -> RequestSummary:
    topics: dict[str, dict[int, None]] = {}
    for topic in body.topics:
        partitions = topics.setdefault(topic.topic, {})
        for wanted in topic.partitions:
            partitions[wanted.partition] = None
    return RequestSummary(topics={name: tuple(parts) for name, parts in topics.items()})


def _partition_steps(
    named: Any, partitions_of: Callable[[Any], Any], index_of: Callable[[Any], int]
) -> Generator[None, None, dict[str, tuple[int, ...]]]:
    """``topic name -> partition indexes`` of ``named`` (name, topic) pairs, STEP
    partitions per slice."""
    topics: dict[str, dict[int, None]] = {}
    for name, topic in named:
        partitions = topics.setdefault(name, {})
        entries = partitions_of(topic)
        for start in range(0, len(entries), STEP):
            for entry in entries[start : start + STEP]:
                partitions[index_of(entry)] = None
            yield
    summary = {}
    for name, parts in topics.items():
        summary[name] = tuple(parts)
        yield
    return summary


def _produce_steps(body: Any) -> Generator[None, None, RequestSummary]:
    summary = yield from _partition_steps(
        ((topic.name, topic) for topic in body.topic_data),
        lambda topic: topic.partition_data,
        lambda data: data.index,
    )
    return RequestSummary(
        topics=summary,
        transactional_ids=(body.transactional_id,) if body.transactional_id else (),
    )


def _fetch_steps(body: Any) -> Generator[None, None, RequestSummary]:
    summary = yield from _partition_steps(
        ((topic.topic, topic) for topic in body.topics),
        lambda topic: topic.partitions,
        lambda wanted: wanted.partition,
    )
    return RequestSummary(topics=summary)


# Produce and Fetch are most of the traffic; every request is summarized for the journal.
_FAST: dict[int, Callable[[Any], RequestSummary]] = {0: _summarize_produce, 1: _summarize_fetch}


def error_codes(response: Any) -> list[int]:
    """The distinct non-zero ``error_code`` values anywhere in ``response``, in the order
    first met (top level first, then each nested entry)."""
    found: dict[int, None] = {}
    fast = _FAST_ERRORS.get(type(response).__name__)
    if fast is not None:
        fast(response, found)
    else:
        _walk_errors(response, found)
    return list(found)


def error_codes_in_steps(response: Any) -> Generator[None, None, list[int]]:
    """``error_codes`` for a large response, with a step every ``STEP`` entries or so."""
    found: dict[int, None] = {}
    name = type(response).__name__
    if name == "ProduceResponse":
        for topic in response.responses:
            entries = topic.partition_responses
            for start in range(0, len(entries), STEP):
                for part in entries[start : start + STEP]:
                    if part.error_code:
                        found.setdefault(part.error_code, None)
                yield
    elif name == "FetchResponse":
        if response.error_code:
            found.setdefault(response.error_code, None)
        for topic in response.responses:
            entries = topic.partitions
            for start in range(0, len(entries), STEP):
                for part in entries[start : start + STEP]:
                    if part.error_code:
                        found.setdefault(part.error_code, None)
                yield
    else:
        yield from _walk_errors_steps(response, found, [0])
    return list(found)


def _walk_errors_steps(
    message: Any, found: dict[int, None], walked: list[int]
) -> Generator[None, None, None]:
    """``_walk_errors`` with a step every ``STEP`` messages (``walked`` counts them)."""
    if not isinstance(message, Message):
        return
    walked[0] += 1
    if walked[0] >= STEP:
        walked[0] = 0
        yield
    has_error, nested = _shape(type(message))
    if has_error:
        code = message.error_code  # type: ignore[attr-defined]
        if isinstance(code, int) and code:
            found.setdefault(int(code), None)
    for name in nested:
        value = getattr(message, name)
        if isinstance(value, list):
            for item in value:
                yield from _walk_errors_steps(item, found, walked)
        elif isinstance(value, Message):
            yield from _walk_errors_steps(value, found, walked)


def _produce_errors(response: Any, found: dict[int, None]) -> None:
    for topic in response.responses:
        for part in topic.partition_responses:
            if part.error_code:
                found.setdefault(part.error_code, None)


def _fetch_errors(response: Any, found: dict[int, None]) -> None:
    if response.error_code:
        found.setdefault(response.error_code, None)
    for topic in response.responses:
        for part in topic.partitions:
            if part.error_code:
                found.setdefault(part.error_code, None)


_FAST_ERRORS: dict[str, Callable[[Any, dict[int, None]], None]] = {
    "ProduceResponse": _produce_errors,
    "FetchResponse": _fetch_errors,
}


def _walk_errors(message: Any, found: dict[int, None]) -> None:
    if not isinstance(message, Message):
        return
    has_error, nested = _shape(type(message))
    if has_error:
        code = message.error_code  # type: ignore[attr-defined]
        if isinstance(code, int) and code:
            found.setdefault(int(code), None)
    for name in nested:
        value = getattr(message, name)
        if isinstance(value, list):
            for item in value:
                _walk_errors(item, found)
        elif isinstance(value, Message):
            _walk_errors(value, found)


# Per generated class: whether it has an ``error_code`` and which slots may hold structs or
# lists of structs (read from the class's annotations), so that walking a response costs
# nothing for its primitive fields: this runs for every request the journal records.
_SHAPES: dict[type, tuple[bool, tuple[str, ...]]] = {}
_PRIMITIVE_TYPES = frozenset({"int", "str", "bytes", "bool", "float", "Records", "uuid.UUID"})


def _shape(cls: type) -> tuple[bool, tuple[str, ...]]:
    shape = _SHAPES.get(cls)
    if shape is None:
        hints: dict[str, str] = {}
        for klass in reversed(cls.__mro__):
            hints.update(getattr(klass, "__annotations__", {}))
        nested = []
        for name in cls.__slots__:  # type: ignore[attr-defined]
            hint = str(hints.get(name, "?")).replace(" | None", "").strip()
            if hint.startswith("list[") and hint.endswith("]"):
                hint = hint[5:-1]
            if hint not in _PRIMITIVE_TYPES:
                nested.append(name)
        shape = _SHAPES[cls] = ("error_code" in cls.__slots__, tuple(nested))  # type: ignore[attr-defined]
    return shape


def _get(owner: Any, name: str) -> Any:
    """``getattr(owner, name, None)`` without the cost of a missing attribute's exception."""
    slots = _SLOTS.get(type(owner))
    if slots is None:
        slots = _SLOTS[type(owner)] = frozenset(getattr(type(owner), "__slots__", ()))
    return getattr(owner, name) if name in slots else None


_SLOTS: dict[type, frozenset[str]] = {}


def _string(value: object) -> str | None:
    return value if isinstance(value, str) else None
