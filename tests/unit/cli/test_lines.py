"""Producer input: Kafka's LineMessageReader rules and the line reader over real pipes."""

from __future__ import annotations

import io
import os
import threading
import time

import pytest

from kafkalite.tools.lines import LineError, LineFormat, LineReader

KEYED = LineFormat(parse_key=True, key_separator=b":")
FULL = LineFormat(parse_key=True, key_separator=b":", parse_headers=True, null_marker=b"NULL")


def test_value_only_lines_keep_every_byte() -> None:
    assert LineFormat().parse(b"a:b\tc", 1) == (None, b"a:b\tc", ())
    assert LineFormat().parse(b"", 1) == (None, b"", ())


def test_key_is_the_text_before_the_first_separator() -> None:
    assert KEYED.parse(b"k:v:w", 1) == (b"k", b"v:w", ())
    assert KEYED.parse(b":v", 1) == (b"", b"v", ())
    assert KEYED.parse(b"k:", 1) == (b"k", b"", ())
    assert LineFormat(parse_key=True).parse(b"k\tv", 1) == (b"k", b"v", ())  # TAB by default
    assert LineFormat(parse_key=True, key_separator=b"::").parse(b"a::b::c", 1) == (
        b"a",
        b"b::c",
        (),
    )


def test_missing_key_separator_is_an_error_unless_ignored() -> None:
    with pytest.raises(LineError, match="no key separator b':' found on line 7: 'plain'"):
        KEYED.parse(b"plain", 7)
    lenient = LineFormat(parse_key=True, key_separator=b":", ignore_error=True)
    assert lenient.parse(b"plain", 7) == (None, b"plain", ())


def test_headers_section_comes_first() -> None:
    assert FULL.parse(b"h1:v1,h2:v2\tk:v", 1) == (b"k", b"v", (("h1", b"v1"), ("h2", b"v2")))
    assert FULL.parse(b"\tk:v", 1) == (b"k", b"v", ())
    assert FULL.parse(b"h:\tk:v", 1) == (b"k", b"v", (("h", b""),))
    assert FULL.parse(b"h:a:b\tk:v", 1)[2] == (("h", b"a:b"),)
    assert FULL.parse("\u00e9:x\tk:v".encode(), 1)[2] == (("\u00e9", b"x"),)


def test_null_marker_applies_to_key_value_and_header_values() -> None:
    assert FULL.parse(b"h:NULL\tNULL:NULL", 1) == (None, None, (("h", None),))
    assert FULL.parse(b"NULL\tk:v", 1) == (b"k", b"v", ())
    with pytest.raises(LineError, match="null marker"):
        FULL.parse(b"NULL:x\tk:v", 3)


def test_header_errors() -> None:
    with pytest.raises(LineError, match="no headers delimiter"):
        FULL.parse(b"k:v", 2)
    with pytest.raises(LineError, match="no header key separator b':' in 'bad' on line 2"):
        FULL.parse(b"bad\tk:v", 2)
    lenient = LineFormat(parse_headers=True, ignore_error=True)
    assert lenient.parse(b"bad\tvalue", 1) == (None, b"value", (("bad", None),))


def test_custom_header_delimiters() -> None:
    fmt = LineFormat(
        parse_headers=True,
        headers_delimiter=b"|",
        headers_separator=b";",
        headers_key_separator=b"=",
    )
    assert fmt.parse(b"a=1;b=2|value", 1) == (None, b"value", (("a", b"1"), ("b", b"2")))


def test_reader_splits_lines_and_strips_crlf() -> None:
    reader = LineReader(io.BytesIO(b"one\r\ntwo\n\nthree"))
    lines: list[bytes] = []
    for _ in range(10):
        got = reader.read_lines()
        lines += got
        if reader.eof:
            break
    assert lines == [b"one", b"two", b"", b"three"]
    assert reader.read_lines() == []


def test_reader_on_a_pipe_returns_lines_as_they_arrive() -> None:
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd, "rb", buffering=0) as stream:
        reader = LineReader(stream)
        os.write(write_fd, b"first\nsec")
        assert reader.read_lines(timeout=5) == [b"first"]
        started = time.monotonic()
        assert reader.read_lines(timeout=0.05) == []  # half a line: wait, then give up
        assert time.monotonic() - started < 2

        def finish() -> None:
            time.sleep(0.05)
            os.write(write_fd, b"ond\nthird")
            os.close(write_fd)

        writer = threading.Thread(target=finish)
        writer.start()
        assert reader.read_lines(timeout=5) == [b"second"]
        writer.join(timeout=5)
        assert reader.read_lines(timeout=5) == [b"third"]
        assert reader.eof
        assert reader.read_lines(timeout=5) == []
