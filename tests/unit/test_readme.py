"""README.md keeps its promises: the two opening commands, CI running the test command
exactly as written, and a row for every broker property kafkalite accepts."""

from __future__ import annotations

from pathlib import Path

from kafkalite.config import BROKER_PROPERTIES

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()


def _opening_commands() -> list[str]:
    block = README.split("```", 2)[1]
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_readme_opens_with_the_run_and_test_commands() -> None:
    run, test = _opening_commands()
    assert run.endswith("kafkalite serve")
    assert test.startswith("pip install -e '.[test]' && pytest")


def test_ci_runs_the_readme_test_command_exactly() -> None:
    _, test = _opening_commands()
    ci_lines = [line.strip() for line in (REPO / ".ci" / "run").read_text().splitlines()]
    assert test in ci_lines


def test_every_broker_property_is_documented() -> None:
    missing = [name for name in BROKER_PROPERTIES if f"| `{name}` |" not in README]
    assert not missing, f"README's configuration table lacks {missing}"
