"""Where a producer puts a record: Kafka's default partitioning.

Keyed records go to ``toPositive(murmur2(key)) % partitions``, exactly as Java's
``BuiltInPartitioner.partitionForKey`` (``Utils.murmur2`` and ``Utils.toPositive``), so a
key lands where every Java-compatible client puts it (librdkafka's ``murmur2_random``
partitioner too; its default ``consistent_random`` uses CRC32 instead). Keyless records are
spread round-robin, starting at partition 0.
"""

from __future__ import annotations

import struct

__all__ = ["RoundRobin", "murmur2", "partition_for_key", "to_positive"]

_MASK = 0xFFFFFFFF
_SEED = 0x9747B28C
_M = 0x5BD1E995
_R = 24
_WORDS = struct.Struct("<I")


def murmur2(data: bytes) -> int:
    """MurmurHash2 as Kafka's ``Utils.murmur2``: a signed 32-bit int."""
    length = len(data)
    h = (_SEED ^ length) & _MASK
    whole = length & ~3
    for (k,) in _WORDS.iter_unpack(data[:whole]):
        k = (k * _M) & _MASK
        k ^= k >> _R
        k = (k * _M) & _MASK
        h = ((h * _M) & _MASK) ^ k
    rest = length & 3
    # Java's switch falls through: 3 -> 2 -> 1
    if rest == 3:
        h ^= data[whole + 2] << 16
    if rest >= 2:
        h ^= data[whole + 1] << 8
    if rest >= 1:
        h ^= data[whole]
        h = (h * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    h ^= h >> 15
    return h - (1 << 32) if h & 0x80000000 else h


def to_positive(number: int) -> int:
    """Kafka's ``Utils.toPositive``: clear the sign bit (not ``abs``, which fails on MIN_VALUE)."""
    return number & 0x7FFFFFFF


def partition_for_key(key: bytes, num_partitions: int) -> int:
    if num_partitions <= 0:
        raise ValueError(f"a topic has at least one partition, not {num_partitions}")
    return to_positive(murmur2(key)) % num_partitions


class RoundRobin:
    """Keyless records: partition 0, 1, ..., n-1, 0, ... (the count may change between calls)."""

    __slots__ = ("_next",)

    def __init__(self) -> None:
        self._next = 0

    def next(self, num_partitions: int) -> int:
        partition = self._next % num_partitions
        self._next = partition + 1
        return partition
