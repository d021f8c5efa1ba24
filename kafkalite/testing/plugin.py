"""pytest fixtures and options for kafkalite (loaded through ``kafkalite.testing``).

Fixtures:

- ``kafkalite_broker`` (session): one ``KafkaliteServer`` for the whole run, with the
  properties of ``kafkalite_broker_properties``; or, with ``--kafkalite-bootstrap``, an
  ``ExternalBroker`` naming a broker someone else runs.
- ``kafkalite_bootstrap`` (session): its ``"host:port"``.
- ``kafkalite_broker_properties`` (session): ``{}``; override it in a conftest.py to
  configure the session broker, e.g. ``return {"num.partitions": "3"}``.
- ``kafkalite_broker_factory`` (function): ``factory(properties=None, *, mode=None,
  start=True, brokers=1)`` returns a started broker of the test's own (``brokers=3``: a
  three-node cluster), closed after the test. Use it for faults (``pause``, ``kill``,
  ``restart``), which would disturb a shared broker. Skips the test when an external broker
  was given, since none can be started.
- ``kafkalite_control`` (function): the session broker's control API
  (``KafkaliteServer.control``: fail, drop or delay requests, stop nodes, move leaders,
  wait on groups and offsets); after the test it calls ``reset()``, so faults, stopped
  nodes and the request journal do not leak into the next test. Skips with an external
  broker.

Options, each with an environment variable for runs that cannot add arguments:

- ``--kafkalite-mode=thread|process`` (``KAFKALITE_MODE``): where brokers run, see
  ``kafkalite.testing.server``; default thread.
- ``--kafkalite-bootstrap=HOST:PORT`` (``KAFKALITE_BOOTSTRAP``): start no broker; the
  session fixtures point at this one, so the same tests run against Apache Kafka.

When this module is loaded by a test module's or conftest's ``pytest_plugins`` rather
than the entry point, it is registered after the command line is parsed, so only the
environment variables work.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Iterator, Mapping
from typing import NoReturn, Protocol

import pytest

from kafkalite.testing.control import ControlClient
from kafkalite.testing.server import KafkaliteServer, Mode

__all__ = ["ExternalBroker", "KafkaliteBrokerFactory"]

_MODES: tuple[Mode, ...] = ("thread", "process")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kafkalite", "kafkalite broker fixtures")
    group.addoption(
        "--kafkalite-mode",
        choices=_MODES,
        default=None,
        help="run the fixtures' brokers in a thread of this process or as child processes "
        "(default: $KAFKALITE_MODE or thread)",
    )
    group.addoption(
        "--kafkalite-bootstrap",
        metavar="HOST:PORT",
        default=None,
        help="start no broker; point the session fixtures at this one "
        "(default: $KAFKALITE_BOOTSTRAP); tests that need a broker of their own skip",
    )


def kafkalite_mode(config: pytest.Config) -> Mode:
    value = config.getoption("kafkalite_mode", default=None) or os.environ.get("KAFKALITE_MODE")
    mode = (value or "thread").strip().lower()
    if mode == "process":
        return "process"
    if mode == "thread":
        return "thread"
    raise pytest.UsageError(f"kafkalite mode must be thread or process, not {value!r}")


def external_bootstrap(config: pytest.Config) -> str | None:
    value = config.getoption("kafkalite_bootstrap", default=None) or os.environ.get(
        "KAFKALITE_BOOTSTRAP"
    )
    if value is None or not value.strip():
        return None
    return value.strip()


def pytest_report_header(config: pytest.Config) -> str:
    external = external_bootstrap(config)
    if external:
        return f"kafkalite: external broker {external}"
    return f"kafkalite: brokers in {kafkalite_mode(config)} mode"


class ExternalBroker:
    """A broker someone else runs: an address only. Faults skip the test that asks."""

    external = True

    def __init__(self, bootstrap_servers: str) -> None:
        self.bootstrap_servers = bootstrap_servers
        host, _, port = bootstrap_servers.split(",")[0].strip().rpartition(":")
        self.host, self.port = host.strip("[]"), int(port)

    def __repr__(self) -> str:
        return f"<ExternalBroker {self.bootstrap_servers}>"

    def check_reachable(self, timeout: float = 10.0) -> None:
        try:
            socket.create_connection((self.host, self.port), timeout=timeout).close()
        except OSError as exc:
            raise pytest.UsageError(
                f"kafkalite: external broker {self.bootstrap_servers} is unreachable: {exc}"
            ) from None

    def _skip(self, what: str) -> NoReturn:
        pytest.skip(f"{what}() needs a kafkalite broker; {self.bootstrap_servers} is external")

    def start(self) -> NoReturn:
        self._skip("start")

    def stop(self) -> NoReturn:
        self._skip("stop")

    def restart(self) -> NoReturn:
        self._skip("restart")

    def pause(self) -> NoReturn:
        self._skip("pause")

    def resume(self) -> NoReturn:
        self._skip("resume")

    def kill(self) -> NoReturn:
        self._skip("kill")


class KafkaliteBrokerFactory(Protocol):
    def __call__(
        self,
        properties: Mapping[str, object] | None = None,
        *,
        mode: Mode | None = None,
        start: bool = True,
        brokers: int = 1,
        tls: bool = False,
        users: Mapping[str, str] | None = None,
        super_users: Iterable[str] | None = None,
    ) -> KafkaliteServer: ...


@pytest.fixture(scope="session")
def kafkalite_broker_properties() -> dict[str, str]:
    """Properties of the session broker; override this fixture to set some."""
    return {}


@pytest.fixture(scope="session")
def kafkalite_broker(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    kafkalite_broker_properties: Mapping[str, object],
) -> Iterator[KafkaliteServer | ExternalBroker]:
    external = external_bootstrap(request.config)
    if external:
        broker = ExternalBroker(external)
        broker.check_reachable()
        yield broker
        return
    data_dir = tmp_path_factory.mktemp("kafkalite-session") / "data"
    mode = kafkalite_mode(request.config)
    with KafkaliteServer(kafkalite_broker_properties, mode=mode, data_dir=data_dir) as server:
        yield server


@pytest.fixture(scope="session")
def kafkalite_bootstrap(kafkalite_broker: KafkaliteServer | ExternalBroker) -> str:
    return kafkalite_broker.bootstrap_servers


@pytest.fixture
def kafkalite_control(
    kafkalite_broker: KafkaliteServer | ExternalBroker,
) -> Iterator[ControlClient]:
    """The session broker's control API, reset after the test."""
    if isinstance(kafkalite_broker, ExternalBroker):
        pytest.skip(
            f"needs kafkalite's control API; {kafkalite_broker.bootstrap_servers} is external"
        )
    control = kafkalite_broker.control
    try:
        yield control
    finally:
        control.reset()


@pytest.fixture
def kafkalite_broker_factory(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[KafkaliteBrokerFactory]:
    external = external_bootstrap(request.config)
    if external:
        pytest.skip(f"needs a broker of its own; the run points at external broker {external}")
    default_mode = kafkalite_mode(request.config)
    servers: list[KafkaliteServer] = []

    def make(
        properties: Mapping[str, object] | None = None,
        *,
        mode: Mode | None = None,
        start: bool = True,
        brokers: int = 1,
        tls: bool = False,
        users: Mapping[str, str] | None = None,
        super_users: Iterable[str] | None = None,
    ) -> KafkaliteServer:
        data_dir = tmp_path_factory.mktemp("kafkalite") / "data"
        server = KafkaliteServer(
            properties,
            mode=mode or default_mode,
            data_dir=data_dir,
            brokers=brokers,
            tls=tls,
            users=users,
            super_users=super_users,
        )
        servers.append(server)
        return server.start() if start else server

    yield make
    failures: list[BaseException] = []
    for server in reversed(servers):
        try:
            server.close()
        except Exception as exc:  # close them all, then report the first failure
            failures.append(exc)
    if failures:
        raise failures[0]
