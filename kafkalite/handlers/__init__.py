"""The handler table: one entry per Kafka API, the single source of what we advertise.

Each handler is ``async def handle(ctx, request) -> response | None`` (None only for an
acks=0 Produce). ApiVersions is built from this table, so the ranges we advertise are
exactly the ranges we serve; a unit test checks each range lies inside its schema.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from kafkalite.handlers import api_versions, fetch, init_producer_id, list_offsets, metadata, produce
from kafkalite.protocol.messages import ApiKey

__all__ = ["HANDLERS", "SERVED", "Handler"]


@dataclass(frozen=True, slots=True)
class Handler:
    fn: Callable[[Any, Any], Awaitable[Any]]
    min_version: int
    max_version: int

    def versions(self) -> range:
        return range(self.min_version, self.max_version + 1)


HANDLERS: Final[Mapping[ApiKey, Handler]] = {
    ApiKey.PRODUCE: Handler(produce.handle, 0, 11),
    ApiKey.FETCH: Handler(fetch.handle, 4, 12),
    ApiKey.LIST_OFFSETS: Handler(list_offsets.handle, 1, 8),
    ApiKey.METADATA: Handler(metadata.handle, 0, 12),
    ApiKey.API_VERSIONS: Handler(api_versions.handle, 0, 4),
    ApiKey.INIT_PRODUCER_ID: Handler(init_producer_id.handle, 0, 4),
}

SERVED: Final[Mapping[ApiKey, tuple[int, int]]] = {
    key: (handler.min_version, handler.max_version) for key, handler in HANDLERS.items()
}
