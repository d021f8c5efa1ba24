"""SchemaRegistry against a real LogManager: register, look up, ids, versions, deletes,
configs, modes, Confluent's error codes, and the ``_schemas`` records surviving a reopen."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kafkalite.internal_topics import scan
from kafkalite.registry import SCHEMAS_TOPIC, RegistryError, SchemaRegistry
from kafkalite.storage.manager import LogManager

USER = {"type": "record", "name": "User", "fields": [{"name": "name", "type": "string"}]}
USER_AGE = {**USER, "fields": [*USER["fields"], {"name": "age", "type": "int", "default": 0}]}
USER_EMAIL = {**USER, "fields": [*USER["fields"], {"name": "email", "type": "string"}]}


def avro(schema: object) -> dict[str, Any]:
    return {"schema": json.dumps(schema)}


def open_logs(data_dir: Path) -> LogManager:
    logs = LogManager(data_dir, cleaner_enable=False)
    logs.start()
    return logs


@pytest.fixture
def logs(tmp_path: Path) -> Iterator[LogManager]:
    logs = open_logs(tmp_path)
    try:
        yield logs
    finally:
        logs.shutdown()


@pytest.fixture
def registry(logs: LogManager) -> SchemaRegistry:
    return SchemaRegistry(logs)


def error_of(call: Any, *args: Any, **kwargs: Any) -> tuple[int, int]:
    with pytest.raises(RegistryError) as info:
        call(*args, **kwargs)
    return info.value.status, info.value.error_code


def test_register_assigns_global_ids_and_versions(registry: SchemaRegistry) -> None:
    first = registry.register("users-value", avro(USER))
    assert (first["id"], first["version"]) == (1, 1)
    # the same schema again: the same id and version, nothing new written
    assert registry.register("users-value", avro(USER))["version"] == 1
    # whitespace does not make another schema
    assert registry.register("users-value", {"schema": json.dumps(USER, indent=4)})["id"] == 1
    # the same schema under another subject keeps its id
    other = registry.register("admins-value", avro(USER))
    assert (other["id"], other["version"]) == (1, 1)
    second = registry.register("users-value", avro(USER_AGE))
    assert (second["id"], second["version"]) == (2, 2)
    assert registry.subjects() == ["admins-value", "users-value"]
    assert registry.versions("users-value") == [1, 2]
    assert registry.get_version("users-value", "latest").id == 2
    assert registry.get_version("users-value", "1").id == 1
    assert registry.schema_by_id(2).schema == json.dumps(USER_AGE, separators=(",", ":"))
    assert registry.id_versions(1) == [
        {"subject": "admins-value", "version": 1},
        {"subject": "users-value", "version": 1},
    ]
    assert registry.schema_by_guid(registry.schema_by_id(1).guid).id == 1


def test_lookup_finds_the_version(registry: SchemaRegistry) -> None:
    registry.register("users-value", avro(USER))
    registry.register("users-value", avro(USER_AGE))
    found = registry.lookup("users-value", avro(USER))
    assert (found["id"], found["version"], found["subject"]) == (1, 1, "users-value")
    assert error_of(registry.lookup, "users-value", avro(USER_EMAIL)) == (404, 40403)
    assert error_of(registry.lookup, "nobody", avro(USER)) == (404, 40401)


def test_errors_are_confluents(registry: SchemaRegistry) -> None:
    assert error_of(registry.versions, "missing") == (404, 40401)
    assert error_of(registry.register, "s", {"schema": '{"type": "record"}'}) == (422, 42201)
    assert error_of(registry.register, "s", {"schema": "not json"}) == (422, 42201)
    assert error_of(registry.register, "s", {"schema": "{}", "schemaType": "XML"}) == (422, 42201)
    registry.register("s", avro(USER))
    assert error_of(registry.get_version, "s", "7") == (404, 40402)
    assert error_of(registry.get_version, "s", "one") == (422, 42202)
    assert error_of(registry.get_version, "s", "0") == (422, 42202)
    assert error_of(registry.schema_by_id, 99) == (404, 40403)
    assert error_of(registry.set_config, None, {"compatibility": "SIDEWAYS"}) == (422, 42203)
    assert error_of(registry.get_config, "s") == (404, 40408)
    assert error_of(registry.set_mode, None, "SOMETIMES") == (422, 42204)


def test_backward_is_the_default_and_refuses_with_409(registry: SchemaRegistry) -> None:
    registry.register("users-value", avro(USER))
    with pytest.raises(RegistryError) as info:
        registry.register("users-value", avro(USER_EMAIL))  # a new field without a default
    assert (info.value.status, info.value.error_code) == (409, 409)
    assert "READER_FIELD_MISSING_DEFAULT_VALUE" in info.value.message
    assert registry.versions("users-value") == [1]
    assert registry.test_compatibility("users-value", "latest", avro(USER_EMAIL))
    assert not registry.test_compatibility("users-value", "latest", avro(USER_AGE))


def test_levels_per_subject_and_transitive(registry: SchemaRegistry) -> None:
    v1 = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int"}]}
    v2 = {
        "type": "record",
        "name": "R",
        "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "int", "default": 1}],
    }
    v3 = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "long"}]}
    v4 = {
        "type": "record",
        "name": "R",
        "fields": [{"name": "a", "type": "int"}, {"name": "c", "type": "int", "default": 0}],
    }
    registry.set_config("r", {"compatibility": "FORWARD"})
    assert registry.get_config("r")["compatibilityLevel"] == "FORWARD"
    registry.register("r", avro(v1))
    registry.register("r", avro(v2))  # v1 reads v2 data: b is ignored
    # forward: the old schema must read data of the new one; v2 (int a) cannot read long a
    assert error_of(registry.register, "r", avro(v3)) == (409, 409)
    registry.set_config("r", {"compatibility": "BACKWARD"})
    registry.register("r", avro(v3))  # v3 reads v2: int promotes to long
    # v4 reads v3's data? int cannot read long
    assert error_of(registry.register, "r", avro(v4)) == (409, 409)
    registry.set_config("r", {"compatibility": "NONE"})
    assert registry.register("r", avro(v4))["version"] == 4
    previous = registry.delete_config("r")
    assert previous["compatibilityLevel"] == "NONE"
    assert registry.get_config("r", default_to_global=True)["compatibilityLevel"] == "BACKWARD"


def test_transitive_checks_every_live_version(registry: SchemaRegistry) -> None:
    v1 = {"type": "record", "name": "R", "fields": [{"name": "a", "type": "int", "default": 0}]}
    v2 = {"type": "record", "name": "R", "fields": []}
    v3 = {
        "type": "record",
        "name": "R",
        "fields": [{"name": "a", "type": "string", "default": "x"}],
    }
    registry.set_config(None, {"compatibility": "FULL_TRANSITIVE"})
    registry.register("t", avro(v1))
    registry.register("t", avro(v2))
    # v3 against v2 only is fine (v2 has no a; v3's a has a default), not against v1's int a
    assert error_of(registry.register, "t", avro(v3)) == (409, 409)
    registry.set_config(None, {"compatibility": "FULL"})
    assert registry.register("t", avro(v3))["version"] == 3


def test_soft_then_permanent_deletes(registry: SchemaRegistry) -> None:
    registry.register("s", avro(USER))
    registry.register("s", avro(USER_AGE))
    assert error_of(registry.delete_version, "s", "1", permanent=True) == (404, 40407)
    assert registry.delete_version("s", "1") == 1
    assert error_of(registry.delete_version, "s", "1") == (404, 40406)
    assert registry.versions("s") == [2]
    assert registry.versions("s", deleted=True) == [1, 2]
    assert registry.get_version("s", "1", deleted=True).deleted
    assert registry.schema_by_id(1).id == 1  # a soft-deleted schema is still readable by id
    assert error_of(registry.delete_subject, "s", permanent=True) == (404, 40405)
    assert registry.delete_subject("s") == [2]
    assert error_of(registry.delete_subject, "s") == (404, 40404)
    assert registry.subjects() == []
    assert registry.subjects(deleted=True) == ["s"]
    assert registry.delete_subject("s", permanent=True) == [1, 2]
    assert registry.subjects(deleted=True) == []
    assert error_of(registry.schema_by_id, 1) == (404, 40403)
    assert error_of(registry.delete_subject, "s") == (404, 40401)
    # versions go on after a soft delete, and a known schema keeps its id
    registry.register("t", avro(USER))
    registry.delete_subject("t")
    again = registry.register("t", avro(USER))
    assert (again["version"], again["id"]) == (2, 3)


def test_references(registry: SchemaRegistry) -> None:
    address = {
        "type": "record",
        "name": "Address",
        "namespace": "shop",
        "fields": [{"name": "city", "type": "string"}],
    }
    registry.register("address", avro(address))
    order = {
        "type": "record",
        "name": "Order",
        "namespace": "shop",
        "fields": [{"name": "to", "type": "shop.Address"}],
    }
    refs = [{"name": "shop.Address", "subject": "address", "version": 1}]
    assert error_of(registry.register, "order", avro(order)) == (422, 42201)
    registered = registry.register("order", {**avro(order), "references": refs})
    assert registry.schema_by_id(registered["id"]).references == refs
    assert registry.referenced_by("address", "1") == [registered["id"]]
    assert error_of(registry.delete_version, "address", "1") == (422, 42206)
    missing = [{"name": "x", "subject": "nowhere", "version": 1}]
    assert error_of(registry.register, "order2", {**avro(order), "references": missing}) == (
        422,
        42201,
    )


def test_modes(registry: SchemaRegistry) -> None:
    assert registry.get_mode(None) == "READWRITE"
    registry.set_mode(None, "READONLY")
    assert error_of(registry.register, "s", avro(USER)) == (422, 42205)
    registry.set_mode(None, "READWRITE")
    registry.register("s", avro(USER))
    assert error_of(registry.set_mode, None, "IMPORT") == (422, 42205)
    registry.set_mode("imported", "IMPORT")
    registered = registry.register("imported", {**avro(USER_EMAIL), "id": 42, "version": 7})
    assert (registered["id"], registered["version"]) == (42, 7)
    assert registry.delete_mode("imported") == "IMPORT"
    # the next new schema takes an id above every id seen
    registry.set_config(None, {"compatibility": "NONE"})
    assert registry.register("s", avro({"type": "string"}))["id"] == 43


def test_normalize_and_metadata(registry: SchemaRegistry) -> None:
    schema = '{"name": "R", "type": "record", "fields": []}'
    reordered = '{"fields": [], "type": "record", "name": "R"}'
    first = registry.register("n", {"schema": schema}, normalize=True)
    assert registry.register("n", {"schema": reordered}, normalize=True)["id"] == first["id"]
    assert registry.lookup("n", {"schema": reordered}, normalize=True)["version"] == 1
    tagged = {"schema": json.dumps(USER), "metadata": {"properties": {"owner": "team-a"}}}
    registry.register("m", tagged)
    assert registry.latest_with_metadata("m", {"owner": "team-a"}).version == 1
    assert error_of(registry.latest_with_metadata, "m", {"owner": "team-b"}) == (404, 40403)


def test_records_are_confluents_and_replayed(logs: LogManager, tmp_path: Path) -> None:
    registry = SchemaRegistry(logs)
    registry.register("users-value", avro(USER))
    registry.register("events-value", {"schema": '{"type": "object"}', "schemaType": "JSON"})
    registry.set_config("users-value", {"compatibility": "FULL"})
    registry.delete_subject("events-value")
    info = logs.get_topic(SCHEMAS_TOPIC)
    assert info is not None and len(info.partitions) == 1
    assert info.configs["cleanup.policy"] == "compact"
    records = [
        (json.loads(r.key or b"null"), json.loads(r.value) if r.value else None)
        for batch in scan(info.partitions[0])
        for r in batch.records
    ]
    assert records[0] == (
        {"keytype": "SCHEMA", "subject": "users-value", "version": 1, "magic": 1},
        {
            "subject": "users-value",
            "version": 1,
            "id": 1,
            "references": [],
            "schema": json.dumps(USER, separators=(",", ":")),
            "deleted": False,
        },
    )
    assert records[1][1]["schemaType"] == "JSON"
    assert records[2] == (
        {"keytype": "CONFIG", "subject": "users-value", "magic": 0},
        {"compatibilityLevel": "FULL"},
    )
    assert records[-1] == (
        {"keytype": "DELETE_SUBJECT", "subject": "events-value", "magic": 0},
        {"subject": "events-value", "version": 1},
    )
    logs.shutdown()
    reopened = open_logs(tmp_path)
    try:
        again = SchemaRegistry(reopened)
        assert again.subjects() == ["users-value"]
        assert again.subjects(deleted=True) == ["events-value", "users-value"]
        assert again.get_version("users-value", "latest").id == 1
        assert again.compatibility_level("users-value") == "FULL"
        assert again.register("more-value", {"schema": '"string"'})["id"] == 3
    finally:
        reopened.shutdown()


def test_records_appended_by_others_are_read(registry: SchemaRegistry, logs: LogManager) -> None:
    from kafkalite.internal_topics import append_records

    registry.register("s", avro(USER))
    info = logs.get_topic(SCHEMAS_TOPIC)
    assert info is not None
    key = b'{"keytype":"SCHEMA","subject":"restored","version":3,"magic":1}'
    value = json.dumps(
        {"subject": "restored", "version": 3, "id": 17, "schema": '"long"', "deleted": False}
    ).encode()
    append_records(info.partitions[0], [(key, value), (b"garbage", b"x")], now_ms=0)
    assert registry.get_version("restored", "latest").id == 17
    assert registry.schema_by_id(17).schema == '"long"'
