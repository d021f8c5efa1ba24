"""What the slow-request log line says about a request, and when a request counts as slow.

A request slower than ``kafkalite.slow.request.ms`` is logged at INFO on
``kafkalite.request`` with its summary: the topics and partitions it names, the group or
transactional id it is about, and the sizes that explain time (bytes produced, fetch
limits). Waits a request asks for are not slowness: a Fetch may wait ``max_wait_ms`` and a
JoinGroup its ``rebalance_timeout_ms``, so those are added to the threshold.
"""

from __future__ import annotations

from typing import Any

from kafkalite.protocol.connection import Request
from kafkalite.protocol.messages import ApiKey

__all__ = ["request_summary", "slow_threshold_ms"]

_MAX_TOPICS_SHOWN = 5


def slow_threshold_ms(threshold_ms: int, request: Request) -> float:
    """Time past which ``request`` is logged as slow."""
    body: Any = request.body
    if request.api_key == ApiKey.FETCH:
        return threshold_ms + max(0, int(getattr(body, "max_wait_ms", 0)))
    if request.api_key == ApiKey.JOIN_GROUP:
        return threshold_ms + max(0, int(getattr(body, "rebalance_timeout_ms", 0) or 0))
    return threshold_ms


def request_summary(request: Request) -> str:
    """A short ``key=value`` description of what ``request`` asks for."""
    body: Any = request.body
    parts: list[str] = []
    for name in ("group_id", "transactional_id"):
        value = getattr(body, name, None)
        if isinstance(value, str) and value:
            parts.append(f"{name}={value}")
    if request.api_key == ApiKey.PRODUCE:
        parts.append(f"acks={body.acks}")
        sizes = [
            (topic.name, part.index, _size(part.records))
            for topic in body.topic_data
            for part in topic.partition_data
        ]
        parts.append(f"bytes={sum(size for _, _, size in sizes)}")
        parts.append("partitions=" + _partitions((t, p) for t, p, _ in sizes))
    elif request.api_key == ApiKey.FETCH:
        parts.append(f"max_wait_ms={body.max_wait_ms} min_bytes={body.min_bytes}")
        parts.append(
            "partitions="
            + _partitions(
                (topic.topic, part.partition)
                for topic in body.topics
                for part in topic.partitions
            )
        )
    else:
        topics = getattr(body, "topics", None)
        if isinstance(topics, list) and topics:
            names = [str(getattr(t, "name", None) or getattr(t, "topic", "") or t) for t in topics]
            shown = ",".join(names[:_MAX_TOPICS_SHOWN])
            more = len(names) - _MAX_TOPICS_SHOWN
            parts.append(f"topics={shown}" + (f",+{more} more" if more > 0 else ""))
    return " ".join(parts)


def _size(records: object) -> int:
    if records is None:
        return 0
    length = getattr(records, "length", None)
    return int(length) if length is not None else len(records)  # type: ignore[arg-type]


def _partitions(pairs: Any) -> str:
    by_topic: dict[str, list[int]] = {}
    for topic, partition in pairs:
        by_topic.setdefault(topic, []).append(partition)
    shown = [
        f"{topic}[{','.join(map(str, parts))}]"
        for topic, parts in list(by_topic.items())[:_MAX_TOPICS_SHOWN]
    ]
    more = len(by_topic) - _MAX_TOPICS_SHOWN
    return ";".join(shown) + (f";+{more} topics" if more > 0 else "")
