"""Topic ids in requests (KIP-516): Produce v13+, Fetch v13+, OffsetCommit and OffsetFetch
v10+ name topics by id. ``TopicIds`` resolves them for one request against the topics that
exist now; an id no topic has is UNKNOWN_TOPIC_ID, as Kafka answers it."""

from __future__ import annotations

import uuid
from typing import Any

from kafkalite.cluster import Cluster

__all__ = ["TopicIds"]


class TopicIds:
    """Id <-> name for the topics of one request (lookups in the broker's indexes)."""

    __slots__ = ("_cluster", "_ids")

    def __init__(self, cluster: Cluster) -> None:
        self._cluster = cluster
        self._ids: dict[str, uuid.UUID] = {}

    def name(self, topic_id: uuid.UUID) -> str | None:
        """The topic's name, or None if no topic has this id."""
        info = self._cluster.logs.topic_by_id(topic_id)  # an index: no scan of every topic
        return info.name if info is not None else None

    def id(self, name: str) -> uuid.UUID:
        """The topic's id, or the zero uuid if it does not exist."""
        topic_id = self._ids.get(name)
        if topic_id is None:
            info = self._cluster.logs.get_topic(name)
            topic_id = self._ids[name] = info.topic_id if info is not None else uuid.UUID(int=0)
        return topic_id


def fill_topic_names(cluster: Cluster, api_key: int, version: int, body: Any) -> None:
    """Write the names of the topics a request names by id into its (unsent) name fields,
    so the request journal and fault rules, which match topics by name, see them. An id no
    topic has stays "". Versions that carry names are left alone."""
    lists = _BY_ID.get(api_key)
    if lists is None or version < lists[0]:
        return
    ids = TopicIds(cluster)
    for path, attribute in lists[1]:
        for topic in _walk(body, path):
            setattr(topic, attribute, ids.name(topic.topic_id) or "")


def _walk(owner: Any, path: tuple[str, ...]) -> list[Any]:
    items = [owner]
    for name in path:
        items = [child for item in items for child in (getattr(item, name, None) or ())]
    return items


# api key -> (first version naming topics by id, [(path to topic entries, name attribute)])
_BY_ID: dict[int, tuple[int, list[tuple[tuple[str, ...], str]]]] = {
    0: (13, [(("topic_data",), "name")]),  # Produce
    1: (13, [(("topics",), "topic"), (("forgotten_topics_data",), "topic")]),  # Fetch
    8: (10, [(("topics",), "name")]),  # OffsetCommit
    9: (10, [(("groups", "topics"), "name")]),  # OffsetFetch
}
