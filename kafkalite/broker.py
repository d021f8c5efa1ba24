"""``Broker``: owns the logs, the listener and the fetch waiters; starts and stops them.

One asyncio event loop owns all broker state, so nothing here needs a lock.
Other threads (the flusher) hand results back only through ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Iterable
from pathlib import Path

from kafkalite.config import BrokerConfig
from kafkalite.groups import GroupCoordinator
from kafkalite.groups.api import GroupConfig
from kafkalite.producer_ids import ProducerIdAllocator
from kafkalite.protocol.consumer_protocol import subscribed_topics
from kafkalite.protocol.errors import ErrorCode, KafkaError
from kafkalite.storage.config import LogConfig
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.manager import LogManager, TopicInfo, topic_name_error

__all__ = ["Broker", "topic_name_error"]

log = logging.getLogger(__name__)


class Broker:
    def __init__(self, config: BrokerConfig) -> None:
        self.config = config
        self.logs = LogManager(
            Path(config.data_dir),
            default_config=self.default_log_config(),
            flush_interval_ms=config.log_flush_interval_ms,
            flusher_cpu=_pick_cpu(config.flush_thread_cpu),
            node_id=config.node_id,
            retention_check_interval_ms=config.log_retention_check_interval_ms,
            cleaner_enable=config.log_cleaner_enable,
            cleaner_backoff_ms=config.log_cleaner_backoff_ms,
        )
        self.producer_ids: ProducerIdAllocator | None = None
        self.groups = GroupCoordinator(
            self.logs,
            config=GroupConfig(
                group_min_session_timeout_ms=config.group_min_session_timeout_ms,
                group_max_session_timeout_ms=config.group_max_session_timeout_ms,
                group_initial_rebalance_delay_ms=config.group_initial_rebalance_delay_ms,
            ),
            subscribed_topics=subscribed_topics,
            offsets_topic_num_partitions=config.offsets_topic_num_partitions,
        )
        self._listener: object | None = None
        self._waiters: dict[tuple[str, int], set[asyncio.Future[None]]] = {}
        self.started_at = time.time()

    # --- lifecycle -------------------------------------------------------------------

    async def start(self) -> tuple[str, int]:
        from kafkalite.server.listener import Listener

        started = time.perf_counter()
        self.logs.start()
        self.producer_ids = ProducerIdAllocator(
            Path(self.config.data_dir), floor=self._largest_producer_id() + 1
        )
        self.groups.start()
        self._check_committed_offsets()
        listener = Listener(self, self.config.host, self.config.port)
        try:
            host, port = await listener.start()
        except BaseException:
            self.groups.close()
            self.logs.shutdown()
            raise
        self._listener = listener
        if self.config.port == 0:
            self.config = _replace_port(self.config, port)
        log.info("logs loaded in %.1f ms", (time.perf_counter() - started) * 1000)
        return host, port

    async def stop(self) -> None:
        from kafkalite.server.listener import Listener

        if isinstance(self._listener, Listener):
            await self._listener.close(self.config.shutdown_timeout_ms / 1000)
        self.groups.close()
        self.logs.shutdown()

    def _largest_producer_id(self) -> int:
        return max(
            (
                pid
                for info in self.logs.topics().values()
                for partition_log in info.partitions
                for pid in partition_log.producer_state.producers
            ),
            default=-1,
        )

    def _check_committed_offsets(self) -> None:
        """Warn about committed offsets past their partition's log end (a log cut back by
        recovery after a machine crash under the default flush policy). They are kept, as
        Kafka keeps them: the consumer's fetch gets OFFSET_OUT_OF_RANGE and it resets by its
        ``auto.offset.reset``."""
        offsets = self.groups.offsets
        for group_id in sorted(offsets.group_ids()):
            for tp, committed in offsets.committed(group_id).items():
                partition_log = self.logs.get_partition(tp.topic, tp.partition)
                if partition_log is not None and committed.offset > partition_log.log_end_offset:
                    log.warning(
                        "group %s: committed offset %d of %s-%d is past the log end offset %d; "
                        "its consumers will reset by auto.offset.reset",
                        group_id,
                        committed.offset,
                        tp.topic,
                        tp.partition,
                        partition_log.log_end_offset,
                    )

    @property
    def node_id(self) -> int:
        return self.logs.node_id

    @property
    def cluster_id(self) -> str:
        return self.logs.cluster_id

    # --- topics ----------------------------------------------------------------------

    def default_log_config(self) -> LogConfig:
        c = self.config
        return LogConfig(
            segment_bytes=c.log_segment_bytes,
            segment_index_bytes=c.log_index_size_max_bytes,
            index_interval_bytes=c.log_index_interval_bytes,
            flush_messages=c.log_flush_interval_messages,
            message_timestamp_type=c.log_message_timestamp_type,
            max_message_bytes=c.message_max_bytes,
            retention_ms=c.log_retention_ms,
            retention_bytes=c.log_retention_bytes,
            cleanup_policy=c.log_cleanup_policy,
            segment_ms=c.log_roll_ms,
        )

    def topics(self) -> dict[str, TopicInfo]:
        return self.logs.topics()

    def partition(self, topic: str, partition: int) -> PartitionLog | None:
        return self.logs.get_partition(topic, partition)

    def auto_create_topic(self, name: str) -> TopicInfo:
        """Create ``name`` with ``num.partitions`` partitions, as Kafka's auto-creation does."""
        error = topic_name_error(name)
        if error is not None:
            raise KafkaError(error, ErrorCode.INVALID_TOPIC_EXCEPTION)
        info = self.logs.create_topic(name, self.config.num_partitions)
        log.info("auto-created topic %s with %d partitions", name, self.config.num_partitions)
        return info

    # --- fetch waiters ---------------------------------------------------------------

    def notify_append(self, topic: str, partition: int) -> None:
        waiters = self._waiters.pop((topic, partition), None)
        if waiters:
            for waiter in waiters:
                if not waiter.done():
                    waiter.set_result(None)

    async def wait_for_append(
        self, partitions: Iterable[tuple[str, int]], timeout: float, closing: asyncio.Event
    ) -> None:
        """Return when any of ``partitions`` gets an append, the broker closes, or ``timeout`` passes."""
        if timeout <= 0 or closing.is_set():
            return
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        keys = list(partitions)
        for key in keys:
            self._waiters.setdefault(key, set()).add(waiter)

        def wake(*_: object) -> None:
            if not waiter.done():
                waiter.set_result(None)

        closing_task = asyncio.ensure_future(closing.wait())
        closing_task.add_done_callback(wake)
        handle = loop.call_later(timeout, wake)
        try:
            await waiter
        finally:
            handle.cancel()
            closing_task.cancel()
            for key in keys:
                waiters = self._waiters.get(key)
                if waiters is not None:
                    waiters.discard(waiter)
                    if not waiters:
                        del self._waiters[key]


def _pick_cpu(setting: int | None) -> int | None:
    if setting is None or not hasattr(os, "sched_getaffinity"):
        return None
    if setting == -1:
        return max(os.sched_getaffinity(0))
    return setting


def _replace_port(config: BrokerConfig, port: int) -> BrokerConfig:
    import dataclasses

    return dataclasses.replace(config, port=port)
