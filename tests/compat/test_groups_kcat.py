"""kcat's balanced consumer (``kcat -G group topic``) against the broker.

kcat joins the group through librdkafka's subscribe(), reads until its ``-c`` count and
closes, which commits what it read. A second run in the same group resumes there. The
topic is created and filled with confluent-kafka (group_helpers.ConfluentDriver), so the
partition and offset of every record are known. ``KAFKALITE_KCAT`` overrides the kcat
command (see helpers.kcat_command); the tests skip when there is no kcat.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_GH = "compat_group_helpers"
if _GH not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_GH, Path(__file__).with_name("group_helpers.py"))
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[_GH] = _module
    _spec.loader.exec_module(_module)

import compat_group_helpers as gh  # noqa: E402

pytestmark = pytest.mark.compat


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Overrides conftest's: a 6-partition kafkalite for this module (see group_helpers)."""
    yield from gh.module_broker(tmp_path_factory)

KCAT_TIMEOUT_S = 60.0


def kcat_group_read(kcat: list[str], bootstrap: str, group: str, topic: str, count: int) -> list[gh.Read]:
    """``kcat -G``: read exactly ``count`` records as a member of ``group``, then leave."""
    cmd = [
        *kcat, "-b", bootstrap, "-G", group, "-c", str(count), "-q",
        "-f", "%p %o %s\\n",
        "-X", "auto.offset.reset=earliest",
        "-X", f"session.timeout.ms={gh.SESSION_TIMEOUT_MS}",
        "-X", f"heartbeat.interval.ms={gh.HEARTBEAT_INTERVAL_MS}",
        topic,
    ]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=KCAT_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(
            f"kcat -G did not read {count} records within {KCAT_TIMEOUT_S:.0f}s; output so far:\n"
            f"{(exc.stdout or b'')[-2000:]!r}\nstderr:\n{(exc.stderr or b'')[-2000:]!r}"
        ) from None
    assert done.returncode == 0, f"kcat exited with {done.returncode}: {done.stderr[-2000:]!r}"
    reads = []
    for line in done.stdout.decode().splitlines():
        partition, offset, value = line.split(" ", 2)
        reads.append(gh.Read(int(partition), int(offset), value.encode()))
    return reads


@pytest.fixture
def kcat() -> list[str]:
    command = gh.h.kcat_command()
    if command is None:
        pytest.skip("kcat is not installed (apt-get install kcat) and KAFKALITE_KCAT is not set")
    return list(command)


@pytest.mark.timeout(180)
def test_kcat_balanced_consumer_reads_and_resumes(broker: Any, kcat: list[str]) -> None:
    d = gh.ConfluentDriver(broker.bootstrap, broker)
    topic = d.create_topic()
    group = gh.unique_group("kcat")
    first = d.produce(topic, gh.batch("first", 60))

    got = kcat_group_read(kcat, broker.bootstrap, group, topic, len(first))
    gh.check_exact(got, first, "kcat -G, first run")
    assert d.committed(group, topic) == gh.per_partition(first)

    second = d.produce(topic, gh.batch("second", 30))
    got = kcat_group_read(kcat, broker.bootstrap, group, topic, len(second))
    gh.check_exact(got, second, "kcat -G, second run (resuming at the committed offsets)")
    assert d.committed(group, topic) == gh.per_partition(first + second)
