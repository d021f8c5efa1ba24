"""What the broker counts as it runs: plain integers in plain objects, cheap on the hot path.

Nothing here knows Prometheus. ``kafkalite.http.metrics`` reads these objects when
``/metrics`` is scraped and turns them into metric families named as Kafka's JMX metrics
appear through the JMX exporter; between scrapes a request costs a few dictionary look-ups
and integer additions (no label look-ups in a metrics library, no locks: the event loop is
the only writer, except ``FlushStats``, written by the flusher thread alone).

- ``Histogram``: fixed bucket bounds, one count per bucket, a sum and a count;
- ``RequestStats``: one API's requests by version, total time, queue time and error codes;
- ``TopicStats``: one topic's messages and bytes in, bytes out, produce and fetch requests;
- ``BrokerStats``: all of those plus connections per listener; ``record_request`` is what
  the connection calls once per answered request;
- ``FlushStats``, ``CleanerStats``, ``RecoveryStats``: the storage side (fsync time, log
  cleaner runs, recovery progress at start).
"""

from __future__ import annotations

import struct
from bisect import bisect_left
from collections.abc import Sequence
from typing import Any

from kafkalite.protocol.messages import ApiKey

__all__ = [
    "LATENCY_BUCKETS_MS",
    "BrokerStats",
    "CleanerStats",
    "FlushStats",
    "Histogram",
    "RecoveryStats",
    "RequestStats",
    "TopicStats",
    "count_errors",
    "kafka_request_name",
]

#: Upper bounds (ms) of the latency buckets; a last bucket holds what lies beyond.
LATENCY_BUCKETS_MS: tuple[float, ...] = (
    0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000,
)

# RecordBatch v2 header: recordsCount is the int32 at byte 57 (baseOffset 8, batchLength 4,
# partitionLeaderEpoch 4, magic 1, crc 4, attributes 2, lastOffsetDelta 4, baseTimestamp 8,
# maxTimestamp 8, producerId 8, producerEpoch 2, baseSequence 4).
_RECORDS_COUNT = struct.Struct(">i")
_RECORDS_COUNT_AT = 57


class Histogram:
    """Counts per bucket: ``counts[i]`` holds values in ``(bounds[i-1], bounds[i]]``, the
    last one those above every bound (Prometheus' ``le`` buckets, not yet cumulative)."""

    __slots__ = ("bounds", "count", "counts", "sum")

    def __init__(self, bounds: Sequence[float] = LATENCY_BUCKETS_MS) -> None:
        self.bounds = tuple(bounds)
        self.counts = [0] * (len(self.bounds) + 1)
        self.sum = 0.0
        self.count = 0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1
        self.sum += value
        self.count += 1

    def copy(self) -> Histogram:
        other = Histogram.__new__(Histogram)
        other.bounds, other.counts = self.bounds, list(self.counts)
        other.sum, other.count = self.sum, self.count
        return other


class RequestStats:
    __slots__ = ("errors", "queue_time", "total_time", "versions")

    def __init__(self) -> None:
        self.versions: dict[int, int] = {}
        self.total_time = Histogram()
        self.queue_time = Histogram()
        self.errors: dict[int, int] = {}
        """Error codes in the responses (Kafka's ``errorCounts``: NONE included)."""


class TopicStats:
    __slots__ = (
        "bytes_in",
        "bytes_out",
        "failed_fetch_requests",
        "failed_produce_requests",
        "fetch_requests",
        "messages_in",
        "produce_requests",
    )

    def __init__(self) -> None:
        self.messages_in = 0
        self.bytes_in = 0
        self.bytes_out = 0
        self.produce_requests = 0
        self.failed_produce_requests = 0
        self.fetch_requests = 0
        self.failed_fetch_requests = 0


class BrokerStats:
    """Every count of one runtime (all its nodes together)."""

    def __init__(self) -> None:
        self.requests: dict[ApiKey, RequestStats] = {}
        self.topics: dict[str, TopicStats] = {}
        self.connections: dict[str, int] = {}
        """Open connections by listener name."""
        self.connections_created: dict[str, int] = {}
        self.connections_closed: dict[str, int] = {}
        self.slow_requests = 0

    # -- connections -------------------------------------------------------------------------

    def connection_opened(self, listener: str) -> None:
        self.connections[listener] = self.connections.get(listener, 0) + 1
        self.connections_created[listener] = self.connections_created.get(listener, 0) + 1

    def connection_closed(self, listener: str) -> None:
        self.connections[listener] = self.connections.get(listener, 1) - 1
        self.connections_closed[listener] = self.connections_closed.get(listener, 0) + 1

    # -- requests ----------------------------------------------------------------------------

    def topic(self, name: str) -> TopicStats:
        stats = self.topics.get(name)
        if stats is None:
            stats = self.topics[name] = TopicStats()
        return stats

    def record_request(
        self,
        api_key: ApiKey,
        version: int,
        total_ms: float,
        queue_ms: float,
        body: Any,
        response: Any,
    ) -> None:
        """One answered request (``response`` None: acks=0 Produce)."""
        stats = self.requests.get(api_key)
        if stats is None:
            stats = self.requests[api_key] = RequestStats()
        stats.versions[version] = stats.versions.get(version, 0) + 1
        stats.total_time.observe(total_ms)
        stats.queue_time.observe(queue_ms)
        # Produce and Fetch count their partitions' error codes as they go through them
        # anyway; other responses are walked (one cached plan per message class).
        if api_key == ApiKey.PRODUCE:
            self._produced(body, response, stats.errors)
        elif api_key == ApiKey.FETCH and response is not None:
            self._fetched(response, stats.errors)
        elif response is not None:
            count_errors(response, stats.errors)

    def _produced(self, body: Any, response: Any, errors: dict[int, int]) -> None:
        failed: dict[tuple[str, int], int] = {}
        if response is not None:
            for topic in response.responses:
                for part in topic.partition_responses:
                    code = part.error_code
                    errors[code] = errors.get(code, 0) + 1
                    if code:
                        failed[(topic.name, part.index)] = code
        for topic in body.topic_data:
            stats = self.topic(topic.name)
            stats.produce_requests += 1
            topic_failed = False
            for part in topic.partition_data:
                if (topic.name, part.index) in failed:
                    topic_failed = True
                    continue
                records = part.records
                if records is None:
                    continue
                size = len(records) if not hasattr(records, "length") else records.length
                stats.bytes_in += size
                if size >= _RECORDS_COUNT_AT + 4:
                    stats.messages_in += _RECORDS_COUNT.unpack_from(records, _RECORDS_COUNT_AT)[0]
            if topic_failed:
                stats.failed_produce_requests += 1

    def _fetched(self, response: Any, errors: dict[int, int]) -> None:
        code = response.error_code
        errors[code] = errors.get(code, 0) + 1
        for topic in response.responses:
            stats = self.topic(topic.topic)
            stats.fetch_requests += 1
            failed = False
            for part in topic.partitions:
                code = part.error_code
                errors[code] = errors.get(code, 0) + 1
                if code:
                    failed = True
                records = part.records
                if records is None:
                    continue
                stats.bytes_out += records.length if hasattr(records, "length") else len(records)
            if failed:
                stats.failed_fetch_requests += 1


def kafka_request_name(api_key: ApiKey) -> str:
    """Kafka's name of an API in its request metrics: ``LIST_OFFSETS`` -> ``ListOffsets``."""
    return "".join(word.capitalize() for word in api_key.name.split("_"))


# -- error codes in a response -------------------------------------------------------------

# Per message class: (whether it has an error_code, the slots that may hold messages).
_PLANS: dict[type, tuple[bool, tuple[str, ...]]] = {}


def _plan(cls: type) -> tuple[bool, tuple[str, ...]]:
    plan = _PLANS.get(cls)
    if plan is None:
        slots: tuple[str, ...] = getattr(cls, "__slots__", ())
        annotations: dict[str, Any] = {}
        for klass in reversed(cls.__mro__):
            annotations.update(getattr(klass, "__annotations__", {}))
        nested = []
        for name in slots:
            text = str(annotations.get(name, ""))
            inner = text[5:] if text.startswith("list[") else text
            if inner[:1].isupper() and not inner.startswith("Records"):
                nested.append(name)
        plan = _PLANS[cls] = ("error_code" in slots, tuple(nested))
    return plan


def count_errors(message: Any, counts: dict[int, int]) -> None:
    """Add each ``error_code`` in ``message`` and its nested messages to ``counts``."""
    plan = _PLANS.get(message.__class__)
    has_error, nested = plan if plan is not None else _plan(message.__class__)
    if has_error:
        code = message.error_code
        counts[code] = counts.get(code, 0) + 1
    for name in nested:
        value = getattr(message, name)
        if isinstance(value, list):
            for item in value:
                if hasattr(item, "__slots__"):
                    count_errors(item, counts)
        elif value is not None and hasattr(value, "__slots__"):
            count_errors(value, counts)


# -- storage -------------------------------------------------------------------------------


class FlushStats:
    """fsyncs of partition logs (Kafka's ``LogFlushRateAndTimeMs``); written by the flusher
    thread only."""

    __slots__ = ("time_ms",)

    def __init__(self) -> None:
        self.time_ms = Histogram()


class CleanerStats:
    """The log cleaner's runs (Kafka's ``LogCleaner`` and ``LogCleanerManager`` metrics)."""

    __slots__ = ("failures", "last_run_ms", "max_clean_time_s", "runs", "bytes_read",
                 "bytes_written", "uncleanable")

    def __init__(self) -> None:
        self.runs = 0
        self.failures = 0
        self.bytes_read = 0
        self.bytes_written = 0
        self.max_clean_time_s = 0.0
        self.last_run_ms = 0
        """Wall-clock time (ms) the last run ended; 0: none yet."""
        self.uncleanable = 0


class RecoveryStats:
    """Loading the data directory at start: partitions done of total, bytes of segments
    loaded, whether the last stop was unclean (so logs were scanned)."""

    __slots__ = ("bytes_loaded", "done", "duration_s", "recovering", "total", "unclean")

    def __init__(self) -> None:
        self.total = 0
        self.done = 0
        self.bytes_loaded = 0
        self.unclean = False
        self.recovering = False
        self.duration_s = 0.0
