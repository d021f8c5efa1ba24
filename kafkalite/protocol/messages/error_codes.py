"""Kafka error codes.

Generated from protocol/errors.json by kafkalite.protocol.codegen: do not edit.
"""
# ruff: noqa
from __future__ import annotations

from enum import IntEnum


class ErrorCode(IntEnum):
    UNKNOWN_SERVER_ERROR = -1
    NONE = 0
    OFFSET_OUT_OF_RANGE = 1
    CORRUPT_MESSAGE = 2
    UNKNOWN_TOPIC_OR_PARTITION = 3
    INVALID_FETCH_SIZE = 4
    LEADER_NOT_AVAILABLE = 5
    NOT_LEADER_OR_FOLLOWER = 6
    REQUEST_TIMED_OUT = 7
    BROKER_NOT_AVAILABLE = 8
    REPLICA_NOT_AVAILABLE = 9
    MESSAGE_TOO_LARGE = 10
    STALE_CONTROLLER_EPOCH = 11
    OFFSET_METADATA_TOO_LARGE = 12
    NETWORK_EXCEPTION = 13
    COORDINATOR_LOAD_IN_PROGRESS = 14
    COORDINATOR_NOT_AVAILABLE = 15
    NOT_COORDINATOR = 16
    INVALID_TOPIC_EXCEPTION = 17
    RECORD_LIST_TOO_LARGE = 18
    NOT_ENOUGH_REPLICAS = 19
    NOT_ENOUGH_REPLICAS_AFTER_APPEND = 20
    INVALID_REQUIRED_ACKS = 21
    ILLEGAL_GENERATION = 22
    INCONSISTENT_GROUP_PROTOCOL = 23
    INVALID_GROUP_ID = 24
    UNKNOWN_MEMBER_ID = 25
    INVALID_SESSION_TIMEOUT = 26
    REBALANCE_IN_PROGRESS = 27
    INVALID_COMMIT_OFFSET_SIZE = 28
    TOPIC_AUTHORIZATION_FAILED = 29
    GROUP_AUTHORIZATION_FAILED = 30
    CLUSTER_AUTHORIZATION_FAILED = 31
    INVALID_TIMESTAMP = 32
    UNSUPPORTED_SASL_MECHANISM = 33
    ILLEGAL_SASL_STATE = 34
    UNSUPPORTED_VERSION = 35
    TOPIC_ALREADY_EXISTS = 36
    INVALID_PARTITIONS = 37
    INVALID_REPLICATION_FACTOR = 38
    INVALID_REPLICA_ASSIGNMENT = 39
    INVALID_CONFIG = 40
    NOT_CONTROLLER = 41
    INVALID_REQUEST = 42
    UNSUPPORTED_FOR_MESSAGE_FORMAT = 43
    POLICY_VIOLATION = 44
    OUT_OF_ORDER_SEQUENCE_NUMBER = 45
    DUPLICATE_SEQUENCE_NUMBER = 46
    INVALID_PRODUCER_EPOCH = 47
    INVALID_TXN_STATE = 48
    INVALID_PRODUCER_ID_MAPPING = 49
    INVALID_TRANSACTION_TIMEOUT = 50
    CONCURRENT_TRANSACTIONS = 51
    TRANSACTION_COORDINATOR_FENCED = 52
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED = 53
    SECURITY_DISABLED = 54
    OPERATION_NOT_ATTEMPTED = 55
    KAFKA_STORAGE_ERROR = 56
    LOG_DIR_NOT_FOUND = 57
    SASL_AUTHENTICATION_FAILED = 58
    UNKNOWN_PRODUCER_ID = 59
    REASSIGNMENT_IN_PROGRESS = 60
    DELEGATION_TOKEN_AUTH_DISABLED = 61
    DELEGATION_TOKEN_NOT_FOUND = 62
    DELEGATION_TOKEN_OWNER_MISMATCH = 63
    DELEGATION_TOKEN_REQUEST_NOT_ALLOWED = 64
    DELEGATION_TOKEN_AUTHORIZATION_FAILED = 65
    DELEGATION_TOKEN_EXPIRED = 66
    INVALID_PRINCIPAL_TYPE = 67
    NON_EMPTY_GROUP = 68
    GROUP_ID_NOT_FOUND = 69
    FETCH_SESSION_ID_NOT_FOUND = 70
    INVALID_FETCH_SESSION_EPOCH = 71
    LISTENER_NOT_FOUND = 72
    TOPIC_DELETION_DISABLED = 73
    FENCED_LEADER_EPOCH = 74
    UNKNOWN_LEADER_EPOCH = 75
    UNSUPPORTED_COMPRESSION_TYPE = 76
    STALE_BROKER_EPOCH = 77
    OFFSET_NOT_AVAILABLE = 78
    MEMBER_ID_REQUIRED = 79
    PREFERRED_LEADER_NOT_AVAILABLE = 80
    GROUP_MAX_SIZE_REACHED = 81
    FENCED_INSTANCE_ID = 82
    ELIGIBLE_LEADERS_NOT_AVAILABLE = 83
    ELECTION_NOT_NEEDED = 84
    NO_REASSIGNMENT_IN_PROGRESS = 85
    GROUP_SUBSCRIBED_TO_TOPIC = 86
    INVALID_RECORD = 87
    UNSTABLE_OFFSET_COMMIT = 88
    THROTTLING_QUOTA_EXCEEDED = 89
    PRODUCER_FENCED = 90
    RESOURCE_NOT_FOUND = 91
    DUPLICATE_RESOURCE = 92
    UNACCEPTABLE_CREDENTIAL = 93
    INCONSISTENT_VOTER_SET = 94
    INVALID_UPDATE_VERSION = 95
    FEATURE_UPDATE_FAILED = 96
    PRINCIPAL_DESERIALIZATION_FAILURE = 97
    SNAPSHOT_NOT_FOUND = 98
    POSITION_OUT_OF_RANGE = 99
    UNKNOWN_TOPIC_ID = 100
    DUPLICATE_BROKER_REGISTRATION = 101
    BROKER_ID_NOT_REGISTERED = 102
    INCONSISTENT_TOPIC_ID = 103
    INCONSISTENT_CLUSTER_ID = 104
    TRANSACTIONAL_ID_NOT_FOUND = 105
    FETCH_SESSION_TOPIC_ID_ERROR = 106
    INELIGIBLE_REPLICA = 107
    NEW_LEADER_ELECTED = 108
    OFFSET_MOVED_TO_TIERED_STORAGE = 109
    FENCED_MEMBER_EPOCH = 110
    UNRELEASED_INSTANCE_ID = 111
    UNSUPPORTED_ASSIGNOR = 112
    STALE_MEMBER_EPOCH = 113
    MISMATCHED_ENDPOINT_TYPE = 114
    UNSUPPORTED_ENDPOINT_TYPE = 115
    UNKNOWN_CONTROLLER_ID = 116
    UNKNOWN_SUBSCRIPTION_ID = 117
    TELEMETRY_TOO_LARGE = 118
    INVALID_REGISTRATION = 119
    TRANSACTION_ABORTABLE = 120
    INVALID_RECORD_STATE = 121
    SHARE_SESSION_NOT_FOUND = 122
    INVALID_SHARE_SESSION_EPOCH = 123
    FENCED_STATE_EPOCH = 124
    INVALID_VOTER_KEY = 125
    DUPLICATE_VOTER = 126
    VOTER_NOT_FOUND = 127
    INVALID_REGULAR_EXPRESSION = 128
    REBOOTSTRAP_REQUIRED = 129
    STREAMS_INVALID_TOPOLOGY = 130
    STREAMS_INVALID_TOPOLOGY_EPOCH = 131
    STREAMS_TOPOLOGY_FENCED = 132
    SHARE_SESSION_LIMIT_REACHED = 133


RETRIABLE: frozenset[ErrorCode] = frozenset({
    ErrorCode.CORRUPT_MESSAGE,
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
    ErrorCode.LEADER_NOT_AVAILABLE,
    ErrorCode.NOT_LEADER_OR_FOLLOWER,
    ErrorCode.REQUEST_TIMED_OUT,
    ErrorCode.REPLICA_NOT_AVAILABLE,
    ErrorCode.NETWORK_EXCEPTION,
    ErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
    ErrorCode.COORDINATOR_NOT_AVAILABLE,
    ErrorCode.NOT_COORDINATOR,
    ErrorCode.NOT_ENOUGH_REPLICAS,
    ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
    ErrorCode.NOT_CONTROLLER,
    ErrorCode.CONCURRENT_TRANSACTIONS,
    ErrorCode.KAFKA_STORAGE_ERROR,
    ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
    ErrorCode.INVALID_FETCH_SESSION_EPOCH,
    ErrorCode.LISTENER_NOT_FOUND,
    ErrorCode.FENCED_LEADER_EPOCH,
    ErrorCode.UNKNOWN_LEADER_EPOCH,
    ErrorCode.OFFSET_NOT_AVAILABLE,
    ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE,
    ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE,
    ErrorCode.ELECTION_NOT_NEEDED,
    ErrorCode.UNSTABLE_OFFSET_COMMIT,
    ErrorCode.THROTTLING_QUOTA_EXCEEDED,
    ErrorCode.UNKNOWN_TOPIC_ID,
    ErrorCode.INCONSISTENT_TOPIC_ID,
    ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR,
    ErrorCode.SHARE_SESSION_NOT_FOUND,
    ErrorCode.INVALID_SHARE_SESSION_EPOCH,
    ErrorCode.SHARE_SESSION_LIMIT_REACHED,
})

MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.UNKNOWN_SERVER_ERROR: 'The broker hit an unexpected error while handling the request.',
    ErrorCode.NONE: 'No error.',
    ErrorCode.OFFSET_OUT_OF_RANGE: 'The offset is outside the range the partition holds.',
    ErrorCode.CORRUPT_MESSAGE: 'A record batch failed its CRC or size check, or is otherwise malformed.',
    ErrorCode.UNKNOWN_TOPIC_OR_PARTITION: 'The topic or partition is not hosted on this broker.',
    ErrorCode.INVALID_FETCH_SIZE: 'The fetch size is not valid.',
    ErrorCode.LEADER_NOT_AVAILABLE: 'The partition has no leader at the moment, for example during an election.',
    ErrorCode.NOT_LEADER_OR_FOLLOWER: 'This broker is not the leader, or not a replica, of the partition.',
    ErrorCode.REQUEST_TIMED_OUT: 'The request did not complete in time.',
    ErrorCode.BROKER_NOT_AVAILABLE: 'The broker is not available.',
    ErrorCode.REPLICA_NOT_AVAILABLE: 'The replica is not available for the partition.',
    ErrorCode.MESSAGE_TOO_LARGE: 'A record batch is larger than the broker accepts.',
    ErrorCode.STALE_CONTROLLER_EPOCH: 'The request came from a controller that has been replaced.',
    ErrorCode.OFFSET_METADATA_TOO_LARGE: 'The metadata attached to a committed offset is too long.',
    ErrorCode.NETWORK_EXCEPTION: 'The connection closed before a response arrived.',
    ErrorCode.COORDINATOR_LOAD_IN_PROGRESS: 'The coordinator is still loading its state.',
    ErrorCode.COORDINATOR_NOT_AVAILABLE: 'The coordinator is not available.',
    ErrorCode.NOT_COORDINATOR: 'This broker is not the coordinator for the group or transaction.',
    ErrorCode.INVALID_TOPIC_EXCEPTION: 'The topic name is not valid or the topic may not be used this way.',
    ErrorCode.RECORD_LIST_TOO_LARGE: 'A record batch is larger than the configured segment size.',
    ErrorCode.NOT_ENOUGH_REPLICAS: 'Fewer replicas are in sync than the topic requires; nothing was written.',
    ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND: 'The records were written, but to fewer in-sync replicas than required.',
    ErrorCode.INVALID_REQUIRED_ACKS: 'The acks value of the produce request is not valid.',
    ErrorCode.ILLEGAL_GENERATION: 'The group generation id is not the current one.',
    ErrorCode.INCONSISTENT_GROUP_PROTOCOL: "The member's protocol type or protocols do not match the group's.",
    ErrorCode.INVALID_GROUP_ID: 'The group id is not valid.',
    ErrorCode.UNKNOWN_MEMBER_ID: 'The coordinator does not know this member id.',
    ErrorCode.INVALID_SESSION_TIMEOUT: 'The session timeout is outside the range the broker allows.',
    ErrorCode.REBALANCE_IN_PROGRESS: 'The group is rebalancing; the member must rejoin.',
    ErrorCode.INVALID_COMMIT_OFFSET_SIZE: 'The size of the committed offset data is not valid.',
    ErrorCode.TOPIC_AUTHORIZATION_FAILED: 'The client is not authorized to access the topic.',
    ErrorCode.GROUP_AUTHORIZATION_FAILED: 'The client is not authorized to access the group.',
    ErrorCode.CLUSTER_AUTHORIZATION_FAILED: 'The client is not authorized for this cluster operation.',
    ErrorCode.INVALID_TIMESTAMP: 'A record timestamp is outside the accepted range.',
    ErrorCode.UNSUPPORTED_SASL_MECHANISM: 'The broker does not support the SASL mechanism.',
    ErrorCode.ILLEGAL_SASL_STATE: 'The request is not allowed in the current SASL state.',
    ErrorCode.UNSUPPORTED_VERSION: 'The broker does not support this API version.',
    ErrorCode.TOPIC_ALREADY_EXISTS: 'A topic with this name already exists.',
    ErrorCode.INVALID_PARTITIONS: 'The number of partitions is not valid.',
    ErrorCode.INVALID_REPLICATION_FACTOR: 'The replication factor is not valid for this cluster.',
    ErrorCode.INVALID_REPLICA_ASSIGNMENT: 'The replica assignment is not valid.',
    ErrorCode.INVALID_CONFIG: 'The configuration is not valid.',
    ErrorCode.NOT_CONTROLLER: 'This broker is not the controller.',
    ErrorCode.INVALID_REQUEST: 'The request is malformed or does not make sense to this broker.',
    ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT: 'The request needs a newer record format than the partition uses.',
    ErrorCode.POLICY_VIOLATION: 'The request violates a configured policy.',
    ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER: "The batch's sequence number does not follow the producer's last one.",
    ErrorCode.DUPLICATE_SEQUENCE_NUMBER: "The batch's sequence number was already written.",
    ErrorCode.INVALID_PRODUCER_EPOCH: 'The producer epoch is older than the current one.',
    ErrorCode.INVALID_TXN_STATE: "The transactional operation is not allowed in the transaction's current state.",
    ErrorCode.INVALID_PRODUCER_ID_MAPPING: 'The producer id is not the one assigned to this transactional id.',
    ErrorCode.INVALID_TRANSACTION_TIMEOUT: "The transaction timeout exceeds the broker's maximum.",
    ErrorCode.CONCURRENT_TRANSACTIONS: 'Another operation on the same transaction is still in progress.',
    ErrorCode.TRANSACTION_COORDINATOR_FENCED: 'The transaction coordinator sending the request has been replaced.',
    ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED: 'The client is not authorized to use the transactional id.',
    ErrorCode.SECURITY_DISABLED: 'Security features are disabled on this broker.',
    ErrorCode.OPERATION_NOT_ATTEMPTED: 'The broker skipped this operation because another part of the request failed.',
    ErrorCode.KAFKA_STORAGE_ERROR: 'The broker hit a disk error while accessing the log.',
    ErrorCode.LOG_DIR_NOT_FOUND: 'The log directory is not configured on the broker.',
    ErrorCode.SASL_AUTHENTICATION_FAILED: 'SASL authentication failed.',
    ErrorCode.UNKNOWN_PRODUCER_ID: 'The broker has no state for this producer id, for example after its records expired.',
    ErrorCode.REASSIGNMENT_IN_PROGRESS: 'A partition reassignment is in progress.',
    ErrorCode.DELEGATION_TOKEN_AUTH_DISABLED: 'Delegation tokens are not enabled.',
    ErrorCode.DELEGATION_TOKEN_NOT_FOUND: 'The delegation token does not exist.',
    ErrorCode.DELEGATION_TOKEN_OWNER_MISMATCH: 'The principal is not the owner or a renewer of the delegation token.',
    ErrorCode.DELEGATION_TOKEN_REQUEST_NOT_ALLOWED: 'Delegation token requests are not allowed on this kind of connection.',
    ErrorCode.DELEGATION_TOKEN_AUTHORIZATION_FAILED: 'The client is not authorized for the delegation token operation.',
    ErrorCode.DELEGATION_TOKEN_EXPIRED: 'The delegation token has expired.',
    ErrorCode.INVALID_PRINCIPAL_TYPE: 'The principal type is not supported.',
    ErrorCode.NON_EMPTY_GROUP: 'The group still has members.',
    ErrorCode.GROUP_ID_NOT_FOUND: 'The group does not exist.',
    ErrorCode.FETCH_SESSION_ID_NOT_FOUND: 'The fetch session id is not known.',
    ErrorCode.INVALID_FETCH_SESSION_EPOCH: 'The fetch session epoch is not the expected one.',
    ErrorCode.LISTENER_NOT_FOUND: 'The leader has no listener matching the one the metadata request arrived on.',
    ErrorCode.TOPIC_DELETION_DISABLED: 'Topic deletion is disabled.',
    ErrorCode.FENCED_LEADER_EPOCH: "The leader epoch in the request is older than the broker's.",
    ErrorCode.UNKNOWN_LEADER_EPOCH: "The leader epoch in the request is newer than the broker's.",
    ErrorCode.UNSUPPORTED_COMPRESSION_TYPE: "The client cannot handle the partition's compression type at this API version.",
    ErrorCode.STALE_BROKER_EPOCH: 'The broker epoch has changed.',
    ErrorCode.OFFSET_NOT_AVAILABLE: "The new leader's high watermark has not caught up yet, so offsets cannot be served.",
    ErrorCode.MEMBER_ID_REQUIRED: 'The member must rejoin with the member id the coordinator assigned.',
    ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE: 'The preferred leader is not available.',
    ErrorCode.GROUP_MAX_SIZE_REACHED: 'The group is at its maximum size.',
    ErrorCode.FENCED_INSTANCE_ID: 'Another member with the same group instance id has replaced this one.',
    ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE: 'No eligible leader is available for the partition.',
    ErrorCode.ELECTION_NOT_NEEDED: 'The partition does not need a leader election.',
    ErrorCode.NO_REASSIGNMENT_IN_PROGRESS: 'No partition reassignment is in progress.',
    ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC: 'The group is subscribed to the topic, so its offsets cannot be deleted.',
    ErrorCode.INVALID_RECORD: "A record failed the broker's validation.",
    ErrorCode.UNSTABLE_OFFSET_COMMIT: 'The partition has pending transactional offset commits.',
    ErrorCode.THROTTLING_QUOTA_EXCEEDED: 'The throttling quota was exceeded.',
    ErrorCode.PRODUCER_FENCED: 'A newer producer with the same transactional id has fenced this one.',
    ErrorCode.RESOURCE_NOT_FOUND: 'The request referred to a resource that does not exist.',
    ErrorCode.DUPLICATE_RESOURCE: 'The request referred to the same resource twice.',
    ErrorCode.UNACCEPTABLE_CREDENTIAL: 'The credential does not meet the acceptance criteria.',
    ErrorCode.INCONSISTENT_VOTER_SET: 'The sender or the receiver of a voter request is not one of the expected voters.',
    ErrorCode.INVALID_UPDATE_VERSION: 'The feature update version is not valid.',
    ErrorCode.FEATURE_UPDATE_FAILED: 'The finalized features could not be updated.',
    ErrorCode.PRINCIPAL_DESERIALIZATION_FAILURE: "A forwarded request's principal could not be decoded.",
    ErrorCode.SNAPSHOT_NOT_FOUND: 'The snapshot does not exist.',
    ErrorCode.POSITION_OUT_OF_RANGE: 'The position is outside the snapshot.',
    ErrorCode.UNKNOWN_TOPIC_ID: 'The topic id is not hosted on this broker.',
    ErrorCode.DUPLICATE_BROKER_REGISTRATION: 'The broker id is already registered.',
    ErrorCode.BROKER_ID_NOT_REGISTERED: 'The broker id is not registered.',
    ErrorCode.INCONSISTENT_TOPIC_ID: "The topic id in the request does not match the log's.",
    ErrorCode.INCONSISTENT_CLUSTER_ID: "The cluster id in the request does not match the broker's.",
    ErrorCode.TRANSACTIONAL_ID_NOT_FOUND: 'The transactional id does not exist.',
    ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR: 'The fetch session mixed topic ids and topic names inconsistently.',
    ErrorCode.INELIGIBLE_REPLICA: 'The proposed ISR contains a replica that is not eligible.',
    ErrorCode.NEW_LEADER_ELECTED: 'The partition state was updated, but the leader has changed.',
    ErrorCode.OFFSET_MOVED_TO_TIERED_STORAGE: 'The offset now lives in tiered storage.',
    ErrorCode.FENCED_MEMBER_EPOCH: 'The member epoch is fenced; the member must give up its partitions and rejoin.',
    ErrorCode.UNRELEASED_INSTANCE_ID: 'Another member still holds this instance id.',
    ErrorCode.UNSUPPORTED_ASSIGNOR: 'The group does not support the assignor or its version.',
    ErrorCode.STALE_MEMBER_EPOCH: 'The member epoch is stale; the member must retry with its current epoch.',
    ErrorCode.MISMATCHED_ENDPOINT_TYPE: 'The request reached an endpoint of the wrong type.',
    ErrorCode.UNSUPPORTED_ENDPOINT_TYPE: 'The endpoint type is not supported.',
    ErrorCode.UNKNOWN_CONTROLLER_ID: 'The controller id is not known.',
    ErrorCode.UNKNOWN_SUBSCRIPTION_ID: 'The telemetry subscription id is unknown or out of date.',
    ErrorCode.TELEMETRY_TOO_LARGE: 'The telemetry payload is larger than the broker accepts.',
    ErrorCode.INVALID_REGISTRATION: 'The broker registration is not valid.',
    ErrorCode.TRANSACTION_ABORTABLE: 'The transaction failed; the producer can abort it and keep its transactional id.',
    ErrorCode.INVALID_RECORD_STATE: "The record's state does not allow the acknowledgement.",
    ErrorCode.SHARE_SESSION_NOT_FOUND: 'The share session does not exist.',
    ErrorCode.INVALID_SHARE_SESSION_EPOCH: 'The share session epoch is not the expected one.',
    ErrorCode.FENCED_STATE_EPOCH: 'The share-group state epoch does not match.',
    ErrorCode.INVALID_VOTER_KEY: "The voter key does not match the receiver's.",
    ErrorCode.DUPLICATE_VOTER: 'The voter is already in the voter set.',
    ErrorCode.VOTER_NOT_FOUND: 'The voter is not in the voter set.',
    ErrorCode.INVALID_REGULAR_EXPRESSION: 'The regular expression is not valid.',
    ErrorCode.REBOOTSTRAP_REQUIRED: "The client's metadata is stale; it must rebootstrap.",
    ErrorCode.STREAMS_INVALID_TOPOLOGY: 'The streams topology is not valid.',
    ErrorCode.STREAMS_INVALID_TOPOLOGY_EPOCH: 'The streams topology epoch is not valid.',
    ErrorCode.STREAMS_TOPOLOGY_FENCED: 'The streams topology epoch is out of date.',
    ErrorCode.SHARE_SESSION_LIMIT_REACHED: 'The broker has reached its limit of share sessions.',
}
