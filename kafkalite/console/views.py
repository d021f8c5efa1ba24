"""The console's pages: server-rendered HTML over the cluster's domain objects.

Forms POST and redirect back (303) with a ``notice`` or ``error`` in the query string, so a
reload never repeats an action. ``ROUTES`` lists them for ``kafkalite.http.routes``.
"""

from __future__ import annotations

import datetime
import importlib.resources
import json
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from aiohttp import web

from kafkalite import __version__
from kafkalite.console import data
from kafkalite.console.html import (
    DECODINGS,
    PREFIX,
    decode,
    esc,
    layout,
    size_text,
    table,
    timestamp_text,
)
from kafkalite.groups.api import TopicPartition
from kafkalite.http.control_views import CONTROL
from kafkalite.protocol.constants import AlterOp
from kafkalite.protocol.errors import KafkaError
from kafkalite.topics.configs import Alteration, alter_topic, check_alterations, describe_topic
from kafkalite.topics.lifecycle import add_partitions, create_topic, delete_topic, plan_topic

if TYPE_CHECKING:
    from kafkalite.cluster import Cluster
    from kafkalite.console.data import Message
    from kafkalite.registry import SchemaRegistry

__all__ = ["ROUTES"]

_View = Callable[[web.Request], Awaitable[web.StreamResponse]]
_STATIC_TYPES = {".css": "text/css", ".js": "application/javascript"}


def _cluster(request: web.Request) -> Cluster:
    return request.app[CONTROL].runtime.cluster


def _page(request: web.Request, title: str, body: str, *, script: bool = False) -> web.Response:
    text = layout(
        title,
        body,
        notice=request.query.get("notice", ""),
        error=request.query.get("error", ""),
        script=script,
    )
    return web.Response(text=text, content_type="text/html")


def _back(path: str, **query: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(PREFIX + path + ("?" + urlencode(query) if query else ""))


def _topic_url(topic: str, suffix: str = "") -> str:
    return f"{PREFIX}/topics/{esc(topic)}{suffix}"


def _group_path(group_id: str) -> str:
    return esc(quote(group_id, safe=""))


def _int_field(form: Any, name: str, default: int | None = None) -> int | None:
    text = str(form.get(name, "")).strip()
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{name} must be an integer, not {text!r}") from None


# -- overview -----------------------------------------------------------------------------


async def overview(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    runtime = request.app[CONTROL].runtime
    topics = cluster.topics()
    partitions = sum(len(info.partitions) for info in topics.values())
    total = sum(p.size_bytes for info in topics.values() for p in info.partitions)
    uptime = int(time.time() - cluster.started_at)
    facts = [
        ("Version", esc(__version__)),
        ("Cluster id", esc(cluster.cluster_id)),
        ("Controller", esc(cluster.controller_id)),
        ("Uptime", esc(str(datetime.timedelta(seconds=uptime)))),
        ("Data directory", esc(cluster.config.data_dir)),
        ("Data size", esc(size_text(total))),
        ("Topics", f'<a href="{PREFIX}/topics/">{len(topics)}</a>'),
        ("Partitions", esc(partitions)),
        ("Consumer groups", f'<a href="{PREFIX}/groups/">{len(cluster.groups.list_groups())}</a>'),
    ]
    if runtime.http_url:
        facts.append(("HTTP", esc(runtime.http_url)))
    node_rows = [
        (
            esc(node.id),
            '<span class="ok">online</span>' if node.online else '<span class="bad">offline</span>',
            "<br>".join(
                esc(f"{e.listener} {e.security_protocol} {e.host}:{e.port}"
                    f" (advertised {e.advertised_host}:{e.advertised_port})")
                for e in node.endpoints
            ),
            esc(node.rack or "-"),
        )
        for node in cluster.nodes.values()
    ]
    body = (
        '<dl class="facts">'
        + "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts)
        + "</dl><h2>Nodes</h2>"
        + table(("Node", "State", "Listeners", "Rack"), node_rows)
    )
    return _page(request, "Cluster overview", body)


# -- topics -------------------------------------------------------------------------------


async def topics(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    show_internal = request.query.get("internal") == "1"
    rows = []
    for name, info in sorted(cluster.topics().items()):
        internal = cluster.is_internal(name) or name.startswith("_")
        if internal and not show_internal:
            continue
        messages = sum(p.high_watermark - p.log_start_offset for p in info.partitions)
        size = sum(p.size_bytes for p in info.partitions)
        rows.append((
            f'<a href="{_topic_url(name)}">{esc(name)}</a>',
            esc(len(info.partitions)),
            esc(messages),
            esc(size_text(size)),
            esc(", ".join(f"{k}={v}" for k, v in sorted(info.configs.items())) or "-"),
            f'<a href="{_topic_url(name, "/messages")}">messages</a> · '
            f'<a href="{_topic_url(name, "/produce")}">produce</a> · '
            f'<a href="{_topic_url(name, "/tail")}">tail</a>',
        ))
    toggle = (
        f'<a href="{PREFIX}/topics/">hide internal topics</a>' if show_internal
        else f'<a href="{PREFIX}/topics/?internal=1">show internal topics</a>'
    )
    body = (
        f"<p>{toggle}</p>"
        + table(("Topic", "Partitions", "Records", "Size", "Overrides", ""), rows, "topics")
        + f'<h2>Create a topic</h2><form method="post" action="{PREFIX}/topics/" class="inline">'
        '<label>Name <input name="name" required></label>'
        '<label>Partitions <input name="partitions" type="number" min="1" value="1"></label>'
        '<label>Configs <input name="configs" placeholder="cleanup.policy=compact, retention.ms=60000"'
        ' size="40"></label><button type="submit">Create</button></form>'
    )
    return _page(request, "Topics", body)


async def create_topic_view(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    form = await request.post()
    name = str(form.get("name", "")).strip()
    try:
        partitions = _int_field(form, "partitions", -1)
        configs = []
        for item in str(form.get("configs", "")).split(","):
            if item.strip():
                key, sep, value = item.partition("=")
                if not sep:
                    raise ValueError(f"a config is name=value, not {item.strip()!r}")
                configs.append((key.strip(), value.strip()))
        plan = plan_topic(cluster, name, partitions or -1, -1, [], configs)
        create_topic(cluster, plan)
    except (KafkaError, ValueError) as exc:
        raise _back("/topics/", error=f"Cannot create {name!r}: {exc}") from None
    raise web.HTTPSeeOther(_topic_url(name) + "?" + urlencode({"notice": f"Created {name}"}))


async def topic(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    name = request.match_info["topic"]
    info = cluster.logs.get_topic(name)
    if info is None:
        raise _back("/topics/", error=f"No topic {name!r}")
    rows = []
    for p in info.partitions:
        state = cluster.partition_state(name, p.partition)
        rows.append((
            esc(p.partition), esc(state.leader), esc(state.replicas), esc(state.isr),
            esc(p.log_start_offset), esc(p.high_watermark), esc(p.last_stable_offset),
            esc(p.high_watermark - p.log_start_offset), esc(size_text(p.size_bytes)),
            esc(len(p.segments)),
        ))
    entries = describe_topic(cluster, name, None, synonyms=False, documentation=False)
    config_rows = [
        (esc(e.name), esc(e.value if e.value is not None else ""),
         esc(getattr(e.source, "name", e.source)))
        for e in entries
    ]
    links = (
        f'<p class="actions"><a href="{_topic_url(name, "/messages")}">Browse messages</a>'
        f' <a href="{_topic_url(name, "/produce")}">Produce</a>'
        f' <a href="{_topic_url(name, "/tail")}">Live tail</a></p>'
    )
    body = (
        links
        + "<h2>Partitions</h2>"
        + table(
            ("Partition", "Leader", "Replicas", "ISR", "Log start", "High watermark",
             "Last stable", "Records", "Size", "Segments"),
            rows, "partitions",
        )
        + f'<h2>Add partitions</h2><form method="post" action="{_topic_url(name, "/partitions")}"'
        ' class="inline"><label>New partition count <input name="count" type="number"'
        f' min="{len(info.partitions) + 1}" value="{len(info.partitions) + 1}"></label>'
        '<button type="submit">Add partitions</button></form>'
        + "<h2>Configs</h2>"
        + table(("Name", "Value", "Source"), config_rows, "configs")
        + f'<form method="post" action="{_topic_url(name, "/configs")}" class="inline">'
        '<label>Config <input name="config" required placeholder="retention.ms"></label>'
        '<label>Value <input name="value" placeholder="empty with delete"></label>'
        '<label>Change <select name="op"><option value="set">set</option>'
        '<option value="delete">delete (back to the default)</option></select></label>'
        '<button type="submit">Apply</button></form>'
        + f'<h2>Delete</h2><form method="post" action="{_topic_url(name, "/delete")}"'
        ' class="inline danger" onsubmit="return confirm(\'Delete this topic and all its records?\')">'
        f'<button type="submit">Delete topic {esc(name)}</button></form>'
    )
    return _page(request, f"Topic {name}", body)


async def add_partitions_view(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    name = request.match_info["topic"]
    form = await request.post()
    try:
        count = _int_field(form, "count")
        if count is None:
            raise ValueError("give the new partition count")
        add_partitions(cluster, name, count, None, validate_only=False)
    except (KafkaError, ValueError) as exc:
        raise _back(f"/topics/{name}", error=f"Cannot add partitions: {exc}") from None
    raise _back(f"/topics/{name}", notice=f"{name} now has {count} partitions")


async def alter_config_view(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    name = request.match_info["topic"]
    form = await request.post()
    config = str(form.get("config", "")).strip()
    delete = form.get("op") == "delete"
    alteration = Alteration(
        config,
        None if delete else str(form.get("value", "")).strip(),
        AlterOp.DELETE if delete else AlterOp.SET,
    )
    try:
        check_alterations([alteration])
        alter_topic(cluster, name, [alteration], incremental=True, validate_only=False)
    except (KafkaError, ValueError) as exc:
        raise _back(f"/topics/{name}", error=f"Config not changed: {exc}") from None
    done = f"{config} back to its default" if delete else f"{config}={alteration.value}"
    raise _back(f"/topics/{name}", notice=f"Set {done}")


async def delete_topic_view(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    name = request.match_info["topic"]
    try:
        if not cluster.config.delete_topic_enable:
            raise ValueError("delete.topic.enable is false")
        delete_topic(cluster, name)
    except (KafkaError, ValueError) as exc:
        raise _back(f"/topics/{name}", error=f"Cannot delete {name}: {exc}") from None
    raise _back("/topics/", notice=f"Deleted {name}")


# -- messages -----------------------------------------------------------------------------


def _registry(cluster: Cluster) -> SchemaRegistry | None:
    try:
        registry = cluster.schema_registry
        registry.catch_up()
    except Exception:  # a broken _schemas topic must not break the message browser
        return None
    return registry


def _message_rows(messages: list[Message], how: str, registry: SchemaRegistry | None) -> str:
    rows = []
    for m in messages:
        key_kind, key_text = decode(m.key, how if how != "schema" else "auto", registry)
        value_kind, value_text = decode(m.value, how, registry)
        headers = "<br>".join(
            f"<b>{esc(k.decode(errors='replace'))}</b>: "
            f"{esc(decode(v, 'auto')[1])}" for k, v in m.headers
        )
        producer = "-" if m.producer_id < 0 else f"{m.producer_id} (epoch {m.producer_epoch})"
        if m.transactional:
            producer += " txn"
        rows.append((
            esc(m.partition),
            esc(m.offset),
            f'<span title="{esc(m.timestamp_type)} {esc(m.timestamp)}">{esc(timestamp_text(m.timestamp))}</span>',
            f'<pre class="key" title="{esc(key_kind)}">{esc(key_text)}</pre>',
            f'<pre class="value" title="{esc(value_kind)}">{esc(value_text)}</pre>'
            f'<small>{esc(value_kind)}, {len(m.value) if m.value is not None else 0} B</small>',
            headers,
            esc(m.compression),
            esc(producer),
        ))
    return table(
        ("Partition", "Offset", "Timestamp", "Key", "Value", "Headers", "Codec", "Producer"),
        rows, "messages",
    )


def _parse_time(text: str) -> int:
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return int(moment.timestamp() * 1000)


async def messages(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    name = request.match_info["topic"]
    info = cluster.logs.get_topic(name)
    if info is None:
        raise _back("/topics/", error=f"No topic {name!r}")
    q = request.query
    seek = q.get("seek", "newest")
    how = q.get("decode", "auto")
    if how not in DECODINGS:
        how = "auto"
    search = q.get("search", "")
    error = ""
    try:
        partition = _int_field(q, "partition")
        offset = _int_field(q, "offset")
        limit = _int_field(q, "limit", 50) or 50
        timestamp_ms = _parse_time(q["timestamp"]) if q.get("timestamp", "").strip() else None
        page = data.browse(
            cluster, name,
            partitions=None if partition is None else [partition],
            seek=seek, offset=offset, timestamp_ms=timestamp_ms, search=search, limit=limit,
        )
    except (KafkaError, ValueError) as exc:
        error = str(exc)
        page = data.Page()
        partition = offset = None
        limit = 50
    partition_options = '<option value="">all</option>' + "".join(
        f'<option value="{p.partition}"{" selected" if p.partition == partition else ""}>'
        f"{p.partition}</option>" for p in info.partitions
    )

    def option(value: str, current: str, label: str) -> str:
        selected = " selected" if value == current else ""
        return f'<option value="{value}"{selected}>{label}</option>'

    seeks = "".join(option(v, seek, label) for v, label in (
        ("newest", "newest"), ("oldest", "oldest"), ("offset", "from offset"),
        ("timestamp", "from timestamp")))
    decodings = "".join(option(v, how, v) for v in DECODINGS)
    form = (
        f'<form method="get" class="inline filters" action="{_topic_url(name, "/messages")}">'
        f'<label>Partition <select name="partition">{partition_options}</select></label>'
        f'<label>Seek <select name="seek">{seeks}</select></label>'
        f'<label>Offset <input name="offset" type="number" min="0" value="{esc("" if offset is None else offset)}"></label>'
        f'<label>Timestamp <input name="timestamp" placeholder="2026-01-01T00:00:00Z or ms" value="{esc(q.get("timestamp", ""))}"></label>'
        f'<label>Search <input name="search" placeholder="in key, value, headers" value="{esc(search)}"></label>'
        f'<label>Decode <select name="decode">{decodings}</select></label>'
        f'<label>Limit <input name="limit" type="number" min="1" max="{data.MAX_PAGE}" value="{limit}"></label>'
        '<button type="submit">Show</button></form>'
    )
    registry = _registry(cluster) if how in ("auto", "schema") else None
    status = f"{len(page.messages)} message(s), {page.scanned} record(s) read."
    if page.truncated:
        status += f" The scan stopped after {data.MAX_SCAN} records; narrow it with a partition and offset."
    if page.next_offsets and page.messages:
        more = []
        for number, position in sorted(page.next_offsets.items()):
            query = {**q, "seek": "offset", "partition": str(number), "offset": str(position)}
            more.append(f'<a href="{_topic_url(name, "/messages")}?{esc(urlencode(query))}">p{number} from {position}</a>')
        status += " Go on: " + " ".join(more)
    body = (
        f'<p class="actions"><a href="{_topic_url(name)}">Topic</a>'
        f' <a href="{_topic_url(name, "/produce")}">Produce</a>'
        f' <a href="{_topic_url(name, "/tail")}">Live tail</a></p>'
        + form
        + (f'<p class="error">{esc(error)}</p>' if error else "")
        + f'<p class="status">{status}</p>'
        + _message_rows(page.messages, how, registry)
    )
    return _page(request, f"Messages of {name}", body)


# -- produce and tail ---------------------------------------------------------------------


async def produce_form(request: web.Request) -> web.StreamResponse:
    name = request.match_info["topic"]
    info = _cluster(request).logs.get_topic(name)
    if info is None:
        raise _back("/topics/", error=f"No topic {name!r}")
    options = '<option value="">by key (default partitioner)</option>' + "".join(
        f'<option value="{p.partition}">{p.partition}</option>' for p in info.partitions
    )
    body = (
        f'<form method="post" class="stacked" action="{_topic_url(name, "/produce")}">'
        f'<label>Partition <select name="partition">{options}</select></label>'
        '<label>Key <input name="key" placeholder="empty: null key"></label>'
        '<label>Value <textarea name="value" rows="6"></textarea></label>'
        '<label>Headers <textarea name="headers" rows="3" placeholder="one name: value per line">'
        "</textarea></label>"
        '<label class="check"><input type="checkbox" name="tombstone" value="1"> null value (tombstone)</label>'
        '<button type="submit">Produce</button></form>'
    )
    return _page(request, f"Produce to {name}", body)


async def produce_view(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    name = request.match_info["topic"]
    form = await request.post()
    key_text = str(form.get("key", ""))
    headers: list[tuple[bytes, bytes | None]] = []
    for line in str(form.get("headers", "")).splitlines():
        if line.strip():
            header, _, header_value = line.partition(":")
            headers.append((header.strip().encode(), header_value.strip().encode()))
    value: bytes | None = None if form.get("tombstone") else str(form.get("value", "")).encode()
    try:
        partition, offset = data.produce(
            cluster, name, _int_field(form, "partition"),
            key_text.encode() if key_text else None, value, headers,
        )
    except (KafkaError, ValueError) as exc:
        raise _back(f"/topics/{name}/produce", error=f"Not produced: {exc}") from None
    raise _back(f"/topics/{name}/produce", notice=f"Produced to partition {partition} at offset {offset}")


async def tail_page(request: web.Request) -> web.StreamResponse:
    name = request.match_info["topic"]
    if _cluster(request).logs.get_topic(name) is None:
        raise _back("/topics/", error=f"No topic {name!r}")
    body = (
        f'<p class="actions"><a href="{_topic_url(name)}">Topic</a>'
        f' <a href="{_topic_url(name, "/messages")}">Browse messages</a>'
        ' <button type="button" id="tail-pause">Pause</button></p>'
        '<p class="status" id="tail-status">waiting for new records…</p>'
        f'<table class="messages" id="tail" data-source="{PREFIX}/api/topics/{esc(name)}/tail">'
        "<thead><tr><th>Partition</th><th>Offset</th><th>Timestamp</th><th>Key</th><th>Value</th>"
        "<th>Headers</th></tr></thead><tbody></tbody></table>"
    )
    return _page(request, f"Live tail of {name}", body, script=True)


async def tail_json(request: web.Request) -> web.StreamResponse:
    """New records since ``?after=p:o,p:o`` (none: from now), as JSON for the tail page."""
    cluster = _cluster(request)
    name = request.match_info["topic"]
    after: dict[int, int] | None = None
    text = request.query.get("after", "")
    if text:
        after = {}
        for item in text.split(","):
            number, _, position = item.partition(":")
            try:
                after[int(number)] = int(position)
            except ValueError:
                raise ValueError(f"after is partition:offset,..., not {text!r}") from None
    try:
        found, positions = data.tail(cluster, name, after)
    except KafkaError as exc:
        return web.json_response({"error": str(exc)}, status=404)
    records = [
        {
            "partition": m.partition,
            "offset": m.offset,
            "timestamp": timestamp_text(m.timestamp),
            "key": decode(m.key, "auto")[1],
            "value": decode(m.value, "auto")[1],
            "headers": {k.decode(errors="replace"): decode(v, "auto")[1] for k, v in m.headers},
        }
        for m in found
    ]
    return web.json_response({
        "records": records,
        "after": ",".join(f"{p}:{o}" for p, o in sorted(positions.items())),
    })


# -- groups -------------------------------------------------------------------------------


async def groups(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    rows = []
    for listing in cluster.groups.list_groups():
        view = data.group_view(cluster, listing.group_id)
        lags = data.group_lag(cluster, listing.group_id, {})
        total = sum(row.lag or 0 for row in lags)
        rows.append((
            f'<a href="{PREFIX}/groups/{_group_path(listing.group_id)}">{esc(listing.group_id)}</a>',
            esc(listing.group_state), esc(listing.protocol_type or "-"),
            esc(view.protocol or "-"), esc(len(view.members)),
            esc(len({row.topic for row in lags})), esc(total),
        ))
    body = table(("Group", "State", "Protocol type", "Protocol", "Members", "Topics", "Total lag"), rows, "groups")
    if not rows:
        body += "<p>No consumer groups yet.</p>"
    return _page(request, "Consumer groups", body)


async def group(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    group_id = request.match_info["group"]
    description = data.group_view(cluster, group_id)
    assigned: dict[TopicPartition, str] = {}
    member_rows = []
    for member in description.members:
        parts = member.assignment
        for topic_name, numbers in parts:
            for number in numbers:
                assigned[TopicPartition(topic_name, number)] = member.member_id
        member_rows.append((
            esc(member.member_id), esc(member.instance_id or "-"), esc(member.client_id),
            esc(member.client_host),
            esc("; ".join(f"{t}: {', '.join(map(str, sorted(n)))}" for t, n in parts) or "-"),
        ))
    lags = data.group_lag(cluster, group_id, assigned)
    lag_rows = [
        (esc(row.topic), esc(row.partition), esc(row.committed if row.committed >= 0 else "-"),
         esc(row.log_start), esc(row.log_end), esc("-" if row.lag is None else row.lag),
         esc(row.member or "-"))
        for row in lags
    ]
    topics_of_group = sorted({row.topic for row in lags})
    topic_options = "".join(f'<option value="{esc(t)}">{esc(t)}</option>' for t in topics_of_group)
    empty = description.state in ("Empty", "Dead")
    facts = (
        '<dl class="facts">'
        f"<dt>State</dt><dd>{esc(description.state)}</dd>"
        f"<dt>Protocol type</dt><dd>{esc(description.protocol_type or '-')}</dd>"
        f"<dt>Protocol</dt><dd>{esc(description.protocol or '-')}</dd>"
        f"<dt>Members</dt><dd>{len(description.members)}</dd>"
        f"<dt>Total lag</dt><dd>{sum(row.lag or 0 for row in lags)}</dd></dl>"
    )
    disabled = "" if empty else " disabled"
    reset = (
        "<h2>Reset offsets</h2>"
        + ("" if empty else '<p class="hint">Offsets can be reset only while the group has no members (state Empty).</p>')
        + f'<form method="post" class="inline" action="{PREFIX}/groups/{_group_path(group_id)}/reset">'
        f'<label>Topic <select name="topic">{topic_options}</select></label>'
        '<label>To <select name="to"><option value="earliest">earliest</option>'
        '<option value="latest">latest</option><option value="timestamp">timestamp</option>'
        '<option value="offset">offset</option></select></label>'
        '<label>Value <input name="value" placeholder="offset, ms or ISO time"></label>'
        f'<button type="submit"{disabled}>Reset</button></form>'
        "<h2>Delete</h2>"
        f'<form method="post" class="inline danger" action="{PREFIX}/groups/{_group_path(group_id)}/delete"'
        ' onsubmit="return confirm(\'Delete this group and its committed offsets?\')">'
        f'<button type="submit"{disabled}>Delete group {esc(group_id)}</button></form>'
    )
    body = (
        facts
        + "<h2>Members</h2>"
        + table(("Member", "Instance", "Client id", "Host", "Assignment"), member_rows, "members")
        + "<h2>Offsets and lag</h2>"
        + table(("Topic", "Partition", "Committed", "Log start", "Log end", "Lag", "Member"),
                lag_rows, "lag")
        + reset
    )
    return _page(request, f"Group {group_id}", body)


async def reset_view(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    group_id = request.match_info["group"]
    form = await request.post()
    to = str(form.get("to", ""))
    text = str(form.get("value", "")).strip()
    try:
        value = (_parse_time(text) if to == "timestamp" else int(text)) if text else None
        targets = data.reset_offsets(cluster, group_id, str(form.get("topic", "")), to, value)
    except (KafkaError, ValueError) as exc:
        raise _back(f"/groups/{quote(group_id, safe='')}", error=f"Not reset: {exc}") from None
    done = ", ".join(f"p{p}→{o}" for p, o in sorted(targets.items()))
    raise _back(f"/groups/{quote(group_id, safe='')}", notice=f"Offsets reset to {to}: {done}")


async def delete_group_view(request: web.Request) -> web.StreamResponse:
    cluster = _cluster(request)
    group_id = request.match_info["group"]
    code = cluster.groups.delete_groups([group_id])[group_id]
    if code:
        raise _back(f"/groups/{quote(group_id, safe='')}", error=f"Not deleted: {getattr(code, 'name', code)}")
    raise _back("/groups/", notice=f"Deleted group {group_id}")


# -- schemas ------------------------------------------------------------------------------


async def schemas(request: web.Request) -> web.StreamResponse:
    registry = _registry(_cluster(request))
    if registry is None:
        return _page(request, "Schemas", '<p class="error">The schema registry cannot be read.</p>')
    rows = []
    for subject in registry.subjects():
        versions = registry.versions(subject)
        latest = registry.get_version(subject, versions[-1]) if versions else None
        rows.append((
            esc(subject),
            esc(", ".join(map(str, versions))),
            esc(latest.id if latest else "-"),
            esc(latest.schema_type if latest else "-"),
            esc(registry.compatibility_level(subject)),
            f'<details><summary>latest schema</summary><pre>{esc(_pretty(latest.schema) if latest else "")}</pre></details>',
        ))
    body = (
        f'<p>Global compatibility: <b>{esc(registry.compatibility_level(None))}</b>, '
        f"mode <b>{esc(registry.mode_of(None))}</b>. The registry answers Confluent's API at the "
        "root of this server (<code>schema.registry.url</code>).</p>"
        + table(("Subject", "Versions", "Latest id", "Type", "Compatibility", "Schema"), rows, "subjects")
    )
    if not rows:
        body += "<p>No subjects registered.</p>"
    return _page(request, "Schemas", body)


def _pretty(text: str) -> str:
    try:
        return json.dumps(json.loads(text), indent=2)
    except ValueError:
        return text


# -- static files -------------------------------------------------------------------------


async def static(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    suffix = name[name.rfind("."):] if "." in name else ""
    if "/" in name or suffix not in _STATIC_TYPES:
        raise web.HTTPNotFound()
    resource = importlib.resources.files("kafkalite.console").joinpath("static", name)
    if not resource.is_file():
        raise web.HTTPNotFound()
    return web.Response(
        body=resource.read_bytes(),
        content_type=_STATIC_TYPES[suffix],
        headers={"Cache-Control": "max-age=300"},
    )


async def root(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound(PREFIX + "/")


def _redirects(view: _View) -> _View:
    """Answer the redirects a view raises (the server's middleware turns raised HTTP
    exceptions into JSON errors)."""

    async def handle(request: web.Request) -> web.StreamResponse:
        try:
            return await view(request)
        except web.HTTPRedirection as exc:
            return web.Response(status=exc.status, headers={"Location": exc.headers["Location"]})

    handle.__name__ = view.__name__
    return handle


_ROUTES: tuple[tuple[str, str, _View, str], ...] = (
    ("GET", PREFIX, root, "the web console"),
    ("GET", PREFIX + "/", overview, "console: cluster overview"),
    ("GET", PREFIX + "/topics/", topics, "console: topics"),
    ("POST", PREFIX + "/topics/", create_topic_view, "console: create a topic (form)"),
    ("GET", PREFIX + "/topics/{topic}", topic, "console: one topic"),
    ("POST", PREFIX + "/topics/{topic}/partitions", add_partitions_view, "console: add partitions"),
    ("POST", PREFIX + "/topics/{topic}/configs", alter_config_view, "console: change a config"),
    ("POST", PREFIX + "/topics/{topic}/delete", delete_topic_view, "console: delete a topic"),
    ("GET", PREFIX + "/topics/{topic}/messages", messages, "console: message browser"),
    ("GET", PREFIX + "/topics/{topic}/produce", produce_form, "console: produce form"),
    ("POST", PREFIX + "/topics/{topic}/produce", produce_view, "console: produce a record"),
    ("GET", PREFIX + "/topics/{topic}/tail", tail_page, "console: live tail"),
    ("GET", PREFIX + "/api/topics/{topic}/tail", tail_json, "console: new records, JSON"),
    ("GET", PREFIX + "/groups/", groups, "console: consumer groups"),
    ("GET", PREFIX + "/groups/{group}", group, "console: one consumer group"),
    ("POST", PREFIX + "/groups/{group}/reset", reset_view, "console: reset a group's offsets"),
    ("POST", PREFIX + "/groups/{group}/delete", delete_group_view, "console: delete a group"),
    ("GET", PREFIX + "/schemas/", schemas, "console: schema registry subjects"),
    ("GET", PREFIX + "/static/{name}", static, "console: CSS and JS"),
)

ROUTES: tuple[tuple[str, str, _View, str], ...] = tuple(
    (method, path, _redirects(view), summary) for method, path, view, summary in _ROUTES
)
