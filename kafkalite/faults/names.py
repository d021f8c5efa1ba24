"""Names as people write them: APIs as Kafka spells them (``"ListOffsets"``), as our enum
does (``"LIST_OFFSETS"``) or by key number; error codes by name or number."""

from __future__ import annotations

import re
from functools import cache

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey

__all__ = ["api_name", "parse_api", "parse_error"]


def parse_api(api: ApiKey | int | str) -> ApiKey:
    """``ApiKey.PRODUCE``, ``0``, ``"Produce"``, ``"PRODUCE"``, ``"ListOffsets"`` or
    ``"list_offsets"``."""
    if isinstance(api, ApiKey):
        return api
    if isinstance(api, int):
        return ApiKey(api)
    text = api.strip()
    if text.lstrip("-").isdigit():
        return ApiKey(int(text))
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text).upper()
    try:
        return ApiKey[name]
    except KeyError:
        raise ValueError(f"unknown API {api!r}") from None


@cache  # once per API: the request journal names every request it records
def api_name(api: ApiKey) -> str:
    """Kafka's name for an API: ``ApiKey.LIST_OFFSETS`` -> ``"ListOffsets"``."""
    return "".join(word.capitalize() for word in api.name.split("_"))


def parse_error(error: ErrorCode | int | str) -> ErrorCode:
    """An error code by ``ErrorCode``, number or name (any case)."""
    if isinstance(error, ErrorCode):
        return error
    if isinstance(error, int):
        return ErrorCode(error)
    text = error.strip()
    if text.lstrip("-").isdigit():
        return ErrorCode(int(text))
    try:
        return ErrorCode[text.upper()]
    except KeyError:
        raise ValueError(f"unknown error code {error!r}") from None
