"""Delegation tokens (KIP-48), as Kafka's ``DelegationTokenControlManager`` keeps them.

A token is an id (a random UUID), an owner, the principal that asked for it, the principals
that may renew it, and three timestamps: issued, expires (unless renewed) and the latest it
may ever expire (max). Its HMAC is HmacSHA512 over the id, keyed with
``delegation.token.secret.key``; clients name a token by its HMAC to renew, expire or log in
with it. A SCRAM login with the ``tokenauth=true`` extension uses the token id as user name
and the base64 HMAC as password, and authenticates as the token's owner.

``TokenStore`` is persisted by the cluster (``to_json``); tokens past their expiry or max
timestamp are dropped (``sweep``) and never found.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from dataclasses import dataclass, field

from kafkalite.security.scram import ScramCredential, scram_credential

__all__ = ["DelegationToken", "TokenStore", "create_hmac", "now_ms"]


def now_ms() -> int:
    return int(time.time() * 1000)


def create_hmac(token_id: str, secret: str) -> bytes:
    """Kafka's ``DelegationTokenManager.createHmac``: HmacSHA512(secret, token id)."""
    return hmac.new(secret.encode(), token_id.encode(), hashlib.sha512).digest()


def split_principal(principal: str) -> tuple[str, str]:
    kind, sep, name = principal.partition(":")
    return (kind, name) if sep else ("User", principal)


@dataclass(slots=True)
class DelegationToken:
    token_id: str
    owner: str
    requester: str
    renewers: list[str]
    issue_ms: int
    max_ms: int
    expiry_ms: int
    hmac: bytes
    _scram: dict[str, ScramCredential] = field(default_factory=dict, repr=False)

    def expired(self, now: int) -> bool:
        return self.max_ms < now or self.expiry_ms < now

    def owner_or_renewer(self, principal: str) -> bool:
        """Kafka's ``TokenInformation.ownerOrRenewer``: owner, requester or a renewer."""
        return principal in (self.owner, self.requester) or principal in self.renewers

    def may_renew(self, principal: str) -> bool:
        """Renew and expire: the owner or a renewer (``allowedToRenew``)."""
        return principal == self.owner or principal in self.renewers

    def scram_credential(self, mechanism: str) -> ScramCredential:
        """The SCRAM credential of the token's password (its base64 HMAC), derived once."""
        credential = self._scram.get(mechanism)
        if credential is None:
            password = base64.b64encode(self.hmac).decode()
            credential = self._scram[mechanism] = scram_credential(mechanism, password)
        return credential


class TokenStore:
    def __init__(self) -> None:
        self.tokens: dict[str, DelegationToken] = {}

    def create(
        self, secret: str, owner: str, requester: str, renewers: list[str],
        max_lifetime_ms: int, renew_lifetime_ms: int, now: int,
    ) -> DelegationToken:
        token_id = str(uuid.uuid4())
        max_ms = now + max_lifetime_ms
        token = DelegationToken(
            token_id=token_id, owner=owner, requester=requester, renewers=renewers,
            issue_ms=now, max_ms=max_ms, expiry_ms=min(max_ms, now + renew_lifetime_ms),
            hmac=create_hmac(token_id, secret),
        )
        self.tokens[token_id] = token
        return token

    def by_hmac(self, mac: bytes) -> DelegationToken | None:
        for token in self.tokens.values():
            if hmac.compare_digest(token.hmac, mac):
                return token
        return None

    def live(self, token_id: str, now: int) -> DelegationToken | None:
        token = self.tokens.get(token_id)
        return None if token is None or token.expired(now) else token

    def sweep(self, now: int) -> bool:
        """Drop the expired tokens; whether any was."""
        expired = [tid for tid, token in self.tokens.items() if token.expired(now)]
        for tid in expired:
            del self.tokens[tid]
        return bool(expired)

    def to_json(self) -> list[dict[str, object]]:
        return [
            {
                "id": t.token_id, "owner": t.owner, "requester": t.requester,
                "renewers": t.renewers, "issue": t.issue_ms, "max": t.max_ms,
                "expiry": t.expiry_ms, "hmac": base64.b64encode(t.hmac).decode(),
            }
            for t in self.tokens.values()
        ]

    def load_json(self, data: list[dict[str, object]]) -> None:
        for item in data:
            token = DelegationToken(
                token_id=str(item["id"]), owner=str(item["owner"]),
                requester=str(item["requester"]),
                renewers=[str(r) for r in item["renewers"]],  # type: ignore[attr-defined]
                issue_ms=int(item["issue"]), max_ms=int(item["max"]),  # type: ignore[call-overload]
                expiry_ms=int(item["expiry"]),  # type: ignore[call-overload]
                hmac=base64.b64decode(str(item["hmac"])),
            )
            self.tokens[token.token_id] = token
