"""What a handler gets besides its request body."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kafkalite.protocol.connection import Request

if TYPE_CHECKING:
    from kafkalite.broker import Broker


@dataclass(slots=True)
class RequestContext:
    broker: Broker
    request: Request
    peer: str
    closing: asyncio.Event
    """Set when the broker shuts down: long polls answer with what they have."""
    close_connection: bool = False
    """Set by a handler that wants the connection closed after its (possibly absent) answer."""

    @property
    def version(self) -> int:
        return self.request.api_version
