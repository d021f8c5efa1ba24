#!/usr/bin/env python3
"""How fast consumers started together form one group, per client and broker setting.

    python benchmarks/group_formation.py [--clients kafka-python,aiokafka,confluent-kafka]
        [--members 2] [--partitions 6] [--delays 0,100,300,1000,3000] [--rounds 3]
        [--bootstrap HOST:PORT]   # an already running broker (then --delays is ignored)
        [--scenario together|join-cooperative|short-timers]

For each client and each ``group.initial.rebalance.delay.ms`` (a kafkalite broker is
started per delay, on a free loopback port), each round creates a topic with ``--partitions``
partitions and starts ``--members`` consumers of one new group at the same moment (threads;
aiokafka: tasks on one loop), each with the client's default settings. The clock stops when
the members' assignments cover every partition, disjointly and evenly (6 partitions, 2
members: 3 each), and stay so for two seconds. Reported per round: that time (from the
moment the consumers were started), the number of assignments the members received in all
(one per member is one generation; more mean extra rebalances), or "failed" when the group
did not reach an even assignment within ``--timeout`` seconds.

Scenarios (``--scenario``):

* ``together`` (the default): as above.
* ``join-cooperative``: a second member joins a group whose first member already owns every
  partition, both with the cooperative-sticky assignor (KIP-429; confluent-kafka's
  ``partition.assignment.strategy=cooperative-sticky``, kafka-python's
  ``CooperativeStickyAssignor``). The clock starts when the second member is started; a
  cooperative join takes two rebalances (the first revokes, the second hands over).
* ``short-timers``: ``--members`` kafka-python consumers started together with
  ``session_timeout_ms=3000``, ``request_timeout_ms=4000``, ``heartbeat_interval_ms=500``
  (use ``--members 4 --partitions 4``); the broker is started with
  ``group.min.session.timeout.ms=1000`` so that Kafka's 6000 ms floor does not refuse them.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STABLE_FOR_S = 2.0
now = time.monotonic


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_kafkalite(
    delay_ms: int, data_dir: Path, options: tuple[str, ...] = ()
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": f"{REPO}:{os.environ.get('PYTHONPATH', '')}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "kafkalite", "serve", "--port", str(port), "--data-dir",
         str(data_dir), "-o", f"group.initial.rebalance.delay.ms={delay_ms}",
         "-o", "offsets.topic.num.partitions=1", *(a for o in options for a in ("-o", o))],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = now() + 30
    while now() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process, f"127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("kafkalite did not start")


def create_topic(bootstrap: str, topic: str, partitions: int) -> None:
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})
    admin.create_topics([NewTopic(topic, partitions, 1)])[topic].result(30)


class Tracker:
    """Each member's current assignment and how many assignments it received."""

    def __init__(self, members: int, partitions: int) -> None:
        self.lock = threading.Lock()
        self.current: list[frozenset[int]] = [frozenset()] * members
        self.assignments = 0
        self.partitions = partitions
        self.balanced_since: float | None = None
        self.formed_at: float | None = None

    def assigned(self, member: int) -> None:
        with self.lock:
            self.assignments += 1

    def add_member(self) -> None:
        """Count one more member from now on; forget the balance and the assignments so far."""
        with self.lock:
            self.current.append(frozenset())
            self.assignments = 0
            self.balanced_since = None
            self.formed_at = None

    def observe(self, member: int, partitions: set[int]) -> None:
        with self.lock:
            self.current[member] = frozenset(partitions)
            share = self.partitions // len(self.current)
            together = [p for assigned in self.current for p in assigned]
            balanced = sorted(together) == list(range(self.partitions)) and all(
                len(assigned) in (share, share + 1) for assigned in self.current
            )
            if not balanced:
                self.balanced_since = None
                self.formed_at = None
            elif self.balanced_since is None:
                self.balanced_since = now()
                self.formed_at = self.balanced_since

    def stable(self) -> bool:
        with self.lock:
            return self.balanced_since is not None and now() - self.balanced_since >= STABLE_FOR_S


def run_threads(member: Callable[[int, threading.Event], None], members: range, stop: threading.Event) -> list[threading.Thread]:
    threads = [threading.Thread(target=member, args=(i, stop), daemon=True) for i in members]
    for thread in threads:
        thread.start()
    return threads


def kafka_python_round(bootstrap: str, topic: str, group: str, tracker: Tracker, members: range, stop: threading.Event, config: dict | None = None) -> list[threading.Thread]:
    from kafka import ConsumerRebalanceListener, KafkaConsumer

    class Listener(ConsumerRebalanceListener):
        def __init__(self, index: int) -> None:
            self.index = index

        def on_partitions_revoked(self, revoked):  # type: ignore[no-untyped-def]
            pass

        def on_partitions_assigned(self, assigned):  # type: ignore[no-untyped-def]
            tracker.assigned(self.index)

    def member(index: int, stop: threading.Event) -> None:
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group,
                                 auto_offset_reset="earliest", **(config or {}))
        consumer.subscribe([topic], listener=Listener(index))
        try:
            while not stop.is_set():
                consumer.poll(timeout_ms=100)
                tracker.observe(index, {tp.partition for tp in consumer.assignment()})
        finally:
            consumer.close()

    return run_threads(member, members, stop)


def confluent_round(bootstrap: str, topic: str, group: str, tracker: Tracker, members: range, stop: threading.Event, config: dict | None = None) -> list[threading.Thread]:
    from confluent_kafka import Consumer

    def member(index: int, stop: threading.Event) -> None:
        consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group,
                             "auto.offset.reset": "earliest", **(config or {})})
        consumer.subscribe([topic], on_assign=lambda c, ps: tracker.assigned(index))
        try:
            while not stop.is_set():
                consumer.poll(0.1)
                tracker.observe(index, {tp.partition for tp in consumer.assignment()})
        finally:
            consumer.close()

    return run_threads(member, members, stop)


def aiokafka_round(bootstrap: str, topic: str, group: str, tracker: Tracker, members: range, stop: threading.Event, config: dict | None = None) -> list[threading.Thread]:
    from aiokafka import AIOKafkaConsumer
    from aiokafka.abc import ConsumerRebalanceListener

    class Listener(ConsumerRebalanceListener):
        def __init__(self, index: int) -> None:
            self.index = index

        def on_partitions_revoked(self, revoked):  # type: ignore[no-untyped-def]
            pass

        def on_partitions_assigned(self, assigned):  # type: ignore[no-untyped-def]
            tracker.assigned(self.index)

    async def member(index: int) -> None:
        consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=group,
                                    auto_offset_reset="earliest", **(config or {}))
        consumer.subscribe([topic], listener=Listener(index))
        await consumer.start()
        try:
            while not stop.is_set():
                await consumer.getmany(timeout_ms=100)
                tracker.observe(index, {tp.partition for tp in consumer.assignment()})
        finally:
            await consumer.stop()

    async def everyone() -> None:
        await asyncio.gather(*(member(i) for i in members))

    thread = threading.Thread(target=lambda: asyncio.run(everyone()), daemon=True)
    thread.start()
    return [thread]


ROUNDS = {"kafka-python": kafka_python_round, "aiokafka": aiokafka_round,
          "confluent-kafka": confluent_round}


def cooperative_config(client: str) -> dict:
    if client == "confluent-kafka":
        return {"partition.assignment.strategy": "cooperative-sticky"}
    if client == "kafka-python":
        from kafka.coordinator.assignors.cooperative_sticky import CooperativeStickyAssignor

        return {"partition_assignment_strategy": [CooperativeStickyAssignor]}
    raise SystemExit(f"no cooperative assignor configured for {client}")


SHORT_TIMERS = {"session_timeout_ms": 3000, "request_timeout_ms": 4000,
                "heartbeat_interval_ms": 500}


def one_round(client: str, bootstrap: str, members: int, partitions: int, timeout: float,
              scenario: str = "together") -> str:
    topic = f"formation-{uuid.uuid4().hex[:10]}"
    create_topic(bootstrap, topic, partitions)
    stop = threading.Event()
    group = f"g-{topic}"
    if scenario == "join-cooperative":
        config = cooperative_config(client)
        tracker = Tracker(1, partitions)
        threads = ROUNDS[client](bootstrap, topic, group, tracker, range(1), stop, config)
        deadline = now() + timeout
        while now() < deadline and not tracker.stable():
            time.sleep(0.05)
        if not tracker.stable():
            stop.set()
            for thread in threads:
                thread.join(30)
            return "failed (first member alone)"
        tracker.add_member()
        started = now()
        threads += ROUNDS[client](bootstrap, topic, group, tracker, range(1, 2), stop, config)
    else:
        config = SHORT_TIMERS if scenario == "short-timers" else None
        tracker = Tracker(members, partitions)
        started = now()
        threads = ROUNDS[client](bootstrap, topic, group, tracker, range(members), stop, config)
    deadline = started + timeout
    while now() < deadline and not tracker.stable():
        time.sleep(0.05)
    formed = tracker.formed_at if tracker.stable() else None
    stop.set()
    for thread in threads:
        thread.join(30)
    if formed is None:
        return f"failed ({tracker.assignments} assignments)"
    return f"{formed - started:5.2f} s, {tracker.assignments} assignments"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default=",".join(ROUNDS))
    parser.add_argument("--members", type=int, default=2)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--delays", default="0,100,300,1000,3000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=40.0)
    parser.add_argument("--bootstrap")
    parser.add_argument("--scenario", choices=["together", "join-cooperative", "short-timers"],
                        default="together")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    clients = [c.strip() for c in args.clients.split(",") if c.strip()]
    options: tuple[str, ...] = ()
    if args.scenario == "join-cooperative":
        args.members = 2
    if args.scenario == "short-timers":
        clients = ["kafka-python"]
        options = ("group.min.session.timeout.ms=1000",)
    delays = [None] if args.bootstrap else [int(d) for d in args.delays.split(",")]
    print(f"| client | group.initial.rebalance.delay.ms | rounds ({args.members} members, "
          f"{args.partitions} partitions) |")
    print("| --- | --- | --- |")
    for delay in delays:
        with tempfile.TemporaryDirectory(prefix="formation-") as tmp:
            process = None
            if args.bootstrap:
                bootstrap = args.bootstrap
            else:
                process, bootstrap = start_kafkalite(delay or 0, Path(tmp) / "data", options)
            try:
                for client in clients:
                    results = [one_round(client, bootstrap, args.members, args.partitions,
                                         args.timeout, args.scenario)
                               for _ in range(args.rounds)]
                    label = "broker's" if delay is None else str(delay)
                    print(f"| {client} | {label} | {'; '.join(results)} |", flush=True)
            finally:
                if process is not None:
                    process.terminate()
                    process.wait(30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
