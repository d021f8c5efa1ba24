"""The consumer group protocol (KIP-848) state machine, on a fake clock.

Members are driven the way a consumer drives the coordinator: it joins with epoch 0,
heartbeats with its epoch and the partitions it owns, and gives up revoked partitions
before it reports them gone. A partition never has two owners at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

import pytest

from kafkalite.groups import GroupConfig, ManualTimer
from kafkalite.groups.assignors import ASSIGNORS, AssignmentSpec, TopicMetadata
from kafkalite.groups.consumer_group import ConsumerGroupState, MemberState
from kafkalite.groups.consumer_manager import ConsumerGroupManager, ConsumerHeartbeat, HeartbeatResult
from kafkalite.groups.topic_regex import InvalidRegexError, compile_topic_regex
from kafkalite.protocol.errors import ErrorCode

FOO = uuid.UUID(int=1)
BAR = uuid.UUID(int=2)
SESSION_MS = 45_000
INTERVAL_MS = 5_000
REBALANCE_MS = 30_000


class Consumer:
    """One member as a client runs it: owned partitions follow the answers."""

    def __init__(self, manager: ConsumerGroupManager, member_id: str, *, topics: Iterable[str] = ("foo",),
                 regex: str | None = None, instance_id: str | None = None, assignor: str | None = None) -> None:
        self.manager = manager
        self.member_id = member_id
        self.topics = list(topics)
        self.regex = regex
        self.instance_id = instance_id
        self.assignor = assignor
        self.epoch = 0
        self.owned: dict[uuid.UUID, set[int]] = {}

    def heartbeat(self, *, full: bool = False, epoch: int | None = None) -> HeartbeatResult:
        joining = self.epoch == 0
        result = self.manager.heartbeat(ConsumerHeartbeat(
            group_id="g",
            member_id=self.member_id,
            member_epoch=self.epoch if epoch is None else epoch,
            instance_id=self.instance_id,
            rebalance_timeout_ms=REBALANCE_MS if joining or full else -1,
            subscribed_topic_names=self.topics if joining or full else None,
            subscribed_topic_regex=self.regex if joining or full else None,
            server_assignor=self.assignor if joining else None,
            owned={tid: sorted(p) for tid, p in self.owned.items()},
        ))
        if result.error_code == 0:
            self.epoch = result.member_epoch
            if result.assignment is not None:
                # Revoke first, then take what is assigned.
                self.owned = {tid: set(p) for tid, p in result.assignment.items() if p}
        return result

    def partitions(self, topic_id: uuid.UUID = FOO) -> set[int]:
        return self.owned.get(topic_id, set())


class World:
    def __init__(self, **config: object) -> None:
        self.timer = ManualTimer()
        self.topics: dict[str, TopicMetadata] = {"foo": TopicMetadata(FOO, "foo", 6)}
        self.manager = ConsumerGroupManager(
            GroupConfig(group_consumer_heartbeat_interval_ms=INTERVAL_MS,
                        group_consumer_session_timeout_ms=SESSION_MS, **config),  # type: ignore[arg-type]
            self.timer,
            lambda: dict(self.topics),
        )

    def consumer(self, member_id: str, **kwargs: object) -> Consumer:
        return Consumer(self.manager, member_id, **kwargs)  # type: ignore[arg-type]

    @property
    def group(self):  # type: ignore[no-untyped-def]
        group = self.manager.get("g")
        assert group is not None
        return group

    def settle(self, consumers: list[Consumer], rounds: int = 10) -> None:
        """Heartbeat every consumer until the group is Stable, checking that no
        partition ever has two owners."""
        for _ in range(rounds):
            for consumer in consumers:
                assert consumer.heartbeat().error_code == 0
                assert_exclusive(consumers)
            if self.group.state is ConsumerGroupState.STABLE:
                return
        raise AssertionError(f"group not stable: {self.group.state}")


def assert_exclusive(consumers: list[Consumer]) -> None:
    seen: dict[tuple[uuid.UUID, int], str] = {}
    for consumer in consumers:
        for tid, parts in consumer.owned.items():
            for p in parts:
                assert (tid, p) not in seen, f"{tid}-{p} owned by {seen[(tid, p)]} and {consumer.member_id}"
                seen[(tid, p)] = consumer.member_id


def test_first_member_gets_every_partition_and_the_group_epoch() -> None:
    world = World()
    a = world.consumer("a")
    result = a.heartbeat()
    assert (result.error_code, result.member_id, result.member_epoch) == (0, "a", 1)
    assert result.heartbeat_interval_ms == INTERVAL_MS
    assert a.partitions() == set(range(6))
    assert world.group.state is ConsumerGroupState.STABLE
    # A plain heartbeat with nothing new carries no assignment.
    assert a.heartbeat().assignment is None


def test_second_member_waits_until_the_first_revokes() -> None:
    world = World()
    a, b = world.consumer("a"), world.consumer("b")
    a.heartbeat()
    joined = b.heartbeat()
    assert joined.member_epoch == 2
    # Everything b should get is still a's: nothing yet.
    assert b.partitions() == set()
    assert world.group.members["b"].state is MemberState.UNRELEASED_PARTITIONS
    # a is asked to revoke three partitions and keeps its epoch until it has.
    answer = a.heartbeat()
    assert answer.member_epoch == 1 and len(a.partitions()) == 3
    assert world.group.members["a"].state is MemberState.UNREVOKED_PARTITIONS
    # a's next heartbeat no longer lists them: it moves to epoch 2 and b can have them.
    assert a.heartbeat().member_epoch == 2
    b.heartbeat()
    assert a.partitions() | b.partitions() == set(range(6))
    assert len(b.partitions()) == 3
    assert world.group.state is ConsumerGroupState.STABLE
    assert_exclusive([a, b])


def test_a_revocation_not_acknowledged_holds_the_partitions() -> None:
    world = World()
    a, b = world.consumer("a"), world.consumer("b")
    a.heartbeat()
    b.heartbeat()
    a.heartbeat()  # told to revoke, but it keeps reporting everything
    a.owned = {FOO: set(range(6))}
    for _ in range(3):
        assert a.heartbeat().error_code == 0
        b.heartbeat()
        assert b.partitions() == set()


def test_rebalance_timeout_fences_a_member_that_does_not_revoke() -> None:
    world = World()
    a, b = world.consumer("a"), world.consumer("b")
    a.heartbeat()
    b.heartbeat()
    a.heartbeat()
    a.owned = {FOO: set(range(6))}
    a.heartbeat()
    world.timer.advance(REBALANCE_MS)  # a's rebalance timeout, before any session ends
    assert "a" not in world.group.members
    b.heartbeat()
    assert b.partitions() == set(range(6))
    assert a.heartbeat().error_code == ErrorCode.UNKNOWN_MEMBER_ID


def test_leaving_hands_partitions_to_the_others() -> None:
    world = World()
    consumers = [world.consumer(name) for name in "abc"]
    for c in consumers:
        c.heartbeat()
    world.settle(consumers)
    assert sorted(len(c.partitions()) for c in consumers) == [2, 2, 2]
    left = consumers.pop()
    assert left.heartbeat(epoch=-1).member_epoch == -1
    world.settle(consumers)
    assert sorted(len(c.partitions()) for c in consumers) == [3, 3]


def test_session_timeout_removes_a_silent_member() -> None:
    world = World()
    a, b = world.consumer("a"), world.consumer("b")
    a.heartbeat()
    b.heartbeat()
    world.settle([a, b])
    world.timer.advance(SESSION_MS - 1)
    a.heartbeat()
    world.timer.advance(1)  # b's session ends; a's was just renewed
    assert set(world.group.members) == {"a"}
    world.settle([a])
    assert a.partitions() == set(range(6))


def test_epochs_are_checked() -> None:
    world = World()
    a = world.consumer("a")
    a.heartbeat()
    assert a.heartbeat(epoch=5).error_code == ErrorCode.FENCED_MEMBER_EPOCH
    assert world.consumer("x").heartbeat(epoch=3).error_code == ErrorCode.UNKNOWN_MEMBER_ID
    b = world.consumer("b")
    b.heartbeat()
    world.settle([a, b])
    # The previous epoch is taken while the member owns a subset of its partitions
    # (the answer with the new epoch was lost).
    assert a.heartbeat(epoch=a.epoch - 1).error_code == 0
    a.owned = {FOO: set(range(6))}
    assert a.heartbeat(epoch=a.epoch - 1).error_code == ErrorCode.FENCED_MEMBER_EPOCH


@pytest.mark.parametrize(("request_changes", "code"), [
    ({"member_id": ""}, ErrorCode.INVALID_REQUEST),
    ({"group_id": ""}, ErrorCode.INVALID_REQUEST),
    ({"rebalance_timeout_ms": -1}, ErrorCode.INVALID_REQUEST),
    ({"subscribed_topic_names": []}, ErrorCode.INVALID_REQUEST),
    ({"owned": {FOO: [0]}}, ErrorCode.INVALID_REQUEST),
    ({"member_epoch": -3}, ErrorCode.INVALID_REQUEST),
    ({"server_assignor": "sticky"}, ErrorCode.UNSUPPORTED_ASSIGNOR),
    ({"subscribed_topic_regex": "(?=foo)"}, ErrorCode.INVALID_REGULAR_EXPRESSION),
])
def test_invalid_requests(request_changes: Mapping[str, object], code: ErrorCode) -> None:
    world = World()
    fields: dict[str, object] = {
        "group_id": "g", "member_id": "m", "member_epoch": 0, "rebalance_timeout_ms": 1000,
        "subscribed_topic_names": ["foo"], "owned": {},
    }
    fields.update(request_changes)
    result = world.manager.heartbeat(ConsumerHeartbeat(**fields))  # type: ignore[arg-type]
    assert result.error_code == code
    assert result.error_message


def test_group_max_size() -> None:
    world = World(group_consumer_max_size=1)
    assert world.consumer("a").heartbeat().error_code == 0
    assert world.consumer("b").heartbeat().error_code == ErrorCode.GROUP_MAX_SIZE_REACHED


def test_static_member_comes_back_with_its_partitions() -> None:
    world = World()
    a = world.consumer("a1", instance_id="i-a")
    b = world.consumer("b", instance_id="i-b")
    a.heartbeat()
    b.heartbeat()
    world.settle([a, b])
    kept = a.partitions()
    epoch_before = world.group.group_epoch
    assert a.heartbeat(epoch=-2).member_epoch == -2
    # Its partitions stay withheld; another incarnation cannot join while it is active.
    b.heartbeat()
    assert b.partitions().isdisjoint(kept)
    assert world.consumer("a2", instance_id="i-b").heartbeat().error_code == ErrorCode.UNRELEASED_INSTANCE_ID
    again = world.consumer("a2", instance_id="i-a")
    result = again.heartbeat()
    assert result.error_code == 0 and again.partitions() == kept
    assert world.group.group_epoch == epoch_before  # no rebalance
    assert set(world.group.members) == {"a2", "b"}


def test_static_member_that_stays_away_is_removed_after_its_session() -> None:
    world = World()
    a = world.consumer("a", instance_id="i-a")
    b = world.consumer("b")
    a.heartbeat()
    b.heartbeat()
    world.settle([a, b])
    a.heartbeat(epoch=-2)
    world.timer.advance(SESSION_MS - 1)
    b.heartbeat()
    world.timer.advance(1)
    assert set(world.group.members) == {"b"}
    world.settle([b])
    assert b.partitions() == set(range(6))


def test_topic_growth_creation_and_deletion_bump_the_group_epoch() -> None:
    world = World()
    a = world.consumer("a", topics=["foo", "bar"])
    a.heartbeat()
    assert a.partitions() == set(range(6)) and a.partitions(BAR) == set()
    epoch = world.group.group_epoch
    world.topics["bar"] = TopicMetadata(BAR, "bar", 2)  # created
    a.heartbeat()
    assert a.partitions(BAR) == {0, 1} and world.group.group_epoch == epoch + 1
    world.topics["foo"] = TopicMetadata(FOO, "foo", 8)  # grown
    a.heartbeat()
    assert a.partitions() == set(range(8))
    del world.topics["bar"]  # deleted: its partitions are revoked, then the epoch moves
    a.heartbeat()
    assert BAR not in a.owned and a.epoch == epoch + 2
    a.heartbeat()
    assert BAR not in a.owned and a.epoch == world.group.group_epoch == epoch + 3


def test_regex_subscription_follows_new_topics() -> None:
    world = World()
    a = world.consumer("a", topics=[], regex="fo.*")
    a.heartbeat()
    assert a.partitions() == set(range(6))
    world.topics["food"] = TopicMetadata(BAR, "food", 1)
    world.topics["xfoo"] = TopicMetadata(uuid.UUID(int=3), "xfoo", 1)  # no full match
    a.heartbeat()
    assert a.partitions(BAR) == {0} and set(a.owned) == {FOO, BAR}
    assert world.manager.get("g").members["a"].subscribed_topic_regex == "fo.*"  # type: ignore[union-attr]


def test_server_assignor_choice() -> None:
    world = World()
    a = world.consumer("a", assignor="range")
    b = world.consumer("b", assignor="range")
    a.heartbeat()
    b.heartbeat()
    world.settle([a, b])
    assert world.group.assignor_name == "range"
    assert a.partitions() == {0, 1, 2} and b.partitions() == {3, 4, 5}


def test_offset_commit_and_fetch_checks() -> None:
    world = World()
    a = world.consumer("a")
    a.heartbeat()
    group = world.group
    validate = world.manager.validate_commit
    assert validate(group, "a", a.epoch, transactional=False, api_version_ok=True) == 0
    assert validate(group, "a", a.epoch - 1, transactional=False, api_version_ok=True) == ErrorCode.STALE_MEMBER_EPOCH
    assert validate(group, "zz", a.epoch, transactional=False, api_version_ok=True) == ErrorCode.UNKNOWN_MEMBER_ID
    assert validate(group, "a", a.epoch, transactional=False, api_version_ok=False) == ErrorCode.UNSUPPORTED_VERSION
    assert validate(group, "", -1, transactional=False, api_version_ok=True) == ErrorCode.UNKNOWN_MEMBER_ID
    assert world.manager.validate_fetch(group, None, -1) == 0
    assert world.manager.validate_fetch(group, "a", 0) == ErrorCode.STALE_MEMBER_EPOCH
    a.heartbeat(epoch=-1)
    assert validate(group, "", -1, transactional=False, api_version_ok=True) == 0


def spec(members: Mapping[str, Iterable[str]], current: Mapping[str, dict[uuid.UUID, frozenset[int]]] | None = None,
         partitions: int = 7) -> AssignmentSpec:
    return AssignmentSpec(
        subscriptions={m: frozenset(t) for m, t in members.items()},
        topics={"foo": TopicMetadata(FOO, "foo", partitions), "bar": TopicMetadata(BAR, "bar", 3)},
        current=current or {},
    )


def test_uniform_is_balanced_and_sticky() -> None:
    uniform = ASSIGNORS["uniform"]
    first = uniform.assign(spec({"a": ["foo"], "b": ["foo"]}))
    assert sorted(len(first[m][FOO]) for m in "ab") == [3, 4]
    second = uniform.assign(spec({"a": ["foo"], "b": ["foo"], "c": ["foo"]}, first))
    counts = sorted(len(second[m].get(FOO, ())) for m in "abc")
    assert counts == [2, 2, 3]
    # Only what c needed moved: a and b kept the rest of what they had.
    for m in "ab":
        assert second[m][FOO] <= first[m][FOO]
    # Heterogeneous subscriptions: bar only goes to its subscriber.
    mixed = uniform.assign(spec({"a": ["foo"], "b": ["foo", "bar"]}))
    assert BAR not in mixed["a"] and mixed["b"][BAR] == {0, 1, 2}
    assert len(mixed["a"][FOO]) + len(mixed["b"].get(FOO, ())) == 7
    assert abs(len(mixed["a"][FOO]) - (len(mixed["b"].get(FOO, ())) + 3)) <= 1


def test_range_gives_contiguous_ranges() -> None:
    ranged = ASSIGNORS["range"].assign(spec({"b": ["foo"], "a": ["foo"], "c": ["foo"]}))
    assert ranged["a"][FOO] == {0, 1, 2} and ranged["b"][FOO] == {3, 4} and ranged["c"][FOO] == {5, 6}


def test_regexes_are_re2() -> None:
    assert compile_topic_regex("orders-.*")("orders-eu")
    assert not compile_topic_regex("orders-.*")("my-orders-eu")
    for bad in ("(?=x)", "(a)\\1", "a++", "[a-"):
        with pytest.raises(InvalidRegexError):
            compile_topic_regex(bad)
