"""Shared expectations of the admin-API tests (``test_admin_*.py``).

Nothing here talks to a client library: the per-client modules turn each client's answers
into the plain values below (``Cfg`` for a config entry, Kafka error codes as ints) and call
these checks, so the three clients are held to the same expectations. The test modules load
this file as ``compat_admin_helpers`` (``--import-mode=importlib`` puts no test folder on
``sys.path``).

Expected values are Apache Kafka's: topic config defaults, config sources (an override is
DYNAMIC_TOPIC_CONFIG, anything else comes from the broker: STATIC_BROKER_CONFIG when set at
start, else DEFAULT_CONFIG), topic configs neither read-only nor sensitive, and the error
codes of CreateTopics, CreatePartitions, AlterConfigs, IncrementalAlterConfigs and
DeleteRecords. Exact sources and broker-config values are checked against kafkalite (started
with ``-o num.partitions=3``); against an external broker (KAFKALITE_BOOTSTRAP) a topic
config that is not overridden may also be STATIC_BROKER_CONFIG.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import compat_helpers as h
import pytest

# --------------------------------------------------------------------------- protocol

API_CREATE_TOPICS = 19
API_DELETE_TOPICS = 20
API_DELETE_RECORDS = 21
API_DESCRIBE_CONFIGS = 32
API_ALTER_CONFIGS = 33
API_CREATE_PARTITIONS = 37
API_INCREMENTAL_ALTER_CONFIGS = 44

ADMIN_APIS = {
    API_CREATE_TOPICS: "CreateTopics",
    API_DELETE_TOPICS: "DeleteTopics",
    API_DELETE_RECORDS: "DeleteRecords",
    API_DESCRIBE_CONFIGS: "DescribeConfigs",
    API_ALTER_CONFIGS: "AlterConfigs",
    API_CREATE_PARTITIONS: "CreatePartitions",
    API_INCREMENTAL_ALTER_CONFIGS: "IncrementalAlterConfigs",
}

# Kafka error codes
OFFSET_OUT_OF_RANGE = 1
UNKNOWN_TOPIC_OR_PARTITION = 3
MESSAGE_TOO_LARGE = 10
INVALID_TOPIC_EXCEPTION = 17
TOPIC_ALREADY_EXISTS = 36
INVALID_PARTITIONS = 37
INVALID_REPLICATION_FACTOR = 38
INVALID_CONFIG = 40
INVALID_REQUEST = 42
POLICY_VIOLATION = 44

DYNAMIC_TOPIC_CONFIG = "DYNAMIC_TOPIC_CONFIG"
STATIC_BROKER_CONFIG = "STATIC_BROKER_CONFIG"
DYNAMIC_DEFAULT_BROKER_CONFIG = "DYNAMIC_DEFAULT_BROKER_CONFIG"
DEFAULT_CONFIG = "DEFAULT_CONFIG"

#: source id -> name (DescribeConfigs v1+ ``config_source``)
SOURCE_NAMES = {
    0: "UNKNOWN",
    1: DYNAMIC_TOPIC_CONFIG,
    2: "DYNAMIC_BROKER_CONFIG",
    3: "DYNAMIC_DEFAULT_BROKER_CONFIG",
    4: STATIC_BROKER_CONFIG,
    5: DEFAULT_CONFIG,
    6: "DYNAMIC_BROKER_LOGGER_CONFIG",
}

# --------------------------------------------------------------------------- topic configs

#: The overrides every client creates its first topic with.
CREATE_CONFIGS = {
    "cleanup.policy": "compact",
    "retention.ms": "3600000",
    "max.message.bytes": "2000000",
}

#: Kafka's topic-level defaults for the configs the tests look at.
TOPIC_DEFAULTS = {
    "cleanup.policy": "delete",
    "retention.ms": "604800000",
    "max.message.bytes": "1048588",
    "retention.bytes": "-1",
    "segment.bytes": "1073741824",
    "segment.ms": "604800000",
    "min.insync.replicas": "1",
    "compression.type": "producer",
    "message.timestamp.type": "CreateTime",
}

#: A record the lowered ``max.message.bytes`` refuses, and one it takes (both well under
#: every client's own request-size limit, so the broker is the one that decides).
SMALL_LIMIT = "10000"
SMALL_RECORD = b"s" * 2_000
LARGE_RECORD = b"L" * 50_000


class Cfg(NamedTuple):
    """One DescribeConfigs entry, normalised across clients."""

    value: str | None
    source: str
    read_only: bool
    sensitive: bool


def overridden(configs: Mapping[str, Cfg]) -> dict[str, str | None]:
    """The DYNAMIC_TOPIC_CONFIG entries: name -> value."""
    return {name: c.value for name, c in configs.items() if c.source == DYNAMIC_TOPIC_CONFIG}


def expected_topic_configs(overrides: Mapping[str, str]) -> dict[str, str]:
    """The values of ``TOPIC_DEFAULTS`` names for a topic with ``overrides``."""
    return {**TOPIC_DEFAULTS, **{k: v for k, v in overrides.items() if k in TOPIC_DEFAULTS}}


def check_topic_configs(
    broker: Any, configs: Mapping[str, Cfg], overrides: Mapping[str, str], *, flags: bool = True
) -> None:
    """A TOPIC resource described in full: ``overrides`` are exactly the DYNAMIC_TOPIC_CONFIG
    entries with their values; the other configs checked carry Kafka's default and a broker
    source; no topic config is read-only or sensitive (``flags``: the client reports them)."""
    problems = []
    if overridden(configs) != dict(overrides):
        problems.append(f"overrides {overridden(configs)}, expected {dict(overrides)}")
    default_sources = (
        {DEFAULT_CONFIG, STATIC_BROKER_CONFIG} if broker.external else {DEFAULT_CONFIG}
    )
    for name, want in expected_topic_configs(overrides).items():
        got = configs.get(name)
        if got is None:
            problems.append(f"{name}: not described")
            continue
        if got.value != want:
            problems.append(f"{name}: value {got.value!r}, expected {want!r}")
        if name in overrides:
            if got.source != DYNAMIC_TOPIC_CONFIG:
                problems.append(f"{name}: source {got.source}, expected {DYNAMIC_TOPIC_CONFIG}")
        elif name == "min.insync.replicas":
            # Kafka 4.1+ keeps a cluster-level value every topic inherits (KIP-966)
            if got.source != DYNAMIC_DEFAULT_BROKER_CONFIG:
                problems.append(f"{name}: source {got.source}, expected the cluster level")
        elif got.source not in default_sources:
            problems.append(
                f"{name}: source {got.source}, expected one of {sorted(default_sources)}"
            )
    if flags:
        flagged = {n: c for n, c in configs.items() if c.read_only or c.sensitive}
        if flagged:
            problems.append(f"topic configs flagged read-only or sensitive: {flagged}")
    assert not problems, "topic configs differ:\n" + "\n".join(problems)


def check_broker_configs(broker: Any, configs: Mapping[str, Cfg]) -> None:
    """The BROKER resource: sources are STATIC_BROKER_CONFIG (given at start: -o values, the
    listeners, node id and log directory), DEFAULT_CONFIG, or DYNAMIC_DEFAULT_BROKER_CONFIG
    for the cluster-level ``min.insync.replicas`` of Kafka 4.1+. kafkalite is started with
    num.partitions=3. Read-only are the configs Kafka cannot change at run time; only Kafka's
    PASSWORD-type configs (key passwords, keys, users) are sensitive, described with no
    value."""
    assert configs, "the broker resource described no configs"
    if broker.external:
        assert "num.partitions" in configs, sorted(configs)
        return
    assert configs["num.partitions"] == Cfg("3", STATIC_BROKER_CONFIG, True, False)
    assert configs["message.max.bytes"] == Cfg("1048588", DEFAULT_CONFIG, False, False)
    assert configs["min.insync.replicas"] == Cfg("1", DYNAMIC_DEFAULT_BROKER_CONFIG, False, False)
    assert configs["listeners"].source == STATIC_BROKER_CONFIG
    sources = {c.source for c in configs.values()}
    assert sources == {STATIC_BROKER_CONFIG, DEFAULT_CONFIG, DYNAMIC_DEFAULT_BROKER_CONFIG}, sources
    writable = {n for n, c in configs.items() if not c.read_only}
    assert {"log.retention.ms", "max.connections"} <= writable, sorted(writable)
    assert not writable & {"num.partitions", "node.id", "auto.create.topics.enable"}
    sensitive = {n: c.value for n, c in configs.items() if c.sensitive}
    assert set(sensitive) <= {"ssl.key.password", "ssl.keystore.key", "kafkalite.users"}, sensitive
    assert not any(sensitive.values()), "a sensitive config was described with its value"


# --------------------------------------------------------------------------- create errors


@dataclass(frozen=True)
class BadTopic:
    """A CreateTopics entry the broker must refuse with ``code``."""

    label: str
    name: str
    partitions: int
    replication_factor: int
    configs: dict[str, str]
    code: int


def bad_topics(existing: str) -> list[BadTopic]:
    """One refused CreateTopics entry per error; ``existing`` is a topic that exists."""
    return [
        BadTopic("exists", existing, 3, 1, {}, TOPIC_ALREADY_EXISTS),
        BadTopic("rf=3", h.unique_topic("adm-rf3"), 3, 3, {}, INVALID_REPLICATION_FACTOR),
        BadTopic("partitions=0", h.unique_topic("adm-p0"), 0, 1, {}, INVALID_PARTITIONS),
        BadTopic(
            "unknown config",
            h.unique_topic("adm-cfg"),
            1,
            1,
            {"no.such.config": "1"},
            INVALID_CONFIG,
        ),
        BadTopic("bad name", "bad name!" + h.unique_topic("x"), 1, 1, {}, INVALID_TOPIC_EXCEPTION),
    ]


def check_codes(got: Mapping[str, int], bad: list[BadTopic]) -> None:
    want = {b.label: b.code for b in bad}
    assert dict(got) == want, f"CreateTopics error codes {dict(got)}, expected {want}"


# --------------------------------------------------------------------------- misc


def require_apis(broker: Any, *keys: int) -> None:
    missing = [ADMIN_APIS.get(k, str(k)) for k in keys if not broker.supports(k)]
    if missing:
        pytest.skip(f"the broker does not advertise {', '.join(missing)}")


def kcat_partitions(bootstrap: str, topic: str) -> list[int]:
    """``kcat -L -J -t topic`` and the text form: the partition ids kcat sees (sorted).

    Skips when kcat is not available (README.md: ``KAFKALITE_KCAT``)."""
    cmd = h.kcat_command()
    if cmd is None:
        pytest.skip("kcat is not on PATH and KAFKALITE_KCAT is not set")
    proc = subprocess.run(
        [*cmd, "-b", bootstrap, "-L", "-J", "-t", topic],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    meta = json.loads(proc.stdout)
    [entry] = [t for t in meta["topics"] if t["topic"] == topic]
    assert "error" not in entry, entry
    ids = sorted(p["partition"] for p in entry["partitions"])
    text = subprocess.run(
        [*cmd, "-b", bootstrap, "-L", "-t", topic], capture_output=True, timeout=60, check=False
    )
    assert text.returncode == 0, text.stderr.decode(errors="replace")[-2000:]
    assert f'topic "{topic}" with {len(ids)} partitions:' in text.stdout.decode(), text.stdout
    return ids
