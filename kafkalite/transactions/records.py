"""``__transaction_state`` records in Kafka's formats (TransactionLogKey.json,
TransactionLogValue.json of Kafka's transaction-coordinator module), so Kafka's own tools
(kafka-console-consumer with TransactionLogMessageFormatter) read what we write.

Each key and value starts with its int16 version.

    key v0:   transactional_id: string
    value v0: producer_id int64, producer_epoch int16, transaction_timeout_ms int32,
              transaction_status int8, transaction_partitions: nullable
              [topic string, partition_ids [int32]], last_update_timestamp_ms int64,
              start_timestamp_ms int64
    value v1: the same fields in flexible form (compact strings and arrays, a tagged-field
              section after each struct), plus tagged fields 0 previous_producer_id int64,
              1 next_producer_id int64 (both default -1), 2 client_transaction_version
              int16 (default 0). A tag is written only when its value is not the default.

Empty transactions carry a null partition list (``TransactionLog.valueToBytes``); on
reading, an Empty record's partitions are ignored. A ``None`` value is a tombstone: the
transactional id was expired. Unknown tags are skipped, so newer records still load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kafkalite.protocol.errors import MalformedRequest
from kafkalite.protocol.primitives import FIXED, read_uvarint, take, write_uvarint

from .api import NO_PRODUCER_EPOCH, NO_PRODUCER_ID, TopicPartition
from .state import TransactionMetadata, TransactionState

__all__ = [
    "KEY_VERSION",
    "TransactionLogRecordError",
    "decode_key",
    "decode_value",
    "encode_key",
    "encode_value",
]

KEY_VERSION = 0

_R8, _W8, _ = FIXED["int8"]
_R16, _W16, _ = FIXED["int16"]
_R32, _W32, _ = FIXED["int32"]
_R64, _W64, _ = FIXED["int64"]

_TAG_PREVIOUS_PRODUCER_ID = 0
_TAG_NEXT_PRODUCER_ID = 1
_TAG_CLIENT_TRANSACTION_VERSION = 2


class TransactionLogRecordError(ValueError):
    """A ``__transaction_state`` record this broker cannot read."""


def encode_key(transactional_id: str) -> bytes:
    out = bytearray()
    _W16(out, KEY_VERSION)
    _write_string(out, transactional_id, flexible=False)
    return bytes(out)


def decode_key(data: bytes) -> str | None:
    """The transactional id of a key, or None for a key version this broker does not know
    (skipped on load, as Kafka does)."""
    buf = memoryview(data)
    try:
        version, pos = _R16(buf, 0)
        if version != KEY_VERSION:
            return None
        transactional_id, _pos = _read_string(buf, pos, flexible=False)
    except MalformedRequest as exc:
        raise TransactionLogRecordError(f"bad transaction log key: {exc}") from None
    return transactional_id


def encode_value(metadata: TransactionMetadata, version: int) -> bytes:
    if version not in (0, 1):
        raise ValueError(f"TransactionLogValue has versions 0-1, not {version}")
    flexible = version >= 1
    out = bytearray()
    _W16(out, version)
    _W64(out, metadata.producer_id)
    _W16(out, metadata.producer_epoch)
    _W32(out, metadata.transaction_timeout_ms)
    _W8(out, metadata.state.value)
    if metadata.state is TransactionState.EMPTY:
        _write_count(out, -1, flexible)
    else:
        topics = metadata.partitions_by_topic()
        _write_count(out, len(topics), flexible)
        for topic, partition_ids in topics.items():
            _write_string(out, topic, flexible)
            _write_count(out, len(partition_ids), flexible)
            for partition_id in partition_ids:
                _W32(out, partition_id)
            if flexible:
                write_uvarint(out, 0)  # no tagged fields in PartitionsSchema
    _W64(out, metadata.last_update_timestamp_ms)
    _W64(out, metadata.start_timestamp_ms)
    if flexible:
        tags: list[tuple[int, bytes]] = []
        if metadata.previous_producer_id != NO_PRODUCER_ID:
            tags.append((_TAG_PREVIOUS_PRODUCER_ID, _fixed(_W64, metadata.previous_producer_id)))
        if metadata.next_producer_id != NO_PRODUCER_ID:
            tags.append((_TAG_NEXT_PRODUCER_ID, _fixed(_W64, metadata.next_producer_id)))
        if metadata.client_transaction_version != 0:
            tags.append(
                (_TAG_CLIENT_TRANSACTION_VERSION, _fixed(_W16, metadata.client_transaction_version))
            )
        _write_tags(out, tags)
    return bytes(out)


def decode_value(transactional_id: str, data: bytes) -> TransactionMetadata:
    buf = memoryview(data)
    try:
        version, pos = _R16(buf, 0)
        if version not in (0, 1):
            raise TransactionLogRecordError(f"unknown TransactionLogValue version {version}")
        flexible = version >= 1
        producer_id, pos = _R64(buf, pos)
        producer_epoch, pos = _R16(buf, pos)
        timeout_ms, pos = _R32(buf, pos)
        status, pos = _R8(buf, pos)
        partitions: set[TopicPartition] = set()
        topic_count, pos = _read_count(buf, pos, flexible)
        for _ in range(max(topic_count, 0)):
            topic, pos = _read_string(buf, pos, flexible)
            id_count, pos = _read_count(buf, pos, flexible)
            for _ in range(max(id_count, 0)):
                partition_id, pos = _R32(buf, pos)
                partitions.add(TopicPartition(topic, partition_id))
            if flexible:
                pos = _skip_tags(buf, pos, {})
        last_update_ms, pos = _R64(buf, pos)
        start_ms, pos = _R64(buf, pos)
        tags: dict[int, memoryview] = {}
        if flexible:
            pos = _skip_tags(buf, pos, tags)
        state = TransactionState(status)
    except MalformedRequest as exc:
        raise TransactionLogRecordError(f"bad transaction log value: {exc}") from None
    except ValueError as exc:  # an unknown status byte
        raise TransactionLogRecordError(str(exc)) from None
    return TransactionMetadata(
        transactional_id=transactional_id,
        producer_id=producer_id,
        previous_producer_id=_tag(tags, _TAG_PREVIOUS_PRODUCER_ID, _R64, NO_PRODUCER_ID),
        next_producer_id=_tag(tags, _TAG_NEXT_PRODUCER_ID, _R64, NO_PRODUCER_ID),
        producer_epoch=producer_epoch,
        last_producer_epoch=NO_PRODUCER_EPOCH,
        transaction_timeout_ms=timeout_ms,
        state=state,
        partitions=frozenset() if state is TransactionState.EMPTY else frozenset(partitions),
        start_timestamp_ms=start_ms,
        last_update_timestamp_ms=last_update_ms,
        client_transaction_version=_tag(tags, _TAG_CLIENT_TRANSACTION_VERSION, _R16, 0),
    )


# -- primitives in the two encodings -------------------------------------------------------


def _write_string(out: bytearray, text: str, flexible: bool) -> None:
    data = text.encode()
    if flexible:
        write_uvarint(out, len(data) + 1)
    else:
        _W16(out, len(data))
    out += data


def _read_string(buf: memoryview, pos: int, flexible: bool) -> tuple[str, int]:
    if flexible:
        length, pos = read_uvarint(buf, pos)
        length -= 1
    else:
        length, pos = _R16(buf, pos)
    if length < 0:
        raise TransactionLogRecordError("null string in a non-nullable field")
    raw, pos = take(buf, pos, length)
    return bytes(raw).decode(), pos


def _write_count(out: bytearray, count: int, flexible: bool) -> None:
    if flexible:
        write_uvarint(out, count + 1)
    else:
        _W32(out, count)


def _read_count(buf: memoryview, pos: int, flexible: bool) -> tuple[int, int]:
    if flexible:
        raw, pos = read_uvarint(buf, pos)
        return raw - 1, pos
    count: int
    count, pos = _R32(buf, pos)
    return count, pos


def _fixed(write: Callable[[bytearray, Any], None], value: int) -> bytes:
    out = bytearray()
    write(out, value)
    return bytes(out)


def _write_tags(out: bytearray, tags: Iterable[tuple[int, bytes]]) -> None:
    tags = list(tags)
    write_uvarint(out, len(tags))
    for tag, data in tags:
        write_uvarint(out, tag)
        write_uvarint(out, len(data))
        out += data


def _skip_tags(buf: memoryview, pos: int, into: dict[int, memoryview]) -> int:
    count, pos = read_uvarint(buf, pos)
    for _ in range(count):
        tag, pos = read_uvarint(buf, pos)
        size, pos = read_uvarint(buf, pos)
        into[tag], pos = take(buf, pos, size)
    return pos


def _tag(
    tags: dict[int, memoryview], tag: int, read: Callable[[memoryview, int], tuple[Any, int]],
    default: int,
) -> int:
    if tag not in tags:
        return default
    value: int = read(tags[tag], 0)[0]
    return value
