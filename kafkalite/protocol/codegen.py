"""Compile ``protocol/*.json`` into typed message classes under ``kafkalite/protocol/messages/``.

    python -m kafkalite.protocol.codegen          # rewrite the generated modules
    python -m kafkalite.protocol.codegen --check  # exit 1 if any module is stale

A development tool, stdlib only; runtime code never imports it. The format is described in
``protocol/README.md``. Each ``protocol/messages/<name>.json`` becomes
``kafkalite/protocol/messages/<name>.py`` (a leading underscore is dropped), ``errors.json``
becomes ``error_codes.py``, and ``__init__.py`` gets the ``ApiKey`` enum and the
``REQUESTS``/``RESPONSES`` tables keyed by it, which import an API's module on first use.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = REPO / "protocol"
OUTPUT = Path(__file__).resolve().parent / "messages"
PRIMITIVES = {
    "bool": "bool",
    "int8": "int",
    "int16": "int",
    "int32": "int",
    "int64": "int",
    "uint16": "int",
    "uint32": "int",
    "float64": "float",
    "string": "str",
    "bytes": "bytes",
    "uuid": "uuid.UUID",
    "records": "Records",
}
ZERO = {
    "bool": "False",
    "float64": "0.0",
    "string": '""',
    "bytes": 'b""',
    "uuid": "ZERO_UUID",
    "records": "None",
}
MAX_VERSION = 0x7FFF


class SchemaError(Exception):
    pass


def parse_versions(text: str, where: str) -> tuple[int, int]:
    match = re.fullmatch(r"(none)|(\d+)\+|(\d+)-(\d+)|(\d+)", text)
    if not match:
        raise SchemaError(f"{where}: bad version range {text!r}")
    if match.group(1):
        return (1, 0)
    if match.group(2):
        return (int(match.group(2)), MAX_VERSION)
    if match.group(3):
        return (int(match.group(3)), int(match.group(4)))
    return (int(match.group(5)), int(match.group(5)))


@dataclass
class Struct:
    name: str
    fields: list[dict[str, Any]]
    doc: str = ""
    children: list[Struct] = field(default_factory=list)


@dataclass
class Module:
    source: str
    doc: str
    structs: dict[str, Struct] = field(default_factory=dict)  # in definition order
    messages: list[tuple[str, Struct, dict[str, Any]]] = field(default_factory=list)


def snake_to_const(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def load_module(path: Path) -> Module:
    data = json.loads(path.read_text())
    module = Module(source=str(path.relative_to(REPO)), doc=data.get("doc", ""))
    shared = data.get("structs", {})
    if "api" in data:
        for kind in ("request", "response"):
            msg = data[kind]
            name = f"{data['api']}{kind.capitalize()}"
            info = {
                "api_key": data["key"],
                "versions": msg["versions"],
                "flexible": msg.get("flexible", "none"),
            }
            module.messages.append((name, Struct(name, msg["fields"], msg.get("doc", "")), info))
    else:
        for name, msg in data["messages"].items():
            info = {
                "api_key": -1,
                "versions": msg["versions"],
                "flexible": msg.get("flexible", "none"),
            }
            module.messages.append((name, Struct(name, msg["fields"], msg.get("doc", "")), info))
    for name, struct, info in module.messages:
        collect(module, struct, shared, name, parse_versions(info["versions"], name)[0])
    return module


def collect(module: Module, struct: Struct, shared: dict[str, Any], where: str, floor: int) -> None:
    """Register ``struct`` and every struct nested in it (children first).

    ``floor`` is the lowest version in which ``struct`` can appear; each field records the
    lowest version it really exists in, so "nullable in every version" is judged right.
    """
    names = set()
    for f in struct.fields:
        f["_floor"] = max(floor, parse_versions(f.get("versions", "0+"), f["name"])[0])
        if f["name"] in names or not re.fullmatch(r"[a-z][a-z0-9_]*", f["name"]):
            raise SchemaError(f"{where}.{f['name']}: duplicate or not snake_case")
        names.add(f["name"])
        if f["type"] not in PRIMITIVES and f["type"] not in ("array", "struct"):
            raise SchemaError(f"{where}.{f['name']}: unknown type {f['type']!r}")
        class_name = (
            f.get("struct")
            if f["type"] == "struct"
            else f.get("of")
            if f["type"] == "array"
            else None
        )
        if f["type"] == "array" and not class_name:
            raise SchemaError(f"{where}.{f['name']}: array without 'of'")
        if class_name is None or class_name in PRIMITIVES:
            continue
        fields = f.get("fields")
        if fields is None:
            if class_name in module.structs:
                continue
            if class_name not in shared:
                raise SchemaError(f"{where}.{f['name']}: struct {class_name} has no fields")
            fields = shared[class_name]["fields"]
        elif class_name in module.structs:
            raise SchemaError(f"{where}.{f['name']}: struct {class_name} is defined twice")
        child = Struct(class_name, fields, shared.get(class_name, {}).get("doc", f.get("doc", "")))
        collect(module, child, shared, class_name, f["_floor"])
    module.structs.setdefault(struct.name, struct)


def py_type(f: dict[str, Any]) -> str:
    if f["type"] == "array":
        inner = PRIMITIVES.get(f["of"], f["of"])
        base = f"list[{inner}]"
    elif f["type"] == "struct":
        base = f["struct"]
    else:
        base = PRIMITIVES[f["type"]]
    if "nullable" in f and base != "Records" and not base.endswith("| None"):
        return f"{base} | None"
    return base


def default_expr(f: dict[str, Any]) -> str:
    """The default of a field in the generated class, as Python source."""
    nullable_always = "nullable" in f and parse_versions(f["nullable"], f["name"])[0] <= f["_floor"]
    if "default" in f:
        value = f["default"]
        if value is None:
            return "None"
        if f["type"] == "array":
            raise SchemaError(f"{f['name']}: arrays take no default other than null")
        return repr(value)
    if f["type"] == "array":
        return "None" if nullable_always else "field(default_factory=list)"
    if f["type"] == "struct":
        return "None" if nullable_always else f"field(default_factory={f['struct']})"
    if nullable_always and f["type"] in ("string", "bytes"):
        return "None"
    return ZERO.get(f["type"], "0")


def spec_default(f: dict[str, Any]) -> str:
    expr = default_expr(f)
    if expr.startswith("field("):
        return "None"
    return expr


def render_struct(struct: Struct) -> str:
    """A plain slotted class with a keyword-only ``__init__`` (see protocol/message.py)."""
    lines = [f"class {struct.name}(Message):"]
    if struct.doc:
        lines.append(f'    """{struct.doc}"""')
        lines.append("")
    names = [f["name"] for f in struct.fields]
    lines.append(f"    __slots__ = ({''.join(repr(n) + ', ' for n in names).rstrip()})")
    params: list[str] = []
    body: list[str] = []
    for f in struct.fields:
        versions = f.get("versions", "0+")
        notes = [f"v{versions}"] if versions != "0+" else []
        if "tag" in f:
            notes.append(f"tag {f['tag']}")
        if "nullable" in f:
            notes.append(f"nullable v{f['nullable']}")
        doc = f.get("doc", "")
        if notes:
            doc = f"{doc} ({', '.join(notes)})" if doc else f"({', '.join(notes)})"
        lines.append("")
        lines.append(f"    {f['name']}: {py_type(f)}")
        if doc:
            lines.append(f'    """{doc}"""')
        default = default_expr(f)
        if default.startswith("field(default_factory="):
            factory = default[len("field(default_factory=") : -1]
            params.append(f"{f['name']}: {py_type(f)} = UNSET")
            body.append(f"        self.{f['name']} = {factory}() if {f['name']} is UNSET else {f['name']}")
        else:
            params.append(f"{f['name']}: {py_type(f)} = {default}")
            body.append(f"        self.{f['name']} = {f['name']}")
    if params:
        lines.append("")
        lines.append(f"    def __init__(self, *, {', '.join(params)}) -> None:")
        lines.extend(body)
    return "\n".join(lines)


def render_spec(struct: Struct, info: dict[str, Any] | None) -> str:
    const = f"_{snake_to_const(struct.name)}"
    rows = []
    for f in struct.fields:
        args = [
            repr(f["name"]),
            repr(f["type"]),
            f"V{parse_versions(f.get('versions', '0+'), f['name'])}",
        ]
        if "nullable" in f:
            args.append(f"nullable=V{parse_versions(f['nullable'], f['name'])}")
        default = spec_default(f)
        if default != "None":
            args.append(f"default={default}")
        if "tag" in f:
            args.append(f"tag={int(f['tag'])}")
        if f.get("ignorable"):
            args.append("ignorable=True")
        if f.get("legacy"):
            args.append("legacy=True")
        if f["type"] == "array":
            if f["of"] in PRIMITIVES:
                args.append(f"of={f['of']!r}")
            else:
                args.append(f"struct=_{snake_to_const(f['of'])}")
        if f["type"] == "struct":
            args.append(f"struct=_{snake_to_const(f['struct'])}")
        rows.append(f"        FieldSpec({', '.join(args)}),")
    body = "\n".join(rows)
    if info is None:
        return f"{const} = StructSpec(\n    {struct.name},\n    (\n{body}\n    ),\n)"
    valid = parse_versions(info["versions"], struct.name)
    flexible = parse_versions(info["flexible"], struct.name)
    return (
        f"{const} = MessageSpec(\n    {struct.name},\n    (\n{body}\n    ),\n"
        f"    name={struct.name!r},\n    api_key={info['api_key']},\n"
        f"    valid=V{valid},\n    flexible=V{flexible},\n)"
    )


def render_module(module: Module) -> str:
    message_names = {name for name, _, _ in module.messages}
    doc = textwrap.fill(module.doc, 92)
    source = f"Generated from {module.source} by kafkalite.protocol.codegen: do not edit."
    out = [
        f'"""{doc}\n\n{source}\n"""\n'
        "# ruff: noqa\nfrom __future__ import annotations\n\n"
        "import uuid\n\n"
        "from kafkalite.protocol.chunks import FileSlice\n"
        "from kafkalite.protocol.message import UNSET, Message\n"
        "from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec, VersionRange as V\n\n"
        "Records = bytes | bytearray | memoryview | FileSlice | None\nZERO_UUID = uuid.UUID(int=0)"
    ]
    for struct in module.structs.values():
        out.append(render_struct(struct))
    infos = {name: info for name, _, info in module.messages}
    for struct in module.structs.values():
        out.append(render_spec(struct, infos.get(struct.name)))
    exports = []
    for name in message_names:
        exports.append(f"{snake_to_const(name)}_SPEC: MessageSpec = _{snake_to_const(name)}")
    out.append("\n".join(sorted(exports)))
    return "\n\n\n".join(out) + "\n"


def render_errors(path: Path) -> str:
    data = json.loads(path.read_text())
    seen: set[int] = set()
    members, retriable, messages = [], [], []
    for e in sorted(data["errors"], key=lambda e: e["code"]):
        if e["code"] in seen:
            raise SchemaError(f"errors.json: code {e['code']} twice")
        seen.add(e["code"])
        members.append(f"    {e['name']} = {e['code']}")
        if e.get("retriable"):
            retriable.append(f"    ErrorCode.{e['name']},")
        messages.append(f"    ErrorCode.{e['name']}: {e.get('message', '')!r},")
    return (
        f'"""Kafka error codes.\n\nGenerated from {path.relative_to(REPO)} by kafkalite.protocol.codegen: do not edit.\n"""\n'
        "# ruff: noqa\nfrom __future__ import annotations\n\nfrom enum import IntEnum\n\n\n"
        "class ErrorCode(IntEnum):\n" + "\n".join(members) + "\n\n\n"
        "RETRIABLE: frozenset[ErrorCode] = frozenset({\n" + "\n".join(retriable) + "\n})\n\n"
        "MESSAGES: dict[ErrorCode, str] = {\n" + "\n".join(messages) + "\n}\n"
    )


def render_index(apis: list[tuple[str, str, int]], modules: list[str]) -> str:
    """The package: ``ApiKey``, and ``REQUESTS``/``RESPONSES`` as lazy tables that import an
    API's module on the first lookup of its specs (see ``kafkalite.protocol.lazy``)."""
    apis = sorted(apis, key=lambda a: a[2])
    lines = [
        '"""Generated message modules, and the ApiKey table.\n\n'
        "Each API's module is imported on the first lookup of its specs in ``REQUESTS`` or\n"
        "``RESPONSES`` (or on ``messages.<module>``), not when this package is imported.\n\n"
        'Generated by kafkalite.protocol.codegen: do not edit.\n"""\n'
        "# ruff: noqa\nfrom __future__ import annotations\n\n"
        "from collections.abc import Mapping\nfrom enum import IntEnum\n",
        "from kafkalite.protocol.lazy import SpecTable, submodule_getattr",
        "from kafkalite.protocol.spec import MessageSpec",
    ]
    lines.append("\n\nclass ApiKey(IntEnum):")
    for _, api, key in apis:
        lines.append(f"    {snake_to_const(api)} = {key}")
    lines.append("\n\nMODULES: dict[ApiKey, str] = {")
    for module, api, _ in apis:
        lines.append(f"    ApiKey.{snake_to_const(api)}: {module!r},")
    lines.append("}")
    lines.append('"""The module of each API under this package."""')
    lines.append(
        '\nREQUESTS: Mapping[ApiKey, MessageSpec] = SpecTable(__name__, MODULES, "REQUEST")'
        '\nRESPONSES: Mapping[ApiKey, MessageSpec] = SpecTable(__name__, MODULES, "RESPONSE")'
    )
    submodules = sorted(set(modules))
    lines.append("\n__getattr__ = submodule_getattr(__name__, frozenset({")
    lines.extend(f"    {module!r}," for module in submodules)
    lines.append("}))")
    return "\n".join(lines) + "\n"


def generate() -> dict[Path, str]:
    files: dict[Path, str] = {}
    apis: list[tuple[str, str, int]] = []
    for path in sorted((SCHEMAS / "messages").glob("*.json")):
        module_name = path.stem.lstrip("_")
        try:
            module = load_module(path)
        except (KeyError, SchemaError) as exc:
            raise SchemaError(f"{path.name}: {exc}") from exc
        files[OUTPUT / f"{module_name}.py"] = render_module(module)
        data = json.loads(path.read_text())
        if "api" in data:
            apis.append((module_name, data["api"], data["key"]))
    files[OUTPUT / "error_codes.py"] = render_errors(SCHEMAS / "errors.json")
    files[OUTPUT / "__init__.py"] = render_index(
        apis, [path.stem for path in files if path.stem != "__init__"]
    )
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kafkalite.protocol.codegen", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the generated modules are stale"
    )
    args = parser.parse_args(argv)
    try:
        files = generate()
    except SchemaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    stale = [p for p, text in files.items() if not p.exists() or p.read_text() != text]
    extra = [p for p in OUTPUT.glob("*.py") if p not in files]
    if args.check:
        for p in stale + extra:
            print(f"stale: {p.relative_to(REPO)}", file=sys.stderr)
        return 1 if stale or extra else 0
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for p in stale:
        p.write_text(files[p])
        print(f"wrote {p.relative_to(REPO)}")
    for p in extra:
        p.unlink()
        print(f"removed {p.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
