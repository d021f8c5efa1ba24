"""The records of the ``_schemas`` topic, in Confluent Schema Registry's own JSON format, so
a Confluent registry pointed at the same data reads what kafkalite wrote, and back.

Keys (the compaction key; fields in Confluent's order so equal keys are equal bytes):

    {"keytype":"SCHEMA","subject":"orders-value","version":1,"magic":1}
    {"keytype":"CONFIG","subject":null,"magic":0}          (null subject: the global config)
    {"keytype":"MODE","subject":null,"magic":0}
    {"keytype":"DELETE_SUBJECT","subject":"orders-value","magic":0}
    {"keytype":"CLEAR_SUBJECT","subject":"orders-value","magic":0}
    {"keytype":"NOOP","magic":0}

Values: a SCHEMA's ``{"subject","version","id","schemaType","references","schema","deleted"}``
(``schemaType`` left out for AVRO, as Confluent writes it), a CONFIG's
``{"compatibilityLevel": "BACKWARD"}``, a MODE's ``{"mode": "READWRITE"}``, a
DELETE_SUBJECT's ``{"subject", "version"}`` (the latest version deleted), a CLEAR_SUBJECT's
``{"subject"}``. A null value (tombstone) removes a SCHEMA version for good (a permanent
delete) or a subject's CONFIG or MODE.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = [
    "RecordKey",
    "decode_key",
    "decode_value",
    "encode_key",
    "encode_value",
]

SCHEMA, CONFIG, MODE = "SCHEMA", "CONFIG", "MODE"
DELETE_SUBJECT, CLEAR_SUBJECT, NOOP = "DELETE_SUBJECT", "CLEAR_SUBJECT", "NOOP"
KEY_TYPES = frozenset({SCHEMA, CONFIG, MODE, DELETE_SUBJECT, CLEAR_SUBJECT, NOOP})


@dataclass(frozen=True, slots=True)
class RecordKey:
    keytype: str
    subject: str | None = None
    version: int | None = None  # SCHEMA keys only


def encode_key(key: RecordKey) -> bytes:
    data: dict[str, Any] = {"keytype": key.keytype}
    if key.keytype != NOOP:
        data["subject"] = key.subject
    if key.keytype == SCHEMA:
        data["version"] = key.version
    data["magic"] = 1 if key.keytype == SCHEMA else 0
    return json.dumps(data, separators=(",", ":")).encode()


def decode_key(data: bytes) -> RecordKey:
    """The key of a record; ``ValueError`` for one that is not a registry key."""
    try:
        obj = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a JSON key: {exc}") from None
    if not isinstance(obj, dict) or obj.get("keytype") not in KEY_TYPES:
        raise ValueError(f"not a registry key: {data[:100]!r}")
    subject = obj.get("subject")
    version = obj.get("version")
    if subject is not None and not isinstance(subject, str):
        raise ValueError(f"subject is not a string: {subject!r}")
    if obj["keytype"] == SCHEMA and not isinstance(version, int):
        raise ValueError(f"SCHEMA key without an integer version: {data[:100]!r}")
    return RecordKey(obj["keytype"], subject, version if obj["keytype"] == SCHEMA else None)


def encode_value(value: dict[str, Any] | None) -> bytes | None:
    return None if value is None else json.dumps(value, separators=(",", ":")).encode()


def decode_value(data: bytes | None) -> dict[str, Any] | None:
    if data is None:
        return None
    try:
        obj = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a JSON value: {exc}") from None
    if not isinstance(obj, dict):
        raise ValueError(f"value is not a JSON object: {data[:100]!r}")
    return obj
