"""Property tests on hostile input: the request decoder over every served API and version,
and the record check of produced batches.

- ``ServerConnection`` fed a sample request of every served (API, version), mutated (bytes
  flipped, cut, spliced, the size prefix kept or fitted), either decodes it or raises
  ``MalformedRequest`` (a ``ProtocolError``): never any other exception, so a hostile frame
  closes its connection and nothing else.
- ``validate_records`` accepts every well-formed batch (and finds its keyless records), and
  on mutated record bytes either refuses them with ``InvalidRecordError`` or
  ``CorruptRecordError`` or accepts records whose offsets are exactly ``baseOffset +
  0 .. count-1``.

The suite runs a bounded number of examples (fast enough for every run). For a longer
run, raise it with an environment variable, e.g. in CI::

    KAFKALITE_FUZZ_EXAMPLES=20000 python -m pytest -q tests/unit/protocol/test_fuzz.py
"""

from __future__ import annotations

import os
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from protocol_samples import sample, served_ranges

from kafkalite.protocol.codec import encode_bytes
from kafkalite.protocol.compression import CODECS
from kafkalite.protocol.connection import NEED_DATA, ServerConnection
from kafkalite.protocol.errors import ProtocolError
from kafkalite.protocol.headers import request_header_version
from kafkalite.protocol.messages import REQUESTS
from kafkalite.protocol.messages.headers import REQUEST_HEADER_SPEC, RequestHeader
from kafkalite.protocol.record_codec import Record, encode_batch, read_record_timestamps
from kafkalite.protocol.record_validator import RecordLimits, validate_records
from kafkalite.protocol.records import BATCH_HEADER_SIZE, CorruptRecordError, InvalidRecordError
from tests.unit.batches import relabel

EXAMPLES = int(os.environ.get("KAFKALITE_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
FUZZ_RECORDS = settings(FUZZ, max_examples=max(EXAMPLES // 2, 1))  # each example builds a batch
SERVED = served_ranges()


def _frame(api_key: int, version: int) -> bytes:
    header = RequestHeader(
        request_api_key=api_key, request_api_version=version, correlation_id=7, client_id="fuzz"
    )
    payload = encode_bytes(REQUEST_HEADER_SPEC, header, request_header_version(api_key, version))
    payload += encode_bytes(REQUESTS[api_key], sample(REQUESTS[api_key], version), version)
    return struct.pack(">i", len(payload)) + payload


SEEDS = [
    _frame(api_key, version)
    for api_key, (low, high) in sorted(SERVED.items())
    for version in range(low, high + 1)
    if version in REQUESTS[api_key].valid
]


@st.composite
def mutated_frames(draw: st.DrawFn) -> bytes:
    frame = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 6))):
        kind = draw(st.sampled_from(["flip", "cut", "splice", "byte"]))
        at = draw(st.integers(0, max(len(frame) - 1, 0)))
        if kind == "flip" and frame:
            frame[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "byte" and frame:
            frame[at] = draw(st.sampled_from([0x00, 0x7F, 0x80, 0xFF]))
        elif kind == "cut":
            del frame[at : at + draw(st.integers(1, 16))]
        else:
            frame[at:at] = draw(st.binary(min_size=1, max_size=16))
    if len(frame) >= 4 and draw(st.booleans()):  # fit the size prefix: the body gets parsed
        struct.pack_into(">i", frame, 0, len(frame) - 4)
    return bytes(frame)


def drain(frame: bytes) -> None:
    connection = ServerConnection(SERVED, max_request_size=1 << 20)
    connection.receive_data(frame)
    try:
        while connection.next_event() is not NEED_DATA:
            pass
    except ProtocolError:
        pass


def test_every_seed_decodes() -> None:
    assert len(SEEDS) > len(SERVED)
    for frame in SEEDS:
        connection = ServerConnection(SERVED)
        connection.receive_data(frame)
        assert connection.next_event() is not NEED_DATA


@FUZZ
@given(mutated_frames())
def test_a_mutated_request_decodes_or_is_malformed(frame: bytes) -> None:
    drain(frame)


@FUZZ
@given(st.binary(max_size=256))
def test_random_bytes_decode_or_are_malformed(data: bytes) -> None:
    drain(data)
    drain(struct.pack(">i", len(data)) + data)


records_strategy = st.lists(
    st.tuples(
        st.one_of(st.none(), st.binary(max_size=20)),
        st.one_of(st.none(), st.binary(max_size=100)),
        st.lists(st.tuples(st.binary(max_size=8), st.one_of(st.none(), st.binary(max_size=8))), max_size=2),
        st.integers(-(1 << 40), 1 << 40),
    ),
    min_size=1,
    max_size=20,
)


def build(records: list, codec: int) -> bytes:
    base = 1_700_000_000_000
    return encode_batch(
        [Record(i, base + delta, key, value, tuple(headers))
         for i, (key, value, headers, delta) in enumerate(records)],
        base_timestamp=base, compression=codec,
    )


@FUZZ_RECORDS
@given(records_strategy, st.sampled_from(sorted(CODECS.values())))
def test_well_formed_batches_pass_and_keyless_records_are_found(records: list, codec: int) -> None:
    keyless: list[int] = []
    deltas: list[int] = []
    validate_records(build(records, codec), keyless=keyless, timestamps=deltas)
    assert keyless == [i for i, (key, *_) in enumerate(records) if key is None]
    written = [delta for *_, delta in records]
    assert deltas == [min(written), max(written)]


@FUZZ_RECORDS
@given(st.lists(st.tuples(st.binary(max_size=4), st.just(b"v"), st.just([]), st.integers(0, 1 << 20)),
                min_size=1, max_size=12), st.data())
def test_mutated_records_are_refused_or_have_contiguous_offsets(records: list, data: st.DataObject) -> None:
    batch = build(records, 0)
    body = bytearray(batch[BATCH_HEADER_SIZE:])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(body) - 1))
        if data.draw(st.booleans()):
            body[at] = data.draw(st.integers(0, 255))
        else:
            del body[at : at + data.draw(st.integers(1, 8))]
            if not body:
                body = bytearray(b"\x00")
    count = data.draw(st.sampled_from([len(records), max(1, len(records) - 1), len(records) + 1]))
    mutated = relabel(batch, records=bytes(body), records_count=count, last_offset_delta=count - 1)
    deltas: list[int] = []
    try:
        validate_records(mutated, limits=RecordLimits(max_records=100), timestamps=deltas)
    except (InvalidRecordError, CorruptRecordError):
        return
    offsets, timestamps = read_record_timestamps(mutated)
    assert offsets == list(range(count))
    base = 1_700_000_000_000
    assert [base + deltas[0], base + deltas[1]] == [min(timestamps), max(timestamps)]
