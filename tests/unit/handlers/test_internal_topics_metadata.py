"""The internal topics in Metadata: listed once created, ``is_internal`` set, with the
partition counts of ``offsets.topic.num.partitions`` and
``transaction.state.log.num.partitions``, as on Kafka (clients' exclude.internal.topics
relies on the flag)."""

from __future__ import annotations

from pathlib import Path

from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.init_producer_id import InitProducerIdRequest
from tests.unit.handlers.admin_wire import create_topic, metadata, running_broker
from tests.unit.handlers.group_wire import commit
from tests.unit.server.kafka_wire import call


def listed(address, version: int = 12) -> dict[str, tuple[bool, int]]:
    return {
        topic.name: (topic.is_internal, len(topic.partitions))
        for topic in metadata(address, version=version).topics
    }


def test_internal_topics_are_flagged_with_their_partition_counts(tmp_path: Path) -> None:
    properties = {
        "offsets.topic.num.partitions": "3",
        "transaction.state.log.num.partitions": "2",
    }
    with running_broker(tmp_path / "d", **properties) as running:
        address = running.address
        assert create_topic(address, "plain", 4).error_code == 0
        # nobody used groups or transactions yet: neither topic exists
        assert listed(address) == {"plain": (False, 4)}
        assert commit(address, 8, "g", -1, "", {("plain", 0): 5}) == {("plain", 0): 0}
        request = InitProducerIdRequest(transactional_id="tx", transaction_timeout_ms=60_000)
        assert call(address, ApiKey.INIT_PRODUCER_ID, 4, request).error_code == 0
        want = {
            "plain": (False, 4),
            "__consumer_offsets": (True, 3),
            "__transaction_state": (True, 2),
        }
        assert listed(address) == want
        assert listed(address, version=4) == want
        # named explicitly, they answer the same
        named = metadata(address, "__consumer_offsets", "__transaction_state").topics
        assert [(t.name, t.error_code, t.is_internal) for t in named] == [
            ("__consumer_offsets", 0, True),
            ("__transaction_state", 0, True),
        ]
