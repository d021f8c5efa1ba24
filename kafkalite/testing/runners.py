"""The two ways ``KafkaliteServer`` runs a broker: a thread of this process, or a child.

``InProcess`` runs a ``Runtime`` on its own event loop in a daemon thread; faults are
coroutines run on that loop. ``ChildProcess`` runs ``python -m kafkalite.testing.child``
and drives it over its stdin and stdout (the line protocol is in ``child.py``). Both
raise ``KafkaliteServerError`` when the broker cannot start or a fault cannot be applied.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import sysconfig
import threading
import time
from collections.abc import Coroutine, Mapping
from pathlib import Path
from typing import Any, TypeVar

from kafkalite.config import BrokerConfig
from kafkalite.event_loop import new_event_loop
from kafkalite.runtime import Runtime

__all__ = ["ChildProcess", "InProcess", "KafkaliteServerError", "tail"]

_T = TypeVar("_T")


class KafkaliteServerError(RuntimeError):
    """The broker did not start or stop, or a fault could not be applied."""


class InProcess:
    """A ``Runtime`` on its own event loop in a daemon thread."""

    def __init__(self, config: BrokerConfig) -> None:
        self.broker = Runtime(config)
        self.loop = new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="kafkalite-broker", daemon=True
        )

    def _run(self, coro: Coroutine[Any, Any, _T], timeout: float) -> _T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def call(self, coro: Coroutine[Any, Any, _T], timeout: float = 30.0) -> _T:
        """Run ``coro`` on the broker's loop and return its result."""
        return self._run(coro, timeout)

    def start(self, timeout: float) -> int:
        self.thread.start()
        try:
            _, port = self._run(self.broker.start(), timeout)
        except BaseException as exc:
            with contextlib.suppress(Exception):
                self._run(self.broker.stop(), timeout)
            self._end_loop()
            if isinstance(exc, OSError):
                address = f"{self.broker.config.host}:{self.broker.config.port}"
                raise KafkaliteServerError(f"cannot listen on {address}: {exc}") from exc
            raise
        return port

    @property
    def bootstrap_servers(self) -> str:
        return self.broker.bootstrap_servers

    @property
    def listener_bootstrap_servers(self) -> dict[str, str]:
        return self.broker.listener_bootstrap_servers()

    @property
    def control_url(self) -> str | None:
        return self.broker.http_url

    def pause(self, timeout: float) -> None:
        self._run(self.broker.pause(), timeout)

    def resume(self, timeout: float) -> None:
        try:
            self._run(self.broker.resume(), timeout)
        except OSError as exc:
            raise KafkaliteServerError(f"cannot listen again: {exc}") from exc

    def stop(self, timeout: float) -> None:
        try:
            self._run(self.broker.stop(), timeout)
        finally:
            self._end_loop()

    def _end_loop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=30)
        if not self.thread.is_alive():
            self.loop.close()


class ChildProcess:
    """``python -m kafkalite.testing.child``, driven over its stdin and stdout."""

    def __init__(self, config: BrokerConfig, properties: Mapping[str, str], log_path: Path) -> None:
        self.spec = json.dumps(
            {
                "host": config.host,
                "port": config.port,
                "data_dir": str(config.data_dir),
                "brokers": config.brokers,
                "http_port": config.http_port,
                "properties": dict(properties),
            }
        )
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self._buffer = bytearray()
        self.bootstrap_servers = ""
        self.listener_bootstrap_servers: dict[str, str] = {}
        self.control_url: str | None = None

    def start(self, timeout: float) -> int:
        command = [sys.executable, "-m", "kafkalite.testing.child", self.spec]
        with self.log_path.open("ab") as log:
            log.write(f"\n===== {time.strftime('%H:%M:%S')} start: {self.spec}\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=child_env(),
                start_new_session=True,  # a Ctrl-C meant for pytest is not sent to the broker
            )
        try:
            listeners = self._expect("listeners", timeout)[1:]
            self.listener_bootstrap_servers = dict(word.split("=", 1) for word in listeners)
            words = self._expect("listening", timeout)
            self.bootstrap_servers = words[3] if len(words) > 3 else f"{words[1]}:{words[2]}"
            self.control_url = words[4] if len(words) > 4 else None
            return int(words[2])
        except BaseException:
            self.kill()
            raise

    def pause(self, timeout: float) -> None:
        self._send("pause")
        self._expect("paused", timeout)

    def resume(self, timeout: float) -> None:
        self._send("resume")
        self._expect("resumed", timeout)

    def stop(self, timeout: float) -> None:
        proc = self.proc
        if proc is None:
            return
        try:
            if proc.poll() is None:
                with contextlib.suppress(KafkaliteServerError):  # it may exit meanwhile
                    self._send("stop")
                proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise KafkaliteServerError(
                f"the broker did not stop within {timeout:.0f}s and was killed\n"
                + tail(self.log_path)
            ) from None
        finally:
            self._close_pipes()
        if proc.returncode != 0:
            raise KafkaliteServerError(
                f"the broker process exited with code {proc.returncode}\n" + tail(self.log_path)
            )

    def kill(self) -> None:
        proc = self.proc
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        self._close_pipes()

    def _close_pipes(self) -> None:
        if self.proc is not None:
            for pipe in (self.proc.stdin, self.proc.stdout):
                if pipe is not None:
                    pipe.close()

    def _send(self, command: str) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        try:
            self.proc.stdin.write(command.encode() + b"\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            raise KafkaliteServerError(f"the broker process is gone ({command})") from None

    def _expect(self, word: str, timeout: float) -> list[str]:
        """Read stdout lines until one starts with ``word``; raise on ``error`` or exit."""
        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self._buffer:
                raw, _, rest = bytes(self._buffer).partition(b"\n")
                self._buffer = bytearray(rest)
                words = raw.decode(errors="replace").split()
                if words and words[0] == word:
                    return words
                if words and words[0] == "error":
                    raise KafkaliteServerError(" ".join(words[1:]) + "\n" + tail(self.log_path))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise KafkaliteServerError(
                    f"no {word!r} from the broker process within {timeout:.0f}s\n"
                    + tail(self.log_path)
                )
            readable, _, _ = select.select([fd], [], [], remaining)
            if readable:
                chunk = os.read(fd, 4096)
                if not chunk:
                    code = self.proc.wait(timeout=30)
                    raise KafkaliteServerError(
                        f"the broker process exited with code {code} before {word!r}\n"
                        + tail(self.log_path)
                    )
                self._buffer += chunk


def child_env() -> dict[str, str]:
    """This process's environment, with this ``kafkalite`` first on the child's path.

    Needed when kafkalite is imported from a source checkout rather than installed; an
    installed copy is found by the child without help.
    """
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    installed = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    if root not in installed:
        paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != root]
        env["PYTHONPATH"] = os.pathsep.join([root, *paths])
    return env


def tail(path: Path | None, lines: int = 40) -> str:
    if path is None:
        return "(thread mode: the broker logs through this process's logging)"
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return f"(no broker log at {path})"
    last = "\n".join(text.splitlines()[-lines:])
    return f"--- last {lines} lines of {path} ---\n{last}"
