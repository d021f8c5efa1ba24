"""The vocabulary of config administration, shared by topic, broker and logger resources.

The numbers are Kafka's wire values: ``ConfigResource.Type``, ``AlterConfigOp.OpType``,
``DescribeConfigsResponse.ConfigSource`` and ``DescribeConfigsResponse.ConfigType``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from kafkalite.protocol.errors import ErrorCode, KafkaError

__all__ = [
    "AlterOp",
    "ConfigEntry",
    "ConfigSource",
    "ConfigType",
    "ResourceType",
    "Synonym",
    "error_message",
    "invalid_request",
]


class ResourceType(IntEnum):
    UNKNOWN = 0
    TOPIC = 2
    BROKER = 4
    BROKER_LOGGER = 8
    CLIENT_METRICS = 16
    GROUP = 32


class AlterOp(IntEnum):
    SET = 0
    DELETE = 1
    APPEND = 2
    SUBTRACT = 3


class ConfigSource(IntEnum):
    UNKNOWN = 0
    DYNAMIC_TOPIC_CONFIG = 1
    DYNAMIC_BROKER_CONFIG = 2
    DYNAMIC_DEFAULT_BROKER_CONFIG = 3
    STATIC_BROKER_CONFIG = 4
    DEFAULT_CONFIG = 5
    DYNAMIC_BROKER_LOGGER_CONFIG = 6


class ConfigType(IntEnum):
    UNKNOWN = 0
    BOOLEAN = 1
    STRING = 2
    INT = 3
    SHORT = 4
    LONG = 5
    DOUBLE = 6
    LIST = 7
    CLASS = 8
    PASSWORD = 9


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
