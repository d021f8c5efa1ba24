"""Topic subscriptions by regular expression for consumer groups (KIP-848).

A member's ``SubscribedTopicRegex`` is in RE2 syntax and must match a topic name in full,
as Kafka's coordinator does with RE2/J (``Pattern.matcher(topic).matches()``); internal
topics never match. An invalid pattern answers INVALID_REGULAR_EXPRESSION.

The RE2 binding (``google-re2``) is imported on first use, so a broker that never sees a
regex subscription does not load it. Without it, patterns are checked against the
constructs RE2 refuses (look-around, back-references, atomic groups, possessive
quantifiers, conditionals) and then run with ``re``, whose syntax is otherwise a
superset for the patterns clients send.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

__all__ = ["InvalidRegexError", "compile_topic_regex", "matching_topics"]

Matcher = Callable[[str], bool]

# Constructs RE2 rejects: look-ahead/-behind, atomic groups, conditionals, named
# back-references, numbered back-references, possessive quantifiers.
_NOT_RE2 = re.compile(r"\(\?(?:[=!>]|<[=!]|\(|P=)|\\[1-9]|[*+?}]\+")


class InvalidRegexError(ValueError):
    """The pattern is not a valid RE2 expression."""


@functools.lru_cache(maxsize=256)
def compile_topic_regex(pattern: str) -> Matcher:
    """A full-match predicate for ``pattern``; raises ``InvalidRegexError``."""
    try:
        import re2  # type: ignore[import-untyped]  # google-re2
    except ImportError:  # pragma: no cover - the dependency is declared
        return _compile_with_re(pattern)
    options = re2.Options()
    options.log_errors = False
    try:
        compiled = re2.compile(pattern, options=options)
    except re2.error as exc:
        message = exc.args[0] if exc.args else exc
        if isinstance(message, bytes):
            message = message.decode("utf-8", "replace")
        raise InvalidRegexError(str(message)) from None
    return lambda topic: compiled.fullmatch(topic) is not None


def _compile_with_re(pattern: str) -> Matcher:
    if _NOT_RE2.search(pattern):
        raise InvalidRegexError(f"{pattern!r} uses a construct RE2 does not support")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise InvalidRegexError(str(exc)) from None
    return lambda topic: compiled.fullmatch(topic) is not None


def matching_topics(pattern: str, topics: Iterable[str]) -> set[str]:
    matches = compile_topic_regex(pattern)
    return {topic for topic in topics if matches(topic)}
