"""Consumer groups with kafka-python 3.x, aiokafka 0.14, confluent-kafka (librdkafka) and
kcat: rebalancing, commits, static members, the cooperative-sticky assignor, admin.

Each client keeps its defaults except auto offset reset earliest, a 6 s session and 500 ms
heartbeats (see group_helpers.Member):

- kafka-python: range then roundrobin assignors, auto commit every 5 s and on close and
  rebalance.
- aiokafka: roundrobin assignor, auto commit every 5 s and on stop and rebalance; JoinGroup
  v5 at most, so group_instance_id works. Each member runs its own event loop on its own
  thread.
- confluent-kafka: range then roundrobin assignors, eager protocol, auto commit every 5 s and
  on close and rebalance, isolation.level=read_committed.
- kcat's balanced consumer (``kcat -G group topic``) joins the group through librdkafka's
  subscribe(), reads until its ``-c`` count and closes, which commits what it read; a second
  run in the same group resumes there. ``KAFKALITE_KCAT`` overrides the kcat command (see
  helpers.kcat_command); the test skips when there is no kcat.

The scenarios and each client's driver and admin glue live in group_helpers.py; the shared
tests run once per client.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import compat_group_helpers as gh
import pytest

pytestmark = pytest.mark.compat

DRIVERS: dict[str, type[gh.Driver]] = {
    cls.client: cls for cls in (gh.KafkaPythonDriver, gh.AiokafkaDriver, gh.ConfluentDriver)
}
KCAT_TIMEOUT_S = 60.0


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Overrides conftest's: a 6-partition kafkalite for this module (see group_helpers)."""
    yield from gh.module_broker(tmp_path_factory)


@pytest.fixture(params=list(DRIVERS))
def driver(request: pytest.FixtureRequest, broker: Any) -> gh.Driver:
    return DRIVERS[request.param](broker.bootstrap, broker)


@pytest.mark.timeout(150)
def test_three_members_split_partitions(driver: gh.Driver) -> None:
    gh.scenario_three_members_split(driver)


@pytest.mark.timeout(150)
def test_closed_member_partitions_move(driver: gh.Driver) -> None:
    gh.scenario_member_leaves(driver, kill=False)


@pytest.mark.timeout(180)
def test_killed_member_partitions_move(driver: gh.Driver) -> None:
    gh.scenario_member_leaves(driver, kill=True)


@pytest.mark.timeout(150)
@pytest.mark.parametrize("mode", ["auto", "sync", "async"])
def test_commit_then_resume(driver: gh.Driver, mode: str) -> None:
    gh.scenario_commit_resume(driver, mode)


@pytest.mark.timeout(180)
def test_committed_offsets_survive_restart(broker: Any, driver: gh.Driver) -> None:
    if broker.external:
        pytest.skip("KAFKALITE_BOOTSTRAP points at an external broker: cannot restart it")
    gh.scenario_commit_survives_restart(driver, broker)


@pytest.mark.timeout(150)
def test_static_member_restart_keeps_assignment(driver: gh.Driver) -> None:
    gh.scenario_static_member_restart(driver)


@pytest.mark.timeout(150)
def test_admin_list_describe_offsets_delete(driver: gh.Driver) -> None:
    gh.scenario_admin(driver, gh.GROUP_ADMINS[driver.client](driver.bootstrap))


# --------------------------------------------------------------------------- confluent-kafka


@pytest.mark.timeout(150)
def test_cooperative_sticky_incremental_rebalance(broker: Any) -> None:
    """confluent-kafka: a second member joins: the first gives up only what moves, in
    incremental callbacks."""
    d = gh.ConfluentDriver(broker.bootstrap, broker)
    topic = d.create_topic()
    group = gh.unique_group("ck-coop")
    conf = {"partition.assignment.strategy": "cooperative-sticky"}
    everything = set(range(gh.PARTITIONS))
    first = d.produce(topic, gh.batch("first", 300))
    with gh.Crew(d, group, topic) as crew:
        m0 = crew.add("m0", conf)
        crew.wait("m0 to own every partition", lambda: m0.assigned == everything)
        crew.wait_read([m0], first)
        assert [(c.kind, c.partitions, c.incremental) for c in m0.changes] == [
            ("assign", tuple(sorted(everything)), True)
        ], crew.describe()
        m0.call("commit_sync")
        mark = len(m0.changes)

        m1 = crew.add("m1", conf)
        crew.wait_split([m0, m1])
        moved, kept = set(m1.assigned), set(m0.assigned)
        since = m0.changes_since(mark)
        assert all(c.incremental for c in since + m1.changes), crew.describe()
        assert {p for c in since if c.kind == "revoke" for p in c.partitions} == moved, crew.describe()
        assert not [c for c in since if c.kind == "lost"], crew.describe()
        # m0 never gave up, nor was given again, a partition it kept
        assert not {p for c in since for p in c.partitions} & kept, crew.describe()
        assert {p for c in m1.changes if c.kind == "assign" for p in c.partitions} == moved
        # what the callbacks said is what librdkafka holds
        assert set(m0.call("assignment")) == kept and set(m1.call("assignment")) == moved

        reads_at = gh.read_marks([m0, m1])
        second = d.produce(topic, gh.batch("second", 300))
        crew.wait_read([m0, m1], second)
        gh.check_owners([m0, m1], second, reads_at)
        gh.check_exact(gh.all_reads([m0, m1]), first + second, "records read by the group")


# --------------------------------------------------------------------------- kcat


def kcat_group_read(kcat: list[str], bootstrap: str, group: str, topic: str, count: int) -> list[gh.Read]:
    """``kcat -G``: read exactly ``count`` records as a member of ``group``, then leave."""
    cmd = [
        *kcat, "-b", bootstrap, "-G", group, "-c", str(count), "-q",
        "-f", "%p %o %s\\n",
        "-X", "auto.offset.reset=earliest",
        "-X", f"session.timeout.ms={gh.SESSION_TIMEOUT_MS}",
        "-X", f"heartbeat.interval.ms={gh.HEARTBEAT_INTERVAL_MS}",
        topic,
    ]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=KCAT_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(
            f"kcat -G did not read {count} records within {KCAT_TIMEOUT_S:.0f}s; output so far:\n"
            f"{(exc.stdout or b'')[-2000:]!r}\nstderr:\n{(exc.stderr or b'')[-2000:]!r}"
        ) from None
    assert done.returncode == 0, f"kcat exited with {done.returncode}: {done.stderr[-2000:]!r}"
    reads = []
    for line in done.stdout.decode().splitlines():
        partition, offset, value = line.split(" ", 2)
        reads.append(gh.Read(int(partition), int(offset), value.encode()))
    return reads


@pytest.fixture
def kcat() -> list[str]:
    command = gh.h.kcat_command()
    if command is None:
        pytest.skip("kcat is not installed (apt-get install kcat) and KAFKALITE_KCAT is not set")
    return list(command)


@pytest.mark.timeout(180)
def test_kcat_balanced_consumer_reads_and_resumes(broker: Any, kcat: list[str]) -> None:
    """The topic is created and filled with confluent-kafka, so the partition and offset of
    every record are known."""
    d = gh.ConfluentDriver(broker.bootstrap, broker)
    topic = d.create_topic()
    group = gh.unique_group("kcat")
    first = d.produce(topic, gh.batch("first", 60))

    got = kcat_group_read(kcat, broker.bootstrap, group, topic, len(first))
    gh.check_exact(got, first, "kcat -G, first run")
    assert d.committed(group, topic) == gh.per_partition(first)

    second = d.produce(topic, gh.batch("second", 30))
    got = kcat_group_read(kcat, broker.bootstrap, group, topic, len(second))
    gh.check_exact(got, second, "kcat -G, second run (resuming at the committed offsets)")
    assert d.committed(group, topic) == gh.per_partition(first + second)
