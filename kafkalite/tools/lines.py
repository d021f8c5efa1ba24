"""Reading producer input: lines from stdin, and Kafka's line format.

``LineReader`` hands out complete lines as they arrive, and can wait with a timeout, so the
producer sends what it has once input pauses (``linger``) instead of waiting for a full
batch. It reads the file descriptor directly (``select`` + ``os.read``); streams without
one (tests) are read with ``read1``.

``LineFormat`` is Kafka's ``LineMessageReader`` (kafka-console-producer.sh properties)::

    [headers <headers.delimiter>] [key <key.separator>] value

- ``parse.key`` / ``key.separator`` (default TAB): the key is the text before the first
  separator; ``--key-separator SEP`` sets both.
- ``parse.headers`` / ``headers.delimiter`` (default TAB) / ``headers.separator`` (default
  ``,``) / ``headers.key.separator`` (default ``:``): a header section such as
  ``h1:v1,h2:v2`` before the key. An empty section means no headers.
- ``null.marker``: a key, value or header value equal to it is sent as null.
- ``ignore.error``: a line without a separator is sent whole as the value (key null)
  instead of failing; a header without a key separator gets a null value.
"""

from __future__ import annotations

import io
import os
import select
from dataclasses import dataclass
from typing import BinaryIO

from kafkalite.client.records import Header

__all__ = ["LineError", "LineFormat", "LineReader"]


class LineError(ValueError):
    """A line that does not match the expected format."""


@dataclass(frozen=True, slots=True)
class LineFormat:
    parse_key: bool = False
    key_separator: bytes = b"\t"
    parse_headers: bool = False
    headers_delimiter: bytes = b"\t"
    headers_separator: bytes = b","
    headers_key_separator: bytes = b":"
    null_marker: bytes | None = None
    ignore_error: bool = False

    def parse(
        self, line: bytes, line_number: int
    ) -> tuple[bytes | None, bytes | None, tuple[Header, ...]]:
        """``(key, value, headers)`` of one line (without its line terminator)."""
        rest = line
        headers: tuple[Header, ...] = ()
        if self.parse_headers:
            section, rest = self._split(
                rest, self.headers_delimiter, "headers delimiter", line_number
            )
            if section is not None and section != self.null_marker:
                headers = self._headers(section, line_number)
        key: bytes | None = None
        if self.parse_key:
            key, rest = self._split(rest, self.key_separator, "key separator", line_number)
        return self._nullable(key), self._nullable(rest), headers

    def _split(
        self, text: bytes, separator: bytes, name: str, line_number: int
    ) -> tuple[bytes | None, bytes]:
        index = text.find(separator)
        if index < 0:
            if self.ignore_error:
                return None, text
            raise LineError(f"no {name} {separator!r} found on line {line_number}: {_show(text)}")
        return text[:index], text[index + len(separator) :]

    def _headers(self, section: bytes, line_number: int) -> tuple[Header, ...]:
        if not section:
            return ()
        headers: list[Header] = []
        for pair in section.split(self.headers_separator):
            name, sep, value = pair.partition(self.headers_key_separator)
            if not sep:
                if not self.ignore_error:
                    raise LineError(
                        f"no header key separator {self.headers_key_separator!r} in {_show(pair)} on line {line_number}"
                    )
                headers.append((pair.decode("utf-8", "replace"), None))
                continue
            if self.null_marker is not None and name == self.null_marker:
                raise LineError(
                    f"header key on line {line_number} equals the null marker: header keys cannot be null"
                )
            headers.append((name.decode("utf-8", "replace"), self._nullable(value)))
        return tuple(headers)

    def _nullable(self, data: bytes | None) -> bytes | None:
        if data is None or (self.null_marker is not None and data == self.null_marker):
            return None
        return data


def _show(data: bytes, limit: int = 80) -> str:
    text = data[:limit].decode("utf-8", "replace")
    return repr(text + ("..." if len(data) > limit else ""))


class LineReader:
    """Complete lines from a binary stream, as they arrive."""

    def __init__(self, stream: BinaryIO, chunk_size: int = 1 << 16) -> None:
        self._stream = stream
        self._chunk_size = chunk_size
        self._buffer = bytearray()
        self._eof = False
        self._fd: int | None
        try:
            self._fd = stream.fileno()
        except (OSError, AttributeError, io.UnsupportedOperation):
            self._fd = None

    @property
    def eof(self) -> bool:
        return self._eof and not self._buffer

    def read_lines(self, timeout: float | None = None) -> list[bytes]:
        """Lines available within ``timeout`` seconds (None: block until some arrive or the
        input ends). Line terminators (``\\n`` or ``\\r\\n``) are removed; a last line without
        one is returned at end of input. An empty list means a timeout or the end."""
        while not self._eof:
            if not self._wait(timeout):
                return []
            chunk = self._read()
            if not chunk:
                self._eof = True
                break
            self._buffer += chunk
            if b"\n" in chunk:
                break
        return self._take_lines()

    def _take_lines(self) -> list[bytes]:
        end = self._buffer.rfind(b"\n")
        if end < 0:
            if self._eof and self._buffer:
                lines = [_strip_cr(bytes(self._buffer))]
                self._buffer.clear()
                return lines
            return []
        complete = bytes(self._buffer[:end])
        del self._buffer[: end + 1]
        lines = [_strip_cr(line) for line in complete.split(b"\n")]
        if self._eof and self._buffer:
            lines.append(_strip_cr(bytes(self._buffer)))
            self._buffer.clear()
        return lines

    def _wait(self, timeout: float | None) -> bool:
        if timeout is None or self._fd is None:
            return True
        try:
            ready, _, _ = select.select([self._fd], [], [], max(timeout, 0.0))
        except (OSError, ValueError):  # not selectable (Windows pipes): read blocking
            return True
        return bool(ready)

    def _read(self) -> bytes:
        if self._fd is not None:
            return os.read(self._fd, self._chunk_size)
        read1 = getattr(self._stream, "read1", None)
        data = read1(self._chunk_size) if read1 is not None else self._stream.read(self._chunk_size)
        return bytes(data)


def _strip_cr(line: bytes) -> bytes:
    return line[:-1] if line.endswith(b"\r") else line
