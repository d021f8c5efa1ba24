"""The consumer protocol's embedded blobs: what the broker may read of them.

A classic group stores each member's protocol metadata as opaque bytes. For groups of
protocol type "consumer" that blob is a ``ConsumerProtocolSubscription``: an int16
version followed by the body at that version (Kafka's ``ConsumerProtocol``). The
coordinator reads the subscribed topics out of it to answer OffsetDelete
(GROUP_SUBSCRIBED_TO_TOPIC, KIP-496); nothing else in a subscription concerns the broker.
"""

from __future__ import annotations

from kafkalite.protocol.codec import decode
from kafkalite.protocol.errors import ProtocolError
from kafkalite.protocol.messages.consumer_protocol import (
    CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC,
    ConsumerProtocolSubscription,
)

__all__ = ["subscribed_topics"]

_NEWEST = CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC.valid.high


def subscribed_topics(metadata: bytes) -> set[str] | None:
    """The topics a ConsumerProtocolSubscription names, or None when it does not parse.

    A version newer than ours is read as our newest: the schema only ever appends
    fields, and Kafka's ``ConsumerProtocol.deserializeSubscription`` does the same.
    """
    if len(metadata) < 2:
        return None
    version = int.from_bytes(metadata[:2], "big", signed=True)
    if version < 0:
        return None
    try:
        subscription, _ = decode(CONSUMER_PROTOCOL_SUBSCRIPTION_SPEC, min(version, _NEWEST), metadata, 2)
    except (ProtocolError, ValueError):
        return None
    assert isinstance(subscription, ConsumerProtocolSubscription)
    return set(subscription.topics)
