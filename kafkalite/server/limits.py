"""Raise the soft limit on open files to the hard limit at start.

Every connection keeps a descriptor open, and so do the segment files in use (at most
``kafkalite.log.open.files.max``, by default half the soft limit read after this raise;
``storage.open_files``). The JVM running Kafka raises its soft limit to the hard one at start
(HotSpot's ``MaxFDLimit``, on by default); ``kafkalite serve`` does the same. A hard limit
of "unlimited" is capped at ``_CAP``.
"""

from __future__ import annotations

import logging

__all__ = ["raise_open_files_limit"]

log = logging.getLogger(__name__)

_CAP = 1 << 20  # Linux's default fs.nr_open


def raise_open_files_limit() -> tuple[int, int] | None:
    """Raise the soft RLIMIT_NOFILE to the hard limit where allowed; returns the limits
    before and after, or None where there is no such limit."""
    try:
        import resource
    except ImportError:  # not a POSIX system
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = _CAP if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as exc:
            log.info("could not raise the open-files limit from %d to %d: %s", soft, target, exc)
            return soft, soft
        log.debug("raised the open-files limit from %d to %d", soft, target)
        return soft, target
    return soft, soft
