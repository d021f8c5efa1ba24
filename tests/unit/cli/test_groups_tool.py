"""``kafkalite groups`` against an in-process broker, with a group member of our own client:
the options kafka-consumer-groups.sh users reach for beyond describe and a plain reset
(the compat suite drives those with confluent-kafka)."""

from __future__ import annotations

import pytest

from kafkalite.client.client import KafkaClient, TopicPartition
from kafkalite.client.group import GroupMember
from kafkalite.tools.groups import format_table, parse_datetime
from tests.unit.cli.test_tools_against_broker import Cli


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, broker_thread) -> Cli:  # type: ignore[no-untyped-def]
    return Cli(monkeypatch, broker_thread.address)


@pytest.fixture
def client(broker_thread):  # type: ignore[no-untyped-def]
    with KafkaClient(f"127.0.0.1:{broker_thread.address[1]}", timeout=10) as c:
        yield c


def rows(out: bytes) -> list[list[str]]:
    lines = [line.split() for line in out.decode().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line[0] == "GROUP")
    return lines[start + 1 :]


def test_table_columns_are_as_wide_as_their_cells() -> None:
    assert format_table(("GROUP", "N"), [("a-rather-long-group-name", 1)]).splitlines() == [
        "GROUP                    N",
        "a-rather-long-group-name 1",
    ]


def test_datetimes_without_a_zone_are_local() -> None:
    assert parse_datetime("2026-01-02T03:04:05.678Z") == 1767323045678
    assert parse_datetime("2026-01-02T03:04:05.678+01:00") == 1767319445678


def test_members_state_shift_datetime_and_errors(cli: Cli, client: KafkaClient) -> None:
    assert cli("topics", "create", "--topic", "ledger", "--partitions", "2")[0] == 0
    assert cli("produce", "ledger", "--partition", "0", stdin=b"a\nb\nc\nd\ne\n")[0] == 0
    assert cli("produce", "ledger", "--partition", "1", stdin=b"x\ny\nz\n")[0] == 0
    member = GroupMember(client, "auditors", ["ledger"])
    assert member.join() == [TopicPartition("ledger", 0), TopicPartition("ledger", 1)]
    member.commit({TopicPartition("ledger", 0): 1, TopicPartition("ledger", 1): 3})

    code, out, _ = cli("groups", "list", "--state")
    assert code == 0 and ["auditors", "Stable"] in rows(out)
    code, out, _ = cli("groups", "describe", "--group", "auditors", "--members", "--verbose")
    assert code == 0
    (row,) = rows(out)
    assert row[0:2] == ["auditors", member.member_id] and row[-2:] == ["2", "ledger(0,1)"]
    member.leave()

    code, out, err = cli("groups", "reset-offsets", "--group", "auditors", "--all-topics",
                         "--shift-by", "2")  # fmt: skip
    assert code == 0 and "--execute option is missing" in err
    assert rows(out) == [["auditors", "ledger", "0", "3"], ["auditors", "ledger", "1", "3"]]
    assert _committed(client) == (1, 3)  # a dry run commits nothing

    assert cli("groups", "reset-offsets", "--group", "auditors", "--all-topics", "--shift-by",
               "2", "--execute")[0] == 0  # fmt: skip
    assert _committed(client) == (3, 3)  # 3 + 2 is past partition 1's end: clamped to it
    assert cli("groups", "reset-offsets", "--group", "auditors", "--topic", "ledger",
               "--to-datetime", "2000-01-01T00:00:00.000", "--execute")[0] == 0  # fmt: skip
    assert _committed(client) == (0, 0)  # every record is newer
    assert cli("groups", "reset-offsets", "--group", "auditors", "--topic", "ledger",
               "--to-datetime", "2999-01-01T00:00:00Z", "--execute")[0] == 0  # fmt: skip
    assert _committed(client) == (5, 3)  # none is that new: the log end

    code, out, _ = cli("groups", "describe", "auditors")
    assert code == 0 and b"Consumer group 'auditors' has no active members." in out
    assert [r[2:6] for r in rows(out)] == [["0", "5", "5", "0"], ["1", "3", "3", "0"]]

    code, _, err = cli("groups", "describe", "nobody")
    assert code == 1 and "Consumer group 'nobody' does not exist." in err
    code, _, err = cli("groups", "delete", "--group", "nobody")
    assert code == 1 and "* Group 'nobody' could not be deleted due to: GROUP_ID_NOT_FOUND" in err


def _committed(client: KafkaClient) -> tuple[int, int]:
    offsets = GroupMember(client, "auditors", []).committed(
        [TopicPartition("ledger", 0), TopicPartition("ledger", 1)]
    )
    return offsets[TopicPartition("ledger", 0)], offsets[TopicPartition("ledger", 1)]
