"""Kafka's murmur2 partitioning, checked against Java's vectors and kafka-python."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kafka.partitioner.default import murmur2 as kafka_python_murmur2

from kafkalite.client.partitioner import RoundRobin, murmur2, partition_for_key, to_positive

# org.apache.kafka.common.utils.UtilsTest#testMurmur2
JAVA_VECTORS = {
    b"21": -973932308,
    b"foobar": -790332482,
    b"a-little-bit-long-string": -985981536,
    b"a-little-bit-longer-string": -1486304829,
    b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
    b"abc": 479470107,
}


@pytest.mark.parametrize(("key", "expected"), JAVA_VECTORS.items())
def test_murmur2_matches_java_vectors(key: bytes, expected: int) -> None:
    assert murmur2(key) == expected


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=64))
def test_murmur2_matches_kafka_python(key: bytes) -> None:
    # kafka-python returns the unsigned 32-bit value, Java (and we) the signed one
    assert murmur2(key) & 0xFFFFFFFF == kafka_python_murmur2(key)


@pytest.mark.parametrize("length", range(0, 13))
def test_every_tail_length_matches_kafka_python(length: int) -> None:
    key = bytes(range(200, 200 + length))  # high bytes: Java's sign extension is masked
    assert murmur2(key) & 0xFFFFFFFF == kafka_python_murmur2(key)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=40), st.integers(min_value=1, max_value=1000))
def test_partition_for_key_is_kafka_python_default_partitioner(key: bytes, partitions: int) -> None:
    expected = (kafka_python_murmur2(key) & 0x7FFFFFFF) % partitions
    assert partition_for_key(key, partitions) == expected


def test_known_key_placements() -> None:
    assert [partition_for_key(b"key-%d" % i, 3) for i in range(8)] == [
        (kafka_python_murmur2(b"key-%d" % i) & 0x7FFFFFFF) % 3 for i in range(8)
    ]
    assert partition_for_key(b"k1", 3) == 2
    assert partition_for_key(b"k2", 3) == 0
    assert partition_for_key(b"", 7) == (kafka_python_murmur2(b"") & 0x7FFFFFFF) % 7


def test_to_positive_clears_only_the_sign_bit() -> None:
    assert to_positive(-(1 << 31)) == 0
    assert to_positive(-1) == 0x7FFFFFFF
    assert to_positive(5) == 5


def test_partition_for_key_needs_partitions() -> None:
    with pytest.raises(ValueError):
        partition_for_key(b"k", 0)


def test_round_robin_cycles_and_follows_partition_count_changes() -> None:
    rr = RoundRobin()
    assert [rr.next(3) for _ in range(7)] == [0, 1, 2, 0, 1, 2, 0]
    assert [rr.next(5) for _ in range(5)] == [1, 2, 3, 4, 0]
    assert [rr.next(2) for _ in range(3)] == [1, 0, 1]
