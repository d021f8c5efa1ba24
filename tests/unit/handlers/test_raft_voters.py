"""AddRaftVoter and RemoveRaftVoter over a socket: answered as a Kafka cluster with a
single-voter static quorum (kraft.version 0) answers them."""

from __future__ import annotations

import uuid

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.add_raft_voter import AddRaftVoterListener, AddRaftVoterRequest
from kafkalite.protocol.messages.describe_cluster import DescribeClusterRequest
from kafkalite.protocol.messages.remove_raft_voter import RemoveRaftVoterRequest
from tests.unit.server.kafka_wire import call

DIRECTORY = uuid.UUID("5a7e1b1e-0000-4000-8000-000000000002")


def test_voter_changes_on_a_static_quorum(broker_thread) -> None:
    address = broker_thread.address
    cluster_id = call(address, ApiKey.DESCRIBE_CLUSTER, 0, DescribeClusterRequest()).cluster_id
    listeners = [AddRaftVoterListener(name="CONTROLLER", host="127.0.0.1", port=9093)]
    for version in (0, 1):
        for asked in (cluster_id, None):
            added = call(address, ApiKey.ADD_RAFT_VOTER, version, AddRaftVoterRequest(
                cluster_id=asked, timeout_ms=1000, voter_id=2, voter_directory_id=DIRECTORY,
                listeners=listeners))
            assert added.error_code == ErrorCode.UNSUPPORTED_VERSION
            assert added.error_message == (
                "Cluster doesn't support adding voter because the kraft.version feature is 0")
    removed = call(address, ApiKey.REMOVE_RAFT_VOTER, 0, RemoveRaftVoterRequest(
        cluster_id=cluster_id, voter_id=1, voter_directory_id=DIRECTORY))
    assert removed.error_code == ErrorCode.UNSUPPORTED_VERSION
    assert "removing voter" in removed.error_message
    for api, request in (
        (ApiKey.ADD_RAFT_VOTER, AddRaftVoterRequest(cluster_id="another", listeners=listeners)),
        (ApiKey.REMOVE_RAFT_VOTER, RemoveRaftVoterRequest(cluster_id="another")),
    ):
        assert call(address, api, 0, request).error_code == ErrorCode.INCONSISTENT_CLUSTER_ID
