"""UpdateFeatures and the features in ApiVersions, ListConfigResources, AlterReplicaLogDirs,
over real sockets on one node."""

from __future__ import annotations

from pathlib import Path

import pytest

from kafkalite.protocol.errors import ErrorCode as E
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.alter_replica_log_dirs import (
    AlterReplicaLogDir,
    AlterReplicaLogDirsRequest,
    AlterReplicaLogDirTopic,
)
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from kafkalite.protocol.messages.list_config_resources import ListConfigResourcesRequest
from kafkalite.protocol.messages.update_features import FeatureUpdateKey, UpdateFeaturesRequest
from tests.unit.handlers.admin_wire import create_topic, running_broker
from tests.unit.server.kafka_wire import api_versions_request, call


def features(address: tuple[str, int]) -> tuple[dict[str, tuple[int, int]], int, dict[str, int]]:
    answer = call(address, ApiKey.API_VERSIONS, 4, api_versions_request())
    return (
        {f.name: (f.min_version, f.max_version) for f in answer.supported_features},
        answer.finalized_features_epoch,
        {f.name: f.max_version_level for f in answer.finalized_features},
    )


def update(address: tuple[str, int], version: int, *keys: FeatureUpdateKey, **kw: bool):
    return call(address, ApiKey.UPDATE_FEATURES, version,
                UpdateFeaturesRequest(feature_updates=list(keys), **kw))


def test_api_versions_reports_features_without_transactions_v2(broker_thread) -> None:
    supported, epoch, finalized = features(broker_thread.address)
    assert supported["metadata.version"] == (7, 29)
    assert supported["transaction.version"] == (0, 1)
    # The consumer group protocol (KIP-848) is on, as in a new Kafka 4.x cluster.
    assert supported["group.version"] == (0, 1)
    # Share groups (KIP-932) are on too.
    assert supported["share.version"] == (0, 1)
    assert finalized == {"metadata.version": 29, "group.version": 1, "share.version": 1} and epoch >= 1


def key(version: int, feature: str, level: int, upgrade_type: int = 1) -> FeatureUpdateKey:
    if version == 0:
        return FeatureUpdateKey(feature=feature, max_version_level=level,
                                allow_downgrade=upgrade_type != 1)
    return FeatureUpdateKey(feature=feature, max_version_level=level, upgrade_type=upgrade_type)


@pytest.mark.parametrize("version", [0, 1, 2])
def test_update_features(tmp_path: Path, version: int) -> None:
    with running_broker(tmp_path / "data") as broker:
        address = broker.address
        _, epoch, _ = features(address)
        tv1 = key(version, "transaction.version", 1)
        if version >= 1:
            dry = update(address, version, tv1, validate_only=True)
            assert dry.error_code == 0
            assert features(address)[2] == {"metadata.version": 29, "group.version": 1, "share.version": 1}
        answer = update(address, version, tv1)
        assert answer.error_code == 0
        if version < 2:
            assert [(r.feature, r.error_code) for r in answer.results] == [("transaction.version", 0)]
        _, new_epoch, finalized = features(address)
        assert finalized == {"metadata.version": 29, "group.version": 1, "share.version": 1, "transaction.version": 1}
        assert new_epoch == epoch + 1
        for bad, code in [
            (key(version, "transaction.version", 2), E.INVALID_UPDATE_VERSION),
            (key(version, "group.version", 2), E.INVALID_UPDATE_VERSION),
            (key(version, "share.version", 2), E.INVALID_UPDATE_VERSION),
            (key(version, "metadata.version", 28, 3), E.INVALID_UPDATE_VERSION),
        ]:
            answer = update(address, version, bad, tv1)
            if version >= 2:
                assert answer.error_code == code and answer.error_message
            else:
                assert [r.error_code for r in answer.results] == [code, code]
        downgrade = key(version, "transaction.version", 0)
        answer = update(address, version, downgrade)
        errors = [answer.error_code] if version >= 2 else [r.error_code for r in answer.results]
        assert errors == [E.INVALID_UPDATE_VERSION]
    with running_broker(tmp_path / "data") as broker:  # finalized levels survive a restart
        assert features(broker.address)[2] == {
            "metadata.version": 29, "group.version": 1, "share.version": 1, "transaction.version": 1
        }


def test_list_config_resources(broker_thread) -> None:
    address = broker_thread.address
    create_topic(address, "listed", 1)
    v0 = call(address, ApiKey.LIST_CONFIG_RESOURCES, 0, ListConfigResourcesRequest())
    assert (v0.error_code, v0.config_resources) == (0, [])
    every = call(address, ApiKey.LIST_CONFIG_RESOURCES, 1, ListConfigResourcesRequest())
    listed = {(r.resource_type, r.resource_name) for r in every.config_resources}
    assert {(2, "listed"), (4, "1")} <= listed
    topics = call(address, ApiKey.LIST_CONFIG_RESOURCES, 1,
                  ListConfigResourcesRequest(resource_types=[2]))
    assert {r.resource_type for r in topics.config_resources} == {2}
    bad = call(address, ApiKey.LIST_CONFIG_RESOURCES, 1, ListConfigResourcesRequest(resource_types=[8]))
    assert bad.error_code == E.UNSUPPORTED_VERSION


@pytest.mark.parametrize("version", [1, 2])
def test_alter_replica_log_dirs_single_dir(broker_thread, version: int) -> None:
    address = broker_thread.address
    create_topic(address, "moving", 2)
    log_dir = str(broker_thread.config.data_dir.resolve())
    request = AlterReplicaLogDirsRequest(dirs=[
        AlterReplicaLogDir(path=log_dir, topics=[AlterReplicaLogDirTopic(name="moving", partitions=[0, 1])]),
        AlterReplicaLogDir(path="/elsewhere", topics=[AlterReplicaLogDirTopic(name="other", partitions=[0])]),
    ])
    answer = call(address, ApiKey.ALTER_REPLICA_LOG_DIRS, version, request)
    assert [(r.topic_name, [(p.partition_index, p.error_code) for p in r.partitions])
            for r in answer.results] == [
        ("moving", [(0, 0), (1, 0)]), ("other", [(0, E.LOG_DIR_NOT_FOUND)])
    ]


def test_share_group_apis_are_listed_only_while_share_version_is_on(tmp_path: Path) -> None:
    with running_broker(tmp_path / "data") as broker:
        def listed() -> set[int]:
            answer = call(broker.address, ApiKey.API_VERSIONS, 4, api_versions_request())
            return {k.api_key for k in answer.api_keys}

        assert {76, 77, 78, 79} <= listed()
        answer = update(broker.address, 2, key(2, "share.version", 0, 2))
        assert answer.error_code == 0
        assert not {76, 77, 78, 79} & listed()
        assert update(broker.address, 2, key(2, "share.version", 1)).error_code == 0
        assert {76, 77, 78, 79} <= listed()
