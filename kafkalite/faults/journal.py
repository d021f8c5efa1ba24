"""The request journal: what each node was asked and what it answered, newest last, bounded
(a deque of ``maxlen`` entries, 10,000 by default; the oldest fall off).

Entries are plain JSON-able data, so the control API can serve them as they are:

    journal.query(api="Produce", topic="orders", limit=10)   # the 10 newest matching
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kafkalite.faults.names import api_name, parse_api
from kafkalite.faults.summary import RequestSummary
from kafkalite.protocol.messages import ApiKey

__all__ = ["DEFAULT_MAX_ENTRIES", "Journal", "JournalEntry"]

DEFAULT_MAX_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class JournalEntry:
    time: float  # seconds since the epoch, when the request was answered
    node: int
    api: str  # Kafka's name: "Produce", "ListOffsets"
    api_key: int
    version: int
    correlation_id: int
    client_id: str | None
    summary: RequestSummary
    errors: tuple[int, ...]  # the non-zero error codes answered
    fault_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "time": self.time,
            "node": self.node,
            "api": self.api,
            "api_key": self.api_key,
            "version": self.version,
            "correlation_id": self.correlation_id,
            "client_id": self.client_id,
            **self.summary.to_json(),
            "errors": list(self.errors),
            "fault_id": self.fault_id,
        }


class Journal:
    """A bounded, thread-safe list of answered requests."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=max_entries)
        self._lock = threading.Lock()

    def record(
        self,
        *,
        node: int,
        api_key: ApiKey,
        version: int,
        correlation_id: int,
        client_id: str | None,
        summary: RequestSummary,
        errors: Iterable[int] = (),
        fault_id: int | None = None,
    ) -> JournalEntry:
        entry = JournalEntry(
            time=time.time(),
            node=node,
            api=api_name(api_key),
            api_key=int(api_key),
            version=version,
            correlation_id=correlation_id,
            client_id=client_id,
            summary=summary,
            errors=tuple(errors),
            fault_id=fault_id,
        )
        with self._lock:
            self._entries.append(entry)
        return entry

    def query(
        self,
        *,
        api: ApiKey | int | str | None = None,
        node: int | None = None,
        topic: str | None = None,
        group: str | None = None,
        client_id: str | None = None,
        fault_id: int | None = None,
        limit: int | None = None,
    ) -> list[JournalEntry]:
        """Matching entries, oldest first; with ``limit``, only the newest ``limit``."""
        api_key = int(parse_api(api)) if api is not None else None
        with self._lock:
            entries = list(self._entries)
        found = [
            e
            for e in entries
            if (api_key is None or e.api_key == api_key)
            and (node is None or e.node == node)
            and (topic is None or topic in e.summary.topics)
            and (group is None or group in e.summary.groups)
            and (client_id is None or e.client_id == client_id)
            and (fault_id is None or e.fault_id == fault_id)
        ]
        if limit is not None:
            found = found[-limit:] if limit > 0 else []
        return found

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    @property
    def max_entries(self) -> int:
        return self._entries.maxlen or 0
