"""The listener and security properties of ``BrokerConfig``, parsed as Kafka writes them.

- ``listeners`` / ``advertised.listeners``: ``NAME://host:port,...`` (``ListenerAddress``);
- ``listener.security.protocol.map``: ``NAME:PROTOCOL,...``;
- ``ssl.*``: PEM key and trust stores (``SslSettings``);
- ``sasl.enabled.mechanisms``, ``kafkalite.users``;
- ``listener.name.<listener>.<setting>`` (``LISTENER_SETTING``): the per-listener forms of
  ``sasl.enabled.mechanisms`` and ``ssl.client.auth``, and ``<mechanism>.sasl.jaas.config``.

Each parser raises ``ValueError``; ``kafkalite.config`` turns that into ``ConfigError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DEFAULT_PROTOCOL_MAP",
    "LISTENER_PARSERS",
    "LISTENER_SETTING",
    "SASL_MECHANISMS",
    "SECURITY_PROTOCOLS",
    "ListenerAddress",
    "SslSettings",
    "format_protocol_map",
    "parse_client_auth",
    "parse_mapping_rules",
    "parse_mechanisms",
    "parse_named_listeners",
    "parse_listeners",
    "parse_pem_type",
    "parse_protocol_map",
    "parse_users",
    "split_names",
]


@dataclass(frozen=True, slots=True)
class ListenerAddress:
    """``NAME://host:port``: one entry of ``listeners`` or ``advertised.listeners``."""

    name: str
    """The listener name, upper case (``PLAINTEXT``, ``SASL_SSL``, or any mapped name);
    empty for a bare ``host:port`` in ``advertised.listeners``."""
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.name}://{host}:{self.port}" if self.name else f"{host}:{self.port}"


def parse_listeners(text: str) -> tuple[ListenerAddress, ...]:
    """``PLAINTEXT://h:9092,SASL_SSL://h:9094`` (a bare ``host:port`` has no name)."""
    addresses = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, address = item.partition("://")
        if not sep:
            name, address = "", item
        host, sep, port = address.rpartition(":")
        if not sep or not port.isdigit():
            raise ValueError(f"expected NAME://host:port, got {item!r}")
        addresses.append(ListenerAddress(name.upper(), host.strip("[]"), int(port)))
    names = [a.name for a in addresses if a.name]
    if len(set(names)) != len(names):
        raise ValueError(f"each listener name may appear once: {text!r}")
    return tuple(addresses)


def parse_named_listeners(text: str) -> tuple[ListenerAddress, ...]:
    addresses = parse_listeners(text)
    if not addresses or any(not a.name for a in addresses):
        raise ValueError(f"expected NAME://host:port[,...], got {text!r}")
    return addresses


# listener.name.<listener>.<setting>: the per-listener settings kafkalite reads.
LISTENER_SETTING = re.compile(
    r"^listener\.name\.([A-Za-z0-9_]+)\."
    r"(sasl\.enabled\.mechanisms|ssl\.client\.auth|[A-Za-z0-9-]+\.sasl\.jaas\.config)$"
)


DEFAULT_PROTOCOL_MAP: dict[str, str] = {
    name: name for name in ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
}
SECURITY_PROTOCOLS = frozenset(DEFAULT_PROTOCOL_MAP)


def parse_protocol_map(text: str) -> dict[str, str]:
    """``NAME:PROTOCOL,...`` (``listener.security.protocol.map``)."""
    mapping = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, protocol = item.partition(":")
        protocol = protocol.strip().upper()
        if not sep or protocol not in SECURITY_PROTOCOLS:
            raise ValueError(f"expected NAME:PROTOCOL with a protocol of {sorted(SECURITY_PROTOCOLS)}")
        mapping[name.strip().upper()] = protocol
    return mapping


def format_protocol_map(mapping: Mapping[str, str]) -> str:
    return ",".join(f"{name}:{protocol}" for name, protocol in mapping.items())


def split_names(text: str) -> tuple[str, ...]:
    return tuple(name.strip().upper() for name in text.split(",") if name.strip())


SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER")


def parse_mechanisms(text: str) -> tuple[str, ...]:
    names = split_names(text)
    unknown = [name for name in names if name not in SASL_MECHANISMS]
    if unknown:
        raise ValueError(f"{', '.join(unknown)} not offered; kafkalite has {', '.join(SASL_MECHANISMS)}")
    return names


def parse_users(text: str) -> dict[str, str]:
    """``alice:secret,bob:pw`` (a password may contain ``:``, not ``,``)."""
    users = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, password = item.partition(":")
        if not sep or not name:
            raise ValueError(f"expected user:password, got {item!r}")
        users[name] = password
    return users


def parse_client_auth(text: str) -> str:
    value = text.strip().lower()
    if value not in ("none", "requested", "required"):
        raise ValueError("expected none, requested or required")
    return value


@dataclass(frozen=True, slots=True, kw_only=True)
class SslSettings:
    """The ``ssl.*`` properties (PEM key and trust stores, as Kafka accepts them)."""

    keystore_type: str = "PEM"
    keystore_location: str | None = None
    """A PEM file holding the private key and the certificate chain."""
    keystore_certificate_chain: str | None = None
    keystore_key: str | None = None
    key_password: str | None = None
    truststore_type: str = "PEM"
    truststore_location: str | None = None
    truststore_certificates: str | None = None
    client_auth: str = "none"
    """``ssl.client.auth``: none, requested or required (mTLS)."""
    principal_mapping_rules: str = "DEFAULT"
    """``ssl.principal.mapping.rules``: certificate subject to principal name."""


LISTENER_PARSERS: dict[str, Callable[[str], Any]] = {
    "sasl.enabled.mechanisms": parse_mechanisms,
    "ssl.client.auth": parse_client_auth,
}


def parse_mapping_rules(text: str) -> str:
    from kafkalite.security.principal import PrincipalMapper

    PrincipalMapper(text)  # ValueError if malformed
    return text.strip()


def parse_pem_type(text: str) -> str:
    value = text.strip().upper()
    if value != "PEM":
        raise ValueError("kafkalite reads PEM key and trust stores only (JKS/PKCS12: convert them)")
    return value
