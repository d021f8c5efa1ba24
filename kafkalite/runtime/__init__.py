"""The event-loop side of kafkalite: listeners per node, waiters, faults, shutdown."""

from kafkalite.runtime.runtime import Runtime

__all__ = ["Runtime"]
