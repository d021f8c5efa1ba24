"""Client quotas as Kafka keeps them (KIP-546), without I/O.

A quota entity is a set of components, each an entity type (``user``, ``client-id`` or
``ip``) with a name, or with None for that type's default entity; ``ip`` is never combined
with the others. Each entity holds quota values by key: ``producer_byte_rate``,
``consumer_byte_rate``, ``request_percentage``, ``controller_mutation_rate`` (user and
client-id entities) and ``connection_creation_rate`` (ip entities).

``QuotaStore.describe`` matches entities as Kafka's ``ClientQuotaImage.describe`` does: each
filter component matches a name exactly (a null name: the default entity), the default
entity, or any entity of its type; ``strict`` also refuses entities with components the
filter does not name.
``QuotaStore.quota`` resolves the quota a (user, client id) pair gets, in Kafka's order of
precedence (``ClientQuotaManager``: the user and client id pair, the user with the default
client id, the user alone, then the default user with those, then the client id alone and
the default client id).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "CLIENT_ID",
    "ByteRateMeter",
    "IP",
    "USER",
    "Entity",
    "QuotaError",
    "QuotaStore",
]

USER, CLIENT_ID, IP = "user", "client-id", "ip"
ENTITY_TYPES = (USER, CLIENT_ID, IP)
LONG_KEYS = frozenset({"producer_byte_rate", "consumer_byte_rate", "connection_creation_rate"})
CLIENT_KEYS = frozenset(
    {"producer_byte_rate", "consumer_byte_rate", "request_percentage", "controller_mutation_rate"}
)
IP_KEYS = frozenset({"connection_creation_rate"})
MATCH_EXACT, MATCH_DEFAULT, MATCH_ANY = 0, 1, 2

Entity = tuple[tuple[str, str | None], ...]
"""Components sorted by entity type: ``(("client-id", "app"), ("user", None))``."""


class QuotaError(ValueError):
    """Refused as Kafka refuses it: INVALID_REQUEST with this message."""


@dataclass(frozen=True, slots=True)
class Op:
    key: str
    value: float
    remove: bool


def entity_of(components: Iterable[tuple[str, str | None]]) -> Entity:
    """The entity the components name; raises ``QuotaError`` as Kafka's
    ``ClientQuotaControlManager.validateEntity`` does."""
    items = list(components)
    if not items:
        raise QuotaError("Invalid empty client quota entity")
    types = [t for t, _ in items]
    for entity_type in types:
        if entity_type not in ENTITY_TYPES:
            raise QuotaError(f"Unhandled client quota entity type: {entity_type}")
    if len(set(types)) != len(types):
        raise QuotaError("Invalid client quota entity: an entity type appears more than once")
    if IP in types and len(types) > 1:
        raise QuotaError(
            "Invalid quota entity combination, IP entity should not be combined with User or "
            "ClientId"
        )
    for entity_type, name in items:
        if entity_type == IP and name is not None:
            try:
                ipaddress.ip_address(name)
            except ValueError:
                raise QuotaError(f"{name} is not a valid IP address") from None
    return tuple(sorted(items, key=lambda item: item[0]))


class QuotaStore:
    def __init__(self) -> None:
        self.quotas: dict[Entity, dict[str, float]] = {}

    def check(self, entity: Entity, ops: Sequence[Op]) -> None:
        """Raise ``QuotaError`` unless every op may apply to ``entity``."""
        allowed = IP_KEYS if entity[0][0] == IP else CLIENT_KEYS
        for op in ops:
            if op.key not in allowed:
                raise QuotaError(f"Invalid configuration key {op.key}")
            if op.remove:
                continue
            if op.key in LONG_KEYS and not float(op.value).is_integer():
                raise QuotaError(f"Configuration {op.key} must be a Long value")
            if op.value <= 0:
                raise QuotaError(f"Configuration {op.key} must be greater than 0")

    def alter(self, entity: Entity, ops: Sequence[Op]) -> None:
        values = self.quotas.setdefault(entity, {})
        for op in ops:
            if op.remove:
                values.pop(op.key, None)
            else:
                values[op.key] = float(op.value)
        if not values:
            del self.quotas[entity]

    def describe(
        self, components: Sequence[tuple[str, int, str | None]], strict: bool
    ) -> list[tuple[Entity, dict[str, float]]]:
        """The entities matching ``(entity type, match type, match)`` components."""
        types = [t for t, _, _ in components]
        if len(set(types)) != len(types):
            duplicate = next(t for t in types if types.count(t) > 1)
            raise QuotaError(f"Entity type {duplicate} cannot appear more than once in the filter.")
        if IP in types and len(types) > 1:
            raise QuotaError(
                "Invalid entity filter component combination, IP filter component should not "
                "be used with user or clientId filter component."
            )
        for entity_type, match_type, _ in components:
            if entity_type not in ENTITY_TYPES:
                raise QuotaError(f"Unknown entity type {entity_type}")
            if match_type not in (MATCH_EXACT, MATCH_DEFAULT, MATCH_ANY):
                raise QuotaError(f"Unknown match type {match_type}")
        found = []
        for entity, values in sorted(self.quotas.items(), key=lambda kv: repr(kv[0])):
            names = dict(entity)
            if strict and len(names) != len(components):
                continue
            if all(_matches(names, c) for c in components):
                found.append((entity, dict(values)))
        return found

    def quota(self, key: str, user: str, client_id: str) -> float | None:
        """The ``key`` quota of ``user`` (a principal name) with ``client_id``, in Kafka's
        order of precedence; None when no entity sets it."""
        candidates: list[Entity] = [
            ((CLIENT_ID, client_id), (USER, user)),
            ((CLIENT_ID, None), (USER, user)),
            ((USER, user),),
            ((CLIENT_ID, client_id), (USER, None)),
            ((CLIENT_ID, None), (USER, None)),
            ((USER, None),),
            ((CLIENT_ID, client_id),),
            ((CLIENT_ID, None),),
        ]
        for entity in candidates:
            value = self.quotas.get(entity, {}).get(key)
            if value is not None:
                return value
        return None

    def to_json(self) -> list[list[Any]]:
        return [
            [[list(component) for component in entity], values]
            for entity, values in sorted(self.quotas.items(), key=lambda kv: repr(kv[0]))
        ]

    def load_json(self, data: Iterable[list[Any]]) -> None:
        for components, values in data:
            entity = tuple((str(t), None if n is None else str(n)) for t, n in components)
            self.quotas[entity] = {str(k): float(v) for k, v in values.items()}


def _matches(names: dict[str, str | None], component: tuple[str, int, str | None]) -> bool:
    entity_type, match_type, match = component
    if entity_type not in names:
        return False
    if match_type == MATCH_ANY:
        return True
    if match_type == MATCH_DEFAULT:
        return names[entity_type] is None
    return names[entity_type] == match


WINDOW_SECONDS = 1.0
WINDOWS = 11
"""Kafka's ``quota.window.size.seconds`` and ``quota.window.num``."""


class ByteRateMeter:
    """Bytes per second over Kafka's sampled window, and the throttle time Kafka's
    ``ClientQuotaManager`` gives a client over its quota: ``(rate - quota) / quota`` times
    the window the rate was measured over (at least ``WINDOWS - 1`` windows, so a client
    may burst about ten seconds' worth of its quota before it is throttled)."""

    def __init__(self) -> None:
        self._samples: dict[tuple[str, str, str], list[tuple[float, float]]] = {}

    def record(self, key: str, user: str, client_id: str, nbytes: int, quota: float,
               now: float) -> int:
        """Record ``nbytes`` at ``now`` (seconds) and return the throttle time in ms."""
        samples = self._samples.setdefault((key, user, client_id), [])
        start = now - now % WINDOW_SECONDS
        if samples and samples[-1][0] == start:
            samples[-1] = (start, samples[-1][1] + nbytes)
        else:
            samples.append((start, float(nbytes)))
        horizon = start - (WINDOWS - 1) * WINDOW_SECONDS
        while samples and samples[0][0] < horizon:
            samples.pop(0)
        elapsed = max(now - samples[0][0], (WINDOWS - 1) * WINDOW_SECONDS)
        rate = sum(n for _, n in samples) / elapsed
        if rate <= quota:
            return 0
        return int((rate - quota) / quota * elapsed * 1000)
