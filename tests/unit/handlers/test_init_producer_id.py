"""InitProducerId over real sockets, v0-v5: fresh ids with epoch 0, the KIP-360 epoch bump
(v3+), and transactional ids (the coordinator's own tests are in test_transactions.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.init_producer_id import InitProducerIdRequest
from tests.unit.handlers.admin_wire import running_broker
from tests.unit.server.kafka_wire import call

E = ErrorCode
Address = tuple[str, int]
SERVED = range(0, 6)
MAX_EPOCH = 0x7FFF - 1  # the last epoch handed out; a bump from it gets a new id


def init(
    address: Address,
    version: int,
    *,
    transactional_id: str | None = None,
    producer_id: int = -1,
    epoch: int = -1,
) -> Any:
    request = InitProducerIdRequest(
        transactional_id=transactional_id,
        transaction_timeout_ms=60_000,
        producer_id=producer_id,
        producer_epoch=epoch,
    )
    response = call(address, ApiKey.INIT_PRODUCER_ID, version, request)
    assert response.throttle_time_ms == 0
    return response


def answer(response: Any) -> tuple[int, int, int]:
    return response.error_code, response.producer_id, response.producer_epoch


@pytest.mark.parametrize("version", SERVED)
def test_fresh_ids_are_distinct_with_epoch_zero(broker_thread, version: int) -> None:
    answers = [answer(init(broker_thread.address, version)) for _ in range(5)]
    assert [(error, epoch) for error, _, epoch in answers] == [(E.NONE, 0)] * 5
    ids = [pid for _, pid, _ in answers]
    assert len(set(ids)) == 5
    assert all(pid >= 0 for pid in ids)
    assert ids == sorted(ids)


def test_ids_are_distinct_across_versions_and_connections(broker_thread) -> None:
    ids = [init(broker_thread.address, version).producer_id for version in (*SERVED, *SERVED)]
    assert len(set(ids)) == len(ids)


def test_ids_are_not_reused_after_a_restart(tmp_path: Path) -> None:
    with running_broker(tmp_path) as broker:
        before = {init(broker.address, 4).producer_id for _ in range(3)}
    with running_broker(tmp_path) as broker:
        after = {init(broker.address, 4).producer_id for _ in range(3)}
    assert not before & after
    assert min(after) > max(before)


@pytest.mark.parametrize("version", [3, 4])
def test_existing_id_and_epoch_get_a_new_id(broker_thread, version: int) -> None:
    """Without a transactional id Kafka's coordinator "blindly accepts the request" and hands
    out a new producer id with epoch 0, whatever id and epoch the producer sent (KIP-360
    epoch bumps are a transactional-id feature)."""
    address = broker_thread.address
    _, pid, epoch = answer(init(address, version))
    assert epoch == 0
    seen = {pid}
    for sent_epoch in (0, 1, MAX_EPOCH):
        error, fresh, fresh_epoch = answer(init(address, version, producer_id=pid, epoch=sent_epoch))
        assert (error, fresh_epoch) == (E.NONE, 0)
        assert fresh not in seen
        seen.add(fresh)


@pytest.mark.parametrize("version", SERVED)
def test_transactional_id_keeps_its_id_and_bumps_its_epoch(broker_thread, version: int) -> None:
    address = broker_thread.address
    first = answer(init(address, version, transactional_id=f"my-txn-{version}"))
    again = answer(init(address, version, transactional_id=f"my-txn-{version}"))
    assert (first[0], first[2]) == (E.NONE, 0)
    assert again == (E.NONE, first[1], 1)
    # an idempotent producer still gets a fresh id
    assert init(address, version).producer_id not in (first[1], -1)


def test_transactional_error_has_no_id_or_epoch(broker_thread) -> None:
    """Kafka's InitProducerIdRequest.getErrorResponse answers an error with producerId -1
    (NO_PRODUCER_ID) and producerEpoch -1 (NO_PRODUCER_EPOCH)."""
    request = InitProducerIdRequest(transactional_id="my-txn", transaction_timeout_ms=900_001)
    response = call(broker_thread.address, ApiKey.INIT_PRODUCER_ID, 4, request)
    assert answer(response) == (E.INVALID_TRANSACTION_TIMEOUT, -1, -1)


@pytest.mark.parametrize(("producer_id", "epoch"), [(5, -1), (-1, 0)])
def test_id_without_epoch_or_epoch_without_id_is_invalid(
    broker_thread, producer_id: int, epoch: int
) -> None:
    """KafkaApis.handleInitProducerIdRequest: an id and an epoch come together or not at
    all; one without the other is INVALID_REQUEST (v3+, where both are on the wire)."""
    response = init(broker_thread.address, 4, producer_id=producer_id, epoch=epoch)
    assert response.error_code == E.INVALID_REQUEST
