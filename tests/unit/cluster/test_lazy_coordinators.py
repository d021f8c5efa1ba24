"""The group and transaction coordinators exist from ``open()`` when their internal topic
holds state to replay; otherwise each is created on first use, so a broker that serves
neither never builds (or imports) them."""

from __future__ import annotations

import asyncio
from pathlib import Path

from kafkalite.cluster import Cluster
from kafkalite.config import BrokerConfig
from kafkalite.groups import CommitEntry, TopicPartition


def opened(data_dir: Path) -> Cluster:
    cluster = Cluster(BrokerConfig(data_dir=data_dir, offsets_topic_num_partitions=2))
    cluster.open()
    return cluster


def test_fresh_cluster_creates_them_on_first_use_and_restart_replays_them(
    tmp_path: Path,
) -> None:
    async def first_run() -> None:
        cluster = opened(tmp_path)
        assert "groups" not in cluster.__dict__ and cluster.loaded_transactions is None
        cluster.logs.create_topic("events", 1)
        committed = cluster.groups.commit_offsets("g", -1, "", None, [CommitEntry("events", 0, 7)])
        assert committed == {TopicPartition("events", 0): 0}
        coordinator = cluster.transactions  # created on first use, once
        assert coordinator is not None and cluster.transactions is coordinator
        assert cluster.loaded_transactions is coordinator
        cluster.close()

    async def second_run() -> None:
        cluster = opened(tmp_path)
        assert "groups" in cluster.__dict__  # __consumer_offsets exists: replayed at open()
        fetched = cluster.groups.fetch_offsets("g", [TopicPartition("events", 0)])
        assert [(o.partition, o.offset) for o in fetched.offsets] == [(0, 7)]
        cluster.close()

    asyncio.run(first_run())
    asyncio.run(second_run())


def test_closed_cluster_has_no_transaction_coordinator_to_create(tmp_path: Path) -> None:
    cluster = Cluster(BrokerConfig(data_dir=tmp_path))
    assert cluster.transactions is None  # not opened yet
