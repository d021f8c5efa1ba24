"""The generated message modules are current, and schema errors are reported.

The error cases run the generator on a temporary copy of ``protocol/`` and of the generator
itself (it is stdlib only and finds the schemas next to its own ``kafkalite/`` folder).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
CODEGEN = REPO / "kafkalite" / "protocol" / "codegen.py"


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_generated_code_is_current() -> None:
    result = run(["-m", "kafkalite.protocol.codegen", "--check"], REPO)
    assert result.returncode == 0, result.stderr


def copy_tree(tmp_path: Path) -> Path:
    """A copy of the schemas, the generator and its output; returns the copied generator."""
    shutil.copytree(REPO / "protocol", tmp_path / "protocol")
    package = tmp_path / "kafkalite" / "protocol"
    shutil.copytree(REPO / "kafkalite" / "protocol" / "messages", package / "messages")
    shutil.copy(CODEGEN, package / "codegen.py")
    return package / "codegen.py"


def test_the_copy_checks_clean(tmp_path: Path) -> None:
    codegen = copy_tree(tmp_path)
    result = run([str(codegen), "--check"], tmp_path)
    assert result.returncode == 0, result.stderr


def test_duplicate_field_name_is_reported(tmp_path: Path) -> None:
    codegen = copy_tree(tmp_path)
    path = tmp_path / "protocol" / "messages" / "heartbeat.json"
    schema = json.loads(path.read_text())
    fields = schema["request"]["fields"]
    fields.append(dict(fields[0]))  # group_id twice
    path.write_text(json.dumps(schema))
    result = run([str(codegen), "--check"], tmp_path)
    assert result.returncode != 0
    assert "heartbeat.json" in result.stderr
    assert "group_id" in result.stderr and "duplicate" in result.stderr


def test_stale_module_is_named(tmp_path: Path) -> None:
    codegen = copy_tree(tmp_path)
    path = tmp_path / "protocol" / "messages" / "heartbeat.json"
    schema = json.loads(path.read_text())
    schema["doc"] = "Changed."
    path.write_text(json.dumps(schema))
    result = run([str(codegen), "--check"], tmp_path)
    assert result.returncode == 1
    assert "stale: kafkalite/protocol/messages/heartbeat.py" in result.stderr
