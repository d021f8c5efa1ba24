"""Argument parsing of ``kafkalite topics|produce|consume`` (no broker involved)."""

from __future__ import annotations

import uuid

import pytest

from kafkalite.cli import build_parser, main
from kafkalite.client.connection import parse_address
from kafkalite.tools.common import ToolError, unescape
from kafkalite.tools.consume import formatter_for
from kafkalite.tools.lines import LineFormat
from kafkalite.tools.produce import line_format
from kafkalite.tools.topics import parse_config_list, topic_id_text


def parse(*argv: str):  # type: ignore[no-untyped-def]
    return build_parser().parse_args(list(argv))


def test_serve_is_still_there() -> None:
    args = parse("serve", "--port", "0")
    assert (args.command, args.port) == ("serve", "0")  # checked by main, in one line


def test_topics_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KAFKALITE_BOOTSTRAP", raising=False)
    args = parse("topics", "create", "--topic", "t")
    assert (args.action, args.bootstrap_server, args.partitions, args.replication_factor) == (
        "create",
        "localhost:9092",
        -1,
        -1,
    )
    args = parse("topics", "create", "--topic", "t", "--partitions", "3", "--replication-factor", "1",
                 "--config", "a=1", "--config", "b=x=y", "--bootstrap-server", "h:1")  # fmt: skip
    assert (args.partitions, args.replication_factor, args.config, args.bootstrap_server) == (
        3,
        1,
        [("a", "1"), ("b", "x=y")],
        "h:1",
    )
    args = parse("topics", "delete", "--topic", "a", "--topic", "b", "--if-exists")
    assert (args.topic, args.if_exists) == (["a", "b"], True)
    args = parse(
        "topics",
        "alter",
        "--topic",
        "t",
        "--partitions",
        "6",
        "--add-config",
        "x=1",
        "--delete-config",
        "y,z",
    )
    assert (args.partitions, args.add_config, args.delete_config) == (6, ["x=1"], ["y,z"])


def test_bootstrap_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKALITE_BOOTSTRAP", "env-host:9999")
    assert parse("topics", "list").bootstrap_server == "env-host:9999"
    assert parse("consume", "t", "-b", "x:1").bootstrap_server == "x:1"


@pytest.mark.parametrize(
    "argv",
    [["topics"], ["topics", "create"], ["topics", "frobnicate"], ["produce", "t", "--acks", "2"]],
)
def test_bad_usage_exits_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        parse(*argv)
    assert exc.value.code == 2


def test_produce_defaults_and_line_format() -> None:
    args = parse("produce", "t")
    assert (args.topic_name, args.acks, args.compression_codec, args.partition) == (
        "t",
        "-1",
        "none",
        None,
    )
    assert line_format(args) == LineFormat()
    args = parse(
        "produce",
        "--topic",
        "t",
        "--key-separator",
        "\\t",
        "--parse-headers",
        "--null-marker",
        "N",
        "--acks",
        "all",
    )
    assert line_format(args) == LineFormat(
        parse_key=True, key_separator=b"\t", parse_headers=True, null_marker=b"N"
    )
    args = parse("produce", "t", "--property", "parse.key=true", "--property", "key.separator=::",
                 "--property", "headers.key.separator==", "--property", "ignore.error=true")  # fmt: skip
    assert line_format(args) == LineFormat(
        parse_key=True, key_separator=b"::", headers_key_separator=b"=", ignore_error=True
    )


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (["colour=red"], "unknown --property colour"),
        (["parse.key=yes"], "must be true or false"),
        (["key.separator="], "cannot be empty"),
    ],
)
def test_produce_property_errors(props: list[str], message: str) -> None:
    args = parse("produce", "t", *[arg for p in props for arg in ("--property", p)])
    with pytest.raises(ToolError, match=message):
        line_format(args)


def test_consume_defaults_and_offsets() -> None:
    args = parse("consume", "t")
    assert (args.from_beginning, args.offset, args.group, args.max_messages, args.timeout_ms) == (
        False,
        None,
        None,
        None,
        None,
    )
    assert [parse("consume", "t", "--offset", v).offset for v in ("earliest", "beginning", "latest", "end", "42", "-5")] == [
        "earliest", "earliest", "latest", "latest", 42, -5,
    ]  # fmt: skip
    with pytest.raises(SystemExit):
        parse("consume", "t", "--offset", "middle")


def test_consume_output_styles() -> None:
    from kafkalite.client.records import ConsumerRecord

    record = ConsumerRecord("t", 1, 2, 3, 0, b"k", b"v", ())
    assert formatter_for(parse("consume", "t"))(record) == b"v\n"
    assert formatter_for(parse("consume", "t", "--format", "%k:%s\\n"))(record) == b"k:v\n"
    assert formatter_for(parse("consume", "t", "--property", "print.key=true"))(record) == b"k\tv\n"
    with pytest.raises(ToolError, match="pick one"):
        formatter_for(parse("consume", "t", "--format", "%s", "--property", "print.key=true"))
    with pytest.raises(ToolError, match="unknown format token"):
        formatter_for(parse("consume", "t", "--format", "%z"))


def test_config_lists_follow_kafka_configs() -> None:
    assert parse_config_list("a=1,b=[x,y],c=") == [("a", "1"), ("b", "x,y"), ("c", "")]
    assert parse_config_list("cleanup.policy=[compact,delete]") == [
        ("cleanup.policy", "compact,delete")
    ]
    with pytest.raises(ToolError):
        parse_config_list("novalue")


def test_topic_ids_print_as_kafka_uuids() -> None:
    # Kafka's Uuid.toString(): URL-safe base64 of the 16 bytes, without padding
    assert topic_id_text(uuid.UUID(int=0)) == "AAAAAAAAAAAAAAAAAAAAAA"
    assert topic_id_text(uuid.UUID(bytes=bytes(range(0xF0, 0x100)))) == "8PHy8_T19vf4-fr7_P3-_w"


def test_addresses() -> None:
    assert parse_address("h:1") == ("h", 1)
    assert parse_address("h") == ("h", 9092)
    assert parse_address("[::1]:19092") == ("::1", 19092)
    assert parse_address("::1") == ("::1", 9092)
    for bad in (":1", "h:x", "h:0", "h:70000"):
        with pytest.raises(ValueError):
            parse_address(bad)


def test_unescape() -> None:
    assert unescape(r"a\tb\nc\\d\qe") == "a\tb\nc\\d\\qe"


def test_refused_connection_is_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert main(["topics", "list", "--bootstrap-server", f"127.0.0.1:{port}"]) == 1
    assert f"cannot connect to 127.0.0.1:{port}" in capsys.readouterr().err
    assert main(["produce", "--bootstrap-server", f"127.0.0.1:{port}"]) == 1
    assert "no topic given" in capsys.readouterr().err
