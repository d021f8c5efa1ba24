"""Kafka's wire enums of config administration, shared by the broker and the client.

The numbers are Kafka's: ``ConfigResource.Type`` (DescribeConfigs, AlterConfigs and
IncrementalAlterConfigs resources), ``AlterConfigOp.OpType`` (IncrementalAlterConfigs),
``DescribeConfigsResponse.ConfigSource`` and ``DescribeConfigsResponse.ConfigType``.
The broker serves TOPIC, BROKER and BROKER_LOGGER resources (``kafkalite.topics``); the
command-line client asks about topics (``kafkalite.client.admin``).
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["AlterOp", "ConfigSource", "ConfigType", "ResourceType"]


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
    CLIENT_METRICS_CONFIG = 7
    GROUP_CONFIG = 8


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
