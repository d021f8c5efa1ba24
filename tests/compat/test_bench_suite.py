"""benchmarks/suite.py end to end in its smallest configuration, and its verification.

The suite starts a thread-mode kafkalite itself and drives it with confluent-kafka and raw
sockets; this checks that every row runs, that the JSON holds what README's table is made
from, and that a lost, duplicated or reordered record is reported as wrong data rather than
as a fast result. No timing is asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.compat, pytest.mark.timeout(180)]

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import suite  # noqa: E402
import throughput  # noqa: E402


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict, str]:
    out = tmp_path_factory.mktemp("suite") / "out.json"
    done = subprocess.run(
        [sys.executable, str(BENCH / "suite.py"), "--tiny", "--modes", "thread",
         "--json", str(out)],
        capture_output=True, text=True, timeout=150,
    )  # fmt: skip
    return done.returncode, json.loads(out.read_text()), done.stdout + done.stderr


def test_tiny_run_covers_every_row_and_verifies_it(tiny_run: tuple[int, dict, str]) -> None:
    code, result, output = tiny_run
    assert code == 0, output[-3000:]
    assert result["scale"] == "tiny" and result["exit_code"] == 0
    (target,) = result["targets"]
    assert target["kind"] == "kafkalite-thread" and "error" not in target
    groups = {r["group"] for r in target["rows"]}
    # recovery needs a broker process to kill: only the process target has it
    assert groups == set(suite.GROUPS) - {"recovery"}
    for r in target["rows"]:
        assert r["ok"] is True and r["correct"] is True, r
        assert {"row", "group", "value", "unit"} <= r.keys()
    rows = {r["row"]: r for r in target["rows"]}
    produce = rows["produce 100B x300 p1 acks=all none"]
    consume = rows["consume 100B x300 p1 acks=all none"]
    assert produce["acked"] == 300 and consume["read"] == 300
    assert consume["missing"] == consume["extra"] == consume["wrong_seq"] == 0
    assert consume["broker_cpu_s"] >= 0 and consume["broker_rss_max_mb"] > 0
    assert rows["consume 1KB x200 p2 acks=1 gzip"]["read"] == 200
    latency = rows["latency at 100 msg/s"]
    assert latency["received"] == latency["sent"] == 30
    assert latency["e2e_ms"]["p50"] <= latency["e2e_ms"]["p99"] <= latency["e2e_ms"]["max"]
    idle = rows["idle consumer in long poll"]
    assert idle["value"] >= 0 and idle["seconds"] == 0.3
    wide = rows["20 partitions: CreateTopics / produce one record to each / read back"]
    assert wide["acked"] == wide["read"] == 20
    conns = rows["20 idle + 4 active connections"]
    assert conns["held"] == 20 and conns["round_trips"] > 0
    group = rows["group: subscribe to first record, confluent-kafka"]
    assert group["read"] == 30 and group["value"] <= group["all_records_s"]
    assert "| latency at 100 msg/s (ms p50 / p99) |" in suite.table(result)


def test_a_missing_record_is_wrong_data() -> None:
    verifier = throughput.Verifier(size=16, partitions=2, acked=6)
    records = [(i % 2, i // 2, throughput.SEQ.pack(i) + b"x" * 8) for i in range(6)]
    del records[3]  # partition 1, offset 1 never came back
    for partition, offset, value in records:
        verifier.add(partition, offset, value)
    verdict = verifier.result()
    assert verdict["correct"] is False and verdict["missing"] == 1
    assert verdict["offset_gaps"] == 1  # partition 1 jumped from offset 0 to 2
    broken = suite.row(
        "throughput", "consume", None, 1.0, "MB/s", verdict["ok"], verdict["correct"]
    )
    result = {"targets": [{"name": "b", "rows": [broken]}]}
    assert suite.exit_code(result) == 2
    assert "WRONG DATA" in suite.table(result)


def test_wrong_content_duplicates_and_extras_are_caught() -> None:
    verifier = throughput.Verifier(size=16, partitions=1, acked=3)
    verifier.add(0, 0, throughput.SEQ.pack(0) + b"x" * 8)
    verifier.add(0, 1, throughput.SEQ.pack(2) + b"x" * 8)  # another record's content
    verifier.add(0, 2, throughput.SEQ.pack(2) + b"x" * 7)  # short
    verifier.add_extra(1)
    verdict = verifier.result()
    assert (verdict["wrong_seq"], verdict["wrong_size"], verdict["extra"]) == (1, 1, 1)
    assert verdict["correct"] is False
    sequence = suite.Sequence(4)
    for number in (1, 3, 2, 3):
        sequence.add(number)
    verdict = sequence.result(failed_sends=set())
    assert (verdict["missing_acked"], verdict["out_of_order"], verdict["duplicates"]) == (1, 1, 1)
    assert verdict["correct"] is False
