"""Check the wire schemas under protocol/ against Apache Kafka's own message definitions.

Our files are written by hand (protocol/README.md); this test is the oracle that keeps them
honest. For every message file it finds Kafka's JSON for the same message, either in a Kafka
checkout (``KAFKA_SOURCE=/path/to/kafka``) or in the copy the kafka-python package ships, and
compares, for every version we serve that Kafka also knows, the ordered fields present at that
version, recursively: name, wire type, nullability, tag, legacy (non-compact) encoding,
``ignorable`` where it matters, and defaults. It also checks the version ranges, the flexible
versions and the API keys. When neither source is available those tests are skipped.

Tests that need nothing from Kafka check that the files are well formed: strict JSON, valid
against protocol/schema.json (when ``jsonschema`` is importable), unique class names per file,
consistent version ranges, and an error table with unique codes and names.

Every file in protocol/messages/ is picked up automatically, so new API files are covered
without touching this test. The tables below hold the few deliberate differences.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, cast

import pytest

REPO = Path(__file__).resolve().parents[3]
PROTOCOL = REPO / "protocol"
MESSAGES = PROTOCOL / "messages"

KAFKA_MESSAGE_DIR = Path("clients/src/main/resources/common/message")
KAFKA_ERRORS_JAVA = Path("clients/src/main/java/org/apache/kafka/common/protocol/Errors.java")

# APIs whose served range starts below the minimum of Kafka's current file. Kafka 4 removed
# Produce v0-2 from ProduceRequest.json but must still advertise them (KAFKA-18659); we decode
# them only to answer UNSUPPORTED_VERSION. KIP-896 also removed CreateTopics v0-1,
# DeleteTopics v0, DescribeConfigs v0 and DescribeLogDirs v0, which we still serve; their
# layouts come from Kafka 3.x's message files and the protocol guide. Versions below Kafka's
# minimum are not compared.
BELOW_UPSTREAM_MIN: frozenset[str] = frozenset(
    {"Produce", "CreateTopics", "DeleteTopics", "DescribeConfigs", "DescribeLogDirs"}
)

# Deliberate renames: (Kafka message name, dotted path of Kafka field names) -> our field name.
# Every other field must be named by converting Kafka's CamelCase name to snake_case.
# AddPartitionsToTxn v0-3 fields carry a "V3AndBelow" tag in Kafka only to keep them apart
# from the v4+ batch; no version has both, so ours keep the plain names.
RENAMES: dict[tuple[str, str], str] = {
    ("AddPartitionsToTxnRequest", "V3AndBelowTransactionalId"): "transactional_id",
    ("AddPartitionsToTxnRequest", "V3AndBelowProducerId"): "producer_id",
    ("AddPartitionsToTxnRequest", "V3AndBelowProducerEpoch"): "producer_epoch",
    ("AddPartitionsToTxnRequest", "V3AndBelowTopics"): "topics",
    ("AddPartitionsToTxnResponse", "ResultsByTopicV3AndBelow"): "results_by_topic",
}

# Classes of a `messages` file whose Kafka file has another name.
UPSTREAM_NAMES: dict[str, str] = {}

PRIMITIVES = frozenset(
    {
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint16",
        "uint32",
        "float64",
        "string",
        "bytes",
        "uuid",
        "records",
    }
)
INTEGERS = frozenset({"int8", "int16", "int32", "int64", "uint16", "uint32"})
NULLABLE_TYPES = frozenset({"string", "bytes", "records", "array", "struct"})
TOP = 1 << 15  # above every version number
NOT_COMPARED = object()

Field = dict[str, Any]
Fields = list[Field]


# --------------------------------------------------------------------------- version ranges

Range = tuple[int, int] | None  # inclusive (low, high); None for "none"


def parse_range(text: str) -> Range:
    text = text.strip()
    if text == "none":
        return None
    if text.endswith("+"):
        return int(text[:-1]), TOP
    if "-" in text:
        low, high = text.split("-")
        return int(low), int(high)
    return int(text), int(text)


def within(rng: Range, version: int) -> bool:
    return rng is not None and rng[0] <= version <= rng[1]


def covers(rng: Range, low: int, high: int) -> bool:
    """Whether ``rng`` holds every version from ``low`` to ``high``."""
    return rng is not None and rng[0] <= low and high <= rng[1]


# --------------------------------------------------------------------------- our files


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


@cache
def load_ours(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    return cast(dict[str, Any], json.loads(text, object_pairs_hook=_no_duplicate_keys))


def message_files() -> list[Path]:
    return sorted(MESSAGES.glob("*.json"))


def all_protocol_files() -> list[Path]:
    return sorted(PROTOCOL.rglob("*.json"))


def our_messages(doc: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], int | None]]:
    """Yield (class name, message, API key or None) for every top-level message of a file."""
    if "api" in doc:
        yield f"{doc['api']}Request", doc["request"], doc["key"]
        yield f"{doc['api']}Response", doc["response"], doc["key"]
    else:
        for name, message in doc["messages"].items():
            yield name, message, None


def message_cases() -> list[Any]:
    cases = []
    for path in message_files():
        try:
            names = [name for name, _, _ in our_messages(load_ours(path))]
        except (ValueError, KeyError) as exc:  # reported by the well-formedness tests
            cases.append(pytest.param(path, f"<{exc}>", id=f"{path.name}:unreadable"))
            continue
        cases.extend(pytest.param(path, name, id=f"{path.name}:{name}") for name in names)
    return cases


def our_children(field: dict[str, Any], doc: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The fields of the class a struct or struct-array field refers to, or None."""
    if field["type"] == "struct":
        class_name = field["struct"]
    elif field["type"] == "array" and field["of"] not in PRIMITIVES:
        class_name = field["of"]
    else:
        return None
    fields = field["fields"] if "fields" in field else doc.get("structs", {})[class_name]["fields"]
    return cast(list[dict[str, Any]], fields)


# --------------------------------------------------------------------------- Kafka's files


# APIs whose files kafka-python does not ship (it has no client for them); their bytes are
# checked by test_hand_written_bytes.py instead.
NOT_IN_KAFKA_PYTHON = {
    "GetTelemetrySubscriptions", "PushTelemetry", "ConsumerGroupHeartbeat", "ConsumerGroupDescribe",
    "AddRaftVoter", "RemoveRaftVoter", "UnregisterBroker", "CreateDelegationToken", "RenewDelegationToken",
    "ExpireDelegationToken", "DescribeDelegationToken",
    "ShareGroupHeartbeat", "ShareGroupDescribe", "ShareFetch", "ShareAcknowledge",
    "DescribeShareGroupOffsets", "AlterShareGroupOffsets", "DeleteShareGroupOffsets",
}


@cache
def upstream_dir() -> Path | None:
    source = os.environ.get("KAFKA_SOURCE")
    if source:
        directory = Path(source) / KAFKA_MESSAGE_DIR
        if not directory.is_dir():
            pytest.fail(f"KAFKA_SOURCE is set but {directory} does not exist")
        return directory
    spec = importlib.util.find_spec("kafka")
    for location in (spec.submodule_search_locations or []) if spec else []:
        directory = Path(location) / "protocol" / "schemas" / "resources"
        if directory.is_dir():
            return directory
    return None


def strip_comments(text: str) -> str:
    """Remove // comments from Kafka's JSON, leaving // inside strings alone."""
    out: list[str] = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        char = text[i]
        if in_string:
            out.append(char)
            if char == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            out.append(char)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        else:
            out.append(char)
        i += 1
    return "".join(out)


@cache
def load_upstream(name: str) -> dict[str, Any] | None:
    directory = upstream_dir()
    assert directory is not None
    path = directory / f"{name}.json"
    if not path.is_file():
        return None
    return cast(dict[str, Any], json.loads(strip_comments(path.read_text(encoding="utf-8"))))


def require_upstream() -> None:
    if upstream_dir() is None:
        pytest.skip("no Kafka message definitions: set KAFKA_SOURCE or install kafka-python")


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def upstream_type(text: str) -> tuple[str, str | None, str | None]:
    """(our type, element kind for arrays, struct class) for a Kafka type string."""
    text = text.strip()
    if text.startswith("[]"):
        element = text[2:]
        if element in PRIMITIVES:
            return "array", element, None
        return "array", "struct", element
    if text in PRIMITIVES:
        return text, None, None
    return "struct", None, text


def upstream_children(
    field: dict[str, Any], upstream: dict[str, Any]
) -> list[dict[str, Any]] | None:
    _, _, class_name = upstream_type(field["type"])
    if class_name is None:
        return None
    if "fields" in field:
        return cast(list[dict[str, Any]], field["fields"])
    for struct in upstream.get("commonStructs", []):
        if struct["name"] == class_name:
            return cast(list[dict[str, Any]], struct["fields"])
    raise AssertionError(f"Kafka's {upstream['name']} has no struct {class_name}")


# --------------------------------------------------------------------------- defaults


def upstream_default(field: dict[str, Any], typ: str) -> Any:
    value = field.get("default")
    if typ in INTEGERS:
        if value is None:
            return 0
        return int(value, 0) if isinstance(value, str) else int(value)
    if typ == "bool":
        if value is None:
            return False
        return value if isinstance(value, bool) else value.strip() == "true"
    if typ == "float64":
        return 0.0 if value is None else float(value)
    if value == "null":
        return None
    if typ == "string" and value is not None:
        return value
    # Kafka and we disagree on purpose about an unset nullable field (we default it to null).
    return NOT_COMPARED


def our_default(field: dict[str, Any], scope: tuple[int, int]) -> Any:
    """Our default: explicit, else null when nullable wherever the field exists within
    ``scope`` (the versions in which its struct exists), else the type's zero value."""
    if "default" in field:
        return field["default"]
    field_range = parse_range(field.get("versions", "0+"))
    assert field_range is not None
    low, high = max(field_range[0], scope[0]), min(field_range[1], scope[1])
    if covers(parse_range(field.get("nullable", "none")), low, high):
        return None
    return {"bool": False, "float64": 0.0, "string": ""}.get(
        field["type"], 0 if field["type"] in INTEGERS else NOT_COMPARED
    )


def same_value(ours: Any, theirs: Any) -> bool:
    if isinstance(ours, bool) or isinstance(theirs, bool):
        return isinstance(ours, bool) and isinstance(theirs, bool) and ours == theirs
    return ours == theirs and (ours is None) == (theirs is None)


# --------------------------------------------------------------------------- comparison


class Comparison:
    """Compares one of our messages with Kafka's, version by version."""

    def __init__(self, doc: dict[str, Any], ours: dict[str, Any], upstream: dict[str, Any]):
        self.doc = doc
        self.ours = ours
        self.upstream = upstream
        self.our_flexible = parse_range(ours["flexible"])
        self.their_flexible = parse_range(upstream.get("flexibleVersions", "none"))
        self.problems: dict[str, list[int]] = {}

    def problem(self, version: int, text: str) -> None:
        self.problems.setdefault(text, []).append(version)

    def run(self, versions: range) -> None:
        for version in versions:
            if within(self.our_flexible, version) != within(self.their_flexible, version):
                self.problem(version, "flexible versions differ")
            flexible = within(self.our_flexible, version)
            self.compare_fields(
                self.ours["fields"],
                self.upstream["fields"],
                version,
                flexible,
                path="",
                kafka_path="",
                scope=(versions.start, versions.stop - 1),
            )

    def present_ours(self, fields: Fields, version: int, flexible: bool) -> Iterator[Field]:
        for field in fields:
            if not within(parse_range(field.get("versions", "0+")), version):
                continue
            if "tag" in field and not flexible:
                continue
            yield field

    def present_theirs(self, fields: Fields, version: int, flexible: bool) -> Iterator[Field]:
        for field in fields:
            if not within(parse_range(field["versions"]), version):
                continue
            if self.their_tag(field, version) is not None and not flexible:
                continue
            yield field

    @staticmethod
    def their_tag(field: dict[str, Any], version: int) -> int | None:
        if "tag" not in field:
            return None
        tagged = parse_range(field.get("taggedVersions", field["versions"]))
        return int(field["tag"]) if within(tagged, version) else None

    def our_name(self, field: dict[str, Any], kafka_path: str) -> str:
        return RENAMES.get((self.upstream["name"], kafka_path), snake(field["name"]))

    def compare_fields(
        self,
        ours: Fields,
        theirs: Fields,
        version: int,
        flexible: bool,
        path: str,
        kafka_path: str,
        scope: tuple[int, int],
    ) -> None:
        """Compare two field lists; ``scope`` holds the versions in which their struct exists."""
        mine = list(self.present_ours(ours, version, flexible))
        kafka = list(self.present_theirs(theirs, version, flexible))
        kafka_paths: dict[str, tuple[Field, str]] = {}
        for field in kafka:
            sub_path = f"{kafka_path}.{field['name']}" if kafka_path else field["name"]
            kafka_paths[self.our_name(field, sub_path)] = (field, sub_path)
        our_names = [field["name"] for field in mine]
        their_names = list(kafka_paths)
        where = path or "<top>"
        if our_names != their_names:
            self.problem(version, f"{where}: fields {our_names} but Kafka has {their_names}")
        for field in mine:
            if field["name"] in kafka_paths:
                kafka_field, sub_path = kafka_paths[field["name"]]
                sub = f"{path}.{field['name']}" if path else field["name"]
                self.compare_field(field, kafka_field, version, flexible, sub, sub_path, scope)

    def compare_field(
        self,
        mine: Field,
        kafka: Field,
        version: int,
        flexible: bool,
        path: str,
        kafka_path: str,
        scope: tuple[int, int],
    ) -> None:
        typ, element, _ = upstream_type(kafka["type"])
        if mine["type"] != typ:
            self.problem(version, f"{path}: type {mine['type']} but Kafka has {kafka['type']}")
            return
        if typ == "array":
            our_element = mine["of"] if mine["of"] in PRIMITIVES else "struct"
            if our_element != element:
                self.problem(
                    version, f"{path}: array of {mine['of']} but Kafka has {kafka['type']}"
                )
                return

        our_nullable = within(parse_range(mine.get("nullable", "none")), version)
        their_nullable = within(parse_range(kafka.get("nullableVersions", "none")), version)
        if our_nullable != their_nullable:
            self.problem(version, f"{path}: nullable={our_nullable} but Kafka has {their_nullable}")

        if mine.get("tag") != self.their_tag(kafka, version):
            self.problem(
                version,
                f"{path}: tag {mine.get('tag')} but Kafka has {self.their_tag(kafka, version)}",
            )

        if flexible:
            our_legacy = bool(mine.get("legacy", False))
            their_legacy = "flexibleVersions" in kafka and not within(
                parse_range(kafka["flexibleVersions"]), version
            )
            if our_legacy != their_legacy:
                self.problem(version, f"{path}: legacy={our_legacy} but Kafka has {their_legacy}")

        # `ignorable` only matters where the struct exists but the field does not.
        kafka_range = parse_range(kafka["versions"])
        assert kafka_range is not None
        if not covers(kafka_range, *scope):
            ours_ignorable = bool(mine.get("ignorable", False))
            theirs_ignorable = bool(kafka.get("ignorable", False))
            if ours_ignorable != theirs_ignorable:
                self.problem(
                    version, f"{path}: ignorable={ours_ignorable} but Kafka has {theirs_ignorable}"
                )

        theirs_default = upstream_default(kafka, typ)
        if theirs_default is not NOT_COMPARED:
            ours_default = our_default(mine, scope)
            if not same_value(ours_default, theirs_default):
                self.problem(
                    version, f"{path}: default {ours_default!r} but Kafka has {theirs_default!r}"
                )

        our_fields = our_children(mine, self.doc)
        their_fields = upstream_children(kafka, self.upstream)
        if our_fields is not None and their_fields is not None:
            inner = (max(scope[0], kafka_range[0]), min(scope[1], kafka_range[1]))
            self.compare_fields(
                our_fields,
                their_fields,
                version,
                flexible,
                path,
                kafka_path,
                inner,
            )

    def report(self) -> list[str]:
        lines = []
        for text, versions in self.problems.items():
            shown = ", ".join(str(v) for v in versions)
            lines.append(f"{text} (v{shown})")
        return lines


def find_our_message(path: Path, name: str) -> tuple[dict[str, Any], dict[str, Any], int | None]:
    doc = load_ours(path)
    for class_name, message, key in our_messages(doc):
        if class_name == name:
            return doc, message, key
    raise AssertionError(f"{path.name} has no message {name}")


@pytest.mark.parametrize(("path", "name"), message_cases())
def test_matches_upstream(path: Path, name: str) -> None:
    require_upstream()
    doc, ours, key = find_our_message(path, name)
    upstream_name = UPSTREAM_NAMES.get(name, name)
    upstream = load_upstream(upstream_name)
    if upstream is None and not os.environ.get("KAFKA_SOURCE") and doc.get("api") in NOT_IN_KAFKA_PYTHON:
        pytest.skip(f"kafka-python ships no {upstream_name}.json; set KAFKA_SOURCE to check it")
    assert upstream is not None, f"Kafka has no {upstream_name}.json in {upstream_dir()}"

    if key is not None:
        assert upstream.get("apiKey") == key, (
            f"key {key} but Kafka's {upstream_name} has {upstream.get('apiKey')}"
        )
        expected_kind = "request" if name.endswith("Request") else "response"
        assert upstream.get("type") == expected_kind

    our_range = parse_range(ours["versions"])
    their_range = parse_range(upstream["validVersions"])
    assert our_range is not None and their_range is not None
    assert our_range[1] <= their_range[1], (
        f"{name} serves up to v{our_range[1]}, Kafka's file stops at v{their_range[1]}"
    )
    if our_range[0] < their_range[0]:
        assert doc.get("api") in BELOW_UPSTREAM_MIN, (
            f"{name} starts at v{our_range[0]}, below Kafka's v{their_range[0]}; "
            "add the API to BELOW_UPSTREAM_MIN only if that is deliberate"
        )
    if upstream.get("latestVersionUnstable"):
        assert our_range[1] < their_range[1], f"{name} v{their_range[1]} is unstable in Kafka"

    comparison = Comparison(doc, ours, upstream)
    comparison.run(range(max(our_range[0], their_range[0]), our_range[1] + 1))
    problems = comparison.report()
    assert not problems, (
        f"{path.name} {name} differs from Kafka's {upstream_name}.json:\n" + "\n".join(problems)
    )


# --------------------------------------------------------------------------- well-formedness


@pytest.mark.parametrize("path", all_protocol_files(), ids=lambda p: str(p.relative_to(PROTOCOL)))
def test_strict_json(path: Path) -> None:
    load_ours(path)


@pytest.mark.parametrize(
    "path",
    [p for p in all_protocol_files() if p.name != "schema.json"],
    ids=lambda p: str(p.relative_to(PROTOCOL)),
)
def test_valid_against_schema(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(load_ours(PROTOCOL / "schema.json"))
    errors = [
        f"{'/'.join(str(part) for part in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(load_ours(path))
    ]
    assert not errors, "\n".join(errors)


def test_schema_is_valid_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(load_ours(PROTOCOL / "schema.json"))


def _api(request_fields: list[dict[str, Any]]) -> dict[str, Any]:
    message = {"versions": "0-1", "flexible": "1+", "fields": request_fields}
    return {
        "api": "X",
        "key": 0,
        "doc": "d",
        "sources": ["s"],
        "request": message,
        "response": message,
    }


@pytest.mark.parametrize(
    "doc",
    [
        _api([{"name": "a", "type": "array"}]),
        _api([{"name": "a", "type": "struct", "fields": []}]),
        _api([{"name": "a", "type": "int32", "nullable": "0+"}]),
        _api([{"name": "a", "type": "array", "of": "int32", "fields": []}]),
        _api([{"name": "a", "type": "int32", "versions": "1..2"}]),
        _api([{"name": "a", "type": "int33"}]),
        _api([{"name": "CamelCase", "type": "int32"}]),
        _api([{"name": "a", "type": "int32", "about": "Kafka's key, not ours"}]),
        {
            "doc": "d",
            "sources": ["s"],
            "messages": {"lower": {"versions": "0", "flexible": "none", "fields": []}},
        },
        {
            "doc": "d",
            "sources": ["s"],
            "errors": [{"name": "X", "code": 1, "retriable": "no", "message": "m"}],
        },
    ],
    ids=[
        "array-without-of",
        "struct-without-class",
        "nullable-int",
        "primitive-array-with-fields",
        "bad-range",
        "bad-type",
        "camel-name",
        "unknown-key",
        "lowercase-class",
        "retriable-not-bool",
    ],
)
def test_schema_rejects(doc: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(load_ours(PROTOCOL / "schema.json"))
    assert list(validator.iter_errors(doc)), "the schema accepted an invalid file"


def _walk(
    fields: list[dict[str, Any]], doc: dict[str, Any], where: str, scope: tuple[int, int] | None
) -> Iterator[tuple[str, list[dict[str, Any]], tuple[int, int] | None]]:
    """Yield (location, field list, versions in which that struct exists) for a field list
    and every list nested in it. The scope is None inside shared structs, whose versions
    depend on where they are used."""
    yield where, fields, scope
    for field in fields:
        inner = None
        if scope is not None:
            rng = parse_range(field.get("versions", "0+"))
            if rng is not None:
                inner = (max(scope[0], rng[0]), min(scope[1], rng[1]))
        if "fields" in field:
            yield from _walk(field["fields"], doc, f"{where}.{field['name']}", inner)


@pytest.mark.parametrize("path", message_files(), ids=lambda p: p.name)
def test_well_formed(path: Path) -> None:
    doc = load_ours(path)
    problems: list[str] = []
    structs = doc.get("structs", {})

    # Class names: every class is defined once per file (the file becomes one module).
    defined: dict[str, str] = {}

    def define(class_name: str, where: str) -> None:
        if class_name in defined:
            problems.append(f"class {class_name} defined at {where} and at {defined[class_name]}")
        defined[class_name] = where

    for class_name in structs:
        define(class_name, f"structs.{class_name}")
    lists: list[tuple[str, list[dict[str, Any]], tuple[int, int] | None, Range]] = []
    for class_name, message, _ in our_messages(doc):
        define(class_name, class_name)
        message_range = parse_range(message["versions"])
        if message_range is None or message_range[1] == TOP:
            problems.append(
                f"{class_name}: versions must be a closed range, not {message['versions']}"
            )
            continue
        flexible = parse_range(message["flexible"])
        lists.extend(
            (where, fields, scope, flexible)
            for where, fields, scope in _walk(message["fields"], doc, class_name, message_range)
        )
    for class_name, struct in structs.items():
        lists.extend(
            (where, fields, None, None)
            for where, fields, _ in _walk(struct["fields"], doc, class_name, None)
        )

    for where, fields, scope, flexible in lists:
        names = [field["name"] for field in fields]
        if len(set(names)) != len(names):
            problems.append(f"{where}: duplicate field names {names}")
        tags = [field["tag"] for field in fields if "tag" in field]
        if len(set(tags)) != len(tags):
            problems.append(f"{where}: duplicate tags {tags}")
        for field in fields:
            label = f"{where}.{field['name']}"
            typ = field["type"]
            class_name = field.get("struct") if typ == "struct" else field.get("of")
            if class_name and (
                typ == "struct" or (typ == "array" and class_name not in PRIMITIVES)
            ):
                if "fields" in field:
                    define(class_name, label)
                elif class_name not in structs:
                    problems.append(
                        f"{label}: class {class_name} has no fields and is not in structs"
                    )
            if "nullable" in field and typ not in NULLABLE_TYPES:
                problems.append(f"{label}: a {typ} cannot be nullable")
            if scope is None:  # inside a shared struct
                continue
            field_range = parse_range(field.get("versions", "0+"))
            if field_range is None or field_range[0] > scope[1] or field_range[1] < scope[0]:
                problems.append(
                    f"{label}: versions {field.get('versions')} never present"
                    f" (its struct exists in v{scope[0]}-{scope[1]})"
                )
                continue
            low, high = max(field_range[0], scope[0]), min(field_range[1], scope[1])
            nullable = parse_range(field.get("nullable", "none"))
            if nullable is not None and not (nullable[0] <= high and low <= nullable[1]):
                problems.append(
                    f"{label}: nullable {field['nullable']} outside the field's"
                    f" versions v{low}-{high}"
                )
            if "tag" in field and not covers(flexible, low, high):
                problems.append(f"{label}: tagged field present in non-flexible versions")
            if "default" in field and field["default"] is None and not covers(nullable, low, high):
                problems.append(
                    f"{label}: default null but not nullable in every version v{low}-{high}"
                )

    if "api" in doc:
        if doc["request"]["versions"] != doc["response"]["versions"]:
            problems.append("request and response serve different versions")
        if doc["request"]["flexible"] != doc["response"]["flexible"]:
            problems.append("request and response have different flexible versions")
        expected_stem = snake(doc["api"])
        if path.stem != expected_stem:
            problems.append(f"file for API {doc['api']} should be named {expected_stem}.json")
    assert not problems, "\n".join(problems)


def test_api_keys_unique() -> None:
    seen: dict[int, str] = {}
    for path in message_files():
        doc = load_ours(path)
        if "api" in doc:
            assert doc["key"] not in seen, f"key {doc['key']} in {path.name} and {seen[doc['key']]}"
            seen[doc["key"]] = path.name


# --------------------------------------------------------------------------- errors.json


def test_error_table() -> None:
    errors = load_ours(PROTOCOL / "errors.json")["errors"]
    codes = [error["code"] for error in errors]
    names = [error["name"] for error in errors]
    assert len(set(codes)) == len(codes), "duplicate error codes"
    assert len(set(names)) == len(names), "duplicate error names"
    assert codes == sorted(codes), "errors not in code order"
    by_code = dict(zip(codes, names, strict=True))
    assert by_code[-1] == "UNKNOWN_SERVER_ERROR"
    assert by_code[0] == "NONE"
    # Every code from -1 up to the highest is assigned: Kafka has no gaps.
    assert codes == list(range(-1, max(codes) + 1))


def test_error_table_matches_kafka_source() -> None:
    source = os.environ.get("KAFKA_SOURCE")
    if not source:
        pytest.skip("KAFKA_SOURCE not set")
    java = (Path(source) / KAFKA_ERRORS_JAVA).read_text(encoding="utf-8")
    upstream = {
        int(m.group(2)): m.group(1) for m in re.finditer(r"^\s+([A-Z_]+)\((-?\d+),", java, re.M)
    }
    ours = {error["code"]: error["name"] for error in load_ours(PROTOCOL / "errors.json")["errors"]}
    different = {
        code: (ours.get(code), name) for code, name in upstream.items() if ours.get(code) != name
    }
    assert not different, f"(ours, Kafka's) names differ: {different}"


def test_error_table_knows_kafka_python_codes() -> None:
    spec = importlib.util.find_spec("kafka")
    locations = (spec.submodule_search_locations or []) if spec else []
    files = [Path(location) / "errors.py" for location in locations]
    files = [path for path in files if path.is_file()]
    if not files:
        pytest.skip("kafka-python not installed")
    text = files[0].read_text(encoding="utf-8")
    theirs = {int(code) for code in re.findall(r"^\s+errno = (-?\d+)", text, re.M)}
    ours = {error["code"] for error in load_ours(PROTOCOL / "errors.json")["errors"]}
    assert theirs, "no error codes found in kafka-python's errors.py"
    assert theirs <= ours, f"codes kafka-python knows and we do not: {sorted(theirs - ours)}"
