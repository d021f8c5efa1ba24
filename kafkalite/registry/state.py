"""What the registry knows, rebuilt from the ``_schemas`` records: subjects and their
versions, schemas by id, configs and modes. ``apply`` takes one record; nothing here writes.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from kafkalite.registry.records import (
    CLEAR_SUBJECT,
    CONFIG,
    DELETE_SUBJECT,
    MODE,
    SCHEMA,
    RecordKey,
)

__all__ = ["RegistryState", "SchemaVersion", "identity"]


@dataclass(slots=True)
class SchemaVersion:
    subject: str
    version: int
    id: int
    schema: str
    schema_type: str = "AVRO"
    references: list[dict[str, Any]] = field(default_factory=list)
    metadata: dict[str, Any] | None = None
    rule_set: dict[str, Any] | None = None
    deleted: bool = False

    @classmethod
    def from_value(cls, value: dict[str, Any]) -> SchemaVersion:
        return cls(
            subject=str(value["subject"]),
            version=int(value["version"]),
            id=int(value["id"]),
            schema=str(value["schema"]),
            schema_type=str(value.get("schemaType") or "AVRO"),
            references=list(value.get("references") or []),
            metadata=value.get("metadata"),
            rule_set=value.get("ruleSet"),
            deleted=bool(value.get("deleted", False)),
        )

    def to_value(self) -> dict[str, Any]:
        value: dict[str, Any] = {"subject": self.subject, "version": self.version, "id": self.id}
        if self.schema_type != "AVRO":
            value["schemaType"] = self.schema_type
        value["references"] = self.references
        if self.metadata is not None:
            value["metadata"] = self.metadata
        if self.rule_set is not None:
            value["ruleSet"] = self.rule_set
        value["schema"] = self.schema
        value["deleted"] = self.deleted
        return value

    @property
    def identity(self) -> str:
        return identity(
            self.schema_type, self.schema, self.references, self.metadata, self.rule_set
        )

    @property
    def guid(self) -> str:
        return schema_guid(self.identity)


def identity(
    schema_type: str,
    schema: str,
    references: list[dict[str, Any]],
    metadata: dict[str, Any] | None = None,
    rule_set: dict[str, Any] | None = None,
) -> str:
    """What makes two registrations the same schema (and so the same id)."""
    return json.dumps([schema_type, schema, references, metadata, rule_set], sort_keys=True)


def schema_guid(identity_text: str) -> str:
    """A stable GUID per schema: the same schema text gets the same one after a restart."""
    return str(uuid.UUID(bytes=hashlib.md5(identity_text.encode()).digest(), version=4))


class RegistryState:
    def __init__(self) -> None:
        self.subjects: dict[str, dict[int, SchemaVersion]] = {}
        self.by_id: dict[int, SchemaVersion] = {}
        """One version holding each id's schema (any subject)."""
        self.id_of: dict[str, int] = {}
        """Schema identity -> id: the same schema in two subjects keeps one id."""
        self.max_id = 0
        self.configs: dict[str | None, dict[str, Any]] = {}
        self.modes: dict[str | None, str] = {}

    def apply(self, key: RecordKey, value: dict[str, Any] | None) -> None:
        if key.keytype == SCHEMA:
            self._apply_schema(key, value)
        elif key.keytype == CONFIG:
            if value is None:
                self.configs.pop(key.subject, None)
            else:
                self.configs[key.subject] = value
        elif key.keytype == MODE:
            if value is None or "mode" not in value:
                self.modes.pop(key.subject, None)
            else:
                self.modes[key.subject] = str(value["mode"])
        elif key.keytype == DELETE_SUBJECT and key.subject is not None and value is not None:
            last = int(value.get("version", 1 << 31))
            for version in self.subjects.get(key.subject, {}).values():
                if version.version <= last:
                    version.deleted = True
        elif key.keytype == CLEAR_SUBJECT and key.subject is not None:
            for version in list(self.subjects.get(key.subject, {}).values()):
                if version.deleted:
                    self._remove(version)

    def _apply_schema(self, key: RecordKey, value: dict[str, Any] | None) -> None:
        assert key.subject is not None and key.version is not None
        versions = self.subjects.get(key.subject, {})
        old = versions.get(key.version)
        if value is None:
            if old is not None:
                self._remove(old)
            return
        version = SchemaVersion.from_value(value)
        self.subjects.setdefault(version.subject, {})[version.version] = version
        self.max_id = max(self.max_id, version.id)
        self.id_of.setdefault(version.identity, version.id)
        self.by_id.setdefault(version.id, version)
        if old is not None and self.by_id.get(old.id) is old:
            self.by_id[old.id] = version

    def _remove(self, version: SchemaVersion) -> None:
        versions = self.subjects.get(version.subject, {})
        versions.pop(version.version, None)
        if not versions:
            self.subjects.pop(version.subject, None)
        if self.by_id.get(version.id) is version:
            others = [v for vs in self.subjects.values() for v in vs.values() if v.id == version.id]
            if others:
                self.by_id[version.id] = others[0]
            else:
                del self.by_id[version.id]
                if self.id_of.get(version.identity) == version.id:
                    del self.id_of[version.identity]

    def versions(self, subject: str, deleted: bool = False) -> list[SchemaVersion]:
        """A subject's versions, oldest first; soft-deleted ones only with ``deleted``."""
        found = sorted(self.subjects.get(subject, {}).values(), key=lambda v: v.version)
        return found if deleted else [v for v in found if not v.deleted]
