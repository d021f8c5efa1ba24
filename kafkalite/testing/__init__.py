"""A kafkalite broker for your tests, and pytest fixtures that start one in a line.

    from kafkalite.testing import KafkaliteServer

    with KafkaliteServer({"num.partitions": "3"}) as server:
        ...  # clients use server.bootstrap_servers, "127.0.0.1:<port>"

With kafkalite installed, pytest picks up the fixtures through the ``pytest11`` entry
point ``kafkalite`` (this package): ``kafkalite_broker`` (one broker per session),
``kafkalite_bootstrap`` (its address), ``kafkalite_broker_factory`` (brokers of a test's
own, with its own properties, or a cluster with ``brokers=3``), ``kafkalite_control`` (the
session broker's control API, reset after each test) and ``kafkalite_broker_properties``
(override it to configure the session broker). ``KafkaliteServer.control`` is the control
API of any server (``kafkalite.testing.control``). Options: ``--kafkalite-mode=thread|process`` and
``--kafkalite-bootstrap=HOST:PORT`` (or ``KAFKALITE_MODE`` / ``KAFKALITE_BOOTSTRAP``).
Without the entry point, put ``pytest_plugins = ["kafkalite.testing.plugin"]`` in the
top-level conftest.py; that is a no-op when the entry point already loaded it.

Importing this package does not import pytest: the fixtures live in
``kafkalite.testing.plugin``, which pytest loads because of ``pytest_plugins`` below.
"""

from kafkalite.testing.server import KafkaliteServer, KafkaliteServerError, Mode

__all__ = ["KafkaliteServer", "KafkaliteServerError", "Mode"]

# Read by pytest only when it registers this package as a plugin (the entry point).
pytest_plugins = ["kafkalite.testing.plugin"]
