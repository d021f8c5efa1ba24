"""LogManager: the data directory, its topics and partitions, start-up and shutdown.

Layout (Kafka's, plus one file of ours)::

    <data-dir>/meta.properties                    cluster.id, node.id (KRaft form)
    <data-dir>/recovery-point-offset-checkpoint   flushed offset per partition
    <data-dir>/log-start-offset-checkpoint
    <data-dir>/.kafka_cleanshutdown               present only after a clean shutdown
    <data-dir>/kafkalite-topics.json              topic ids, partition counts, config overrides
    <data-dir>/<topic>-<partition>/               partition.metadata, segments, snapshots

Kafka keeps topic ids, partition counts and config overrides in its metadata log; kafkalite
keeps them in ``kafkalite-topics.json`` (format in ``checkpoint``), rewritten atomically on
every change. A partition directory name is split at its *last* '-', since topic names may
contain '-', '.' and '_'. Directories named ``*-delete`` are the remains of deleted topics and
are removed at start. A partition directory that the topics file does not list (its topic
unknown, or its number at or past the recorded count) is renamed ``*-stray`` and not
loaded, so a half-made topic never comes back as a live one (with no topics file at all,
as in a data directory from before it, every directory is loaded).

``start``: read or create ``meta.properties`` (a fresh 22-character cluster id); load every
partition, recovering past the recovery point when ``.kafka_cleanshutdown`` is absent; delete
the marker while running; start the flusher, which also syncs dirty logs every
``flush_interval_ms`` and rewrites the checkpoints every ``checkpoint_interval_ms`` (Kafka's
``log.flush.offset.checkpoint.interval.ms``, 60 s).

Background work on the event loop that called ``start`` (``retention``, ``cleaner``): every
``retention_check_interval_ms`` (Kafka's ``log.retention.check.interval.ms``, 5 minutes)
old segments are deleted and the log-start-offset checkpoint rewritten; with
``cleaner_enable`` (``log.cleaner.enable``) compacted logs are cleaned on a worker thread,
looking for work every ``cleaner_backoff_ms`` (``log.cleaner.backoff.ms``, 15 s) when idle.
Without a running loop neither runs by itself (``retention.run_once`` and
``cleaner.clean_now`` run them by hand).

``shutdown``: stop retention and the cleaner, stop the flusher (running every queued job),
close every log (final fsync, producer snapshot), write both checkpoints, then the
clean-shutdown marker.

Topic administration (create, delete, add partitions, alter configs) runs on the event loop
and fsyncs a few small files: an admin path, rare enough to accept that.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import re
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from kafkalite.stats import RecoveryStats
from kafkalite.storage import checkpoint as files
from kafkalite.storage.cleaner import DEFAULT_CLEANER_BACKOFF_MS, LogCleaner
from kafkalite.storage.config import LogConfig
from kafkalite.storage.errors import (
    InvalidConfigError,
    InvalidPartitionsError,
    InvalidTopicError,
    KafkaStorageError,
    StorageError,
    TopicAlreadyExistsError,
    UnknownTopicOrPartitionError,
)
from kafkalite.storage.flusher import DEFAULT_FLUSH_INTERVAL_MS, Flusher
from kafkalite.storage.loader import create_partition_log, load_partition_log
from kafkalite.storage.log import PartitionLog
from kafkalite.storage.open_files import OpenFiles, auto_capacity
from kafkalite.storage.retention import (
    DEFAULT_RETENTION_CHECK_INTERVAL_MS,
    RetentionTask,
    SegmentDeleter,
)
from kafkalite.storage.steps import Steps, run_now

#: Seconds between progress lines while the data directory loads.
PROGRESS_INTERVAL_S = 2.0

__all__ = ["LogManager", "NewTopic", "TopicInfo", "validate_topic_name"]

log = logging.getLogger(__name__)

_LEGAL_TOPIC = re.compile(r"[a-zA-Z0-9._-]+")
_MAX_TOPIC_LENGTH = 249  # Kafka's Topic.MAX_NAME_LENGTH


def topic_name_error(name: str | None) -> str | None:
    """Why ``name`` is not a legal topic name (Kafka's ``Topic.validate``), or None."""
    if not name:
        return "topic name is empty"
    if name in (".", ".."):
        return f"topic name cannot be {name!r}"
    if len(name) > _MAX_TOPIC_LENGTH:
        return f"topic name is longer than {_MAX_TOPIC_LENGTH} characters"
    if not _LEGAL_TOPIC.fullmatch(name):
        return (
            f"topic name {name!r} has characters other than ASCII alphanumerics, '.', '_' and '-'"
        )
    return None


def validate_topic_name(name: str) -> None:
    """Raise ``InvalidTopicError`` unless ``name`` is a legal topic name."""
    error = topic_name_error(name)
    if error is not None:
        raise InvalidTopicError(error)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


CREATE_STEP = 50
"""Partitions created by one blocking step of a batch creation."""


@dataclass(slots=True)
class NewTopic:
    """One topic of a batch creation (``LogManager.create_topics_in_steps``)."""

    name: str
    num_partitions: int
    configs: dict[str, str] = field(default_factory=dict)
    topic_id: uuid.UUID | None = None


@dataclass(slots=True)
class TopicInfo:
    name: str
    topic_id: uuid.UUID
    partitions: list[PartitionLog]
    configs: dict[str, str]  # the overrides only, as given


class LogManager:
    def __init__(
        self,
        data_dir: Path,
        *,
        default_config: LogConfig | None = None,
        flush_interval_ms: int = DEFAULT_FLUSH_INTERVAL_MS,
        flusher_cpu: int | None = None,
        node_id: int = 1,
        cluster_id: str | None = None,
        checkpoint_interval_ms: int = 60_000,
        retention_check_interval_ms: int = DEFAULT_RETENTION_CHECK_INTERVAL_MS,
        cleaner_backoff_ms: int = DEFAULT_CLEANER_BACKOFF_MS,
        cleaner_enable: bool = True,
        open_files_max: int | None = 0,
    ) -> None:
        self._lock_fd = -1
        self.open_files = OpenFiles(auto_capacity() if open_files_max == 0 else open_files_max)
        """The open ``.log`` descriptors of every segment (``open_files``): at most
        ``open_files_max`` (0: half the soft limit on open files; None: unbounded)."""
        self.data_dir = Path(data_dir)
        self.default_config = default_config or LogConfig()
        self.node_id = node_id
        self.cluster_id = cluster_id or ""
        self._requested_cluster_id = cluster_id
        self._checkpoint_interval_s = checkpoint_interval_ms / 1000
        self._last_checkpoint = time.monotonic()
        self._checkpoint_lock = threading.Lock()  # the loop and the flusher may both write
        self._topics: dict[str, TopicInfo] = {}
        self._by_id: dict[uuid.UUID, TopicInfo] = {}  # ``topic_by_id`` without a scan
        self._creating: dict[str, tuple[TopicInfo, int]] = {}
        """Topics whose partitions are being created: info, number of new partitions."""
        self._created_events: dict[str, asyncio.Event] = {}
        self._all_logs: tuple[PartitionLog, ...] = ()  # replaced whole; read by the flusher
        self.log_opened: list[Callable[[PartitionLog], None]] = []
        self.recovery = RecoveryStats()
        """Progress of loading the data directory at start (``/metrics``, progress lines)."""
        """Called with every partition log loaded at start or created later, on the loop."""
        self.flusher = Flusher(
            interval_ms=flush_interval_ms, cpu=flusher_cpu, periodic=self._periodic
        )
        self.deleter = SegmentDeleter(self.flusher)
        self.cleaner = LogCleaner(
            self.data_dir,
            logs=lambda: self._all_logs,
            flusher=self.flusher,
            deleter=self.deleter,
            backoff_ms=cleaner_backoff_ms,
        )
        self._cleaner_enable = cleaner_enable
        self.retention = RetentionTask(
            logs=lambda: self._all_logs,
            flusher=self.flusher,
            deleter=self.deleter,
            interval_ms=retention_check_interval_ms,
            skip=self.cleaner.is_cleaning,
            on_deleted=lambda: self.flusher.submit(self.write_checkpoints),
        )

    # -- start -----------------------------------------------------------------------------

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock_fd = lock_data_dir(self.data_dir)
        try:
            self._load()
        except BaseException:
            self._unlock()
            raise

    def _load(self) -> None:
        started = time.perf_counter()
        self._load_meta_properties()
        clean_marker = self.data_dir / files.CLEAN_SHUTDOWN_FILE
        clean = clean_marker.exists()
        recovery_points = self._read_checkpoint(files.RECOVERY_POINT_CHECKPOINT)
        log_starts = self._read_checkpoint(files.LOG_START_OFFSET_CHECKPOINT)
        recorded = (self.data_dir / files.TOPICS_FILE).exists()
        records = files.read_topics_file(self.data_dir)
        found: dict[str, dict[int, Path]] = {}
        for path in sorted(self.data_dir.iterdir()):
            if not path.is_dir():
                continue
            if path.name.endswith("-delete"):
                shutil.rmtree(path, ignore_errors=True)
                continue
            topic, _, suffix = path.name.rpartition("-")
            if suffix.isdigit() and topic:
                found.setdefault(topic, {})[int(suffix)] = path
        for name, pending in list(records.items()):
            if pending.creating:
                self._undo_creation(name, pending, found.get(name, {}))
                if pending.partitions == 0:
                    del records[name]
                    found.pop(name, None)
        if recorded:  # a directory the topics file does not list is not a live partition
            for name, dirs in list(found.items()):
                record = records.get(name)
                for number in [n for n in dirs if record is None or n >= record.partitions]:
                    self._set_aside(dirs.pop(number))
                if not dirs:
                    del found[name]
        now = _now_ms()
        names = sorted(set(records) | set(found))
        progress = _LoadProgress(self.recovery, unclean=not clean)
        progress.begin(
            sum(
                max(records[n].partitions if n in records else 0, max(found.get(n, {}), default=-1) + 1)
                for n in names
            )
        )
        for name in names:
            record = records.get(name)
            dirs = found.get(name, {})
            topic_id = (
                record.topic_id
                if record
                else (
                    next(filter(None, map(files.read_partition_metadata, dirs.values())), None)
                    or files.random_kafka_uuid()
                )
            )
            overrides = dict(record.configs) if record else {}
            config = self._effective_config(name, overrides)
            count = max(record.partitions if record else 0, max(dirs, default=-1) + 1)
            partitions: list[PartitionLog] = []
            for number in range(count):
                directory = dirs.get(number) or self._partition_dir(name, number)
                if number not in dirs:
                    partitions.append(self._create_log(name, number, topic_id, config, now))
                    continue
                stored_id = files.read_partition_metadata(directory)
                if stored_id != topic_id:
                    log.warning(
                        "%s: topic id %s, expected %s; rewriting partition.metadata",
                        directory,
                        stored_id,
                        topic_id,
                    )
                    files.write_partition_metadata(directory, topic_id)
                partitions.append(
                    partition_log := load_partition_log(
                        directory,
                        topic=name,
                        partition=number,
                        topic_id=topic_id,
                        config=config,
                        flusher=self.flusher,
                        files=self.open_files,
                        now_ms=now,
                        clean_shutdown=clean,
                        log_start_offset=log_starts.get((name, number)),
                        recovery_point=recovery_points.get((name, number)),
                    )
                )
                progress.loaded(partition_log.size_bytes)
            self._topics[name] = TopicInfo(name, topic_id, partitions, overrides)
            self._by_id[topic_id] = self._topics[name]
        progress.end()
        self._save_topics()
        self._refresh_logs()
        self.write_checkpoints()
        if clean:  # the marker's removal must be durable before anything is written
            clean_marker.unlink(missing_ok=True)
            files.fsync_directory(self.data_dir)
        self.flusher.start()
        self.cleaner.load_checkpoint()
        self._start_background()
        recovered = not clean and bool(self._all_logs)
        log.log(
            logging.WARNING if recovered else logging.INFO,
            "storage started in %s: %d topics, %d partitions %s in %.1f ms",
            self.data_dir,
            len(self._topics),
            len(self._all_logs),
            "recovered after an unclean stop" if recovered else "loaded",
            (time.perf_counter() - started) * 1000,
        )

    def _set_aside(self, directory: Path) -> None:
        """A partition directory the topics file does not list (a creation that never
        finished, files copied in by hand): renamed ``<name>.<id>-stray``, as Kafka sets
        aside stray logs (KIP-858), and never loaded; its data is kept for inspection."""
        stray = directory.with_name(f"{directory.name}.{uuid.uuid4().hex}-stray")
        try:
            os.rename(directory, stray)
        except OSError as exc:
            log.error("%s is not in %s and could not be set aside: %s; ignoring it",
                      directory, files.TOPICS_FILE, exc)
            return
        log.warning(
            "%s is not a partition of any topic in %s; set aside as %s", directory,
            files.TOPICS_FILE, stray.name,
        )

    def _undo_creation(self, name: str, record: files.TopicRecord, dirs: dict[int, Path]) -> None:
        """A creation that never finished (the broker died midway): remove its partitions,
        so the topic is back as it was before (or absent, if it was new)."""
        for number in [n for n in dirs if n >= record.partitions]:
            shutil.rmtree(dirs.pop(number), ignore_errors=True)
        log.warning(
            "topic %s: removed partitions %d-%d, whose creation did not finish%s",
            name, record.partitions, record.partitions + record.creating - 1,
            "; the topic is not created" if record.partitions == 0 else "",
        )

    def _load_meta_properties(self) -> None:
        props = files.read_meta_properties(self.data_dir)
        if props is None:
            self.cluster_id = self._requested_cluster_id or files.kafka_uuid_string(
                files.random_kafka_uuid()
            )
            files.write_meta_properties(
                self.data_dir, cluster_id=self.cluster_id, node_id=self.node_id
            )
            return
        stored_cluster = props.get("cluster.id", "")
        if self._requested_cluster_id and stored_cluster != self._requested_cluster_id:
            raise KafkaStorageError(
                f"{self.data_dir} belongs to cluster {stored_cluster!r}, "
                f"not {self._requested_cluster_id!r}"
            )
        stored_node = props.get("node.id")
        if stored_node is not None and int(stored_node) != self.node_id:
            raise KafkaStorageError(
                f"{self.data_dir} belongs to node {stored_node}, not {self.node_id}"
            )
        self.cluster_id = stored_cluster

    def _read_checkpoint(self, name: str) -> dict[tuple[str, int], int]:
        try:
            return files.read_offset_checkpoint(self.data_dir / name)
        except ValueError as exc:
            log.warning("ignoring %s: %s", name, exc)
            return {}

    def _effective_config(self, name: str, overrides: dict[str, str]) -> LogConfig:
        try:
            return self.default_config.with_overrides(overrides)
        except InvalidConfigError as exc:
            log.error("topic %s: stored configs are invalid (%s); using the defaults", name, exc)
            return self.default_config

    # -- lookups ---------------------------------------------------------------------------

    def topics(self) -> dict[str, TopicInfo]:
        return dict(self._topics)

    def get_topic(self, name: str) -> TopicInfo | None:
        return self._topics.get(name)

    def topic_by_id(self, topic_id: uuid.UUID) -> TopicInfo | None:
        return self._by_id.get(topic_id)

    def creation_of(self, name: str) -> asyncio.Event | None:
        """Set once the creation of ``name`` under way (by ``create_topics_in_steps``)
        has finished or failed; None when none is."""
        return self._created_events.get(name)

    def get_partition(self, topic: str, partition: int) -> PartitionLog | None:
        info = self._topics.get(topic)
        if info is None or not 0 <= partition < len(info.partitions):
            return None
        return info.partitions[partition]

    # -- administration --------------------------------------------------------------------

    def create_topic(
        self,
        name: str,
        num_partitions: int,
        *,
        configs: dict[str, str] | None = None,
        topic_id: uuid.UUID | None = None,
    ) -> TopicInfo:
        (result,) = run_now(
            self.create_topics_in_steps([NewTopic(name, num_partitions, configs or {}, topic_id)])
        )
        if isinstance(result, BaseException):
            if isinstance(result.__cause__, OSError):
                raise result.__cause__  # as before batches: the OSError itself
            raise result
        return result

    def create_topics_in_steps(
        self, new: Sequence[NewTopic]
    ) -> Steps[list[TopicInfo | StorageError]]:
        """Create several topics as one batch (``steps``): every one checked, then every
        partition of the valid ones made, with one ``syncfs`` and two rewrites of the topics
        file for the whole batch instead of a few fsyncs per partition. The result has one
        entry per topic, in order: its ``TopicInfo``, or the ``StorageError`` it failed with.
        A storage failure undoes the whole batch (each topic gets the error). Names being
        created meanwhile by another batch count as existing."""
        results: list[TopicInfo | StorageError] = []
        planned: list[tuple[TopicInfo, LogConfig, int]] = []
        keys = {name.replace(".", "_"): name for name in (*self._topics, *self._creating)}
        for item in new:
            try:
                validate_topic_name(item.name)
                # ``keys`` holds existing, creating and already planned names by collision key
                if keys.get(item.name.replace(".", "_")) == item.name:
                    raise TopicAlreadyExistsError(f"topic {item.name!r} already exists")
                key = item.name.replace(".", "_")
                if key in keys:
                    raise InvalidTopicError(
                        f"topic {item.name!r} collides with existing {keys[key]!r}"
                    )
                if item.num_partitions < 1:
                    raise InvalidPartitionsError(
                        f"number of partitions must be positive: {item.num_partitions}"
                    )
                overrides = dict(item.configs)
                config = self.default_config.with_overrides(overrides)
            except StorageError as exc:
                results.append(exc)
                continue
            keys[key] = item.name
            info = TopicInfo(item.name, item.topic_id or files.random_kafka_uuid(), [], overrides)
            results.append(info)
            planned.append((info, config, item.num_partitions))
        if not planned:
            return results
        try:
            created = yield from self._create_logs_in_steps(planned)
        except OSError as exc:
            failed = KafkaStorageError(f"creating the topics failed: {exc}")
            failed.__cause__ = exc
            return [failed if isinstance(r, TopicInfo) else r for r in results]
        for info, partitions in created:
            info.partitions = partitions
            self._topics[info.name] = info
            self._by_id[info.topic_id] = info
        self._save_topics()
        self._refresh_logs()
        return results

    def add_partitions(self, name: str, total: int) -> None:
        info = self._require(name)
        if total <= len(info.partitions):
            raise InvalidPartitionsError(
                f"topic {name!r} has {len(info.partitions)} partitions; cannot go to {total}"
            )
        config = info.partitions[0].config
        ((_, created),) = run_now(self._create_logs_in_steps([(info, config, total)]))
        info.partitions.extend(created)
        self._save_topics()
        self._refresh_logs()

    def alter_topic_configs(self, name: str, configs: dict[str, str]) -> None:
        """Replace the topic's overrides (AlterConfigs semantics; IncrementalAlterConfigs
        computes the new set first). Takes effect at once: segment size at the next roll."""
        info = self._require(name)
        config = self.default_config.with_overrides(configs)
        info.configs = dict(configs)
        for partition_log in info.partitions:
            partition_log.config = config
        self._save_topics()

    def delete_topic(self, name: str) -> None:
        """Forget the topic, rename its directories ``*-delete`` and remove them on the
        flusher thread after closing their files (Kafka renames then deletes, too)."""
        info = self._require(name)
        del self._topics[name]
        if self._by_id.get(info.topic_id) is info:
            del self._by_id[info.topic_id]
        self._save_topics()
        self._refresh_logs()
        self.cleaner.forget(name)
        for partition_log in info.partitions:
            fds = partition_log.retire()
            directory = partition_log.directory
            doomed = directory.with_name(f"{directory.name}.{uuid.uuid4().hex}-delete")
            os.rename(directory, doomed)
            self.flusher.submit(partial(_close_and_remove, fds, doomed))

    def _require(self, name: str) -> TopicInfo:
        info = self._topics.get(name)
        if info is None:
            raise UnknownTopicOrPartitionError(f"unknown topic {name!r}")
        return info

    def _partition_dir(self, name: str, number: int) -> Path:
        return self.data_dir / f"{name}-{number}"

    def _create_logs_in_steps(
        self, batch: list[tuple[TopicInfo, LogConfig, int]]
    ) -> Steps[list[tuple[TopicInfo, list[PartitionLog]]]]:
        """For each ``(info, config, total)``: partitions ``len(info.partitions)`` ..
        ``total - 1`` of ``info``; all of the batch or none.

        The topics file first records them as being created, so a crash midway leaves a
        record that the next start undoes (``_undo_creation``). The partitions are written
        without fsyncs, ``CREATE_STEP`` per step, then made durable at once
        (``sync_created``); both are blocking steps, run on a worker thread by
        ``steps.run_sliced``. The caller records the topics afterwards. A failure (a full
        disk, too many open files) closes and removes what was made, and the error
        propagates."""
        done = asyncio.Event()
        for info, _, total in batch:
            self._creating[info.name] = (info, total - len(info.partitions))
            self._created_events[info.name] = done
        created: list[tuple[TopicInfo, list[PartitionLog]]] = []
        directories: list[Path] = []
        now = _now_ms()
        try:
            self._save_topics()
            chunk: list[tuple[TopicInfo, LogConfig, int, list[PartitionLog]]] = []
            for info, config, total in batch:
                partitions: list[PartitionLog] = []
                created.append((info, partitions))
                for number in range(len(info.partitions), total):
                    directories.append(self._partition_dir(info.name, number))
                    chunk.append((info, config, number, partitions))
                    if len(chunk) == CREATE_STEP:
                        yield partial(self._create_chunk, chunk, now)
                        chunk = []
            if chunk:
                yield partial(self._create_chunk, chunk, now)
            yield partial(files.sync_created, self.data_dir, directories)
        except BaseException:
            made = sum(len(partitions) for _, partitions in created)
            for _, partitions in created:
                for partition_log in partitions:
                    for fd in partition_log.retire():
                        os.close(fd)
            for directory in directories:
                shutil.rmtree(directory, ignore_errors=True)
            for info, _, _ in batch:
                del self._creating[info.name]
                self._created_events.pop(info.name, None)
            done.set()
            try:
                self._save_topics()
            except OSError:  # the record still says "creating": the next start undoes it
                log.exception("rewriting %s failed", files.TOPICS_FILE)
            log.warning(
                "creating %d partitions of %s failed; removed the %d created",
                sum(total - len(info.partitions) for info, _, total in batch),
                ", ".join(info.name for info, _, _ in batch), made,
            )
            raise
        for info, _, _ in batch:
            del self._creating[info.name]
            self._created_events.pop(info.name, None)
        done.set()  # the caller records the topics before it next yields
        return created

    def _create_chunk(
        self, chunk: list[tuple[TopicInfo, LogConfig, int, list[PartitionLog]]], now: int
    ) -> None:
        """A blocking step (possibly on a worker thread): create these partitions, not
        yet durable, each appended to its list. It touches no shared state: creating a
        file or directory can take milliseconds on a busy file system."""
        for info, config, number, partitions in chunk:
            partitions.append(self._create_log(info.name, number, info.topic_id, config, now, False))

    def _create_log(
        self, name: str, number: int, topic_id: uuid.UUID, config: LogConfig, now: int,
        durable: bool = True,
    ) -> PartitionLog:
        return create_partition_log(
            self._partition_dir(name, number),
            topic=name,
            partition=number,
            topic_id=topic_id,
            config=config,
            flusher=self.flusher,
            now_ms=now,
            durable=durable,
            files=self.open_files,
        )

    def _save_topics(self) -> None:
        """Rewrite the topics file: every topic, and the creations under way."""
        records = {
            name: files.TopicRecord(info.topic_id, len(info.partitions), info.configs)
            for name, info in self._topics.items()
        }
        for info, count in self._creating.values():
            records[info.name] = files.TopicRecord(
                info.topic_id, len(info.partitions), info.configs, creating=count
            )
        files.write_topics_file(self.data_dir, records)

    def _refresh_logs(self) -> None:
        known = set(map(id, self._all_logs))
        self._all_logs = tuple(p for info in self._topics.values() for p in info.partitions)
        for partition_log in self._all_logs:
            if id(partition_log) not in known:
                for callback in self.log_opened:
                    callback(partition_log)

    # -- background work and shutdown ------------------------------------------------------

    def _start_background(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop: retention and the cleaner only run when called
        self.deleter.start(loop)
        self.retention.start(loop)
        if self._cleaner_enable:
            self.cleaner.start(loop)

    def _periodic(self) -> None:
        """Flusher thread: background fsync of every dirty log, checkpoints now and then."""
        logs = self._all_logs
        for partition_log in logs:
            partition_log.sync_if_dirty()
        if time.monotonic() - self._last_checkpoint >= self._checkpoint_interval_s:
            self.write_checkpoints(logs)

    def write_checkpoints(self, logs: tuple[PartitionLog, ...] | None = None) -> None:
        """Rewrite both offset checkpoints (recovery points only cover fsynced data)."""
        logs = self._all_logs if logs is None else logs
        with self._checkpoint_lock:
            self._last_checkpoint = time.monotonic()
            files.write_offset_checkpoint(
                self.data_dir / files.RECOVERY_POINT_CHECKPOINT,
                {(p.topic, p.partition): p.recovery_point for p in logs},
            )
            files.write_offset_checkpoint(
                self.data_dir / files.LOG_START_OFFSET_CHECKPOINT,
                {(p.topic, p.partition): p.log_start_offset for p in logs},
            )

    def shutdown(self) -> None:
        self.retention.stop()
        self.cleaner.stop()
        self.deleter.stop()
        self.flusher.stop()
        failed = False
        # Many logs: close them all without fsyncs, then sync the file system once (Linux);
        # the clean-shutdown marker is written only after that sync succeeded.
        batched = len(self._all_logs) > 1 and sys.platform.startswith("linux")
        for partition_log in self._all_logs:
            if partition_log.offline_reason is not None:
                failed = True  # its files are suspect: the next start must recover them
                log.error("%s is offline: %s", partition_log.directory, partition_log.offline_reason)
            try:
                partition_log.close(durable=not batched)
            except OSError:
                failed = True
                log.exception("closing %s failed", partition_log.directory)
        if batched:
            try:
                synced = files.sync_file_system(self.data_dir)
            except OSError as exc:
                log.error("%s", exc)
                synced = False
            if not synced:  # the next start recovers what may not be durable
                failed = True
                log.error("syncing the file system of %s failed", self.data_dir)
        self.write_checkpoints()
        if failed:
            log.error("storage shut down with errors; the next start will run recovery")
            self._unlock()
            return
        files.atomic_write(
            self.data_dir / files.CLEAN_SHUTDOWN_FILE, b'{"version":0,"brokerEpoch":-1}'
        )
        log.info("storage shut down cleanly")
        self._unlock()

    def _unlock(self) -> None:
        fd, self._lock_fd = self._lock_fd, -1
        if fd >= 0:
            os.close(fd)  # closing the descriptor releases the flock


class _LoadProgress:
    """Counts partitions loaded at start into ``RecoveryStats`` and, on a long load, logs how
    far it got every ``PROGRESS_INTERVAL_S`` (partitions done of total, MB loaded)."""

    def __init__(self, stats: RecoveryStats, *, unclean: bool) -> None:
        self.stats = stats
        self.unclean = unclean
        self.started = self.last_report = time.monotonic()

    def begin(self, total: int) -> None:
        stats = self.stats
        stats.total, stats.done, stats.bytes_loaded = total, 0, 0
        stats.unclean, stats.recovering = self.unclean and total > 0, True

    def loaded(self, size: int) -> None:
        stats = self.stats
        stats.done += 1
        stats.bytes_loaded += size
        now = time.monotonic()
        if now - self.last_report >= PROGRESS_INTERVAL_S and stats.done < stats.total:
            self.last_report = now
            log.info(
                "%s logs: %d of %d partitions done, %.1f MB %s, %.0f s so far",
                "recovering" if self.unclean else "loading", stats.done, stats.total,
                stats.bytes_loaded / 1e6, "scanned" if self.unclean else "loaded",
                now - self.started,
            )

    def end(self) -> None:
        self.stats.recovering = False
        self.stats.duration_s = time.monotonic() - self.started


class DataDirInUseError(OSError):
    """Another broker holds the data directory's lock."""


LOCK_FILE = ".lock"


def lock_data_dir(data_dir: Path) -> int:
    """Take Kafka's ``<log dir>/.lock`` with an exclusive ``flock``, so two brokers never
    write the same logs; returns the descriptor that holds it (closing it releases it, and
    so does the death of the process). Raises ``DataDirInUseError`` when it is held."""
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise DataDirInUseError(
            f"the data directory {data_dir} is in use by another broker (it holds "
            f"{data_dir / LOCK_FILE}); stop that broker or choose another data directory"
        ) from None
    return fd


def _close_and_remove(fds: list[int], directory: Path) -> None:
    """Flusher thread: close a deleted partition's files, then remove its directory."""
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            log.exception("closing a descriptor of %s failed", directory)
    shutil.rmtree(directory, ignore_errors=True)
