"""A three-node kafkalite cluster: clients follow partition leaders and group coordinators
as they move, and lose or duplicate nothing.

One ``KafkaliteServer(brokers=3, mode="process")`` for the module (topics with 4 partitions,
replication factor 3; ``__consumer_offsets`` with 3 partitions on every node), reset between
tests (stopped nodes start again; leaders stay where they are).

Leaders (``test_clients_follow_leaders``): a cell is a client and what changes under it.

- producer cells: an idempotent producer streams 400 records in chunks of 20; while a chunk
  is in flight the test moves a partition's leader (``move_leader``), stops the node leading
  another (``stop_broker``; its partitions elect a new leader from their ISR) and starts it
  again, then moves a partition back to it, so the producer has to connect to it again.
- consumer cells: a consumer reads part A; once it has all of it, the cluster changes and
  part B is produced; once it has B, the cluster changes again and part C is produced. So
  its fetches after each change go to the new leaders.

Every cell checks each change took (leader and leader epoch), that the new leader served the
client's requests without an error, that every record was acknowledged once at its offset,
and that a consumer reads every record once in per-partition order. confluent-kafka runs the
whole matrix; kafka-python and aiokafka one cell each with every kind of change.

Coordinator (``test_group_survives_coordinator_stop``): a group member commits after every
poll; mid-way the node coordinating its group stops. The group must be served by the new
coordinator (its commits answered there, the group Stable with one member), the member keeps
reading; the node starts again; the member closes at a known point, its committed offsets are
exactly what it read, and a second member of the group reads exactly the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import compat_fault_drivers as fd
import compat_helpers as h
import pytest

from kafkalite.internal_topics import OFFSETS_TOPIC, partition_for
from kafkalite.testing import KafkaliteServer

pytestmark = [pytest.mark.compat, pytest.mark.timeout(90)]

PARTITIONS = 4
OFFSETS_PARTITIONS = 3
NODES = (1, 2, 3)
WAIT_S = 20.0
SMALL_FETCH = 64


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaliteServer]:
    if h.external_bootstrap():
        pytest.skip("starts a three-node kafkalite of its own")
    properties = {
        "num.partitions": PARTITIONS,
        "default.replication.factor": 3,
        "offsets.topic.num.partitions": OFFSETS_PARTITIONS,
        "offsets.topic.replication.factor": 3,
    }
    data = tmp_path_factory.mktemp("kafkalite-cluster") / "data"
    with KafkaliteServer(properties, mode="process", brokers=3, data_dir=data) as server:
        yield server


@pytest.fixture
def control(cluster: KafkaliteServer) -> Iterator[Any]:
    yield cluster.control
    cluster.control.reset()


class Changes:
    """The cluster changes of one cell, and what each did, checked as they happen."""

    def __init__(self, control: Any, topic: str) -> None:
        self.control, self.topic = control, topic
        self.stopped: int | None = None
        self.new_leaders: list[tuple[int, int]] = []  # (partition, node) to check requests on

    def _state(self, p: int) -> dict[str, Any]:
        return self.control.partition(self.topic, p)

    def move(self, p: int) -> None:
        before = self._state(p)
        target = next(n for n in before["replicas"] if n != before["leader"] and n != self.stopped)
        after = self.control.move_leader(self.topic, p, target)
        assert after["leader"] == target and after["leader_epoch"] > before["leader_epoch"], after
        self.new_leaders.append((p, target))

    def stop(self, p: int) -> None:
        before = self._state(p)
        node = before["leader"]
        assert self.control.stop_broker(node)["online"] is False
        self.stopped = node
        after = self._state(p)
        assert after["leader"] not in (node, -1), after
        assert after["leader_epoch"] > before["leader_epoch"] and node not in after["isr"], after
        self.new_leaders.append((p, after["leader"]))

    def start(self, p: int) -> None:
        """Start the stopped node again and make it ``p``'s leader."""
        node, self.stopped = self.stopped, None
        assert node is not None
        assert self.control.start_broker(node)["online"] is True
        assert node in self._state(p)["isr"]
        after = self.control.move_leader(self.topic, p, node)
        assert after["leader"] == node, after
        self.new_leaders.append((p, node))

    def check_served(self, api: str) -> None:
        """Each new leader answered the client's ``api`` for its partition without error."""
        for p, node in self.new_leaders:
            served = [
                entry
                for entry in self.control.requests(api=api, topic=self.topic, node=node)
                if not entry["errors"]
            ]
            assert served, f"node {node} answered no {api} for {self.topic} after leading {p}"


Plan = list[Callable[[Changes], None]]

#: name -> (producer changes by chunk, consumer changes after parts A and B)
CELLS: dict[str, tuple[dict[int, Plan], list[Plan]]] = {
    "producer-move": (
        {2: [lambda c: c.move(0)], 4: [lambda c: c.move(1)], 6: [lambda c: c.move(0)]},
        [],
    ),
    "producer-stop-start": ({2: [lambda c: c.stop(0)], 6: [lambda c: c.start(0)]}, []),
    "consumer-move": ({}, [[lambda c: c.move(2)], [lambda c: c.move(3), lambda c: c.move(2)]]),
    "consumer-stop-start": ({}, [[lambda c: c.stop(2)], [lambda c: c.start(2)]]),
    "all": (
        {2: [lambda c: c.move(0)], 4: [lambda c: c.stop(1)], 7: [lambda c: c.start(1)]},
        [[lambda c: c.move(2)], [lambda c: c.stop(3)]],
    ),
}
MATRIX = [
    pytest.param("confluent-kafka", cell, id=f"confluent-kafka-{cell}")
    for cell in ("producer-move", "producer-stop-start", "consumer-move", "consumer-stop-start")
] + [pytest.param(client, "all", id=f"{client}-all") for client in ("kafka-python", "aiokafka")]


@pytest.mark.parametrize(("client", "cell"), MATRIX)
def test_clients_follow_leaders(
    cluster: KafkaliteServer, control: Any, client: str, cell: str
) -> None:
    driver = fd.DRIVERS[client]
    bootstrap = cluster.bootstrap_servers
    topic = f"cluster-{cell}-{h.unique_topic('t')[-12:]}"
    producer_plan, consumer_plan = CELLS[cell]
    changes = Changes(control, topic)

    def producer_hook(chunk: int) -> None:
        for change in producer_plan.get(chunk, []):
            change(changes)

    if producer_plan:
        sent = fd.items(400, PARTITIONS)
        fd.check_acked(sent, driver.produce(bootstrap, topic, sent, chunk=20, hook=producer_hook))
        changes.check_served("Produce")
        fd.check_exact(sent, driver.consume(bootstrap, topic, fd.counts(sent, PARTITIONS)))

    if consumer_plan:
        topic = topic + "-c"
        changes = Changes(control, topic)
        parts = [
            fd.items(360, PARTITIONS, tag=tag)[i * 120 : (i + 1) * 120]
            for i, tag in enumerate("abc")
        ]
        sent = [item for part in parts for item in part]
        acked = driver.produce(bootstrap, topic, parts[0], chunk=40)
        reached = [len(parts[0]), len(parts[0]) + len(parts[1])]
        step = [0]

        def consumer_hook(read: int) -> None:
            # once the consumer has everything produced so far: change the cluster, produce more
            while step[0] < len(reached) and read >= reached[step[0]]:
                for change in consumer_plan[step[0]]:
                    change(changes)
                acked.extend(driver.produce(bootstrap, topic, parts[step[0] + 1], chunk=40))
                step[0] += 1

        reads = driver.consume(
            bootstrap,
            topic,
            fd.counts(sent, PARTITIONS),
            hook=consumer_hook,
            small_fetch=SMALL_FETCH,
        )
        assert step[0] == len(reached)
        fd.check_exact(sent, reads)
        fd.check_acked(sent, acked)
        changes.check_served("Fetch")


@pytest.mark.parametrize("client", list(fd.DRIVERS))
def test_group_survives_coordinator_stop(
    cluster: KafkaliteServer, control: Any, client: str
) -> None:
    driver = fd.DRIVERS[client]
    bootstrap = cluster.bootstrap_servers
    topic = f"cluster-group-{h.unique_topic('t')[-12:]}"
    group = f"cluster-group-{client}-{h.unique_topic('g')[-10:]}"
    sent = fd.items(240, PARTITIONS)
    fd.check_acked(sent, driver.produce(bootstrap, topic, sent, chunk=40))
    want = fd.counts(sent, PARTITIONS)
    offsets_partition = partition_for(group, OFFSETS_PARTITIONS)
    seen: dict[str, Any] = {}

    def hook(read: int) -> None:  # after each poll's records are committed
        if read >= 60 and "old" not in seen:
            old = control.partition(OFFSETS_TOPIC, offsets_partition)["leader"]
            joined = [e for e in control.requests(api="JoinGroup", group=group) if not e["errors"]]
            assert joined and {e["node"] for e in joined} == {old}, joined
            assert control.stop_broker(old)["online"] is False
            new = control.partition(OFFSETS_TOPIC, offsets_partition)["leader"]
            assert new not in (old, -1)
            seen.update(old=old, new=new, at=read)
            seen["commits"] = control.observe(api="OffsetCommit", group=group, node=new)
        elif read >= seen.get("at", 1 << 30) + 60 and "started" not in seen:
            # two polls or more since the stop, each committed on the new coordinator
            assert seen["commits"].wait(2, timeout=WAIT_S), seen["commits"].describe()
            assert control.wait_group(group, members=1, timeout=WAIT_S), control.group(group)
            assert control.start_broker(seen["old"])["online"] is True
            seen["started"] = read

    first = driver.group_consume(bootstrap, topic, group, want, stop_after=180, hook=hook)
    assert "started" in seen, f"the member read {len(first)} records; changes: {seen}"
    # The member closed after a synchronous commit of everything it read.
    read_up_to: dict[int, int] = {}
    for r in first:
        read_up_to[r.partition] = max(read_up_to.get(r.partition, 0), r.offset + 1)
    for p, offset in read_up_to.items():
        assert control.wait_offset(group, topic, p, offset, timeout=WAIT_S), (p, offset)
    errors = [
        e
        for e in control.requests(api="OffsetCommit", group=group, node=seen["new"])
        if e["errors"]
    ]
    assert not errors, errors

    rest = {p: n - read_up_to.get(p, 0) for p, n in want.items()}
    second = driver.group_consume(bootstrap, topic, group, rest)
    fd.check_exact(sent, sorted(first + second))
