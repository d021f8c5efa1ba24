"""``GET /metrics``: the broker's counts in the Prometheus text format.

Names follow Kafka's JMX metrics as the Prometheus JMX exporter's usual Kafka rules write
them (``kafka.server<type=BrokerTopicMetrics, name=MessagesInPerSec, topic=t><>Count``
becomes ``kafka_server_brokertopicmetrics_messagesin_total{topic="t"}``), so dashboards
made for Kafka work; consumer-group lag uses kafka_exporter's names
(``kafka_consumergroup_lag``), as Kafka exposes no lag itself. Latencies are Prometheus
histograms in milliseconds where Kafka's exporter shows quantiles. The full list is
``FAMILIES`` below and in the README.

The scrape costs the event loop one pass over plain objects: ``take_snapshot`` copies the
counters (``kafkalite.stats``) and reads each partition's offsets and size, yielding to
other tasks every ``_YIELD_EVERY`` partitions so a broker with many partitions keeps
serving; formatting the text (``prometheus_client``, imported on the first scrape) runs on
a worker thread from that copy.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.stats import (
    CleanerStats,
    Histogram,
    RecoveryStats,
    RequestStats,
    TopicStats,
    kafka_request_name,
)

if TYPE_CHECKING:
    from kafkalite.runtime import Runtime

__all__ = ["FAMILIES", "Snapshot", "render", "take_snapshot"]

_YIELD_EVERY = 2000

#: Every family ``/metrics`` serves: name, type and help.
FAMILIES: dict[str, tuple[str, str]] = {
    "kafka_server_brokertopicmetrics_messagesin_total": (
        "counter", "Records appended, per topic."),
    "kafka_server_brokertopicmetrics_bytesin_total": (
        "counter", "Bytes of record batches appended by producers, per topic."),
    "kafka_server_brokertopicmetrics_bytesout_total": (
        "counter", "Bytes of record batches sent to consumers, per topic."),
    "kafka_server_brokertopicmetrics_totalproducerequests_total": (
        "counter", "Produce requests, counted once per topic they write."),
    "kafka_server_brokertopicmetrics_failedproducerequests_total": (
        "counter", "Produce requests with an error on some partition of the topic."),
    "kafka_server_brokertopicmetrics_totalfetchrequests_total": (
        "counter", "Fetch requests, counted once per topic they read."),
    "kafka_server_brokertopicmetrics_failedfetchrequests_total": (
        "counter", "Fetch requests with an error on some partition of the topic."),
    "kafka_network_requestmetrics_requests_total": (
        "counter", "Requests answered, by API (Kafka's request name) and version."),
    "kafka_network_requestmetrics_totaltimems": (
        "histogram", "Time from taking a request up to its answer written, ms."),
    "kafka_network_requestmetrics_requestqueuetimems": (
        "histogram", "Time a complete request waited before it was taken up, ms."),
    "kafka_network_requestmetrics_errors_total": (
        "counter", "Error codes in responses, by API and error name (NONE included)."),
    "kafka_server_replicamanager_partitioncount": ("gauge", "Partitions, all topics."),
    "kafka_server_replicamanager_leadercount": ("gauge", "Partitions with an online leader."),
    "kafka_server_replicamanager_underreplicatedpartitions": (
        "gauge", "Partitions whose ISR is smaller than their replica list."),
    "kafka_server_replicamanager_offlinereplicacount": (
        "gauge", "Partitions whose log refuses appends (a failed fsync)."),
    "kafka_controller_kafkacontroller_activebrokercount": ("gauge", "Online nodes."),
    "kafka_server_kafkaserver_brokerstate": ("gauge", "3: running (Kafka's BrokerState)."),
    "kafka_log_log_size": ("gauge", "Bytes of a partition's segments."),
    "kafka_log_log_logendoffset": ("gauge", "A partition's log end offset."),
    "kafka_log_log_logstartoffset": ("gauge", "A partition's log start offset."),
    "kafka_log_log_numlogsegments": ("gauge", "Segments of a partition."),
    "kafka_consumergroup_current_offset": (
        "gauge", "A consumer group's committed offset of a partition."),
    "kafka_consumergroup_lag": (
        "gauge", "High watermark minus the group's committed offset, per partition."),
    "kafka_consumergroup_members": ("gauge", "Members of a consumer group."),
    "kafka_server_socket_server_metrics_connection_count": (
        "gauge", "Open client connections, per listener."),
    "kafka_server_socket_server_metrics_connection_creation_total": (
        "counter", "Client connections accepted, per listener."),
    "kafka_server_socket_server_metrics_connection_close_total": (
        "counter", "Client connections closed, per listener."),
    "kafka_log_logflushstats_logflushrateandtimems": (
        "histogram", "Time of each fsync of a partition log, ms."),
    "kafka_log_logmanager_remaininglogstorecover": (
        "gauge", "Partitions still to load at start (0 once the broker serves)."),
    "kafkalite_log_recovery_partitions": ("gauge", "Partitions loaded at the last start."),
    "kafkalite_log_recovery_bytes": ("gauge", "Bytes of segments loaded at the last start."),
    "kafkalite_log_recovery_unclean": (
        "gauge", "1 if the last start followed an unclean stop (logs were scanned)."),
    "kafkalite_log_recovery_seconds": ("gauge", "How long loading took at the last start."),
    "kafka_log_logcleaner_max_clean_time_secs": (
        "gauge", "Longest run of the log cleaner, seconds."),
    "kafka_log_logcleanermanager_time_since_last_run_ms": (
        "gauge", "Milliseconds since the log cleaner's last run ended (0: none yet)."),
    "kafka_log_logcleanermanager_uncleanable_partitions_count": (
        "gauge", "Partitions the cleaner gave up on until a restart."),
    "kafkalite_log_cleaner_runs_total": ("counter", "Log cleaner runs."),
    "kafkalite_log_cleaner_failures_total": ("counter", "Log cleaner runs that failed."),
    "kafkalite_log_cleaner_bytes_read_total": ("counter", "Bytes of segments cleaned."),
    "kafkalite_log_cleaner_bytes_written_total": ("counter", "Bytes the cleaned segments kept."),
    "kafkalite_slow_requests_total": (
        "counter", "Requests slower than kafkalite.slow.request.ms."),
    "kafkalite_uptime_seconds": ("gauge", "Seconds since the broker started."),
}


@dataclass(slots=True)
class PartitionRow:
    topic: str
    partition: int
    size: int
    log_start_offset: int
    log_end_offset: int
    high_watermark: int
    segments: int
    leader_online: bool
    under_replicated: bool
    offline: bool


@dataclass(slots=True)
class Snapshot:
    """What one scrape shows, copied on the loop; formatting reads nothing else."""

    requests: dict[ApiKey, RequestStats] = field(default_factory=dict)
    topics: dict[str, TopicStats] = field(default_factory=dict)
    partitions: list[PartitionRow] = field(default_factory=list)
    lag: list[tuple[str, str, int, int, int]] = field(default_factory=list)
    """(group, topic, partition, committed offset, lag)."""
    members: dict[str, int] = field(default_factory=dict)
    connections: dict[str, int] = field(default_factory=dict)
    connections_created: dict[str, int] = field(default_factory=dict)
    connections_closed: dict[str, int] = field(default_factory=dict)
    flush: Histogram = field(default_factory=Histogram)
    recovery: RecoveryStats = field(default_factory=RecoveryStats)
    cleaner: CleanerStats = field(default_factory=CleanerStats)
    slow_requests: int = 0
    online_nodes: int = 0
    uptime_s: float = 0.0
    now_ms: int = 0


async def take_snapshot(runtime: Runtime) -> Snapshot:
    """Copy what ``/metrics`` shows (on the loop, yielding on big clusters)."""
    stats = runtime.stats
    cluster = runtime.cluster
    snap = Snapshot(
        requests={key: _copy_request(value) for key, value in stats.requests.items()},
        topics={name: _copy_topic(value) for name, value in stats.topics.items()},
        connections=dict(stats.connections),
        connections_created=dict(stats.connections_created),
        connections_closed=dict(stats.connections_closed),
        slow_requests=stats.slow_requests,
        online_nodes=len(cluster.online_nodes()),
        uptime_s=time.time() - runtime.started_at,
        now_ms=time.time_ns() // 1_000_000,
    )
    logs = cluster.logs
    snap.flush = logs.flusher.stats.time_ms.copy()
    snap.recovery = _copy_slots(logs.recovery, RecoveryStats())
    snap.cleaner = _copy_slots(logs.cleaner.stats, CleanerStats())
    high_watermarks: dict[tuple[str, int], int] = {}
    online = {node.id for node in cluster.online_nodes()}
    seen = 0
    for name, info in list(cluster.topics().items()):
        for partition_log in list(info.partitions):
            if logs.get_topic(name) is not info:  # deleted while the scrape yielded
                break
            try:
                state = cluster.partition_state(name, partition_log.partition)
                leader_online = state.leader in online
                under = len(state.isr) < len(state.replicas)
            except (KeyError, ValueError, LookupError):
                leader_online, under = True, False
            segments = partition_log.segments
            row = PartitionRow(
                name, partition_log.partition, sum(s.size for s in segments),
                partition_log.log_start_offset, partition_log.log_end_offset,
                partition_log.high_watermark, len(segments), leader_online, under,
                partition_log.offline_reason is not None,
            )
            snap.partitions.append(row)
            high_watermarks[(name, row.partition)] = row.high_watermark
            seen += 1
            if seen % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
    offsets = cluster.groups.offsets
    for group_id in sorted(offsets.group_ids()):
        for tp, committed in list(offsets.committed(group_id).items()):
            end = high_watermarks.get((tp.topic, tp.partition))
            if end is None or committed.offset < 0:
                continue
            snap.lag.append(
                (group_id, tp.topic, tp.partition, committed.offset, max(0, end - committed.offset))
            )
            seen += 1
            if seen % _YIELD_EVERY == 0:
                await asyncio.sleep(0)
    for group in cluster.groups.groups.all_groups():
        snap.members[group.group_id] = len(group.members)
    return snap


def _copy_request(stats: RequestStats) -> RequestStats:
    copy = RequestStats()
    copy.versions = dict(stats.versions)
    copy.total_time = stats.total_time.copy()
    copy.queue_time = stats.queue_time.copy()
    copy.errors = dict(stats.errors)
    return copy


def _copy_topic(stats: TopicStats) -> TopicStats:
    copy: TopicStats = _copy_slots(stats, TopicStats())
    return copy


def _copy_slots(source: Any, target: Any) -> Any:
    for name in type(source).__slots__:
        setattr(target, name, getattr(source, name))
    return target


# -- formatting ----------------------------------------------------------------------------


def _error_name(code: int) -> str:
    try:
        return ErrorCode(code).name
    except ValueError:
        return str(code)


def _request_names(api_key: ApiKey) -> tuple[str, ...]:
    # Kafka counts a consumer's Fetch under both "Fetch" and "FetchConsumer".
    name = kafka_request_name(api_key)
    return (name, "FetchConsumer") if api_key == ApiKey.FETCH else (name,)


def families(snap: Snapshot) -> Iterator[Any]:
    """The metric families of ``snap`` (``prometheus_client`` objects)."""
    from prometheus_client.core import (
        CounterMetricFamily,
        GaugeMetricFamily,
        HistogramMetricFamily,
    )

    def family(name: str, labels: list[str] | None = None) -> Any:
        kind, doc = FAMILIES[name]
        if kind == "counter":
            # The client library appends _total to a counter's samples itself.
            return CounterMetricFamily(name.removesuffix("_total"), doc, labels=labels)
        if kind == "histogram":
            return HistogramMetricFamily(name, doc, labels=labels)
        return GaugeMetricFamily(name, doc, labels=labels)

    def histogram(metric: Any, labels: list[str], hist: Histogram) -> None:
        buckets, running = [], 0
        for bound, count in zip((*hist.bounds, float("inf")), hist.counts, strict=True):
            running += count
            buckets.append((_bound_text(bound), running))
        metric.add_metric(labels, buckets, hist.sum)

    # per topic
    topic_families = {
        "messagesin": "messages_in", "bytesin": "bytes_in", "bytesout": "bytes_out",
        "totalproducerequests": "produce_requests",
        "failedproducerequests": "failed_produce_requests",
        "totalfetchrequests": "fetch_requests", "failedfetchrequests": "failed_fetch_requests",
    }
    for short, attr in topic_families.items():
        metric = family(f"kafka_server_brokertopicmetrics_{short}_total", ["topic"])
        for name, stats in sorted(snap.topics.items()):
            metric.add_metric([name], getattr(stats, attr))
        yield metric
    # requests
    requests = family("kafka_network_requestmetrics_requests_total", ["request", "version"])
    total_time = family("kafka_network_requestmetrics_totaltimems", ["request"])
    queue_time = family("kafka_network_requestmetrics_requestqueuetimems", ["request"])
    errors = family("kafka_network_requestmetrics_errors_total", ["request", "error"])
    for api_key, api_stats in sorted(snap.requests.items()):
        for name in _request_names(api_key):
            for version, count in sorted(api_stats.versions.items()):
                requests.add_metric([name, str(version)], count)
            histogram(total_time, [name], api_stats.total_time)
            histogram(queue_time, [name], api_stats.queue_time)
            for code, count in sorted(api_stats.errors.items()):
                errors.add_metric([name, _error_name(code)], count)
    yield from (requests, total_time, queue_time, errors)
    # partitions
    gauges = {
        name: family(name, ["topic", "partition"])
        for name in (
            "kafka_log_log_size", "kafka_log_log_logendoffset", "kafka_log_log_logstartoffset",
            "kafka_log_log_numlogsegments",
        )
    }
    leaders = under = offline = 0
    for row in snap.partitions:
        labels = [row.topic, str(row.partition)]
        gauges["kafka_log_log_size"].add_metric(labels, row.size)
        gauges["kafka_log_log_logendoffset"].add_metric(labels, row.log_end_offset)
        gauges["kafka_log_log_logstartoffset"].add_metric(labels, row.log_start_offset)
        gauges["kafka_log_log_numlogsegments"].add_metric(labels, row.segments)
        leaders += row.leader_online
        under += row.under_replicated
        offline += row.offline
    yield from gauges.values()
    for name, value in (
        ("kafka_server_replicamanager_partitioncount", len(snap.partitions)),
        ("kafka_server_replicamanager_leadercount", leaders),
        ("kafka_server_replicamanager_underreplicatedpartitions", under),
        ("kafka_server_replicamanager_offlinereplicacount", offline),
        ("kafka_controller_kafkacontroller_activebrokercount", snap.online_nodes),
        ("kafka_server_kafkaserver_brokerstate", 3),
    ):
        metric = family(name)
        metric.add_metric([], value)
        yield metric
    # groups
    current = family("kafka_consumergroup_current_offset", ["consumergroup", "topic", "partition"])
    lag = family("kafka_consumergroup_lag", ["consumergroup", "topic", "partition"])
    for group, topic, partition, offset, behind in snap.lag:
        current.add_metric([group, topic, str(partition)], offset)
        lag.add_metric([group, topic, str(partition)], behind)
    members = family("kafka_consumergroup_members", ["consumergroup"])
    for group, count in sorted(snap.members.items()):
        members.add_metric([group], count)
    yield from (current, lag, members)
    # connections
    for name, values in (
        ("kafka_server_socket_server_metrics_connection_count", snap.connections),
        ("kafka_server_socket_server_metrics_connection_creation_total", snap.connections_created),
        ("kafka_server_socket_server_metrics_connection_close_total", snap.connections_closed),
    ):
        metric = family(name, ["listener"])
        for listener, value in sorted(values.items()):
            metric.add_metric([listener], value)
        yield metric
    # storage
    flush = family("kafka_log_logflushstats_logflushrateandtimems")
    histogram(flush, [], snap.flush)
    yield flush
    recovery, cleaner = snap.recovery, snap.cleaner
    since_last = snap.now_ms - cleaner.last_run_ms if cleaner.last_run_ms else 0
    storage_values: tuple[tuple[str, float], ...] = (
        ("kafka_log_logmanager_remaininglogstorecover",
         recovery.total - recovery.done if recovery.recovering else 0),
        ("kafkalite_log_recovery_partitions", recovery.done),
        ("kafkalite_log_recovery_bytes", recovery.bytes_loaded),
        ("kafkalite_log_recovery_unclean", int(recovery.unclean)),
        ("kafkalite_log_recovery_seconds", recovery.duration_s),
        ("kafka_log_logcleaner_max_clean_time_secs", cleaner.max_clean_time_s),
        ("kafka_log_logcleanermanager_time_since_last_run_ms", since_last),
        ("kafka_log_logcleanermanager_uncleanable_partitions_count", cleaner.uncleanable),
        ("kafkalite_log_cleaner_runs_total", cleaner.runs),
        ("kafkalite_log_cleaner_failures_total", cleaner.failures),
        ("kafkalite_log_cleaner_bytes_read_total", cleaner.bytes_read),
        ("kafkalite_log_cleaner_bytes_written_total", cleaner.bytes_written),
        ("kafkalite_slow_requests_total", snap.slow_requests),
        ("kafkalite_uptime_seconds", snap.uptime_s),
    )
    for name, amount in storage_values:
        metric = family(name)
        metric.add_metric([], amount)
        yield metric


def _bound_text(bound: float) -> str:
    if bound == float("inf"):
        return "+Inf"
    return repr(float(bound))


class _SnapshotCollector:
    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap

    def collect(self) -> Iterator[Any]:
        return families(self.snap)


def render(snap: Snapshot) -> bytes:
    """The Prometheus text exposition of ``snap``."""
    from prometheus_client import CollectorRegistry, generate_latest

    registry = CollectorRegistry(auto_describe=False)
    registry.register(_SnapshotCollector(snap))
    return generate_latest(registry)


async def metrics_view(request: web.Request) -> web.Response:
    from kafkalite.http.control_views import CONTROL

    runtime = request.app[CONTROL].runtime
    snap = await take_snapshot(runtime)
    body = await asyncio.to_thread(render, snap)
    return web.Response(
        body=body, headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"}
    )
