"""The users of a broker's JAAS configuration, as Kafka's PLAIN login module lists them:

    listener.name.sasl_plaintext.plain.sasl.jaas.config=
        org.apache.kafka.common.security.plain.PlainLoginModule required
        username="admin" password="admin-secret" user_admin="admin-secret" user_alice="alice";

Each ``user_<name>="<password>"`` option is a user; the ``username``/``password`` options
are the broker's own credentials for inter-broker links, which kafkalite does not make. Any
login module's ``user_`` options are read, so one JAAS line serves PLAIN and SCRAM alike.
"""

from __future__ import annotations

import re

__all__ = ["jaas_users"]

_OPTION = re.compile(r'([A-Za-z0-9_.\-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]+))')
_HEADER = re.compile(r"^\s*[A-Za-z0-9_.$]+\s+(required|requisite|sufficient|optional)\b")


def jaas_users(text: str) -> dict[str, str]:
    """``{name: password}`` from the ``user_<name>`` options; ValueError if malformed."""
    header = _HEADER.match(text)
    if header is None:
        raise ValueError("expected '<LoginModule class> required option=\"value\" ... ;'")
    body = text[header.end():].strip()
    if not body.endswith(";"):
        raise ValueError("a JAAS configuration ends with ';'")
    users = {}
    for match in _OPTION.finditer(body):
        name, quoted, bare = match.groups()
        if name.startswith("user_") and len(name) > 5:
            value = quoted if quoted is not None else bare
            users[name[5:]] = re.sub(r"\\(.)", r"\1", value)
    return users
