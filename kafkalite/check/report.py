"""Reports of a run: the terminal table, JSON and JUnit XML."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any, TextIO
from xml.etree import ElementTree

from kafkalite.check.registry import Check
from kafkalite.check.runner import FAILED, SKIPPED, Result

__all__ = ["Progress", "summary_line", "to_json", "to_junit", "write_table"]

_MARK = {"passed": "PASS", "failed": "FAIL", "skipped": "SKIP"}


def _one_line(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


class Progress:
    """Prints a row per finished check, with ``[n/N]``, as the run goes; on a terminal the
    check being run is shown on a line that the next row replaces."""

    def __init__(self, stream: TextIO = sys.stdout, reason_width: int = 90) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.reason_width = reason_width
        self.name_width = 44

    def header(self, total: int) -> None:
        self.stream.write(f"{'':9} {'area':13} {'check':{self.name_width}} result  reason\n")
        self.stream.flush()

    def __call__(self, index: int, total: int, check: Check, result: Result | None) -> None:
        counter = f"[{index:>{len(str(total))}}/{total}]"
        if result is None:
            if self.tty:
                bar = "#" * int(20 * (index - 1) / total)
                self.stream.write(f"\r{counter} [{bar:<20}] running {check.name} ...\x1b[K")
                self.stream.flush()
            return
        name = check.name.split(".", 1)[1]
        row = (
            f"{counter:9} {check.area:13} {name:{self.name_width}} {_MARK[result.result]:7} "
            f"{_one_line(result.reason, self.reason_width)}"
        )
        self.stream.write(("\r\x1b[K" if self.tty else "") + row.rstrip() + "\n")
        self.stream.flush()


def summary_line(results: Sequence[Result], seconds: float) -> str:
    counts = Counter(r.result for r in results)
    return (
        f"{len(results)} checks: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped in {seconds:.1f} s"
    )


def write_table(results: Sequence[Result], stream: TextIO) -> None:
    """The whole table at once (for ``--quiet`` runs and the README)."""
    for r in results:
        stream.write(
            f"{r.area:13} {r.name.split('.', 1)[1]:44} {_MARK[r.result]:7} {_one_line(r.reason, 90)}\n".rstrip()
            + "\n"
        )


def to_json(results: Sequence[Result], meta: dict[str, Any]) -> str:
    entries = []
    for r in results:
        entry: dict[str, Any] = {
            "name": r.name,
            "area": r.area,
            "result": r.result,
            "reason": r.reason,
            "verifies": r.check.verifies,
            "source": r.check.source,
            "seconds": round(r.seconds, 3),
        }
        if r.result == FAILED:
            entry["exchanges"] = r.exchanges
        entries.append(entry)
    counts = Counter(r.result for r in results)
    return json.dumps(
        {**meta, "summary": dict(counts), "checks": entries}, indent=2, sort_keys=False
    )


def to_junit(results: Sequence[Result], seconds: float) -> str:
    counts = Counter(r.result for r in results)
    suite = ElementTree.Element(
        "testsuite",
        name="kafkalite-check",
        tests=str(len(results)),
        failures=str(counts[FAILED]),
        skipped=str(counts[SKIPPED]),
        errors="0",
        time=f"{seconds:.3f}",
    )
    for r in results:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            classname=f"kafkalite.check.{r.area}",
            name=r.name,
            time=f"{r.seconds:.3f}",
        )
        if r.result == FAILED:
            failure = ElementTree.SubElement(case, "failure", message=r.reason)
            failure.text = (
                "\n".join(f"-> {e['request']}\n<- {e['response']}" for e in r.exchanges) or r.reason
            )
        elif r.result == SKIPPED:
            ElementTree.SubElement(case, "skipped", message=r.reason)
        ElementTree.SubElement(
            case, "system-out"
        ).text = f"verifies: {r.check.verifies}\nsource: {r.check.source}"
    ElementTree.indent(suite)
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
