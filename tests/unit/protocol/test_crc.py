"""``kafkalite.protocol.crc.crc32c`` is the ``crc32c`` package's C function, loaded without
running the package's ``__init__`` (which imports ``importlib.metadata`` and ``email``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import crc32c as crc32c_package

from kafkalite.protocol.crc import crc32c

ROOT = Path(__file__).resolve().parents[3]


def test_known_answers() -> None:
    # CRC-32C check value (RFC 3720 appendix B.4 and the "123456789" catalogue value).
    assert crc32c(b"123456789") == 0xE3069283
    assert crc32c(b"") == 0
    assert crc32c(bytes(32)) == 0x8A9136AA
    assert crc32c(b"\xff" * 32) == 0x62A8AB43
    assert crc32c(bytes(range(32))) == 0x46DD794E


def test_it_is_the_package_function_and_takes_every_buffer_kind() -> None:
    data = bytes(range(256)) * 9
    expected = crc32c_package.crc32c(data)
    assert crc32c(data) == expected
    assert crc32c(memoryview(data)[10:500]) == crc32c_package.crc32c(data[10:500])
    assert crc32c(bytearray(data)) == expected
    assert crc32c(data[100:], crc32c(data[:100])) == expected  # running value


def test_loading_it_runs_neither_the_package_init_nor_importlib_metadata() -> None:
    code = (
        "import json, sys; from kafkalite.protocol.crc import crc32c; "
        "print(json.dumps([crc32c(b'123456789'), sorted(sys.modules)]))"
    )
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    value, modules = json.loads(done.stdout)
    assert value == 0xE3069283
    assert "crc32c._crc32c" in modules
    assert (
        "crc32c" not in modules and "importlib.metadata" not in modules and "email" not in modules
    )
