"""The schema-driven codec, over every version of every message.

Each message is filled by ``protocol_samples.sample`` with a non-default value in every field
its version carries, so a round trip fails if a field is dropped, misplaced or written at the
wrong version. Tagged fields appear in flexible versions; nullable fields are also tried null.
Absent fields follow Kafka's generator rule: a non-ignorable field the version lacks must
hold its default (EncodeError otherwise), an ignorable one is silently dropped.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from protocol_samples import all_messages, carried, plain, sample, sample_field

from kafkalite.protocol.chunks import FileSlice
from kafkalite.protocol.codec import MAX_TAGGED_FIELDS, chunks_size, decode, encode, encode_bytes
from kafkalite.protocol.errors import EncodeError, MalformedRequest
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
from kafkalite.protocol.messages.api_versions import (
    ApiVersion,
    ApiVersionsResponse,
    FinalizedFeature,
    SupportedFeature,
)
from kafkalite.protocol.messages.fetch import (
    FetchPartitionResponse,
    FetchResponse,
    FetchTopicResponse,
)
from kafkalite.protocol.messages.produce import (
    ProducePartitionData,
    ProduceRequest,
    ProduceTopicData,
)
from kafkalite.protocol.primitives import read_uvarint, write_uvarint
from kafkalite.protocol.spec import FieldSpec, MessageSpec, StructSpec

MESSAGES = [
    pytest.param(spec, version, id=f"{api.name}-{kind}-v{version}")
    for api, kind, spec, version in all_messages()
]
API_VERSIONS_RESPONSE = RESPONSES[ApiKey.API_VERSIONS]
FETCH_RESPONSE = RESPONSES[ApiKey.FETCH]
PRODUCE_REQUEST = REQUESTS[ApiKey.PRODUCE]


def wire(*parts: str) -> bytes:
    """Bytes from hex parts, spaces allowed: one commented part per wire field."""
    return bytes.fromhex(" ".join(parts))


def round_trip(spec: MessageSpec, version: int, message: Any) -> bytes:
    chunks = encode(spec, message, version)
    data = encode_bytes(spec, message, version)
    assert chunks == [data]
    decoded, end = decode(spec, version, data)
    assert end == len(data)
    assert type(decoded) is spec.cls
    assert plain(spec, version, decoded) == plain(spec, version, message)
    return data


def test_every_api_has_messages() -> None:
    assert set(REQUESTS) == set(RESPONSES) == set(ApiKey)
    for api_key in ApiKey:
        assert REQUESTS[api_key].api_key == RESPONSES[api_key].api_key == api_key
        assert REQUESTS[api_key].valid == RESPONSES[api_key].valid
        assert not REQUESTS[api_key].valid.empty


def _assert_no_defaults(
    spec: StructSpec, version: int, flexible: bool, obj: Any, where: str
) -> None:
    defaults = spec.cls()
    for field in spec.fields:
        if not carried(field, version, flexible):
            continue
        value = getattr(obj, field.name)
        assert value != getattr(defaults, field.name) and value not in (None, []), (
            f"{where}.{field.name}"
        )
        if field.struct is not None:
            for item in value if field.type == "array" else [value]:
                _assert_no_defaults(field.struct, version, flexible, item, f"{where}.{field.name}")


@pytest.mark.parametrize(("spec", "version"), MESSAGES)
def test_samples_hold_no_default_value(spec: MessageSpec, version: int) -> None:
    # What makes the round trips below meaningful.
    _assert_no_defaults(spec, version, version in spec.flexible, sample(spec, version), spec.name)


@pytest.mark.parametrize(("spec", "version"), MESSAGES)
def test_round_trip_with_every_field_set(spec: MessageSpec, version: int) -> None:
    round_trip(spec, version, sample(spec, version))


@pytest.mark.parametrize(("spec", "version"), MESSAGES)
def test_round_trip_with_nulls(spec: MessageSpec, version: int) -> None:
    round_trip(spec, version, sample(spec, version, nulls=True))


@pytest.mark.parametrize(("spec", "version"), MESSAGES)
def test_round_trip_of_a_default_message(spec: MessageSpec, version: int) -> None:
    message = spec.cls()
    data = round_trip(spec, version, message)
    assert decode(spec, version, data)[0] == message


@pytest.mark.parametrize(("spec", "version"), MESSAGES)
def test_decode_at_an_offset(spec: MessageSpec, version: int) -> None:
    data = encode_bytes(spec, sample(spec, version, elements=1), version)
    decoded, end = decode(spec, version, b"\xee\xee\xee" + data + b"\xee", 3)
    assert end == 3 + len(data)
    assert plain(spec, version, decoded) == plain(spec, version, sample(spec, version, elements=1))


NON_EMPTY = [p for p in MESSAGES if encode_bytes(p.values[0], p.values[0].cls(), p.values[1])]


@pytest.mark.parametrize(("spec", "version"), NON_EMPTY)
def test_every_truncation_is_malformed(spec: MessageSpec, version: int) -> None:
    data = encode_bytes(spec, sample(spec, version, elements=1), version)
    step = max(1, len(data) // 97)
    for cut in {*range(0, len(data), step), len(data) - 1}:
        with pytest.raises(MalformedRequest):
            decode(spec, version, data[:cut])


# --- fields a version does not carry -------------------------------------------------------


def _absent_fields(
    spec: StructSpec, version: int, flexible: bool, obj: Any, path: tuple[Any, ...] = ()
) -> Iterator[tuple[tuple[Any, ...], FieldSpec]]:
    """(path to a struct in ``obj``, a field of it the version does not carry)."""
    for field in spec.fields:
        if not carried(field, version, flexible):
            yield path, field
            continue
        value = getattr(obj, field.name)
        if field.struct is None or not value:
            continue
        if field.type == "struct":
            yield from _absent_fields(field.struct, version, flexible, value, (*path, field.name))
        else:
            yield from _absent_fields(
                field.struct, version, flexible, value[0], (*path, field.name, 0)
            )


def _resolve(obj: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        obj = obj[step] if isinstance(step, int) else getattr(obj, step)
    return obj


def _non_default_value(field: FieldSpec) -> Any:
    """A value of ``field`` that differs from its default, built at a version carrying it."""
    version = field.versions.low if not field.versions.empty else 0
    value = sample_field(field, version, flexible=True, elements=1)
    if field.type == "struct":
        assert field.struct is not None
        if value == field.struct.cls():  # a struct whose own fields are all absent there
            return None
    return value


@pytest.mark.parametrize(("spec", "version"), MESSAGES)
def test_absent_fields_must_hold_defaults_unless_ignorable(spec: MessageSpec, version: int) -> None:
    flexible = version in spec.flexible
    message = sample(spec, version, elements=1)
    expected = encode_bytes(spec, message, version)
    for path, field in _absent_fields(spec, version, flexible, message):
        value = _non_default_value(field)
        if value is None:
            continue
        changed = copy.deepcopy(message)
        setattr(_resolve(changed, path), field.name, value)
        if field.ignorable:
            assert encode_bytes(spec, changed, version) == expected, field.name
        else:
            with pytest.raises(EncodeError, match=field.name):
                encode_bytes(spec, changed, version)


def test_non_ignorable_absent_field_known_case() -> None:
    # transactional_id arrived in Produce v3 and is not ignorable.
    request = ProduceRequest(transactional_id="txn", acks=-1, timeout_ms=1000)
    with pytest.raises(EncodeError, match="transactional_id"):
        encode_bytes(PRODUCE_REQUEST, request, 2)
    request.transactional_id = None  # the default: fine at v2
    assert encode_bytes(PRODUCE_REQUEST, request, 2).hex() == "ffff000003e800000000"


def test_ignorable_absent_field_known_case() -> None:
    # throttle_time_ms arrived in ApiVersions v1 and is ignorable: v0 drops it.
    response = ApiVersionsResponse(
        api_keys=[ApiVersion(api_key=18, min_version=0, max_version=4)], throttle_time_ms=50
    )
    data = encode_bytes(API_VERSIONS_RESPONSE, response, 0)
    assert data == wire("0000", "00000001 0012 0000 0004")  # no throttle_time_ms


# --- tagged fields -------------------------------------------------------------------------


def test_tagged_fields_are_written_in_tag_order_only_when_not_default() -> None:
    response = ApiVersionsResponse(
        api_keys=[],
        zk_migration_ready=True,  # tag 3
        finalized_features_epoch=7,  # tag 1
        finalized_features=[
            FinalizedFeature(name="f", max_version_level=2, min_version_level=1)
        ],  # tag 2
    )
    data = encode_bytes(API_VERSIONS_RESPONSE, response, 3)
    assert data == wire(
        "0000",  # error_code
        "01",  # api_keys: empty compact array
        "00000000",  # throttle_time_ms
        "03",  # three tagged fields, in tag order:
        "01 08 0000000000000007",  # tag 1, size 8, int64 7
        "02 08 02 0266 0002 0001 00",  # tag 2, size 8, one FinalizedFeature
        "03 01 01",  # tag 3, size 1, true
    )
    assert decode(API_VERSIONS_RESPONSE, 3, data) == (response, len(data))
    default = encode_bytes(API_VERSIONS_RESPONSE, ApiVersionsResponse(), 3)
    assert default == wire("0000 01 00000000", "00")  # no tagged field is written


def test_unknown_tagged_fields_are_skipped() -> None:
    data = wire(
        "0000 01 00000000",  # error_code, api_keys, throttle_time_ms
        "03",  # three tagged fields
        "01 08 0000000000000007",  # tag 1: finalized_features_epoch
        "05 03 abcdef",  # tag 5: unknown here
        "7f 00",  # tag 127, empty
    )
    decoded, end = decode(API_VERSIONS_RESPONSE, 3, data)
    assert end == len(data)
    assert decoded == ApiVersionsResponse(finalized_features_epoch=7)


def _split_tagged_section(data: bytes, start: int) -> list[tuple[int, bytes]]:
    view = memoryview(data)
    count, pos = read_uvarint(view, start)
    entries = []
    for _ in range(count):
        tag, pos = read_uvarint(view, pos)
        size, pos = read_uvarint(view, pos)
        entries.append((tag, data[pos : pos + size]))
        pos += size
    assert pos == len(data)
    return entries


@settings(max_examples=150)
@given(
    epoch=st.integers(-(1 << 63), (1 << 63) - 1),
    ready=st.booleans(),
    names=st.lists(st.text(max_size=20), max_size=3),
    unknown=st.dictionaries(st.integers(4, 1 << 20), st.binary(max_size=200), max_size=3),
)
def test_tagged_fields_property(
    epoch: int, ready: bool, names: list[str], unknown: dict[int, bytes]
) -> None:
    response = ApiVersionsResponse(
        error_code=0,
        api_keys=[],
        throttle_time_ms=1,
        finalized_features_epoch=epoch,
        zk_migration_ready=ready,
        supported_features=[SupportedFeature(name=n, min_version=1, max_version=2) for n in names],
    )
    data = encode_bytes(API_VERSIONS_RESPONSE, response, 3)
    assert decode(API_VERSIONS_RESPONSE, 3, data) == (response, len(data))
    fixed = 2 + 1 + 4  # error_code, empty api_keys, throttle_time_ms
    known = _split_tagged_section(data, fixed)
    assert [tag for tag, _ in known] == sorted(tag for tag, _ in known)
    assert len(known) == (epoch != -1) + ready + bool(names)
    # A newer broker's tags we don't know, interleaved in tag order: skipped.
    out = bytearray(data[:fixed])
    entries = sorted([*known, *unknown.items()])
    write_uvarint(out, len(entries))
    for tag, body in entries:
        write_uvarint(out, tag)
        write_uvarint(out, len(body))
        out += body
    assert decode(API_VERSIONS_RESPONSE, 3, bytes(out)) == (response, len(out))


def test_tagged_field_running_past_the_frame_is_malformed() -> None:
    with pytest.raises(MalformedRequest):
        # one tagged field, tag 5, claiming 9 bytes of which 2 remain
        decode(API_VERSIONS_RESPONSE, 3, wire("0000 01 00000000", "01 05 09 abcd"))


def encode_uvarint(value: int) -> bytes:
    out = bytearray()
    write_uvarint(out, value)
    return bytes(out)


def test_too_many_tagged_fields_is_malformed() -> None:
    empty_tags = bytes.fromhex("7f00") * (MAX_TAGGED_FIELDS + 1)
    body = wire("0000 01 00000000") + encode_uvarint(MAX_TAGGED_FIELDS + 1) + empty_tags
    with pytest.raises(MalformedRequest, match="tagged fields"):
        decode(API_VERSIONS_RESPONSE, 3, body)
    # as many as the cap allows still decode
    body = wire("0000 01 00000000") + encode_uvarint(MAX_TAGGED_FIELDS) + empty_tags[2:]
    assert decode(API_VERSIONS_RESPONSE, 3, body)[1] == len(body)


def _has_tagged(spec: StructSpec, version: int) -> bool:
    return any(
        carried(f, version, flexible=True)
        and (f.tag is not None or (f.struct is not None and _has_tagged(f.struct, version)))
        for f in spec.fields
    )


WITH_TAGGED_FIELDS = [
    p for p in MESSAGES if p.values[1] in p.values[0].flexible and _has_tagged(*p.values)
]


def test_some_messages_have_tagged_fields() -> None:
    assert {p.id for p in WITH_TAGGED_FIELDS} >= {
        "API_VERSIONS-response-v3",
        "FETCH-request-v12",
        "PRODUCE-response-v10",
        "FETCH-response-v12",
    }


@pytest.mark.parametrize(("spec", "version"), WITH_TAGGED_FIELDS)
def test_tagged_fields_are_optional_on_the_wire(spec: MessageSpec, version: int) -> None:
    message = sample(spec, version, elements=1)
    data = encode_bytes(spec, message, version)
    untagged = copy.deepcopy(message)
    assert _clear_tagged(spec, version, untagged)
    shorter = encode_bytes(spec, untagged, version)
    assert len(shorter) < len(data)
    assert plain(spec, version, decode(spec, version, shorter)[0]) == plain(spec, version, untagged)
    assert plain(spec, version, decode(spec, version, data)[0]) == plain(spec, version, message)


def _clear_tagged(spec: StructSpec, version: int, obj: Any) -> int:
    """Reset every tagged field in ``obj`` to its default; returns how many ``version`` has."""
    count = 0
    for field in spec.fields:
        value = getattr(obj, field.name)
        if not carried(field, version, flexible=True):
            continue
        if field.tag is not None:
            setattr(obj, field.name, getattr(spec.cls(), field.name))
            count += 1
        elif field.struct is not None and value:
            for item in value if field.type == "array" else [value]:
                count += _clear_tagged(field.struct, version, item)
    return count


# --- records and file slices ---------------------------------------------------------------


def test_records_decode_to_a_view_of_the_frame() -> None:
    request = ProduceRequest(
        acks=-1,
        timeout_ms=30_000,
        topic_data=[
            ProduceTopicData(
                name="t", partition_data=[ProducePartitionData(index=0, records=b"\x01\x02\x03")]
            )
        ],
    )
    frame = bytearray(encode_bytes(PRODUCE_REQUEST, request, 9))
    decoded, _ = decode(PRODUCE_REQUEST, 9, frame)
    records = decoded.topic_data[0].partition_data[0].records
    assert isinstance(records, memoryview)
    assert records.obj is frame  # no copy: the storage layer patches the frame in place
    assert bytes(records) == b"\x01\x02\x03"


@pytest.mark.parametrize("version", list(FETCH_RESPONSE.valid))
def test_file_slice_in_records(version: int) -> None:
    response: FetchResponse = sample(FETCH_RESPONSE, version, elements=2)
    partition = response.responses[0].partitions[0]
    file_slice = FileSlice(fd=7, position=4096, length=300)
    partition.records = file_slice
    chunks = encode(FETCH_RESPONSE, response, version)
    assert [type(c) for c in chunks] == [bytes, FileSlice, bytes]
    assert chunks[1] is file_slice
    prefix = bytes([0xAD, 0x02]) if version in FETCH_RESPONSE.flexible else (300).to_bytes(4, "big")
    assert chunks[0].endswith(prefix)  # uvarint 301 (compact) or int32 300
    assert chunks_size(chunks) == len(chunks[0]) + 300 + len(chunks[2])
    partition.records = b"\x5a" * 300
    assert encode_bytes(FETCH_RESPONSE, response, version) == chunks[0] + b"\x5a" * 300 + chunks[2]
    partition.records = file_slice
    with pytest.raises(EncodeError):
        encode_bytes(FETCH_RESPONSE, response, version)


@pytest.mark.parametrize("version", [4, 12])
def test_file_slice_at_the_end_leaves_no_empty_chunk(version: int) -> None:
    file_slice = FileSlice(fd=7, position=0, length=5)
    response = FetchResponse(
        responses=[
            FetchTopicResponse(topic="t", partitions=[FetchPartitionResponse(records=file_slice)])
        ]
    )
    chunks = encode(FETCH_RESPONSE, response, version)
    assert chunks[1] is file_slice
    # v4-11 end with the last partition's records; v12+ with three empty tagged-field sections
    assert chunks[2:] == ([b"\x00\x00\x00"] if version in FETCH_RESPONSE.flexible else [])


def test_several_file_slices_keep_their_order() -> None:
    version = 12
    response: FetchResponse = sample(FETCH_RESPONSE, version, elements=2)
    slices = []
    for topic in response.responses:
        for partition in topic.partitions:
            partition.records = FileSlice(
                fd=3, position=len(slices) * 1000, length=10 + len(slices)
            )
            slices.append(partition.records)
    chunks = encode(FETCH_RESPONSE, response, version)
    assert [c for c in chunks if isinstance(c, FileSlice)] == slices
    assert all(isinstance(c, bytes) and c for c in chunks if not isinstance(c, FileSlice))
    for topic in response.responses:
        for partition in topic.partitions:
            partition.records = b"\x00" * partition.records.length
    joined = b"".join(c if isinstance(c, bytes) else b"\x00" * c.length for c in chunks)
    assert joined == encode_bytes(FETCH_RESPONSE, response, version)


# --- hostile input -------------------------------------------------------------------------

SAMPLED = [
    (spec, version, encode_bytes(spec, sample(spec, version, elements=1), version))
    for _, _, spec, version in all_messages()
]


@settings(max_examples=300, deadline=None)
@given(case=st.sampled_from([c for c in SAMPLED if c[2]]), data=st.data())
def test_corrupted_bytes_decode_or_raise_malformed(
    case: tuple[MessageSpec, int, bytes], data: st.DataObject
) -> None:
    spec, version, encoded = case
    corrupted = bytearray(encoded)
    for _ in range(data.draw(st.integers(1, 4))):
        corrupted[data.draw(st.integers(0, len(corrupted) - 1))] = data.draw(st.integers(0, 255))
    with contextlib.suppress(MalformedRequest):  # anything else fails the test
        decode(spec, version, corrupted)


@settings(max_examples=200, deadline=None)
@given(case=st.sampled_from(SAMPLED), garbage=st.binary(max_size=64))
def test_random_bytes_decode_or_raise_malformed(
    case: tuple[MessageSpec, int, bytes], garbage: bytes
) -> None:
    spec, version, _ = case
    with contextlib.suppress(MalformedRequest):
        decode(spec, version, garbage)


def test_array_claiming_more_elements_than_bytes_is_refused_early() -> None:
    # Metadata v0 request: topics array claiming 2**31-1 names in a 4-byte body.
    with pytest.raises(MalformedRequest, match="claims"):
        decode(REQUESTS[ApiKey.METADATA], 0, bytes.fromhex("7fffffff"))
