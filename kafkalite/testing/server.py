"""``KafkaliteServer``: a broker for one test or test session, with a few faults to inject.

    with KafkaliteServer({"num.partitions": "3"}) as server:
        producer = Producer({"bootstrap.servers": server.bootstrap_servers})

The broker listens on 127.0.0.1 on a free port (picked by binding port 0, so no other
process can race for it) and keeps its data in a temporary directory that ``close()``
(the end of the ``with`` block) deletes, unless you pass ``data_dir``. Properties are
Kafka's own names, as for ``kafkalite serve -o``; an unknown name or bad value raises
``kafkalite.config.ConfigError`` here, before anything starts.

Two modes:

- ``"thread"`` (default): the broker runs in this process, on its own event loop in a
  daemon thread. Fastest to start; its log records go to this process's ``logging``.
- ``"process"``: the broker runs in a child process (``kafkalite.testing.child``), so it
  does not share this process's GIL and can be killed. Its log goes to ``log_path``. POSIX
  only. The child exits by itself if this process dies (it stops when its stdin closes).

Faults, for testing how clients cope:

- ``pause()`` / ``resume()``: close the listening socket and every client connection,
  then listen again on the same port. While paused, connecting is refused. In-memory state
  (logs, groups, producer ids) is kept, so nothing is lost or recovered: clients only
  see the network go away and come back. Requests in flight when ``pause()`` is called
  get no answer.
- ``kill()`` (process mode): SIGKILL the broker process, with no flush and no clean
  shutdown marker; ``start()`` then starts a new one on the same port and data dir, which
  runs log recovery as Kafka would. Records the broker had acknowledged are in the page
  cache, so they survive (a machine crash is not simulated).
- ``restart()``: a graceful ``stop()`` then ``start()``, same port, same data.

Reusing the port on ``resume()``/``start()`` can fail if another process took it in the
meantime; that raises ``KafkaliteServerError``.

``brokers=N`` runs a cluster of N nodes (ids 1..N, one port each); ``bootstrap_servers``
names them all. ``control`` is the control API (``kafkalite.testing.control``: fail, drop
or delay requests, stop nodes, move leaders, wait on groups and offsets), the same calls in
both modes: in thread mode they run on the broker's loop, in process mode they go over HTTP
to the child, which always serves the API on 127.0.0.1 (a free port unless
``control_port`` says which). ``control_url`` is that server's URL, for tests in other
languages; in thread mode there is one only when ``control_port`` is given (0: free port).
``http=True`` asks for that HTTP server in either mode (on a free port unless
``control_port`` says which); ``http_url`` is its URL: the control API and ``/metrics``.

Security in one line: ``tls=True`` writes a throwaway CA, server and client certificates
(``certificates``: paths of ``ca.crt``, ``client.pem``...) and adds an SSL listener;
``users={"alice": "secret"}`` adds a SASL_PLAINTEXT listener (and SASL_SSL with ``tls``)
offering PLAIN and SCRAM-SHA-256/512. The first listener stays PLAINTEXT;
``bootstrap_servers_for("SASL_SSL")`` gives each listener's address. With
``properties={"listeners": ...}`` the listeners are yours and these options only add the
certificates and users. ``super_users=["admin"]`` turns ACLs on (Kafka's StandardAuthorizer:
nothing is allowed without an ACL) with those users as super users, who create the ACLs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Literal

from kafkalite.config import BrokerConfig, ListenerAddress, parse_listeners
from kafkalite.testing.control import ControlClient, LoopControl
from kafkalite.testing.http_control import HttpControl
from kafkalite.testing.runners import ChildProcess, InProcess, KafkaliteServerError, tail

if TYPE_CHECKING:
    from kafkalite.security.certs import CertificateSet

__all__ = ["KafkaliteServer", "KafkaliteServerError", "Mode"]

Mode = Literal["thread", "process"]
#: Seconds ``stop()`` allows beyond ``kafkalite.shutdown.timeout.ms`` before giving up.
_STOP_MARGIN_S = 30.0


class KafkaliteServer:
    external = False
    """False here; True on the plugin's ``ExternalBroker``, which has only an address."""

    def __init__(
        self,
        properties: Mapping[str, object] | None = None,
        *,
        mode: Mode = "thread",
        data_dir: str | os.PathLike[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        brokers: int = 1,
        control_port: int | None = None,
        startup_timeout: float = 30.0,
        tls: bool = False,
        users: Mapping[str, str] | None = None,
        http: bool = False,
        super_users: Iterable[str] | None = None,
    ) -> None:
        if mode not in ("thread", "process"):
            raise ValueError(f"mode must be 'thread' or 'process', not {mode!r}")
        self.mode: Mode = mode
        self.host = host
        self.port = port
        """The first node's port: 0 until the first start binds a free one, then kept."""
        if brokers < 1:
            raise ValueError(f"brokers must be at least 1, not {brokers}")
        self.brokers = brokers
        if http and control_port is None:
            control_port = 0
        self.control_port = control_port if control_port is not None or mode == "thread" else 0
        """Port of the control API's HTTP server: None for none, 0 until a start binds one."""
        self._bootstrap = ""
        self._listener_bootstrap: dict[str, str] = {}
        self._control_url: str | None = None
        self._control: ControlClient | None = None
        self.properties = {
            name: _property_text(value) for name, value in (properties or {}).items()
        }
        self.startup_timeout = startup_timeout
        self._temp_dir: Path | None = None
        if data_dir is None:
            self._temp_dir = Path(tempfile.mkdtemp(prefix="kafkalite-"))
            self.data_dir = self._temp_dir / "data"
        else:
            self.data_dir = Path(data_dir)
        self._cleanup = weakref.finalize(self, _remove, self._temp_dir)
        self.certificates: CertificateSet | None = None
        """With ``tls=True``: the certificates the broker serves and clients use."""
        self._secure(tls, users)
        if super_users is not None:
            self._authorize(super_users)
        # raises ConfigError now rather than at start()
        config = BrokerConfig(host=host, port=port, brokers=brokers).with_properties(
            self.properties
        )
        self._stop_timeout = config.shutdown_timeout_ms / 1000 + _STOP_MARGIN_S
        self.log_path: Path | None = None
        """The broker's log in process mode (appended to across restarts)."""
        if mode == "process":
            self.log_path = self.data_dir.with_name(self.data_dir.name + ".log")
        self._runner: InProcess | ChildProcess | None = None
        self._paused = False

    def _secure(self, tls: bool, users: Mapping[str, str] | None) -> None:
        if not tls and not users:
            return
        listeners = ["PLAINTEXT"]
        if tls:
            from kafkalite.security.certs import write_certificates

            directory = (
                self._temp_dir / "certs"
                if self._temp_dir is not None
                else self.data_dir.with_name(self.data_dir.name + "-certs")
            )
            self.certificates = write_certificates(directory)
            for name, value in self.certificates.broker_properties().items():
                self.properties.setdefault(name, value)
            listeners.append("SSL")
        if users:
            self.properties.setdefault(
                "kafkalite.users", ",".join(f"{user}:{pw}" for user, pw in users.items())
            )
            listeners += ["SASL_PLAINTEXT", "SASL_SSL"] if tls else ["SASL_PLAINTEXT"]
        self.properties.setdefault(
            "listeners",
            ",".join(
                f"{name}://{self.host}:{self.port if name == 'PLAINTEXT' else 0}"
                for name in listeners
            ),
        )

    def _authorize(self, super_users: Iterable[str]) -> None:
        """ACLs on (Kafka's StandardAuthorizer), with these users (``alice`` or
        ``User:alice``) as super users."""
        from kafkalite.security.acls import STANDARD_AUTHORIZER_NAME

        self.properties.setdefault("authorizer.class.name", STANDARD_AUTHORIZER_NAME)
        names = [name if ":" in name else f"User:{name}" for name in super_users]
        self.properties.setdefault("super.users", ";".join(names))

    # --- state -----------------------------------------------------------------------

    def bootstrap_servers_for(self, listener: str) -> str:
        """``bootstrap.servers`` of one listener (``"SSL"``, ``"SASL_SSL"``...)."""
        if self._runner is None and not self._listener_bootstrap:
            raise KafkaliteServerError("the broker has not been started yet: no port")
        try:
            return self._listener_bootstrap[listener.upper()]
        except KeyError:
            raise KafkaliteServerError(
                f"no listener {listener} (listeners: {', '.join(self._listener_bootstrap)})"
            ) from None

    @property
    def bootstrap_servers(self) -> str:
        """``"host:port"`` (comma-separated, one per node) for ``bootstrap.servers``."""
        if not self.port:
            raise KafkaliteServerError("the broker has not been started yet: no port")
        return self._bootstrap or f"{self.host}:{self.port}"

    @property
    def control_url(self) -> str | None:
        """``http://127.0.0.1:PORT`` of the control API, or None when not served over HTTP."""
        return self._control_url

    @property
    def http_url(self) -> str | None:
        """``http://127.0.0.1:PORT`` of the HTTP server (``/metrics``, the control API), or
        None when there is none (ask for one with ``http=True``)."""
        return self._control_url

    @property
    def control(self) -> ControlClient:
        """The control API of the running broker (see ``kafkalite.testing.control``)."""
        runner = self._require_running()
        if self._control is None:
            if isinstance(runner, InProcess):
                self._control = LoopControl(runner.broker.control, runner.loop)
            elif runner.control_url is not None:
                self._control = HttpControl(runner.control_url)
            else:
                raise KafkaliteServerError("the broker process serves no control API")
        return self._control

    @property
    def running(self) -> bool:
        return self._runner is not None

    @property
    def paused(self) -> bool:
        return self._paused

    def __repr__(self) -> str:
        state = "paused" if self._paused else "running" if self.running else "stopped"
        return f"<KafkaliteServer {self.mode} {self.host}:{self.port} {state} data={self.data_dir}>"

    # --- lifecycle -------------------------------------------------------------------

    def start(self) -> KafkaliteServer:
        """Start the broker (again): on the port of the first start, with the same data."""
        if self._runner is not None:
            raise KafkaliteServerError("already running")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = BrokerConfig(
            host=self.host,
            port=self.port,
            data_dir=self.data_dir,
            brokers=self.brokers,
            http_port=self.control_port,
        ).with_properties(self.properties)
        runner: InProcess | ChildProcess
        if self.mode == "thread":
            runner = InProcess(config)
        else:
            assert self.log_path is not None
            runner = ChildProcess(config, self.properties, self.log_path)
        self.port = runner.start(self.startup_timeout)
        # Later starts reuse every node's port, so clients' bootstrap lists stay valid.
        self._bootstrap = runner.bootstrap_servers
        self._listener_bootstrap = runner.listener_bootstrap_servers
        self._keep_listener_ports()
        self._control_url, self._control = runner.control_url, None
        if self._control_url is not None:  # later starts serve the control API there too
            self.control_port = int(self._control_url.rsplit(":", 1)[1])
        self._runner, self._paused = runner, False
        return self

    def _keep_listener_ports(self) -> None:
        """Later starts bind every listener's port of this start (of the first node)."""
        text = self.properties.get("listeners")
        if not text:
            return
        addresses = parse_listeners(text)
        bound = {
            name: servers.split(",")[0].rpartition(":")[2]
            for name, servers in self._listener_bootstrap.items()
        }
        self.properties["listeners"] = ",".join(
            str(ListenerAddress(a.name, a.host, a.port or int(bound.get(a.name, 0))))
            for a in addresses
        )

    def stop(self) -> None:
        """Graceful shutdown (requests in flight finish, logs flushed); data is kept."""
        runner, self._runner, self._paused = self._runner, None, False
        self._control = None
        if runner is not None:
            runner.stop(self._stop_timeout)

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self) -> None:
        """``stop()``, then delete the data directory if this server created it."""
        try:
            self.stop()
        finally:
            self._cleanup()

    def __enter__(self) -> KafkaliteServer:
        if self._runner is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- faults ----------------------------------------------------------------------

    def pause(self) -> None:
        """Refuse connections and drop the open ones until ``resume()``."""
        self._require_running().pause(self.startup_timeout)
        self._paused = True

    def resume(self) -> None:
        """Listen again on the same port."""
        self._require_running().resume(self.startup_timeout)
        self._paused = False

    def kill(self) -> None:
        """SIGKILL the broker process (process mode only); ``start()`` brings it back."""
        runner = self._require_running()
        if not isinstance(runner, ChildProcess):
            raise KafkaliteServerError(
                "kill() needs mode='process': a broker thread cannot be killed; "
                "use pause() or restart() in thread mode"
            )
        self._runner, self._paused, self._control = None, False, None
        runner.kill()

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the broker's log (process mode)."""
        return tail(self.log_path, lines)

    def _require_running(self) -> InProcess | ChildProcess:
        if self._runner is None:
            raise KafkaliteServerError("the broker is not running")
        return self._runner


# --- helpers -------------------------------------------------------------------------


def _property_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _remove(path: Path | None) -> None:
    if path is not None:
        shutil.rmtree(path, ignore_errors=True)
