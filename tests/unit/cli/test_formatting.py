"""Consumer output: kcat format tokens and Kafka's DefaultMessageFormatter layout."""

from __future__ import annotations

import pytest

from kafkalite.client.records import ConsumerRecord
from kafkalite.tools.formatting import DEFAULT_FORMAT, FormatError, kafka_formatter, kcat_formatter

RECORD = ConsumerRecord(
    "orders", 2, 41, 1_700_000_000_123, 0, b"k1", b"hello", (("a", b"1"), ("b", None))
)
NULLS = ConsumerRecord("orders", 0, 7, 5, 1, None, None, ())


def test_default_is_value_and_newline() -> None:
    assert kcat_formatter(DEFAULT_FORMAT)(RECORD) == b"hello\n"
    assert kcat_formatter(DEFAULT_FORMAT)(NULLS) == b"\n"


def test_every_token() -> None:
    render = kcat_formatter(r"%t|%p|%o|%k|%s|%K|%S|%h|%T|%%\t\\\n")
    assert render(RECORD) == b"orders|2|41|k1|hello|2|5|a=1,b=NULL|1700000000123|%\t\\\n"
    assert render(NULLS) == b"orders|0|7|||-1|-1||5|%\t\\\n"


def test_null_literal_and_raw_bytes() -> None:
    assert kcat_formatter("%k=%s", null_literal=b"NULL")(NULLS) == b"NULL=NULL"
    binary = ConsumerRecord("t", 0, 0, 0, 0, b"\xff", b"\x00\x01", ())
    assert kcat_formatter("%k%s")(binary) == b"\xff\x00\x01"


@pytest.mark.parametrize("fmt", ["%x", "abc%", "%s %q"])
def test_unknown_tokens_are_refused(fmt: str) -> None:
    with pytest.raises(FormatError):
        kcat_formatter(fmt)


def test_kafka_formatter_all_fields() -> None:
    render = kafka_formatter(
        {
            name: "true"
            for name in (
                "print.timestamp",
                "print.partition",
                "print.offset",
                "print.headers",
                "print.key",
            )
        }
    )
    assert (
        render(RECORD)
        == b"CreateTime:1700000000123\tPartition:2\tOffset:41\ta:1,b:null\tk1\thello\n"
    )
    assert render(NULLS) == b"LogAppendTime:5\tPartition:0\tOffset:7\tNO_HEADERS\tnull\tnull\n"


def test_kafka_formatter_separators_and_without_value() -> None:
    render = kafka_formatter(
        {"print.key": "true", "key.separator": " => ", "line.separator": "\\r\\n"}
    )
    assert render(RECORD) == b"k1 => hello\r\n"
    only_key = kafka_formatter({"print.key": "true", "print.value": "false"})
    assert only_key(RECORD) == b"k1\n"
    headers = kafka_formatter(
        {
            "print.headers": "true",
            "headers.separator": ";",
            "headers.key.separator": "=",
            "null.literal": "-",
        }
    )
    assert headers(RECORD) == b"a=1;b=-\thello\n"
    assert kafka_formatter({"print.value": "false"})(RECORD) == b""


def test_kafka_formatter_checks_properties() -> None:
    with pytest.raises(FormatError, match="unknown formatter properties: print.colour"):
        kafka_formatter({"print.colour": "true"})
    with pytest.raises(FormatError, match="print.key must be true or false"):
        kafka_formatter({"print.key": "yes"})
