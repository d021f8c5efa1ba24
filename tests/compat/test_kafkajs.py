"""KafkaJS 2.2.4 against the broker, with the client's default configuration.

The client runs in node: the scripts in ``js/`` (KafkaJS pinned in ``js/package.json`` and
``js/package-lock.json``; install it with ``npm ci --prefix tests/compat/js``). Each script
reads its configuration as JSON on stdin and reports JSON lines on stdout; this module
builds the records, runs the script under a timeout and checks every reported value.

KafkaJS's defaults that matter here: acks -1, no compression (gzip is the only codec it
has built in), not idempotent, consumers read_committed, auto-commit after every batch,
Produce v7 / Fetch v11 / Metadata v6 / ListOffsets v3 / OffsetCommit v5 / OffsetFetch v4
at most (it takes min(its max, the broker's max) and ignores the broker's min).

What is checked, exactly:

* produce/consume, no compression and gzip: 1,000 records (keys, null keys, null and empty
  values, headers, explicit timestamps; helpers.make_records) sent in sends of 100 by the
  default producer; every send's per-partition baseOffset; fetchTopicOffsets; a group
  consumer reads every record back (key, value, headers, timestamp, CreateTime) and each
  record's batch header (base offset = the send's baseOffset, producer id -1, epoch 0, base
  sequence 0, as KafkaJS writes them when it is not idempotent).
* idempotent producer (idempotent: true, maxInFlightRequests: 1): the same, plus one
  producer id >= 0 and base sequence = base offset in every batch (no duplicates, no gaps).
* auto-creation: a topic made by the producer's Metadata request (kafkalite only).
* admin client (admin.js, one test per call): describeCluster, createTopics (new,
  existing, with configs), listTopics, fetchTopicMetadata, fetchTopicOffsets,
  fetchTopicOffsetsByTimestamp, describeConfigs, alterConfigs, createPartitions,
  deleteTopicRecords, listGroups/describeGroups of a running and of an empty group,
  fetchOffsets, setOffsets, deleteGroups, deleteTopics. A test skips when the broker does
  not advertise the API it needs.
* group commit and resume (commit_resume.js): consumer A commits (KafkaJS auto-commit, or
  commitOffsets with autoCommit off), leaves; consumer B of the group reads exactly from
  the committed offsets; the group's offsets afterwards.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import compat_helpers as h
import pytest

pytestmark = pytest.mark.compat

JS_DIR = Path(__file__).with_name("js")
NODE = shutil.which("node")
INSTALL_HINT = "run `npm ci --prefix tests/compat/js`"


def _skip_reason() -> str | None:
    if NODE is None:
        return f"node is not on PATH (KafkaJS tests need node and {INSTALL_HINT})"
    if not (JS_DIR / "node_modules" / "kafkajs" / "package.json").is_file():
        return f"KafkaJS is not installed in tests/compat/js/node_modules: {INSTALL_HINT}"
    return None


if (_reason := _skip_reason()) is not None:
    pytest.skip(_reason, allow_module_level=True)


# --------------------------------------------------------------------------- running scripts


class ScriptResult:
    """The JSON lines one script printed, its exit code and its stderr."""

    def __init__(self, name: str, code: int, events: list[dict[str, Any]], stderr: str):
        self.name = name
        self.code = code
        self.events = events
        self.stderr = stderr

    def of(self, kind: str, label: str | None = None) -> list[dict[str, Any]]:
        return [
            e
            for e in self.events
            if e.get("type") == kind and (label is None or e.get("label") == label)
        ]

    def one(self, kind: str, label: str | None = None) -> dict[str, Any]:
        found = self.of(kind, label)
        assert len(found) == 1, f"{self.name}: {len(found)} {kind!r} events\n{self.describe()}"
        return found[0]

    def describe(self) -> str:
        tail = "\n".join(self.stderr.splitlines()[-30:])
        ends = [e for e in self.events if e.get("type") in ("error", "timeout")]
        return f"exit code {self.code}; {json.dumps(ends, indent=1)}\n--- stderr tail ---\n{tail}"

    def check_ok(self) -> None:
        assert self.code == 0 and self.events and self.events[-1] == {"type": "done"}, (
            f"{self.name} failed: {self.describe()}"
        )


def run_script(name: str, config: dict[str, Any], timeout_s: float) -> ScriptResult:
    """Run ``js/<name>`` with ``config`` on stdin; the script's own deadline is timeout_s."""
    assert NODE is not None
    payload = dict(config, timeoutMs=int(timeout_s * 1000))
    env = dict(os.environ, KAFKAJS_NO_PARTITIONER_WARNING="1")
    try:
        proc = subprocess.run(
            [NODE, str(JS_DIR / name)],
            input=json.dumps(payload).encode(),
            cwd=str(JS_DIR),
            env=env,
            capture_output=True,
            timeout=timeout_s + 20,
        )
    except subprocess.TimeoutExpired as exc:
        out = (exc.stdout or b"").decode(errors="replace").splitlines()[-5:]
        err = (exc.stderr or b"").decode(errors="replace").splitlines()[-30:]
        pytest.fail(
            f"{name} outlived its own {timeout_s:.0f}s deadline; stdout tail {out}; stderr tail {err}"
        )
    events = []
    for line in proc.stdout.decode(errors="replace").splitlines():
        if line.strip():
            try:
                events.append(json.loads(line))
            except ValueError:
                events.append({"type": "stdout", "text": line})
    return ScriptResult(name, proc.returncode, events, proc.stderr.decode(errors="replace"))


def b64(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode()


def unb64(text: str | None) -> bytes | None:
    return None if text is None else base64.b64decode(text)


def records_json(records: Sequence[h.Rec]) -> list[dict[str, Any]]:
    return [
        {
            "partition": r.partition,
            "key": b64(r.key),
            "value": b64(r.value),
            "headers": [[k, b64(v)] for k, v in r.headers],
            "timestamp": r.timestamp,
        }
        for r in records
    ]


def unique_group(prefix: str) -> str:
    return f"compat-kjs-{prefix}-{uuid.uuid4().hex[:12]}"


def delivered_from(
    result: ScriptResult, records: Sequence[h.Rec], label: str | None = None
) -> list[h.Delivered]:
    """Per-record delivery reports from KafkaJS's per-partition ``send`` metadata.

    KafkaJS resolves ``send`` with one entry per partition (baseOffset of that partition's
    batch); record j of that partition in the send got baseOffset + j.
    """
    out: list[h.Delivered] = []
    problems = []
    for sent in result.of("sent", label):
        chunk = records[sent["first"] : sent["first"] + sent["count"]]
        meta = {m["partition"]: m for m in sent["metadata"]}
        want_parts = sorted({r.partition for r in chunk})
        if sorted(meta) != want_parts:
            problems.append(
                f"send {sent['send']}: metadata for partitions {sorted(meta)}, expected {want_parts}"
            )
        seen: dict[int, int] = {}
        for r in chunk:
            m = meta.get(r.partition)
            if m is None:
                continue
            j = seen.get(r.partition, 0)
            seen[r.partition] = j + 1
            out.append(h.Delivered(r.index, r.partition, int(m["baseOffset"]) + j, None))
        for p, m in meta.items():
            if m["errorCode"] != 0 or m["logAppendTime"] != "-1":
                problems.append(
                    f"send {sent['send']} partition {p}: errorCode {m['errorCode']}, "
                    f"logAppendTime {m['logAppendTime']} (expected 0 and '-1' for CreateTime)"
                )
    assert not problems, "produce metadata differs:\n" + "\n".join(problems)
    return out


def consumed_from(result: ScriptResult, label: str | None = None) -> list[h.Got]:
    return [
        h.Got(
            e["partition"],
            e["offset"],
            unb64(e["key"]),
            unb64(e["value"]),
            tuple((k, unb64(v)) for k, v in e["headers"]),
            e["timestamp"],
            e["timestampType"] == 0,
        )
        for e in result.of("record", label)
    ]


def topic_offsets(state: dict[str, Any]) -> dict[int, tuple[str, str, str]]:
    return {o["partition"]: (o["low"], o["high"], o["offset"]) for o in state["offsets"]}


def produce_consume(
    broker: Any, records: Sequence[h.Rec], prefix: str, timeout_s: float = 120, **config: Any
) -> tuple[str, ScriptResult]:
    topic = h.unique_topic(prefix)
    counts = h.counts_per_partition(records)
    result = run_script(
        "produce_consume.js",
        {
            "bootstrap": broker.bootstrap,
            "topic": topic,
            "partitions": h.PARTITIONS,
            "createTopics": broker.supports(h.API_CREATE_TOPICS),
            "chunk": 100,
            "groupId": unique_group(prefix),
            "records": records_json(records),
            "counts": {str(p): n for p, n in counts.items()},
            "idleMs": int(h.CONSUME_IDLE_S * 1000),
            **config,
        },
        timeout_s,
    )
    result.check_ok()
    state = result.one("topicState")
    assert state["partitions"] == list(range(h.PARTITIONS)), (
        f"topic partitions {state['partitions']}"
    )
    assert topic_offsets(state) == {p: ("0", str(n), str(n)) for p, n in counts.items()}, (
        f"fetchTopicOffsets after producing: {state['offsets']}, expected low 0 / high {counts}"
    )
    h.check_delivered(records, delivered_from(result, records))
    h.check_consumed(records, consumed_from(result))
    assert result.one("consumed")["how"] == "complete"
    return topic, result


# --------------------------------------------------------------------------- produce / consume


def batch_fields(result: ScriptResult, sequence_from_offset: bool) -> list[str]:
    """Check the record-batch header fields of every consumed record.

    The broker keeps each produced batch as the client wrote it, so a consumed record's
    batch starts at the baseOffset that ``send`` reported for its partition, and carries
    the client's producer id, epoch and base sequence. KafkaJS writes producer id -1,
    epoch 0 and base sequence 0 when it is not idempotent; an idempotent producer numbers
    each partition's records from 0, so there the base sequence equals the base offset.
    """
    bases = {
        (m["partition"], int(m["baseOffset"])) for s in result.of("sent") for m in s["metadata"]
    }
    pids = {e["producerId"] for e in result.of("record")}
    problems = []
    if sequence_from_offset:
        if len(pids) != 1 or int(next(iter(pids))) < 0:
            problems.append(f"producer ids {sorted(pids)}, expected one id >= 0")
    elif pids != {"-1"}:
        problems.append(f"producer ids {sorted(pids)}, expected only '-1'")
    for e in result.of("record"):
        where = f"partition {e['partition']} offset {e['offset']}"
        base = e["batchFirstOffset"]
        if (e["partition"], base) not in bases:
            problems.append(f"{where}: batch base offset {base} is no baseOffset send reported")
        want_seq = base if sequence_from_offset else 0
        got = (
            e["producerEpoch"],
            e["batchFirstSequence"],
            e["inTransaction"],
            e["isControlRecord"],
        )
        if got != (0, want_seq, False, False):
            problems.append(
                f"{where}: (epoch, base sequence, inTransaction, control) {got}, expected {(0, want_seq, False, False)}"
            )
    return problems


@pytest.mark.timeout(200)
@pytest.mark.parametrize("codec", ["none", "gzip"])
def test_produce_consume_default_producer(broker, codec: str) -> None:
    """1,000 records, default producer (acks -1), a group consumer reads them all back."""
    records = h.make_records(1000)
    _, result = produce_consume(broker, records, f"kjs-{codec}", codec=codec)
    problems = batch_fields(result, sequence_from_offset=False)
    assert not problems, "record batches differ:\n" + "\n".join(problems[:15])


@pytest.mark.timeout(200)
def test_idempotent_producer_no_duplicates(broker) -> None:
    """idempotent: true, maxInFlightRequests: 1: exactly N records, one producer id, sequence = offset."""
    records = h.make_records(1500)
    _, result = produce_consume(
        broker,
        records,
        "kjs-idem",
        producer={"idempotent": True, "maxInFlightRequests": 1},
    )
    problems = batch_fields(result, sequence_from_offset=True)
    assert not problems, "record batches differ:\n" + "\n".join(problems[:15])


@pytest.mark.timeout(120)
def test_auto_created_topic(broker) -> None:
    """No CreateTopics: the default producer's Metadata request creates the topic."""
    if broker.external:
        pytest.skip("auto-creation with 3 partitions is kafkalite's num.partitions=3 setting")
    records = h.make_records(60)
    _, result = produce_consume(broker, records, "kjs-auto", timeout_s=60, createTopics=False)
    assert not result.of("createTopics")


# --------------------------------------------------------------------------- admin client

API_DELETE_TOPICS = 20
API_DELETE_RECORDS = 21
API_DESCRIBE_CONFIGS = 32
API_ALTER_CONFIGS = 33
API_CREATE_PARTITIONS = 37
API_DESCRIBE_GROUPS = 15
API_LIST_GROUPS = 16
API_DELETE_GROUPS = 42

ADMIN_CLIENT_ID = "kafkalite-compat-kafkajs-admin"
ADMIN_RECORDS_A = 300  # 100 per partition of topic A
ADMIN_RECORDS_B = 40  # 20 per partition of topic B's first two partitions


class AdminRun:
    def __init__(
        self,
        broker: Any,
        result: ScriptResult,
        topic_a: str,
        topic_b: str,
        group: str,
        records_a: list[h.Rec],
        timestamps: list[int],
    ):
        self.broker = broker
        self.result = result
        self.topic_a = topic_a
        self.topic_b = topic_b
        self.group = group
        self.records_a = records_a
        self.timestamps = timestamps

    def step(self, name: str, *api_keys: int) -> Any:
        for key in api_keys:
            if not self.broker.supports(key):
                pytest.skip(f"the broker does not advertise API key {key}")
        steps = [e for e in self.result.events if e.get("type") == "step" and e["name"] == name]
        assert steps, f"admin.js never reached step {name!r}: {self.result.describe()}"
        (s,) = steps
        assert s["ok"], f"step {name!r} failed: {json.dumps(s['error'], indent=1)}"
        return s["result"]


@pytest.fixture(scope="module")
def admin_run(broker) -> AdminRun:
    """Run admin.js once; each test below checks one of its steps."""
    if not broker.supports(h.API_CREATE_TOPICS):
        pytest.skip("the admin steps start from CreateTopics, which the broker does not advertise")
    topic_a, topic_b = h.unique_topic("kjs-admin-a"), h.unique_topic("kjs-admin-b")
    group = unique_group("admin")
    records_a = h.make_records(ADMIN_RECORDS_A)
    records_b = h.make_records(ADMIN_RECORDS_B, partitions=2)
    first, last = records_a[0].timestamp, records_a[-1].timestamp
    mid = records_a[len(records_a) // 2].timestamp
    timestamps = [first - 1000, first, mid, mid + 1, last, last + 1]
    result = run_script(
        "admin.js",
        {
            "bootstrap": broker.bootstrap,
            "topicA": topic_a,
            "topicB": topic_b,
            "groupId": group,
            "recordsA": records_json(records_a),
            "recordsB": records_json(records_b),
            "timestamps": timestamps,
            "countsA": {str(p): n for p, n in h.counts_per_partition(records_a).items()},
            "idleMs": int(h.CONSUME_IDLE_S * 1000),
        },
        timeout_s=150,
    )
    result.check_ok()
    return AdminRun(broker, result, topic_a, topic_b, group, records_a, timestamps)


def _partitions(n: int, node: int) -> list[dict[str, Any]]:
    return [
        {
            "partitionErrorCode": 0,
            "partitionId": p,
            "leader": node,
            "replicas": [node],
            "isr": [node],
            "offlineReplicas": [],
        }
        for p in range(n)
    ]


def _node_id(run: AdminRun) -> int:
    return run.step("describeCluster")["brokers"][0]["nodeId"]


@pytest.mark.timeout(180)
def test_admin_describe_cluster(admin_run: AdminRun) -> None:
    cluster = admin_run.step("describeCluster")
    host, port = h.split_bootstrap(admin_run.broker.bootstrap)
    node = cluster["brokers"][0]["nodeId"] if cluster["brokers"] else None
    assert cluster["brokers"] == [{"nodeId": node, "host": host, "port": port}]
    assert cluster["controller"] == node
    assert isinstance(cluster["clusterId"], str) and cluster["clusterId"]


@pytest.mark.timeout(180)
def test_admin_create_topics(admin_run: AdminRun) -> None:
    assert admin_run.step("createTopics") is True
    # A second CreateTopics for the same name: TOPIC_ALREADY_EXISTS, which KafkaJS reports as false.
    assert admin_run.step("createTopics.again") is False
    assert admin_run.step("createTopics.configs") is True
    assert admin_run.step("listTopics") == sorted([admin_run.topic_a, admin_run.topic_b])


@pytest.mark.timeout(180)
def test_admin_fetch_topic_metadata(admin_run: AdminRun) -> None:
    node = _node_id(admin_run)
    answer = admin_run.step("fetchTopicMetadata")
    # Metadata lists topics in no particular order
    topics = sorted(answer.pop("topics"), key=lambda t: t["name"])
    assert answer == {}
    assert topics == [
        {"name": admin_run.topic_a, "partitions": _partitions(3, node)},
        {"name": admin_run.topic_b, "partitions": _partitions(2, node)},
    ]


@pytest.mark.timeout(180)
def test_admin_fetch_topic_offsets(admin_run: AdminRun) -> None:
    admin_run.step("produce")
    h.check_delivered(
        admin_run.records_a, delivered_from(admin_run.result, admin_run.records_a, "A")
    )
    n = ADMIN_RECORDS_A // 3
    assert admin_run.step("fetchTopicOffsets") == [
        {"partition": p, "offset": str(n), "high": str(n), "low": "0"} for p in range(3)
    ]


@pytest.mark.timeout(180)
def test_admin_fetch_topic_offsets_by_timestamp(admin_run: AdminRun) -> None:
    """ListOffsets by timestamp: the first offset with a timestamp >= t, else the log end."""
    records = admin_run.records_a
    offsets = h.expected_offsets(records)
    counts = h.counts_per_partition(records)
    want = []
    for t in admin_run.timestamps:
        answer = []
        for p in range(3):
            hits = [offsets[r.index] for r in records if r.partition == p and r.timestamp >= t]
            answer.append({"partition": p, "offset": str(min(hits) if hits else counts[p])})
        want.append({"timestamp": t, "offsets": answer})
    assert admin_run.step("fetchTopicOffsetsByTimestamp") == want


@pytest.mark.timeout(180)
def test_admin_describe_and_alter_configs(admin_run: AdminRun) -> None:
    a, b = admin_run.topic_a, admin_run.topic_b
    assert admin_run.step("describeConfigs", API_DESCRIBE_CONFIGS) == [
        {
            "resourceName": a,
            "errorCode": 0,
            "configs": {"cleanup.policy": "delete", "retention.ms": "604800000"},
        },
        {
            "resourceName": b,
            "errorCode": 0,
            "configs": {"cleanup.policy": "delete", "retention.ms": "3600000"},
        },
    ]
    assert admin_run.step("alterConfigs", API_ALTER_CONFIGS) == {
        "resources": [
            {"errorCode": 0, "errorMessage": None, "resourceType": 2, "resourceName": b},
        ]
    }
    assert admin_run.step("alterConfigs.describe", API_DESCRIBE_CONFIGS) == [
        {
            "resourceName": b,
            "errorCode": 0,
            "configs": {"cleanup.policy": "delete", "retention.ms": "7200000"},
        },
    ]


@pytest.mark.timeout(180)
def test_admin_create_partitions(admin_run: AdminRun) -> None:
    admin_run.step("createPartitions", API_CREATE_PARTITIONS)
    assert admin_run.step("createPartitions.metadata") == {
        "topics": [
            {"name": admin_run.topic_b, "partitions": _partitions(4, _node_id(admin_run))},
        ]
    }


@pytest.mark.timeout(180)
def test_admin_delete_topic_records(admin_run: AdminRun) -> None:
    admin_run.step("deleteTopicRecords", API_DELETE_RECORDS)
    # topic B: 20 records in each of its first two partitions, then grown to 4 partitions
    assert admin_run.step("deleteTopicRecords.offsets") == [
        {"partition": 0, "offset": "20", "high": "20", "low": "5"},
        {"partition": 1, "offset": "20", "high": "20", "low": "0"},
        {"partition": 2, "offset": "0", "high": "0", "low": "0"},
        {"partition": 3, "offset": "0", "high": "0", "low": "0"},
    ]


@pytest.mark.timeout(180)
def test_admin_list_and_describe_running_group(admin_run: AdminRun) -> None:
    admin_run.step("consume")
    h.check_consumed(admin_run.records_a, consumed_from(admin_run.result, "group"))
    assert admin_run.step("listGroups.running", API_LIST_GROUPS) == [
        {"groupId": admin_run.group, "protocolType": "consumer"},
    ]
    described = admin_run.step("describeGroups.running", API_DESCRIBE_GROUPS)
    (group,) = described["groups"]
    members = group.pop("members")
    assert group == {
        "errorCode": 0,
        "groupId": admin_run.group,
        "state": "Stable",
        "protocolType": "consumer",
        "protocol": "RoundRobinAssigner",
    }
    assert len(members) == 1, members
    member = members[0]
    assert member["memberId"].startswith(ADMIN_CLIENT_ID + "-"), member["memberId"]
    assert {k: v for k, v in member.items() if k != "memberId"} == {
        "clientId": ADMIN_CLIENT_ID,
        "clientHost": "/127.0.0.1",
        "metadata": {"version": 0, "topics": [admin_run.topic_a], "userData": ""},
        "assignment": {"version": 0, "assignment": {admin_run.topic_a: [0, 1, 2]}, "userData": ""},
    }


@pytest.mark.timeout(180)
def test_admin_describe_empty_group(admin_run: AdminRun) -> None:
    assert admin_run.step("describeGroups.empty", API_DESCRIBE_GROUPS) == {
        "groups": [
            {
                "errorCode": 0,
                "groupId": admin_run.group,
                "state": "Empty",
                "protocolType": "consumer",
                "protocol": "",
                "members": [],
            }
        ]
    }


def _group_offsets(answer: Any) -> dict[int, str]:
    (topic,) = answer
    return {p["partition"]: p["offset"] for p in topic["partitions"]}


@pytest.mark.timeout(180)
def test_admin_fetch_offsets(admin_run: AdminRun) -> None:
    """The consumer's auto-commits: the log end of every partition."""
    answer = admin_run.step("fetchOffsets")
    assert [t["topic"] for t in answer] == [admin_run.topic_a]
    assert _group_offsets(answer) == {0: "100", 1: "100", 2: "100"}


@pytest.mark.timeout(180)
def test_admin_set_offsets(admin_run: AdminRun) -> None:
    admin_run.step("setOffsets")
    assert _group_offsets(admin_run.step("setOffsets.fetchOffsets")) == {0: "7", 1: "8", 2: "9"}


@pytest.mark.timeout(180)
def test_admin_delete_groups(admin_run: AdminRun) -> None:
    assert admin_run.step("deleteGroups", API_DELETE_GROUPS) == [
        {"groupId": admin_run.group, "errorCode": 0}
    ]
    assert admin_run.step("deleteGroups.listGroups", API_LIST_GROUPS) == []


@pytest.mark.timeout(180)
def test_admin_delete_topics(admin_run: AdminRun) -> None:
    admin_run.step("deleteTopics", API_DELETE_TOPICS)
    assert admin_run.step("deleteTopics.listTopics") == []


# --------------------------------------------------------------------------- group commit / resume


@pytest.mark.timeout(200)
@pytest.mark.parametrize("mode", ["auto", "manual"])
def test_group_commit_then_resume(broker, mode: str) -> None:
    """Consumer A commits (auto-commit, or commitOffsets at 40/50/60), consumer B resumes there."""
    records = h.make_records(390)  # 300 before A, 90 more before B
    first, second = records[:300], records[300:]
    offsets = h.expected_offsets(records)
    counts_a = h.counts_per_partition(first)
    counts_all = h.counts_per_partition(records)
    start = dict(counts_a) if mode == "auto" else {0: 40, 1: 50, 2: 60}
    topic = h.unique_topic(f"kjs-resume-{mode}")
    result = run_script(
        "commit_resume.js",
        {
            "bootstrap": broker.bootstrap,
            "topic": topic,
            "partitions": h.PARTITIONS,
            "createTopics": broker.supports(h.API_CREATE_TOPICS),
            "groupId": unique_group(mode),
            "mode": mode,
            "first": records_json(first),
            "second": records_json(second),
            "commitAt": {str(p): o for p, o in start.items()},
            "countsA": {str(p): n for p, n in counts_a.items()},
            "countsB": {str(p): counts_all[p] - start[p] for p in counts_all},
            "idleMs": int(h.CONSUME_IDLE_S * 1000),
        },
        timeout_s=150,
    )
    result.check_ok()
    h.check_delivered(first, delivered_from(result, first, "first"))
    # the second send starts at the log end the first one left: count its offsets from there
    second_local = [
        h.Rec(i, r.partition, r.key, r.value, r.headers, r.timestamp) for i, r in enumerate(second)
    ]
    h.check_delivered(
        second_local,
        [
            h.Delivered(d.index, d.partition, d.offset - counts_a[d.partition], d.timestamp)
            for d in delivered_from(result, second_local, "second")
        ],
    )
    h.check_consumed(first, consumed_from(result, "A"))
    assert result.one("committed", "A")["offsets"] == {str(p): str(o) for p, o in start.items()}, (
        f"group offsets after consumer A left: {result.one('committed', 'A')}"
    )
    got_b = [
        (g.partition, g.offset, g.key, g.value, g.headers, g.timestamp)
        for g in sorted(consumed_from(result, "B"), key=lambda g: (g.partition, g.offset))
    ]
    want_b = sorted(
        (r.partition, offsets[r.index], r.key, r.value, r.headers, r.timestamp)
        for r in records
        if offsets[r.index] >= start[r.partition]
    )
    if got_b != want_b:
        firsts = {p: [o for q, o, *_ in got_b if q == p][:3] for p in range(h.PARTITIONS)}
        pytest.fail(
            f"consumer B read {len(got_b)} records (first offsets per partition {firsts}), "
            f"expected {len(want_b)} from offsets {start}"
        )
    assert result.one("committed", "B")["offsets"] == {
        str(p): str(n) for p, n in counts_all.items()
    }
