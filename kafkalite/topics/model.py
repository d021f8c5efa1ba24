"""The vocabulary of config administration, shared by topic, broker and logger resources.

Config entries and synonyms as DescribeConfigs reports them, the errors the admin APIs
raise, and the rule for a topic named twice in one request. The wire enums (resource types, alter operations, config sources and types) are
the protocol layer's, ``kafkalite.protocol.constants``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from kafkalite.protocol.constants import ConfigSource, ConfigType
from kafkalite.protocol.errors import ErrorCode, KafkaError

__all__ = [
    "DUPLICATE_TOPIC_NAME",
    "ConfigEntry",
    "Synonym",
    "error_message",
    "first_of_each_name",
    "invalid_request",
]

DUPLICATE_TOPIC_NAME = "Duplicate topic name."

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Synonym:
    name: str
    value: str | None
    source: ConfigSource


@dataclass(frozen=True, slots=True)
class ConfigEntry:
    """One config of a resource as DescribeConfigs (and CreateTopics v5+) reports it."""

    name: str
    value: str | None
    source: ConfigSource
    config_type: ConfigType = ConfigType.UNKNOWN
    read_only: bool = False
    sensitive: bool = False
    synonyms: tuple[Synonym, ...] = ()
    """In precedence order, the first being the source of ``value``; empty unless asked."""
    documentation: str | None = None


def invalid_request(message: str) -> KafkaError:
    return KafkaError(message, ErrorCode.INVALID_REQUEST)


def error_message(exc: KafkaError) -> str | None:
    """The wire message of ``exc``: null when it carries none, as Kafka's ``ApiError``."""
    return str(exc) or None


def first_of_each_name(items: Sequence[_T], name: Callable[[_T], str]) -> Iterator[tuple[_T, bool]]:
    """The items of one request in order, each with whether its name is given more than once;
    of the items sharing a name only the first comes out. CreateTopics and CreatePartitions
    answer such a name once, with INVALID_REQUEST ``DUPLICATE_TOPIC_NAME``, and act on none
    of its items (Kafka's ``ControllerApis``)."""
    counts = Counter(name(item) for item in items)
    reported: set[str] = set()
    for item in items:
        key = name(item)
        if counts[key] == 1:
            yield item, False
        elif key not in reported:
            reported.add(key)
            yield item, True
