"""``Broker``: the name embedding code has used for a running kafkalite; now a ``Runtime``.

A runtime (``kafkalite.runtime``) runs the cluster (``kafkalite.cluster``) on an event loop:
one or more nodes, their listeners, waiters and faults. ``Broker(config)`` is the same
object, kept so existing code and the pytest plugin's users keep working.
"""

from __future__ import annotations

from kafkalite.runtime import Runtime
from kafkalite.storage.manager import topic_name_error

__all__ = ["Broker", "topic_name_error"]

Broker = Runtime
