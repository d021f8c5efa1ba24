"""Fast paths for the hottest messages: Produce and Fetch requests and responses in their
common shape.

The general codec (``codec.decode``/``codec.encode``) walks a compiled plan field by field,
which costs tens of microseconds for even a one-partition message; a consumer long-polling
one partition and a producer sending one record at a time pay that on every request. These
functions read and write the same thing with a few ``struct`` calls when the message holds
only what a plain one holds, and return None for anything else (tagged fields, an error
message, record errors, a new leader's endpoint, a field the version does not carry, many
partitions, anything malformed), which the caller then hands to the general codec: it alone
decides what is refused and how. ``tests/unit/protocol/test_fast.py`` checks them against
it, object for object and byte for byte, for every served version.
"""

from __future__ import annotations

import struct
import uuid
from typing import Any

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.fetch import (
    FetchForgottenTopic,
    FetchPartition,
    FetchRequest,
    FetchTopic,
)
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)

__all__ = [
    "FAST_DECODERS",
    "FAST_ENCODERS",
    "decode_fetch_request",
    "decode_produce_request",
    "encode_fetch_response",
    "encode_produce_response",
]

_I16 = struct.Struct(">h")
_I32 = struct.Struct(">i")
_PRODUCE_PARTITION = struct.Struct(">ihqqq")  # index, error, base offset, append time, start
_FETCH_PARTITION = struct.Struct(">ihqqq")  # index, error, high watermark, LSO, log start
_FETCH_HEAD = struct.Struct(">ihi")  # throttle time, error code, session id
_ABORTED = struct.Struct(">qq")
_MAX_PARTITIONS = 64
"""Answers naming more partitions go to the general codec, which encodes them in steps."""


def _uvarint(value: int) -> bytes:
    if value < 0x80:
        return bytes((value,))
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _string(text: str, flexible: bool) -> bytes:
    data = text.encode("utf-8")
    if flexible:
        return _uvarint(len(data) + 1) + data
    if len(data) > 0x7FFF:
        raise ValueError("string too long")
    return _I16.pack(len(data)) + data


def _count(n: int, flexible: bool) -> bytes:
    return _uvarint(n + 1) if flexible else _I32.pack(n)


def _leader_is_default(leader: Any) -> bool:
    return leader is None or (leader.leader_id == -1 and leader.leader_epoch == -1)


def encode_produce_response(response: Any, version: int) -> list[Any] | None:
    """ProduceResponse v3-13 as one byte string, or None (see the module docstring)."""
    if not 3 <= version <= 13 or response.node_endpoints:
        return None
    flexible = version >= 9
    by_id = version >= 13
    out: list[bytes] = [_count(len(response.responses), flexible)]
    partitions = 0
    for topic in response.responses:
        # the name or id the version does not carry is left out (both are ignorable)
        out.append(topic.topic_id.bytes if by_id else _string(topic.name, flexible))
        parts = topic.partition_responses
        partitions += len(parts)
        if partitions > _MAX_PARTITIONS:
            return None
        out.append(_count(len(parts), flexible))
        for part in parts:
            if part.record_errors or part.error_message is not None:
                return None
            if not _leader_is_default(part.current_leader):
                return None
            packed = _PRODUCE_PARTITION.pack(
                part.index, part.error_code, part.base_offset, part.log_append_time_ms,
                part.log_start_offset,
            )
            if version < 5:
                packed = packed[:-8]
            out.append(packed)
            if version >= 8:
                # no record errors, a null error message (and no tagged fields)
                out.append(b"\x01\x00\x00" if flexible else b"\x00\x00\x00\x00\xff\xff")
        if flexible:
            out.append(b"\x00")
    out.append(_I32.pack(response.throttle_time_ms))
    if flexible:
        out.append(b"\x00")
    return [b"".join(out)]


def encode_fetch_response(response: Any, version: int) -> list[Any] | None:
    """FetchResponse v4-18: byte runs and the records' ``FileSlice``s in wire order, or
    None (see the module docstring)."""
    if not 4 <= version <= 18 or response.node_endpoints:
        return None
    flexible = version >= 12
    by_id = version >= 13
    if version >= 7:
        head = _FETCH_HEAD.pack(response.throttle_time_ms, response.error_code, response.session_id)
    else:
        if response.session_id != 0:  # not carried, not ignorable: the codec refuses it
            return None
        head = _I32.pack(response.throttle_time_ms)
    chunks: list[Any] = []
    out: list[bytes] = [head, _count(len(response.responses), flexible)]
    partitions = 0
    for topic in response.responses:
        out.append(topic.topic_id.bytes if by_id else _string(topic.topic, flexible))
        parts = topic.partitions
        partitions += len(parts)
        if partitions > _MAX_PARTITIONS:
            return None
        out.append(_count(len(parts), flexible))
        for part in parts:
            if not _leader_is_default(part.current_leader):
                return None
            diverging, snapshot = part.diverging_epoch, part.snapshot_id
            if diverging is not None and (diverging.epoch != -1 or diverging.end_offset != -1):
                return None
            if snapshot is not None and (snapshot.end_offset != -1 or snapshot.epoch != -1):
                return None
            if version < 11 and part.preferred_read_replica != -1:
                return None
            packed = _FETCH_PARTITION.pack(
                part.partition_index, part.error_code, part.high_watermark,
                part.last_stable_offset, part.log_start_offset,
            )
            if version < 5:
                packed = packed[:-8]
            out.append(packed)
            aborted = part.aborted_transactions
            if aborted is None:
                out.append(b"\x00" if flexible else b"\xff\xff\xff\xff")
            else:
                out.append(_count(len(aborted), flexible))
                for txn in aborted:
                    out.append(_ABORTED.pack(txn.producer_id, txn.first_offset))
                    if flexible:
                        out.append(b"\x00")
            if version >= 11:
                out.append(_I32.pack(part.preferred_read_replica))
            records = part.records
            if records is None:
                out.append(b"\x00" if flexible else b"\xff\xff\xff\xff")
            elif isinstance(records, FileSlice):
                out.append(_uvarint(records.length + 1) if flexible else _I32.pack(records.length))
                chunks.append(b"".join(out))
                chunks.append(records)
                out = []
            else:
                out.append(_uvarint(len(records) + 1) if flexible else _I32.pack(len(records)))
                out.append(bytes(records))
            if flexible:
                out.append(b"\x00")
        if flexible:
            out.append(b"\x00")
    if flexible:
        out.append(b"\x00")
    if out:
        chunks.append(b"".join(out))
    return chunks


FAST_ENCODERS = {
    ApiKey.PRODUCE: encode_produce_response,
    ApiKey.FETCH: encode_fetch_response,
}
"""Response fast paths by API; each returns None where the general codec must encode."""


# --- requests --------------------------------------------------------------------------------


class _Unusual(Exception):
    """Something the fast path does not read: the general codec decodes the request."""


_I64 = struct.Struct(">q")
_PRODUCE_HEAD = struct.Struct(">hi")  # acks, timeout
_FETCH_LIMITS = struct.Struct(">iiib")  # max wait, min bytes, max bytes, isolation level
_SESSION = struct.Struct(">ii")
_MAX_REQUEST_PARTITIONS = 1000


class _Reader:
    __slots__ = ("buf", "flexible", "pos")

    def __init__(self, buf: memoryview, pos: int, flexible: bool) -> None:
        self.buf = buf
        self.pos = pos
        self.flexible = flexible

    def uvarint(self) -> int:
        buf, pos = self.buf, self.pos
        byte = buf[pos]
        result, shift = byte & 0x7F, 7
        while byte & 0x80:
            pos += 1
            if shift > 28:
                raise _Unusual
            byte = buf[pos]
            result |= (byte & 0x7F) << shift
            shift += 7
        if result >> 32:
            raise _Unusual
        self.pos = pos + 1
        return result

    def unpack(self, layout: struct.Struct) -> tuple[Any, ...]:
        values = layout.unpack_from(self.buf, self.pos)
        self.pos += layout.size
        return values

    def length(self, wide: bool) -> int:
        """A string (int16) or bytes/array (int32) length, or its compact form; -1: null."""
        if self.flexible:
            return self.uvarint() - 1
        if wide:
            return self.unpack(_I32)[0]  # type: ignore[no-any-return]
        return self.unpack(_I16)[0]  # type: ignore[no-any-return]

    def count(self) -> int:
        n = self.length(True)
        if n < 0:
            raise _Unusual
        return n

    def take(self, n: int) -> memoryview:
        end = self.pos + n
        if n < 0 or end > len(self.buf):
            raise _Unusual
        view = self.buf[self.pos : end]
        self.pos = end
        return view

    def string(self, nullable: bool = False) -> str | None:
        n = self.length(False)
        if n < 0:
            if n == -1 and nullable:
                return None
            raise _Unusual
        return str(self.take(n), "utf-8")

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(bytes=bytes(self.take(16)))

    def no_tags(self) -> None:
        if self.flexible:
            if self.buf[self.pos] != 0:
                raise _Unusual
            self.pos += 1


def decode_produce_request(frame: memoryview, pos: int, version: int) -> ProduceRequest | None:
    """ProduceRequest v3-13 from ``frame`` at ``pos``, or None (see the module docstring).
    Records are views of ``frame``, as the codec gives them."""
    if not 3 <= version <= 13:
        return None
    r = _Reader(frame, pos, version >= 9)
    by_id = version >= 13
    try:
        transactional_id = r.string(nullable=True)
        acks, timeout_ms = r.unpack(_PRODUCE_HEAD)
        topics = []
        partitions = 0
        for _ in range(r.count()):
            topic = ProduceTopicData(topic_id=r.uuid()) if by_id else ProduceTopicData(name=r.string())
            count = r.count()
            partitions += count
            if partitions > _MAX_REQUEST_PARTITIONS:
                return None
            for _ in range(count):
                (index,) = r.unpack(_I32)
                size = r.length(True)
                if size < -1:
                    return None
                records = None if size == -1 else r.take(size)
                topic.partition_data.append(ProducePartitionData(index=index, records=records))
                r.no_tags()
            r.no_tags()
            topics.append(topic)
        r.no_tags()
    except (_Unusual, IndexError, struct.error, UnicodeDecodeError):
        return None
    return ProduceRequest(
        transactional_id=transactional_id, acks=acks, timeout_ms=timeout_ms, topic_data=topics
    )


def decode_fetch_request(frame: memoryview, pos: int, version: int) -> FetchRequest | None:
    """FetchRequest v4-18 from ``frame`` at ``pos``, or None (see the module docstring)."""
    if not 4 <= version <= 18:
        return None
    r = _Reader(frame, pos, version >= 12)
    by_id = version >= 13
    request = FetchRequest()
    try:
        if version <= 14:
            (request.replica_id,) = r.unpack(_I32)
        (request.max_wait_ms, request.min_bytes, request.max_bytes,
         request.isolation_level) = r.unpack(_FETCH_LIMITS)
        if version >= 7:
            request.session_id, request.session_epoch = r.unpack(_SESSION)
        partitions = 0
        for _ in range(r.count()):
            topic = FetchTopic(topic_id=r.uuid()) if by_id else FetchTopic(topic=r.string())
            count = r.count()
            partitions += count
            if partitions > _MAX_REQUEST_PARTITIONS:
                return None
            for _ in range(count):
                part = FetchPartition()
                (part.partition,) = r.unpack(_I32)
                if version >= 9:
                    (part.current_leader_epoch,) = r.unpack(_I32)
                (part.fetch_offset,) = r.unpack(_I64)
                if version >= 12:
                    (part.last_fetched_epoch,) = r.unpack(_I32)
                if version >= 5:
                    (part.log_start_offset,) = r.unpack(_I64)
                (part.partition_max_bytes,) = r.unpack(_I32)
                r.no_tags()
                topic.partitions.append(part)
            r.no_tags()
            request.topics.append(topic)
        if version >= 7:
            for _ in range(r.count()):
                forgotten = (
                    FetchForgottenTopic(topic_id=r.uuid())
                    if by_id
                    else FetchForgottenTopic(topic=r.string())
                )
                count = r.count()
                partitions += count
                if partitions > _MAX_REQUEST_PARTITIONS:
                    return None
                forgotten.partitions = [r.unpack(_I32)[0] for _ in range(count)]
                r.no_tags()
                request.forgotten_topics_data.append(forgotten)
        if version >= 11:
            request.rack_id = r.string()  # type: ignore[assignment]
        r.no_tags()
    except (_Unusual, IndexError, struct.error, UnicodeDecodeError):
        return None
    return request


FAST_DECODERS = {
    ApiKey.PRODUCE: decode_produce_request,
    ApiKey.FETCH: decode_fetch_request,
}
"""Request fast paths by API; each returns None where the general codec must decode."""
