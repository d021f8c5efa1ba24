"""Principals, as Kafka names them: ``User:ANONYMOUS`` until a connection authenticates,
``User:<name>`` after SASL, ``User:<certificate subject>`` after mTLS.

The subject is written as Java's ``X500Principal.getName()`` writes it (RFC 2253, which
Kafka's default ``ssl.principal.mapping.rules`` keep as is): the most specific part first,
``CN=client,OU=tests,O=kafkalite``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ANONYMOUS", "certificate_subject"]

ANONYMOUS = "User:ANONYMOUS"

# Python's names for the attributes RFC 2253 gives keywords; others are written by name.
_KEYWORDS = {
    "commonName": "CN",
    "countryName": "C",
    "localityName": "L",
    "stateOrProvinceName": "ST",
    "organizationName": "O",
    "organizationalUnitName": "OU",
    "streetAddress": "STREET",
    "domainComponent": "DC",
    "userId": "UID",
}


def _escape(value: str) -> str:
    escaped = "".join("\\" + c if c in ',+"\\<>;' else c for c in value)
    if escaped.startswith((" ", "#")):
        escaped = "\\" + escaped
    if escaped.endswith(" "):
        escaped = escaped[:-1] + "\\ "
    return escaped


def certificate_subject(certificate: dict[str, Any]) -> str:
    """The RFC 2253 subject of a certificate as ``SSLSocket.getpeercert()`` returns it."""
    rdns = certificate.get("subject", ())
    return ",".join(
        "+".join(f"{_KEYWORDS.get(name, name)}={_escape(value)}" for name, value in rdn)
        for rdn in reversed(rdns)
    )
