"""SIGKILL the broker while a confluent-kafka producer (acks=all) writes continuously, restart
it, and check after every restart that each acknowledged record is in the log exactly once,
at its acknowledged offset, in produce order, and that two consumers with CRC checks
(confluent-kafka, kafka-python) read the whole topic without an error.

Only the process dies, the page cache survives: so even the default flush policy (no fsync
before the acknowledgement) must keep every acknowledged record. Variants: the default policy
and ``log.flush.interval.messages=1``; a plain producer with ``retries=0`` (a retry could
legitimately duplicate, so none is made) and an idempotent one (which retries; the broker's
rebuilt producer state must turn every retry of a written batch into a duplicate answer).
Small segments make rolls, sealing and producer snapshots happen between the kills. In every
third round the kill is made to look like a power cut mid-write as well: half a batch is
appended to each partition's active segment before the restart, and recovery must cut exactly
those bytes.
"""

from __future__ import annotations

import random
import time

import compat_durability_helpers as dh
import compat_helpers as h
import pytest
from compat_durability_helpers import broker_factory  # noqa: F401 - fixture

pytestmark = pytest.mark.compat

ROUNDS = 10
MIN_ACKS_PER_ROUND = 100
PRODUCE_S = (0.1, 0.8)  # producing time before each kill, drawn at random
SEGMENT_BYTES = 128 * 1024

VARIANTS = {
    "default-flush-plain": ({}, {"retries": 0}),
    "default-flush-idempotent": ({}, {"enable.idempotence": True}),
    "flush-every-message-plain": ({"log.flush.interval.messages": "1"}, {"retries": 0}),
    "flush-every-message-idempotent": (
        {"log.flush.interval.messages": "1"},
        {"enable.idempotence": True},
    ),
}


def verify(bootstrap: str, topic: str, acks: dict[int, dh.Ack], *, kafka_python: bool) -> int:
    """Read everything up to the current high watermarks; check it against ``acks``."""
    ends = dh.high_watermarks(bootstrap, topic)
    for ack in acks.values():
        assert ack.offset < ends[ack.partition], (
            f"acknowledged offset {ack.partition}@{ack.offset} is past the log end {ends}"
        )
    stored = dh.read_confluent(bootstrap, topic, ends)
    checked = dh.check_log(stored, acks)
    if kafka_python:
        assert dh.read_kafka_python(bootstrap, topic, ends) == stored
    return checked


@pytest.mark.timeout(240)
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_sigkill_loses_no_acknowledged_record(broker_factory, variant: str) -> None:  # noqa: F811
    broker_options, producer_config = VARIANTS[variant]
    rng = random.Random(variant)
    b = broker_factory(**{"log.segment.bytes": str(SEGMENT_BYTES), **broker_options})
    topic = h.unique_topic("crash")
    dh.create_topic(b.bootstrap, topic)
    producer = dh.ContinuousProducer(b.bootstrap, topic, producer_config).start()
    per_round: list[int] = []
    try:
        for round_number in range(ROUNDS):
            # the producer is back in business (acknowledgements since the last kill) ...
            for _ in h.deadline_loop(60):
                if len(producer.snapshot()) >= sum(per_round) + MIN_ACKS_PER_ROUND:
                    break
                time.sleep(0.02)
            time.sleep(rng.uniform(*PRODUCE_S))  # ... and the kill lands anywhere after that
            dh.kill(b)
            acks = producer.snapshot()  # every one of these was acknowledged before the kill
            per_round.append(len(acks) - sum(per_round))
            # a kill can land inside a write and leave part of a batch; recovery cuts it
            tear = dh.tear_tails if round_number % 3 == 1 else dh.tail_damage
            torn = tear(b.data_dir, topic)
            b.start()
            assert dh.truncations_at_last_start(b, topic) == torn
            assert not producer.errors, producer.errors
            verify(b.bootstrap, topic, acks, kafka_python=round_number % 3 == 2)
    finally:
        producer.stop()
    assert not producer.errors, producer.errors
    assert producer.unflushed == 0
    produced, acked, failed = producer.counts()
    assert acked + failed == produced
    checked = verify(b.bootstrap, topic, producer.snapshot(), kafka_python=True)
    assert checked == acked
    assert min(per_round) >= MIN_ACKS_PER_ROUND, f"acknowledged per round: {per_round}"
    if producer_config.get("enable.idempotence"):
        # retried until written: everything arrives, once, without a single failure
        assert failed == 0, dict(list(producer.failures.items())[:10])
    starts = dh.storage_starts(b)
    assert len(starts) == ROUNDS + 1
    assert all(how.startswith("recovered") for how, _ in starts[1:]), starts
    print(
        f"\n{variant}: {produced} produced, {acked} acknowledged, {failed} failed over "
        f"{ROUNDS} kills; acknowledged per round {per_round}; log size "
        f"{sum(p.stat().st_size for p in b.data_dir.rglob('*.log')) / 1e6:.1f} MB; "
        f"storage start after a kill {max(ms for _, ms in starts[1:]):.0f} ms at most"
    )
