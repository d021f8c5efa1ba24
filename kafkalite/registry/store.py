"""``RegistryStore``: the registry's side of the ``_schemas`` topic, and its settings.

The topic is the source of truth, as in Confluent's registry: a write appends its records
(``records.py``) to partition 0 of ``_schemas``, then the store reads the topic up to its
end and applies what it finds, its own records included. Every call first catches up the
same way, so records appended by anyone else (a restored backup produced into ``_schemas``)
count too. The topic is created on the first write: one partition, ``cleanup.policy=compact``.
A restart replays it, so ids and versions stay what they were.

Settings kept here: compatibility configs (``/config``) and modes (``/mode``), global and
per subject. ``SchemaRegistry`` (``registry.py``) builds the schema operations on top.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kafkalite.internal_topics import append_records, scan
from kafkalite.registry import compatibility
from kafkalite.registry.errors import RegistryError
from kafkalite.registry.records import (
    CONFIG,
    MODE,
    RecordKey,
    decode_key,
    decode_value,
    encode_key,
    encode_value,
)
from kafkalite.registry.state import RegistryState

if TYPE_CHECKING:
    from kafkalite.storage.log import PartitionLog
    from kafkalite.storage.manager import LogManager

__all__ = ["MODES", "SCHEMAS_TOPIC", "RegistryStore", "Write"]

log = logging.getLogger("kafkalite.registry")

SCHEMAS_TOPIC = "_schemas"  # Confluent's kafkastore.topic
TOPIC_CONFIGS = {"cleanup.policy": "compact"}
MODES = ("READWRITE", "READONLY", "READONLY_OVERRIDE", "IMPORT")

Write = tuple[RecordKey, dict[str, Any] | None]


class RegistryStore:
    def __init__(
        self,
        logs: LogManager,
        *,
        on_topic_created: Callable[[str, int], None] | None = None,
    ) -> None:
        """``on_topic_created(topic, partitions)`` places a ``_schemas`` created here."""
        self._logs = logs
        self._on_topic_created = on_topic_created
        self.state = RegistryState()
        self._log: PartitionLog | None = None
        self._position = 0

    # -- the topic ------------------------------------------------------------------------

    def _partition_log(self, create: bool) -> PartitionLog | None:
        info = self._logs.get_topic(SCHEMAS_TOPIC)
        if info is None and create:
            try:
                info = self._logs.create_topic(SCHEMAS_TOPIC, 1, configs=dict(TOPIC_CONFIGS))
            except OSError as exc:
                raise RegistryError.store_error(f"cannot create {SCHEMAS_TOPIC}: {exc}") from exc
            if self._on_topic_created is not None:
                self._on_topic_created(SCHEMAS_TOPIC, 1)
            log.info("created %s for the schema registry", SCHEMAS_TOPIC)
        return info.partitions[0] if info is not None else None

    def catch_up(self) -> None:
        """Apply the records of ``_schemas`` not applied yet (all of them after a restart, or
        when the topic was deleted, recreated or cut at its start)."""
        partition_log = self._partition_log(create=False)
        if partition_log is not self._log or (
            partition_log is not None and partition_log.log_start_offset > self._position
        ):
            self.state = RegistryState()
            self._log = partition_log
            self._position = partition_log.log_start_offset if partition_log is not None else 0
        if partition_log is None or partition_log.log_end_offset <= self._position:
            return
        for batch in scan(partition_log, self._position):
            if not batch.header.is_control:
                for record in batch.records:
                    if record.offset >= self._position and record.key is not None:
                        self._replay(record.key, record.value, record.offset)
            self._position = max(self._position, batch.header.next_offset)

    def _replay(self, key_bytes: bytes, value_bytes: bytes | None, offset: int) -> None:
        try:
            key = decode_key(key_bytes)
            self.state.apply(key, decode_value(value_bytes))
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("%s-0: skipping the record at offset %d: %s", SCHEMAS_TOPIC, offset, exc)

    def _write(self, writes: list[Write]) -> None:
        partition_log = self._partition_log(create=True)
        assert partition_log is not None
        records = [(encode_key(key), encode_value(value)) for key, value in writes]
        try:
            append_records(partition_log, records, now_ms=time.time_ns() // 1_000_000)
        except Exception as exc:  # storage errors, a batch over max.message.bytes
            raise RegistryError.store_error(str(exc)) from exc
        self.catch_up()

    # -- config and mode ------------------------------------------------------------------

    def _config(self, subject: str | None) -> dict[str, Any]:
        return self.state.configs.get(subject) or self.state.configs.get(None) or {}

    def compatibility_level(self, subject: str | None) -> str:
        for key in (subject, None):
            level = (self.state.configs.get(key) or {}).get("compatibilityLevel")
            if level:
                return str(level)
        return compatibility.DEFAULT_LEVEL

    def get_config(self, subject: str | None, default_to_global: bool = False) -> dict[str, Any]:
        self.catch_up()
        stored = self.state.configs.get(subject)
        if subject is not None and stored is None and not default_to_global:
            raise RegistryError.subject_config_not_found(subject)
        config = dict(stored or self.state.configs.get(None) or {})
        config.setdefault("compatibilityLevel", compatibility.DEFAULT_LEVEL)
        return config

    def set_config(self, subject: str | None, request: dict[str, Any]) -> dict[str, Any]:
        self.catch_up()
        level = request.get("compatibility", request.get("compatibilityLevel"))
        config = dict(self.state.configs.get(subject) or {})
        if level is not None:
            if not isinstance(level, str) or level.upper() not in compatibility.LEVELS:
                raise RegistryError.invalid_compatibility_level()
            config["compatibilityLevel"] = level.upper()
        if "normalize" in request:
            config["normalize"] = bool(request["normalize"])
        self._write([(RecordKey(CONFIG, subject), config)])
        answer: dict[str, Any] = {}
        if "compatibilityLevel" in config:
            answer["compatibility"] = config["compatibilityLevel"]
        if "normalize" in config:
            answer["normalize"] = config["normalize"]
        return answer

    def delete_config(self, subject: str | None) -> dict[str, Any]:
        self.catch_up()
        if subject is not None and subject not in self.state.configs:
            if not self.state.versions(subject, deleted=True):
                raise RegistryError.subject_not_found(subject)
            raise RegistryError.subject_config_not_found(subject)
        previous = self.get_config(subject, default_to_global=True)
        self._write([(RecordKey(CONFIG, subject), None)])
        return previous

    def mode_of(self, subject: str | None) -> str:
        return self.state.modes.get(subject) or self.state.modes.get(None) or "READWRITE"

    def get_mode(self, subject: str | None, default_to_global: bool = False) -> str:
        self.catch_up()
        if subject is not None and subject not in self.state.modes and not default_to_global:
            raise RegistryError.subject_mode_not_found(subject)
        return self.mode_of(subject)

    def set_mode(self, subject: str | None, mode: object, force: bool = False) -> str:
        self.catch_up()
        if not isinstance(mode, str) or mode.upper() not in MODES:
            raise RegistryError.invalid_mode(str(mode))
        mode = mode.upper()
        if mode == "IMPORT" and not force:
            has_schemas = (
                bool(self.state.versions(subject, True))
                if subject is not None
                else bool(self.state.subjects)
            )
            if has_schemas:
                raise RegistryError.operation_not_permitted(
                    "Cannot import since found existing subjects"
                )
        self._write([(RecordKey(MODE, subject), {"mode": mode})])
        return mode

    def delete_mode(self, subject: str) -> str:
        self.catch_up()
        if subject not in self.state.modes:
            raise RegistryError.subject_mode_not_found(subject)
        previous = self.state.modes[subject]
        self._write([(RecordKey(MODE, subject), None)])
        return previous

    def _writable(self, subject: str) -> None:
        if self.mode_of(subject) in ("READONLY", "READONLY_OVERRIDE"):
            raise RegistryError.operation_not_permitted(f"Subject {subject} is in read-only mode")
