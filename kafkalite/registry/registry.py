"""``SchemaRegistry``: Confluent Schema Registry's schema and subject operations.

Ids are global: the same schema (type, text, references) registered under two subjects has
one id; a new schema gets the highest id seen plus one. Versions count per subject from 1
and are never reused, soft-deleted ones included. The topic, configs and modes are
``RegistryStore``'s (``store.py``).

Every method runs on the broker's event loop; reads of the topic are page-cache reads of a
small, compacted log. Errors are ``RegistryError`` with Confluent's codes.
"""

from __future__ import annotations

import logging
from typing import Any

from kafkalite.registry import compatibility
from kafkalite.registry.errors import RegistryError
from kafkalite.registry.records import DELETE_SUBJECT, SCHEMA, RecordKey
from kafkalite.registry.schema_types import ParsedSchema, Reference, parse
from kafkalite.registry.state import SchemaVersion, identity
from kafkalite.registry.store import SCHEMAS_TOPIC, RegistryStore, Write

__all__ = ["SCHEMAS_TOPIC", "SchemaRegistry", "parse_version"]

log = logging.getLogger("kafkalite.registry")

_MAX_VERSION = (1 << 31) - 1


class SchemaRegistry(RegistryStore):
    # -- schemas --------------------------------------------------------------------------

    def register(
        self, subject: str, request: dict[str, Any], *, normalize: bool = False
    ) -> dict[str, Any]:
        """POST /subjects/{subject}/versions."""
        self.catch_up()
        mode = self.mode_of(subject)
        if mode in ("READONLY", "READONLY_OVERRIDE"):
            raise RegistryError.operation_not_permitted(f"Subject {subject} is in read-only mode")
        schema_type, text, references, parsed = self._parse_request(request)
        normalize = normalize or bool(self._config(subject).get("normalize", False))
        text = parsed.normalized() if normalize else parsed.canonical()
        metadata, rule_set = request.get("metadata"), request.get("ruleSet")
        key = identity(schema_type, text, references, metadata, rule_set)
        live = self.state.versions(subject)
        for version in live:
            if version.identity == key:
                return self._registered(version)
        wanted_id = request.get("id")
        if mode == "IMPORT":
            if not isinstance(wanted_id, int) or wanted_id < 1:
                raise RegistryError.operation_not_permitted(
                    "In IMPORT mode a schema is registered with its id"
                )
            held = self.state.by_id.get(wanted_id)
            if held is not None and held.identity != key:
                raise RegistryError.operation_not_permitted(
                    f"Overwrite new schema with id {wanted_id} is not permitted."
                )
            schema_id = wanted_id
        else:
            level = self.compatibility_level(subject)
            previous = [self._parse_version(version) for version in live]
            messages = compatibility.check(level, parsed, previous)
            if messages:
                raise RegistryError.incompatible(subject, messages)
            schema_id = self.state.id_of.get(key, self.state.max_id + 1)
        everything = self.state.versions(subject, deleted=True)
        number = request.get("version")
        if not (mode == "IMPORT" and isinstance(number, int) and 0 < number <= _MAX_VERSION):
            number = everything[-1].version + 1 if everything else 1
        version = SchemaVersion(
            subject=subject,
            version=number,
            id=schema_id,
            schema=text,
            schema_type=schema_type,
            references=references,
            metadata=metadata,
            rule_set=rule_set,
        )
        self._write([(RecordKey(SCHEMA, subject, number), version.to_value())])
        log.info("registered %s version %d (id %d, %s)", subject, number, schema_id, schema_type)
        return self._registered(version)

    def lookup(
        self,
        subject: str,
        request: dict[str, Any],
        *,
        normalize: bool = False,
        deleted: bool = False,
    ) -> dict[str, Any]:
        """POST /subjects/{subject}: the version of ``subject`` holding this schema."""
        self.catch_up()
        versions = self.state.versions(subject, deleted=deleted)
        if not versions:
            raise RegistryError.subject_not_found(subject)
        schema_type, _, references, parsed = self._parse_request(request)
        metadata, rule_set = request.get("metadata"), request.get("ruleSet")
        texts = {parsed.canonical(), parsed.normalized()}
        keys = {identity(schema_type, t, references, metadata, rule_set) for t in texts}
        plain = {identity(schema_type, t, references) for t in texts}
        for version in reversed(versions):
            if version.identity in keys or (
                metadata is None
                and rule_set is None
                and identity(version.schema_type, version.schema, version.references) in plain
            ):
                return self.version_view(version)
        raise RegistryError.schema_not_found()

    def schema_by_id(self, schema_id: int, subject: str | None = None) -> SchemaVersion:
        """GET /schemas/ids/{id}."""
        self.catch_up()
        version = self.state.by_id.get(schema_id)
        if subject is not None:
            in_subject = [v for v in self.state.versions(subject, True) if v.id == schema_id]
            version = in_subject[0] if in_subject else None
        if version is None:
            raise RegistryError.schema_not_found(f"Schema {schema_id} not found")
        return version

    def schema_by_guid(self, guid: str) -> SchemaVersion:
        self.catch_up()
        for version in self.state.by_id.values():
            if version.guid == guid:
                return version
        raise RegistryError.schema_not_found(f"Schema {guid} not found")

    def id_versions(self, schema_id: int, deleted: bool = False) -> list[dict[str, Any]]:
        """GET /schemas/ids/{id}/versions: every subject and version holding the id."""
        self.schema_by_id(schema_id)
        return [
            {"subject": v.subject, "version": v.version}
            for subject in sorted(self.state.subjects)
            for v in self.state.versions(subject, deleted)
            if v.id == schema_id
        ]

    def all_schemas(
        self, prefix: str = "", deleted: bool = False, latest_only: bool = False
    ) -> list[SchemaVersion]:
        self.catch_up()
        found: list[SchemaVersion] = []
        for subject in sorted(self.state.subjects):
            if subject.startswith(prefix):
                versions = self.state.versions(subject, deleted)
                found += versions[-1:] if latest_only else versions
        return found

    # -- subjects -------------------------------------------------------------------------

    def subjects(self, prefix: str = "", deleted: bool = False) -> list[str]:
        self.catch_up()
        return [
            s
            for s in sorted(self.state.subjects)
            if s.startswith(prefix) and self.state.versions(s, deleted)
        ]

    def versions(self, subject: str, deleted: bool = False) -> list[int]:
        self.catch_up()
        found = self.state.versions(subject, deleted)
        if not found:
            raise RegistryError.subject_not_found(subject)
        return [v.version for v in found]

    def get_version(self, subject: str, version: str | int, deleted: bool = False) -> SchemaVersion:
        """GET /subjects/{subject}/versions/{version} (``latest`` or -1: the newest live one)."""
        self.catch_up()
        number = parse_version(version)
        everything = self.state.versions(subject, deleted=True)
        live = [v for v in everything if not v.deleted]
        if not (live or (deleted and everything)):
            raise RegistryError.subject_not_found(subject)
        if number == -1:
            candidates = everything if deleted else live
            return candidates[-1]
        for candidate in everything if deleted else live:
            if candidate.version == number:
                return candidate
        raise RegistryError.version_not_found(subject, number)

    def latest_with_metadata(
        self, subject: str, wanted: dict[str, str], deleted: bool = False
    ) -> SchemaVersion:
        """GET /subjects/{subject}/metadata: the newest version whose metadata properties
        hold every key=value asked for."""
        self.catch_up()
        versions = self.state.versions(subject, deleted)
        if not versions:
            raise RegistryError.subject_not_found(subject)
        for version in reversed(versions):
            properties = (version.metadata or {}).get("properties") or {}
            if all(properties.get(k) == v for k, v in wanted.items()):
                return version
        raise RegistryError.schema_not_found(f"Schema with metadata {wanted} not found")

    def referenced_by(self, subject: str, version: str | int) -> list[int]:
        found = self.get_version(subject, version, deleted=True)
        return sorted(
            {
                v.id
                for vs in self.state.subjects.values()
                for v in vs.values()
                if not v.deleted
                and any(
                    r.get("subject") == subject and r.get("version") == found.version
                    for r in v.references
                )
            }
        )

    def delete_subject(self, subject: str, permanent: bool = False) -> list[int]:
        """DELETE /subjects/{subject}: soft first; ``permanent`` only after a soft delete."""
        self.catch_up()
        self._writable(subject)
        everything = self.state.versions(subject, deleted=True)
        if not everything:
            raise RegistryError.subject_not_found(subject)
        live = [v for v in everything if not v.deleted]
        for version in everything:
            self._check_unreferenced(version)
        if permanent:
            if live:
                raise RegistryError.subject_not_soft_deleted(subject)
            self._write([(RecordKey(SCHEMA, subject, v.version), None) for v in everything])
            return [v.version for v in everything]
        if not live:
            raise RegistryError.subject_soft_deleted(subject)
        writes: list[Write] = []
        for version in live:
            value = version.to_value()
            value["deleted"] = True
            writes.append((RecordKey(SCHEMA, subject, version.version), value))
        writes.append(
            (RecordKey(DELETE_SUBJECT, subject), {"subject": subject, "version": live[-1].version})
        )
        self._write(writes)
        return [v.version for v in live]

    def delete_version(self, subject: str, version: str | int, permanent: bool = False) -> int:
        """DELETE /subjects/{subject}/versions/{version}."""
        self.catch_up()
        self._writable(subject)
        number = parse_version(version)
        everything = self.state.versions(subject, deleted=True)
        if not everything:
            raise RegistryError.subject_not_found(subject)
        if number == -1:
            live = [v for v in everything if not v.deleted]
            if not live:
                raise RegistryError.subject_not_found(subject)
            found = live[-1]
        else:
            matches = [v for v in everything if v.version == number]
            if not matches:
                raise RegistryError.version_not_found(subject, number)
            found = matches[0]
        self._check_unreferenced(found)
        key = RecordKey(SCHEMA, subject, found.version)
        if permanent:
            if not found.deleted:
                raise RegistryError.version_not_soft_deleted(subject, found.version)
            self._write([(key, None)])
        else:
            if found.deleted:
                raise RegistryError.version_soft_deleted(subject, found.version)
            value = found.to_value()
            value["deleted"] = True
            self._write([(key, value)])
        return found.version

    def test_compatibility(
        self, subject: str, version: str | int | None, request: dict[str, Any]
    ) -> list[str]:
        """POST /compatibility/subjects/{subject}/versions[/{version}]: what would break.
        Without a version, against the versions the subject's level names."""
        self.catch_up()
        _, _, _, parsed = self._parse_request(request)
        live = self.state.versions(subject)
        if version is None:
            previous = live
            level = self.compatibility_level(subject)
        else:
            number = parse_version(version)
            previous = live[-1:] if number == -1 else [self.get_version(subject, number)]
            level = self.compatibility_level(subject).removesuffix("_TRANSITIVE")
        return compatibility.check(level, parsed, [self._parse_version(v) for v in previous])

    # -- helpers --------------------------------------------------------------------------

    def _check_unreferenced(self, version: SchemaVersion) -> None:
        for other in (v for vs in self.state.subjects.values() for v in vs.values()):
            if other is version:
                continue
            for ref in other.references:
                if ref.get("subject") == version.subject and ref.get("version") == version.version:
                    raise RegistryError.reference_exists(
                        f"One or more references exist to the schema "
                        f"{{subject={version.subject},version={version.version}}}."
                    )

    def _parse_request(
        self, request: dict[str, Any]
    ) -> tuple[str, str, list[dict[str, Any]], ParsedSchema]:
        text = request.get("schema")
        if not isinstance(text, str) or not text.strip():
            raise RegistryError.invalid_schema("{}, details: the request has no schema")
        schema_type = request.get("schemaType") or "AVRO"
        if not isinstance(schema_type, str):
            raise RegistryError.invalid_schema(f"type {schema_type!r}")
        schema_type = schema_type.upper()
        raw_references = request.get("references") or []
        if not isinstance(raw_references, list):
            raise RegistryError.invalid_schema("references: not a list")
        references: list[dict[str, Any]] = []
        for ref in raw_references:
            if not (
                isinstance(ref, dict)
                and isinstance(ref.get("name"), str)
                and isinstance(ref.get("subject"), str)
                and isinstance(ref.get("version"), int)
            ):
                raise RegistryError.invalid_schema(
                    f"reference {ref!r}: needs name, subject, version"
                )
            references.append(
                {"name": ref["name"], "subject": ref["subject"], "version": ref["version"]}
            )
        resolved = self._resolve(references, depth=0)
        return schema_type, text, references, parse(schema_type, text, resolved)

    def _resolve(self, references: list[dict[str, Any]], depth: int) -> list[Reference]:
        """The referenced schemas, their own references first."""
        if depth > 32:
            raise RegistryError.invalid_schema("references: nested too deeply")
        resolved: list[Reference] = []
        for ref in references:
            try:
                target = self.get_version(ref["subject"], ref["version"], deleted=True)
            except RegistryError:
                raise RegistryError.invalid_schema(
                    f"reference {ref['name']}: subject {ref['subject']} version "
                    f"{ref['version']} not found"
                ) from None
            resolved += self._resolve(target.references, depth + 1)
            resolved.append(Reference(ref["name"], ref["subject"], target.version, target.schema))
        seen: set[tuple[str, int]] = set()
        unique = []
        for item in resolved:
            if (item.subject, item.version) not in seen:
                seen.add((item.subject, item.version))
                unique.append(item)
        return unique

    def _parse_version(self, version: SchemaVersion) -> ParsedSchema:
        return parse(
            version.schema_type, version.schema, self._resolve(version.references, depth=0)
        )

    def _registered(self, version: SchemaVersion) -> dict[str, Any]:
        return {"id": version.id, "guid": version.guid, **self.version_view(version)}

    @staticmethod
    def version_view(version: SchemaVersion) -> dict[str, Any]:
        """A version as ``GET /subjects/{s}/versions/{v}`` answers it."""
        view: dict[str, Any] = {
            "subject": version.subject,
            "version": version.version,
            "id": version.id,
            "guid": version.guid,
        }
        if version.schema_type != "AVRO":
            view["schemaType"] = version.schema_type
        if version.references:
            view["references"] = version.references
        if version.metadata is not None:
            view["metadata"] = version.metadata
        if version.rule_set is not None:
            view["ruleSet"] = version.rule_set
        view["schema"] = version.schema
        return view


def parse_version(version: str | int) -> int:
    """A version path parameter: 1 .. 2^31-1, or ``latest``/-1 (returned as -1)."""
    if isinstance(version, str):
        if version == "latest":
            return -1
        try:
            number = int(version)
        except ValueError:
            raise RegistryError.invalid_version(version) from None
    else:
        number = version
    if number == -1 or 1 <= number <= _MAX_VERSION:
        return number
    raise RegistryError.invalid_version(str(version))
