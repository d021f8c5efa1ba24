"""Client quotas as Kafka keeps them: entity checks, DescribeClientQuotas matching,
precedence of the quota a client gets, and the throttle time of a byte-rate meter."""

from __future__ import annotations

import pytest

from kafkalite.security.quotas import (
    ByteRateMeter,
    Op,
    QuotaError,
    QuotaStore,
    entity_of,
)

EXACT, DEFAULT, ANY = 0, 1, 2


def store_with(*entries: tuple[list[tuple[str, str | None]], dict[str, float]]) -> QuotaStore:
    store = QuotaStore()
    for components, values in entries:
        store.alter(entity_of(components), [Op(k, v, False) for k, v in values.items()])
    return store


@pytest.mark.parametrize(
    ("components", "message"),
    [
        ([], "Invalid empty client quota entity"),
        ([("group", "g")], "Unhandled client quota entity type: group"),
        ([("ip", "1.2.3.4"), ("user", "u")], "Invalid quota entity combination"),
        ([("ip", "not-an-ip")], "not-an-ip is not a valid IP address"),
    ],
)
def test_entities_kafka_refuses(components: list[tuple[str, str | None]], message: str) -> None:
    with pytest.raises(QuotaError, match=message):
        entity_of(components)


def test_keys_and_values_are_checked_per_entity_type() -> None:
    store = QuotaStore()
    user = entity_of([("user", "alice")])
    store.check(user, [Op("producer_byte_rate", 1024, False), Op("request_percentage", 12.5, False)])
    with pytest.raises(QuotaError, match="Invalid configuration key connection_creation_rate"):
        store.check(user, [Op("connection_creation_rate", 5, False)])
    with pytest.raises(QuotaError, match="must be a Long value"):
        store.check(user, [Op("consumer_byte_rate", 1.5, False)])
    with pytest.raises(QuotaError, match="Invalid configuration key producer_byte_rate"):
        store.check(entity_of([("ip", "10.0.0.1")]), [Op("producer_byte_rate", 1, False)])
    store.check(user, [Op("producer_byte_rate", 0, True)])  # a removal carries no value


def test_alter_sets_and_removes_and_drops_empty_entities() -> None:
    store = store_with(([("user", "alice")], {"producer_byte_rate": 100, "consumer_byte_rate": 200}))
    alice = entity_of([("user", "alice")])
    store.alter(alice, [Op("producer_byte_rate", 0, True)])
    assert store.quotas == {alice: {"consumer_byte_rate": 200.0}}
    store.alter(alice, [Op("consumer_byte_rate", 0, True)])
    assert store.quotas == {}


def test_describe_matching_exact_default_any_and_strict() -> None:
    store = store_with(
        ([("user", "alice")], {"producer_byte_rate": 1}),
        ([("user", None)], {"producer_byte_rate": 2}),
        ([("user", "alice"), ("client-id", "app")], {"producer_byte_rate": 3}),
        ([("client-id", None)], {"producer_byte_rate": 4}),
        ([("ip", "10.0.0.1")], {"connection_creation_rate": 5}),
    )

    def values(components: list[tuple[str, int, str | None]], strict: bool = False) -> list[float]:
        return sorted(v["producer_byte_rate"] for _, v in store.describe(components, strict)
                      if "producer_byte_rate" in v)

    assert values([("user", EXACT, "alice")]) == [1, 3]
    assert values([("user", EXACT, "alice")], strict=True) == [1]
    assert values([("user", DEFAULT, None)]) == [2]
    assert values([("user", EXACT, None)]) == [2]  # an exact null is the default entity
    assert values([("user", ANY, None)]) == [1, 2, 3]
    assert values([("user", ANY, None), ("client-id", EXACT, "app")]) == [3]
    assert values([]) == [1, 2, 3, 4]
    assert values([], strict=True) == []
    with pytest.raises(QuotaError, match="cannot appear more than once"):
        store.describe([("user", ANY, None), ("user", DEFAULT, None)], False)
    with pytest.raises(QuotaError, match="IP filter component should not"):
        store.describe([("ip", ANY, None), ("user", ANY, None)], False)


def test_the_quota_a_client_gets_follows_kafkas_precedence() -> None:
    store = store_with(
        ([("client-id", None)], {"producer_byte_rate": 8}),
        ([("client-id", "app")], {"producer_byte_rate": 7}),
        ([("user", None)], {"producer_byte_rate": 6}),
        ([("user", None), ("client-id", "app")], {"producer_byte_rate": 4}),
        ([("user", "alice")], {"producer_byte_rate": 3}),
        ([("user", "alice"), ("client-id", "app")], {"producer_byte_rate": 1}),
    )
    assert store.quota("producer_byte_rate", "alice", "app") == 1
    assert store.quota("producer_byte_rate", "alice", "other") == 3
    assert store.quota("producer_byte_rate", "bob", "app") == 4
    assert store.quota("producer_byte_rate", "bob", "other") == 6
    assert store.quota("consumer_byte_rate", "bob", "other") is None
    assert store_with(([("client-id", "app")], {"producer_byte_rate": 7})).quota(
        "producer_byte_rate", "bob", "app") == 7


def test_persisted_form_round_trips() -> None:
    store = store_with(([("user", None), ("client-id", "app")], {"consumer_byte_rate": 10}))
    again = QuotaStore()
    again.load_json(store.to_json())
    assert again.quotas == store.quotas


def test_throttle_time_is_kafkas() -> None:
    meter = ByteRateMeter()
    # Ten seconds' worth of the quota is measured over the minimum window (10 s): no throttle.
    assert meter.record("producer_byte_rate", "u", "c", 10_000, 1000.0, now=100.0) == 0
    # 1,000 bytes more: 11,000 B / 10 s = 1,100 B/s, 10% over: 10% of the 10 s window.
    assert meter.record("producer_byte_rate", "u", "c", 1_000, 1000.0, now=100.5) == 1000
    # Taking the bytes back (a fetch answered empty) lifts it again.
    assert meter.record("producer_byte_rate", "u", "c", -1_000, 1000.0, now=100.6) == 0
    # Samples older than the window are forgotten.
    assert meter.record("producer_byte_rate", "u", "c", 1, 1000.0, now=200.0) == 0
