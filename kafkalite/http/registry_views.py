"""Confluent Schema Registry's REST API, at the root of the HTTP server.

Thin views over ``kafkalite.registry.SchemaRegistry`` (``Cluster.schema_registry``): each
reads its path, query and JSON body, calls the registry and answers JSON with Confluent's
content type, ``application/vnd.schemaregistry.v1+json``. A ``RegistryError`` becomes
Confluent's error body, ``{"error_code": 40401, "message": "..."}``, with its HTTP status.
``ROUTES`` lists them for ``kafkalite.http.routes``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from kafkalite.http.control_views import CONTROL
from kafkalite.registry import RegistryError, SchemaRegistry
from kafkalite.registry.schema_types import SCHEMA_TYPES, formatted
from kafkalite.registry.state import SchemaVersion

__all__ = ["CONTENT_TYPE", "ROUTES"]

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
_View = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _registry(request: web.Request) -> SchemaRegistry:
    return request.app[CONTROL].runtime.cluster.schema_registry


def _answer(data: Any, status: int = 200) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": CONTENT_TYPE}
    )


def _view(handler: Callable[[web.Request], Awaitable[Any]]) -> _View:
    async def view(request: web.Request) -> web.StreamResponse:
        try:
            result = await handler(request)
            return result if isinstance(result, web.StreamResponse) else _answer(result)
        except RegistryError as exc:
            return _answer(exc.body(), exc.status)

    view.__name__ = handler.__name__
    return view


def _flag(request: web.Request, name: str) -> bool:
    return request.query.get(name, "false").lower() == "true"


def _int(request: web.Request, name: str) -> int:
    text = request.match_info[name]
    try:
        return int(text)
    except ValueError:
        raise RegistryError(404, 404, f"HTTP 404 Not Found: {name} {text!r}") from None


async def _body(request: web.Request) -> dict[str, Any]:
    text = await request.text()
    try:
        data = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise RegistryError.invalid_request(f"Unexpected character: {exc}") from None
    if not isinstance(data, dict):
        raise RegistryError.invalid_request("the body must be a JSON object")
    return data


def _schema_view(version: SchemaVersion, fmt: str | None) -> dict[str, Any]:
    view: dict[str, Any] = {}
    if version.schema_type != "AVRO":
        view["schemaType"] = version.schema_type
    if version.references:
        view["references"] = version.references
    if version.metadata is not None:
        view["metadata"] = version.metadata
    if version.rule_set is not None:
        view["ruleSet"] = version.rule_set
    view["schema"] = formatted(version.schema_type, version.schema, fmt)
    view["guid"] = version.guid
    return view


def _schema_text(version: SchemaVersion) -> Any:
    """The schema alone: Avro and JSON Schema as JSON, Protobuf as its ``.proto`` text."""
    if version.schema_type == "PROTOBUF":
        return web.Response(text=version.schema, content_type="text/plain")
    return json.loads(version.schema)


def _version_view(version: SchemaVersion, fmt: str | None) -> dict[str, Any]:
    view = SchemaRegistry.version_view(version)
    view["schema"] = formatted(version.schema_type, version.schema, fmt)
    return view


# -- schemas ----------------------------------------------------------------------------


@_view
async def schema_types(request: web.Request) -> Any:
    return list(SCHEMA_TYPES)


@_view
async def list_schemas(request: web.Request) -> Any:
    found = _registry(request).all_schemas(
        request.query.get("subjectPrefix", ""),
        _flag(request, "deleted"),
        _flag(request, "latestOnly"),
    )
    return [_version_view(v, None) for v in found]


@_view
async def schema_by_id(request: web.Request) -> Any:
    version = _registry(request).schema_by_id(_int(request, "id"), request.query.get("subject"))
    return _schema_view(version, request.query.get("format"))


@_view
async def schema_text_by_id(request: web.Request) -> Any:
    version = _registry(request).schema_by_id(_int(request, "id"), request.query.get("subject"))
    return _schema_text(version)


@_view
async def schema_by_guid(request: web.Request) -> Any:
    version = _registry(request).schema_by_guid(request.match_info["guid"])
    return _schema_view(version, request.query.get("format"))


@_view
async def id_subjects(request: web.Request) -> Any:
    versions = _registry(request).id_versions(_int(request, "id"), _flag(request, "deleted"))
    return sorted({item["subject"] for item in versions})


@_view
async def id_versions(request: web.Request) -> Any:
    return _registry(request).id_versions(_int(request, "id"), _flag(request, "deleted"))


# -- subjects ---------------------------------------------------------------------------


@_view
async def list_subjects(request: web.Request) -> Any:
    return _registry(request).subjects(
        request.query.get("subjectPrefix", ""), _flag(request, "deleted")
    )


@_view
async def register(request: web.Request) -> Any:
    subject = request.match_info["subject"]
    return _registry(request).register(
        subject, await _body(request), normalize=_flag(request, "normalize")
    )


@_view
async def lookup(request: web.Request) -> Any:
    subject = request.match_info["subject"]
    found = _registry(request).lookup(
        subject,
        await _body(request),
        normalize=_flag(request, "normalize"),
        deleted=_flag(request, "deleted"),
    )
    return found


@_view
async def list_versions(request: web.Request) -> Any:
    return _registry(request).versions(request.match_info["subject"], _flag(request, "deleted"))


@_view
async def get_version(request: web.Request) -> Any:
    version = _registry(request).get_version(
        request.match_info["subject"], request.match_info["version"], _flag(request, "deleted")
    )
    return _version_view(version, request.query.get("format"))


@_view
async def get_version_schema(request: web.Request) -> Any:
    version = _registry(request).get_version(
        request.match_info["subject"], request.match_info["version"], _flag(request, "deleted")
    )
    return _schema_text(version)


@_view
async def referenced_by(request: web.Request) -> Any:
    return _registry(request).referenced_by(
        request.match_info["subject"], request.match_info["version"]
    )


@_view
async def subject_metadata(request: web.Request) -> Any:
    keys, values = request.query.getall("key", []), request.query.getall("value", [])
    wanted = dict(zip(keys, values, strict=False))
    version = _registry(request).latest_with_metadata(
        request.match_info["subject"], wanted, _flag(request, "deleted")
    )
    return _version_view(version, request.query.get("format"))


@_view
async def delete_subject(request: web.Request) -> Any:
    return _registry(request).delete_subject(
        request.match_info["subject"], permanent=_flag(request, "permanent")
    )


@_view
async def delete_version(request: web.Request) -> Any:
    return _registry(request).delete_version(
        request.match_info["subject"],
        request.match_info["version"],
        permanent=_flag(request, "permanent"),
    )


@_view
async def test_compatibility(request: web.Request) -> Any:
    messages = _registry(request).test_compatibility(
        request.match_info["subject"], request.match_info.get("version"), await _body(request)
    )
    answer: dict[str, Any] = {"is_compatible": not messages}
    if _flag(request, "verbose"):
        answer["messages"] = messages
    return answer


# -- config and mode --------------------------------------------------------------------


def _subject(request: web.Request) -> str | None:
    return request.match_info.get("subject")


@_view
async def get_config(request: web.Request) -> Any:
    return _registry(request).get_config(_subject(request), _flag(request, "defaultToGlobal"))


@_view
async def put_config(request: web.Request) -> Any:
    return _registry(request).set_config(_subject(request), await _body(request))


@_view
async def delete_config(request: web.Request) -> Any:
    return _registry(request).delete_config(_subject(request))


@_view
async def get_mode(request: web.Request) -> Any:
    return {
        "mode": _registry(request).get_mode(_subject(request), _flag(request, "defaultToGlobal"))
    }


@_view
async def put_mode(request: web.Request) -> Any:
    body = await _body(request)
    return {
        "mode": _registry(request).set_mode(
            _subject(request), body.get("mode"), force=_flag(request, "force")
        )
    }


@_view
async def delete_mode(request: web.Request) -> Any:
    subject = _subject(request)
    assert subject is not None
    return {"mode": _registry(request).delete_mode(subject)}


_S = "/subjects/{subject}"
_V = _S + "/versions/{version}"

ROUTES: tuple[tuple[str, str, _View, str], ...] = (
    ("GET", "/schemas/types", schema_types, "the schema types served: JSON, PROTOBUF, AVRO"),
    (
        "GET",
        "/schemas",
        list_schemas,
        "every schema version (?subjectPrefix=&deleted=&latestOnly=)",
    ),
    ("GET", "/schemas/ids/{id}", schema_by_id, "a schema by its global id (?subject=&format=)"),
    ("GET", "/schemas/ids/{id}/schema", schema_text_by_id, "a schema's text by id"),
    ("GET", "/schemas/ids/{id}/subjects", id_subjects, "the subjects holding a schema id"),
    ("GET", "/schemas/ids/{id}/versions", id_versions, "the subject-versions holding a schema id"),
    ("GET", "/schemas/guids/{guid}", schema_by_guid, "a schema by its GUID"),
    ("GET", "/subjects", list_subjects, "every subject (?subjectPrefix=&deleted=)"),
    ("POST", _S, lookup, "the version of a subject holding a schema (?normalize=&deleted=)"),
    ("DELETE", _S, delete_subject, "soft-delete a subject; ?permanent=true after that"),
    ("GET", _S + "/versions", list_versions, "a subject's versions (?deleted=)"),
    ("POST", _S + "/versions", register, "register a schema under a subject (?normalize=)"),
    ("GET", _S + "/metadata", subject_metadata, "the newest version with the metadata asked"),
    ("GET", _V, get_version, "one version of a subject, or latest"),
    ("DELETE", _V, delete_version, "soft-delete a version; ?permanent=true after that"),
    ("GET", _V + "/schema", get_version_schema, "one version's schema text"),
    ("GET", _V + "/referencedby", referenced_by, "ids of the schemas referring to a version"),
    (
        "POST",
        "/compatibility" + _V,
        test_compatibility,
        "whether a schema is compatible with a version (?verbose=true: why not)",
    ),
    (
        "POST",
        "/compatibility" + _S + "/versions",
        test_compatibility,
        "whether a schema is compatible with the versions the subject's level names",
    ),
    ("GET", "/config", get_config, "the global compatibility level"),
    ("PUT", "/config", put_config, "set the global compatibility level: {compatibility}"),
    ("DELETE", "/config", delete_config, "reset the global compatibility level"),
    ("GET", "/config/{subject}", get_config, "a subject's compatibility level (?defaultToGlobal=)"),
    ("PUT", "/config/{subject}", put_config, "set a subject's compatibility level"),
    ("DELETE", "/config/{subject}", delete_config, "remove a subject's compatibility level"),
    ("GET", "/mode", get_mode, "the global mode: READWRITE, READONLY or IMPORT"),
    ("PUT", "/mode", put_mode, "set the global mode: {mode} (?force=true)"),
    ("GET", "/mode/{subject}", get_mode, "a subject's mode (?defaultToGlobal=)"),
    ("PUT", "/mode/{subject}", put_mode, "set a subject's mode"),
    ("DELETE", "/mode/{subject}", delete_mode, "remove a subject's mode"),
)
