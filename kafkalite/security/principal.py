"""Principals, as Kafka names them: ``User:ANONYMOUS`` until a connection authenticates,
``User:<name>`` after SASL, ``User:<certificate subject>`` after mTLS.

The subject is written as Java's ``X500Principal.getName()`` writes it (RFC 2253, which
Kafka's default ``ssl.principal.mapping.rules`` keep as is): the most specific part first,
``CN=client,OU=tests,O=kafkalite``; ``PrincipalMapper`` applies other rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["ANONYMOUS", "PrincipalMapper", "certificate_subject"]

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


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str] | None  # None: DEFAULT
    replacement: str = ""
    case: str = ""


_RULE = re.compile(r"RULE:((?:\\/|[^/])*)/((?:\\/|[^/])*)/([LU]?)")


class PrincipalMapper:
    """``ssl.principal.mapping.rules``, as Kafka's ``SslPrincipalMapper`` applies them to a
    certificate subject: the first rule whose pattern matches the whole subject gives the
    name, ``$1``... standing for its groups, lower- or upper-cased by ``/L`` or ``/U``;
    ``DEFAULT`` keeps the subject as it is. A subject no rule matches is refused."""

    def __init__(self, rules: str = "DEFAULT") -> None:
        self.rules: list[_Rule] = []
        text = rules.strip()
        while text:
            if text.startswith("DEFAULT"):
                self.rules.append(_Rule(None))
                text = text[len("DEFAULT"):]
            else:
                match = _RULE.match(text)
                if match is None:
                    raise ValueError(f"invalid rule at {text!r}")
                pattern, replacement, case = (g.replace("\\/", "/") for g in match.groups())
                self.rules.append(_Rule(re.compile(pattern), replacement, case))
                text = text[match.end():]
            text = text.strip()
            if text.startswith(","):
                text = text[1:].strip()
            elif text:
                raise ValueError(f"expected ',' before {text!r}")
        if not self.rules:
            raise ValueError("no rules")

    def name(self, subject: str) -> str:
        for rule in self.rules:
            if rule.pattern is None:
                return subject
            match = rule.pattern.fullmatch(subject)
            if match is not None:
                name = _substitute(rule.replacement, (match.group(0), *match.groups()))
                if rule.case == "L":
                    return name.lower()
                return name.upper() if rule.case == "U" else name
        raise ValueError(f"no ssl.principal.mapping.rules rule matches {subject!r}")


def _substitute(replacement: str, groups: tuple[str | None, ...]) -> str:
    """``$n`` in ``replacement`` becomes group ``n`` (``$0``: the whole subject)."""

    def group(ref: re.Match[str]) -> str:
        index = int(ref.group(1))
        return (groups[index] or "") if index < len(groups) else ref.group(0)

    return re.sub(r"\$(\d+)", group, replacement)
