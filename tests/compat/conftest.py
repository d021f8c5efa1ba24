"""Fixtures for the client compatibility suite (see README.md in this folder).

``broker`` is one kafkalite process for the whole session, started with
``-o num.partitions=3`` so that auto-created topics have the three partitions the tests
use. ``restartable_broker`` is a separate kafkalite process per test module, for the tests
that restart it. With ``KAFKALITE_BOOTSTRAP=host:port`` no process is started: ``broker``
points at that external broker and ``restartable_broker`` skips.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# --import-mode=importlib puts no test folder on sys.path; register the shared modules under
# names no other test folder uses, so the test modules can `import compat_helpers` and so on.
# helpers.py first: the others import it.
_SHARED = {
    "compat_helpers": "helpers.py",
    "compat_clients": "clients.py",
    "compat_group_helpers": "group_helpers.py",
    "compat_admin_helpers": "admin_helpers.py",
    "compat_durability_helpers": "durability_helpers.py",
    "compat_txn_helpers": "txn_helpers.py",
    "compat_fault_drivers": "fault_drivers.py",
    "compat_mutating_proxy": "mutating_proxy.py",
}
for _name, _file in _SHARED.items():
    if _name not in sys.modules:
        _spec = importlib.util.spec_from_file_location(_name, Path(__file__).with_name(_file))
        assert _spec is not None and _spec.loader is not None
        _module = importlib.util.module_from_spec(_spec)
        sys.modules[_name] = _module
        _spec.loader.exec_module(_module)

import compat_helpers as h  # noqa: E402

BROKER_OPTIONS = {
    "num.partitions": str(h.PARTITIONS),
    # test_transactions.py: a transaction past its timeout is aborted within half a second
    "transaction.abort.timed.out.transaction.cleanup.interval.ms": "500",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "compat: drives a broker process with real client libraries")
    # kafka-python 3.0.12 loads its schemas with the deprecated importlib.resources API
    config.addinivalue_line(
        "filterwarnings", r"ignore:.*is deprecated. Use files\(\) instead:DeprecationWarning"
    )


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[h.KafkaliteBroker | h.ExternalBroker]:
    external = h.external_bootstrap()
    if external:
        yield h.ExternalBroker(external)
        return
    root = tmp_path_factory.mktemp("kafkalite-session")
    b = h.KafkaliteBroker(data_dir=root / "data", options=dict(BROKER_OPTIONS))
    b.start()
    try:
        yield b
    finally:
        b.stop()


@pytest.fixture(scope="module")
def restartable_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[h.KafkaliteBroker]:
    if h.external_bootstrap():
        pytest.skip("KAFKALITE_BOOTSTRAP is set: an external broker cannot be restarted by the suite")
    root = tmp_path_factory.mktemp("kafkalite-restart")
    b = h.KafkaliteBroker(data_dir=root / "data", options=dict(BROKER_OPTIONS))
    b.start()
    try:
        yield b
    finally:
        b.stop()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On a failure, attach the tail of the broker's log to the report."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if not report.failed:
        return
    funcargs = getattr(item, "funcargs", {})
    for name in ("broker", "restartable_broker"):
        b = funcargs.get(name)
        if b is not None and hasattr(b, "log_tail"):
            report.sections.append((f"{name} log ({b.bootstrap})", b.log_tail()))
