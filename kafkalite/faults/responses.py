"""Responses a Kafka broker sends for an error, built for any request, and the surgery that
answers an error for some partitions of a request and the real result for the others.

Where the error goes (Kafka's ``AbstractRequest.getErrorResponse`` per API):
- per partition, for the APIs in ``PARTITION_APIS`` (Produce, Fetch, ListOffsets,
  OffsetCommit, DeleteRecords, OffsetDelete, OffsetFetch v1, AddPartitionsToTxn v0-3,
  WriteTxnMarkers, TxnOffsetCommit, DescribeProducers), with the "unknown" values Kafka puts
  beside an error (Produce ``base_offset`` -1, ListOffsets ``offset`` -1, Fetch
  ``high_watermark`` -1...). Fetch keeps its top-level ``error_code`` for fetch-session
  errors, which Kafka answers with no partitions: a partition error there would make the
  Java client drop the whole response instead of refreshing its metadata;
- per batch, then per partition, for batched requests: WriteTxnMarkers answers one entry per
  producer id (``markers``), AddPartitionsToTxn v4+ one per transaction
  (``results_by_transaction``, as ``KafkaApis`` answers a coordinator's error for a
  transaction). Its top-level ``error_code`` is for what fails the whole request
  (CLUSTER_AUTHORIZATION_FAILED, INVALID_REQUEST, UNSUPPORTED_VERSION), as
  ``AddPartitionsToTxnRequest.getErrorResponse`` answers them, and for a request naming no
  transaction;
- per partition and at the top level: ElectLeaders, AlterPartitionReassignments, and
  AlterReplicaLogDirs (which has no top-level error code);
- per entry where Kafka answers that way: DescribeTopicPartitions topics, FindCoordinator v4
  ``coordinators``, DescribeGroups
  ``groups``, OffsetFetch v8+ ``groups``, CreateTopics/DeleteTopics/CreatePartitions topics,
  DeleteGroups results, config resources, Metadata topics, DescribeTransactions
  ``transaction_states``;
- else the top-level ``error_code`` (OffsetFetch v2-7 too, with no partitions, as Kafka;
  AddOffsetsToTxn, EndTxn, InitProducerId, ListTransactions, ListPartitionReassignments,
  DescribeQuorum, UpdateFeatures, ListConfigResources), with the "unknown" values Kafka
  sets beside it (InitProducerId and EndTxn v5+ ``producer_id``/``producer_epoch`` -1).

``split_request``/``merge_responses`` serve faults filtered by topic or partition on the
partition APIs: the handler runs on the rest, the matched partitions get the error, and one
response goes back; in a batched request the filter takes partitions from every batch. The
form of AddPartitionsToTxn is read from the message: ``transactions``/
``results_by_transaction`` when it has them (v4+), else ``topics``/``results_by_topic``.
``override_errors`` puts an error on matched partitions of a real response (``after_apply``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kafkalite.faults.summary import partition_index, partition_list, topic_name
from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.message import Message
from kafkalite.protocol.messages import RESPONSES, ApiKey
from kafkalite.protocol.messages.alter_client_quotas import EntityResult
from kafkalite.protocol.messages.error_codes import MESSAGES
from kafkalite.protocol.spec import StructSpec

__all__ = [
    "PARTITION_APIS",
    "PartitionPredicate",
    "can_split",
    "error_response",
    "merge_responses",
    "override_errors",
    "split_request",
]

PartitionPredicate = Callable[[str, int], bool]


@dataclass(frozen=True, slots=True)
class _PartitionApi:
    """Where an API keeps its topics and partitions, and what goes beside an error."""

    request_topics: str
    response_topics: str
    response_partitions: str
    partition_key: str
    on_error: dict[str, Any] = field(default_factory=dict)
    max_version: int | None = None  # above it, the API is not answered per partition
    error_field: str = "error_code"
    # A batched API keeps its topics in entries of an outer list, named by ``batch_key``
    # (the same field in the request's entries and the response's).
    request_batches: str | None = None
    response_batches: str | None = None
    batch_key: str = ""


PARTITION_APIS: dict[ApiKey, _PartitionApi] = {
    ApiKey.PRODUCE: _PartitionApi(
        "topic_data", "responses", "partition_responses", "index",
        {"base_offset": -1, "log_append_time_ms": -1, "log_start_offset": -1},
    ),
    ApiKey.FETCH: _PartitionApi(
        "topics", "responses", "partitions", "partition_index",
        {"high_watermark": -1, "last_stable_offset": -1, "log_start_offset": -1, "records": b""},
    ),
    ApiKey.LIST_OFFSETS: _PartitionApi(
        "topics", "topics", "partitions", "partition_index",
        {"timestamp": -1, "offset": -1, "leader_epoch": -1},
    ),
    ApiKey.OFFSET_COMMIT: _PartitionApi("topics", "topics", "partitions", "partition_index"),
    ApiKey.DELETE_RECORDS: _PartitionApi(
        "topics", "topics", "partitions", "partition_index", {"low_watermark": -1}
    ),
    ApiKey.OFFSET_DELETE: _PartitionApi("topics", "topics", "partitions", "partition_index"),
    ApiKey.OFFSET_FETCH: _PartitionApi(
        "topics", "topics", "partitions", "partition_index",
        {"committed_offset": -1, "committed_leader_epoch": -1, "metadata": ""},
        max_version=7,
    ),
    ApiKey.ADD_PARTITIONS_TO_TXN: _PartitionApi(
        "topics", "results_by_topic", "results_by_partition", "partition_index",
        max_version=3, error_field="partition_error_code",
    ),
    ApiKey.WRITE_TXN_MARKERS: _PartitionApi(
        "topics", "topics", "partitions", "partition_index",
        request_batches="markers", response_batches="markers", batch_key="producer_id",
    ),
    ApiKey.TXN_OFFSET_COMMIT: _PartitionApi("topics", "topics", "partitions", "partition_index"),
    ApiKey.DESCRIBE_PRODUCERS: _PartitionApi("topics", "topics", "partitions", "partition_index"),
    ApiKey.OFFSET_FOR_LEADER_EPOCH: _PartitionApi(
        "topics", "topics", "partitions", "partition", {"leader_epoch": -1, "end_offset": -1}
    ),
}
# AddPartitionsToTxn v4+: one batch per transaction.
_ADD_PARTITIONS_BATCHED = _PartitionApi(
    "topics", "topic_results", "results_by_partition", "partition_index",
    error_field="partition_error_code",
    request_batches="transactions", response_batches="results_by_transaction",
    batch_key="transactional_id",
)
_ADD_PARTITIONS_BATCHED_VERSION = 4
# What KafkaApis throws for a whole AddPartitionsToTxn v4+ request, answered at the top level.
_ADD_PARTITIONS_WHOLE_REQUEST_ERRORS = frozenset({
    ErrorCode.CLUSTER_AUTHORIZATION_FAILED,
    ErrorCode.INVALID_REQUEST,
    ErrorCode.UNSUPPORTED_VERSION,
})

_FETCH_SESSION_ERRORS = frozenset({
    ErrorCode.FETCH_SESSION_ID_NOT_FOUND,
    ErrorCode.INVALID_FETCH_SESSION_EPOCH,
    ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR,
})
_NO_NODE = {"node_id": -1, "host": "", "port": -1}  # Node.noNode()
# Values Kafka sets beside a top-level error (JoinGroupResponse's UNKNOWN_GENERATION_ID...).
_TOP_LEVEL_ON_ERROR: dict[ApiKey, dict[str, Any]] = {
    ApiKey.FIND_COORDINATOR: _NO_NODE,
    ApiKey.JOIN_GROUP: {"generation_id": -1, "protocol_name": "", "leader": "", "member_id": ""},
    ApiKey.INIT_PRODUCER_ID: {"producer_id": -1, "producer_epoch": -1},
    ApiKey.END_TXN: {"producer_id": -1, "producer_epoch": -1},
    ApiKey.DESCRIBE_CLUSTER: {"controller_id": -1},
}


def error_response(api_key: ApiKey, version: int, request: Any, error_code: int) -> Any:
    """The response Kafka sends when ``request`` fails with ``error_code``; ``ValueError`` if
    the API has nowhere to put an error at ``version``."""
    code = ErrorCode(error_code)
    spec = RESPONSES[api_key]
    response = spec.cls()
    if api_key == ApiKey.FETCH and code in _FETCH_SESSION_ERRORS:
        response.error_code = code
        return response
    if api_key == ApiKey.OFFSET_FETCH and version >= 2:
        if version >= 8:
            _per_group(spec, response, request, code)
        else:
            response.error_code = code
        return response
    if (
        api_key == ApiKey.ADD_PARTITIONS_TO_TXN
        and version >= _ADD_PARTITIONS_BATCHED_VERSION
        and (code in _ADD_PARTITIONS_WHOLE_REQUEST_ERRORS or not request.transactions)
    ):
        response.error_code = code
        return response
    shape = _shape(api_key, version)
    if shape is not None:
        _fill_partitions(api_key, shape, response, request, code)
        return response
    builder = _PER_ENTRY.get(api_key)
    if builder is not None and builder(spec, version, response, request, code):
        return response
    if not _has_field(spec, "error_code", version):
        raise ValueError(f"{api_key.name} v{version} has no error code to answer")
    response.error_code = code
    for name, value in _TOP_LEVEL_ON_ERROR.get(api_key, {}).items():
        setattr(response, name, value)
    if _has_field(spec, "error_message", version):
        response.error_message = MESSAGES.get(code)
    return response


# -- per partition ---------------------------------------------------------------------------


def can_split(
    api_key: ApiKey, version: int, request: Any, error_code: int | None = None
) -> bool:
    """Whether ``request`` answers per partition, so that part of it can fail alone (with
    ``error_code``, when given: an AddPartitionsToTxn v4+ error for the whole request
    cannot)."""
    if _shape(api_key, version) is None:
        return False
    if (
        api_key == ApiKey.ADD_PARTITIONS_TO_TXN
        and version >= _ADD_PARTITIONS_BATCHED_VERSION
        and error_code in _ADD_PARTITIONS_WHOLE_REQUEST_ERRORS
    ):
        return False
    return api_key != ApiKey.OFFSET_FETCH or version < 2


def split_request(
    api_key: ApiKey, request: Any, predicate: PartitionPredicate
) -> tuple[Any, Any]:
    """``(matched, rest)``: copies of ``request`` holding the partitions ``predicate`` takes,
    and the others; either is None when it would hold no partition. A topic with no
    partitions listed (OffsetFetch "all partitions"), or a batch with no topics, goes with
    the rest.

    A Fetch's rest gets ``max_wait_ms`` 0: Kafka answers at once when a partition has an
    error, without waiting for ``min_bytes``.
    """
    shape = _shape_of(api_key, request)
    if shape.request_batches is None:
        matched, rest = _split_topics(shape, request, predicate)
    else:
        matched_batches: list[Any] = []
        rest_batches: list[Any] = []
        for batch in getattr(request, shape.request_batches):
            taken, left = _split_topics(shape, batch, predicate)
            if taken is not None:
                matched_batches.append(taken)
            if left is not None or taken is None:
                rest_batches.append(batch if left is None else left)
        field_name = shape.request_batches
        matched = _with_topics(request, field_name, matched_batches) if matched_batches else None
        rest = _with_topics(request, field_name, rest_batches) if rest_batches else None
    if api_key == ApiKey.FETCH and matched is not None and rest is not None:
        rest.max_wait_ms = 0
    return matched, rest


def merge_responses(
    api_key: ApiKey, request: Any, matched: Any, rest: Any
) -> Any:
    """One response from the answers to the two halves of ``request``, batches, topics and
    partitions in the request's order; top-level fields (throttle, session) come from
    ``rest``."""
    if matched is None or rest is None:
        return rest if matched is None else matched
    shape = _shape_of(api_key, request)
    merged = copy.copy(rest)
    if shape.response_batches is None:
        topics = _merge_topics(shape, getattr(request, shape.request_topics), [rest, matched])
        setattr(merged, shape.response_topics, topics)
        return merged
    answers: dict[Any, list[Any]] = {}
    for part in (rest, matched):
        for batch in getattr(part, shape.response_batches):
            answers.setdefault(getattr(batch, shape.batch_key), []).append(batch)
    batches: list[Any] = []
    for key, request_topics in _request_batches(shape, request).items():
        if key not in answers:
            continue
        batch = copy.copy(answers[key][0])
        setattr(batch, shape.response_topics, _merge_topics(shape, request_topics, answers[key]))
        batches.append(batch)
    setattr(merged, shape.response_batches, batches)
    return merged


def override_errors(
    api_key: ApiKey, response: Any, error_code: int, predicate: PartitionPredicate | None = None
) -> Any:
    """Set ``error_code`` on the partitions of a real ``response`` that ``predicate`` takes
    (all when None), with the values Kafka puts beside an error (Produce's ``base_offset``
    -1...); an API without partitions gets it at the top level, as does an AddPartitionsToTxn
    v4+ answered whole. Changes ``response``."""
    code = ErrorCode(error_code)
    shape = _answered_shape(api_key, response)
    if shape is None:
        if not hasattr(response, "error_code"):
            raise ValueError(f"{api_key.name} has no error code to set")
        response.error_code = code
        return response
    if shape.response_batches is not None:
        owners = list(getattr(response, shape.response_batches))
    else:
        owners = [response]
        if api_key == ApiKey.OFFSET_FETCH:  # v8+ answers per group
            owners.extend(response.groups)
    for topic in (t for owner in owners for t in getattr(owner, shape.response_topics)):
        name = topic_name(topic) or ""
        for entry in getattr(topic, shape.response_partitions):
            if predicate is None or predicate(name, partition_index(entry)):
                setattr(entry, shape.error_field, code)
                for attribute, value in shape.on_error.items():
                    if attribute != "records":  # applied: what was read stays
                        setattr(entry, attribute, value)
    return response


def _shape(api_key: ApiKey, version: int) -> _PartitionApi | None:
    """Where ``api_key`` answers per partition at ``version``; None if it does not."""
    if api_key == ApiKey.ADD_PARTITIONS_TO_TXN and version >= _ADD_PARTITIONS_BATCHED_VERSION:
        return _ADD_PARTITIONS_BATCHED
    shape = PARTITION_APIS.get(api_key)
    if shape is None or (shape.max_version is not None and version > shape.max_version):
        return None
    return shape


def _shape_of(api_key: ApiKey, message: Any) -> _PartitionApi:
    """The form of a partition API's ``message`` (a request or a response)."""
    if api_key == ApiKey.ADD_PARTITIONS_TO_TXN and (
        getattr(message, "transactions", None) or getattr(message, "results_by_transaction", None)
    ):
        return _ADD_PARTITIONS_BATCHED
    return PARTITION_APIS[api_key]


def _answered_shape(api_key: ApiKey, response: Any) -> _PartitionApi | None:
    """The form of a real response of ``api_key``; None when it answers at the top level."""
    if api_key not in PARTITION_APIS:
        return None
    if api_key == ApiKey.ADD_PARTITIONS_TO_TXN and not (
        response.results_by_transaction or response.results_by_topic
    ):
        return None  # v4+ answered whole
    shape = _shape_of(api_key, response)
    if shape.response_batches is None and not hasattr(response, shape.response_topics):
        return None
    return shape


def _request_batches(shape: _PartitionApi, request: Any) -> dict[Any, list[Any]]:
    """The request's topics by batch key, in order; batches sharing a key (a producer id
    twice in WriteTxnMarkers) get one answer, as Kafka gives them."""
    batches: dict[Any, list[Any]] = {}
    for batch in getattr(request, shape.request_batches or ""):
        topics = getattr(batch, shape.request_topics)
        batches.setdefault(getattr(batch, shape.batch_key), []).extend(topics)
    return batches


def _split_topics(
    shape: _PartitionApi, owner: Any, predicate: PartitionPredicate
) -> tuple[Any, Any]:
    matched_topics: list[Any] = []
    rest_topics: list[Any] = []
    for topic in getattr(owner, shape.request_topics):
        name = topic_name(topic)
        entries = partition_list(topic)
        taken: list[Any] = []
        left: list[Any] = []
        for entry in entries:
            hit = name is not None and predicate(name, partition_index(entry))
            (taken if hit else left).append(entry)
        if taken:
            matched_topics.append(_with_partitions(topic, taken))
        if left or not entries:
            rest_topics.append(_with_partitions(topic, left))
    field_name = shape.request_topics
    matched = _with_topics(owner, field_name, matched_topics) if matched_topics else None
    rest = _with_topics(owner, field_name, rest_topics) if rest_topics else None
    return matched, rest


def _merge_topics(shape: _PartitionApi, request_topics: list[Any], owners: list[Any]) -> list[Any]:
    """The topics of ``owners`` (answers to parts of ``request_topics``) as one list, in the
    request's order; a partition answered twice keeps the later owner's answer."""
    by_name: dict[str, Any] = {}
    partitions: dict[tuple[str, int], Any] = {}
    for owner in owners:
        for topic in getattr(owner, shape.response_topics):
            by_name.setdefault(topic_name(topic) or "", topic)
            for entry in getattr(topic, shape.response_partitions):
                partitions[(topic_name(topic) or "", partition_index(entry))] = entry
    topics: list[Any] = []
    for request_topic in request_topics:
        name = topic_name(request_topic) or ""
        if name not in by_name:
            continue
        keys = [(name, partition_index(p)) for p in partition_list(request_topic)]
        entries = [partitions.pop(key) for key in keys if key in partitions]
        topic = copy.copy(by_name.pop(name))
        setattr(topic, shape.response_partitions, entries)
        topics.append(topic)
    return topics


def _fill_partitions(
    api_key: ApiKey, shape: _PartitionApi, response: Any, request: Any, code: ErrorCode
) -> None:
    spec = RESPONSES[api_key]
    if shape.response_batches is None:
        _fill_topics(shape, spec, response, getattr(request, shape.request_topics), code)
        return
    batch_spec = _child(spec, shape.response_batches)
    batches = []
    for key, request_topics in _request_batches(shape, request).items():
        batch = batch_spec.cls(**{shape.batch_key: key})
        _fill_topics(shape, batch_spec, batch, request_topics, code)
        batches.append(batch)
    setattr(response, shape.response_batches, batches)


def _fill_topics(
    shape: _PartitionApi, owner_spec: StructSpec, owner: Any, request_topics: list[Any],
    code: ErrorCode,
) -> None:
    topic_spec = _child(owner_spec, shape.response_topics)
    partition_spec = _child(topic_spec, shape.response_partitions)
    name_field = "name" if any(f.name == "name" for f in topic_spec.fields) else "topic"
    topics = getattr(owner, shape.response_topics)
    for request_topic in request_topics:
        entries = []
        for request_partition in partition_list(request_topic):
            entry = partition_spec.cls(**{
                shape.partition_key: partition_index(request_partition),
                shape.error_field: code,
            })
            for attribute, value in shape.on_error.items():
                setattr(entry, attribute, value)
            entries.append(entry)
        fields = {name_field: topic_name(request_topic) or "", shape.response_partitions: entries}
        topic_id = getattr(request_topic, "topic_id", None)
        if topic_id is not None and any(f.name == "topic_id" for f in topic_spec.fields):
            fields["topic_id"] = topic_id  # Fetch v13+, Produce v13+, OffsetCommit v10+
        topics.append(topic_spec.cls(**fields))


# -- per entry -------------------------------------------------------------------------------


def _per_group(spec: StructSpec, response: Any, request: Any, code: ErrorCode) -> bool:
    group_spec = _child(spec, "groups")
    response.groups = [group_spec.cls(group_id=g.group_id, error_code=code) for g in request.groups]
    return True


def _entries(
    list_name: str, key: str, source: Callable[[Any, int], list[Any]], **extra: Any
) -> Callable[[StructSpec, int, Any, Any, ErrorCode], bool]:
    """A builder answering one entry per item of the request, keyed as ``key``."""

    def build(spec: StructSpec, version: int, response: Any, request: Any, code: ErrorCode) -> bool:
        if not _has_field(spec, list_name, version):
            return False
        entry_spec = _child(spec, list_name)
        names = {f.name for f in entry_spec.fields}
        entries = []
        for item in source(request, version):
            values: dict[str, Any] = dict(item) if isinstance(item, dict) else {key: item}
            values["error_code"] = code
            if "error_message" in names:
                values["error_message"] = MESSAGES.get(code)
            values.update({k: v for k, v in extra.items() if k in names})
            entries.append(entry_spec.cls(**values))
        setattr(response, list_name, entries)
        return True

    return build


def _topic_names(request: Any, version: int) -> list[Any]:
    if getattr(request, "topic_names", None):
        return list(request.topic_names)
    return [{"name": t.name, "topic_id": t.topic_id} if hasattr(t, "topic_id") else t.name
            for t in request.topics]


def _quota_entity(entity: Any) -> EntityResult:
    return EntityResult(entity_type=entity.entity_type, entity_name=entity.entity_name)


def _resources(request: Any, version: int) -> list[Any]:
    return [{"resource_type": r.resource_type, "resource_name": r.resource_name}
            for r in request.resources]


def _empty_before_v3(
    spec: StructSpec, version: int, response: Any, request: Any, code: ErrorCode
) -> bool:
    # DescribeLogDirs v0-2 has no error code at all: Kafka answers no log dirs.
    return version < 3


def _nested_partitions(
    topics_field: str, name_field: str, partitions_field: str, index_field: str,
    source: Callable[[Any], list[tuple[str, list[int]]]],
) -> Callable[[StructSpec, int, Any, Any, ErrorCode], bool]:
    """A builder answering the error on every partition the request names, and at the top
    level where the response has an error code (ElectLeaders v1+, AlterPartitionReassignments),
    as those requests' ``getErrorResponse`` do."""

    def build(spec: StructSpec, version: int, response: Any, request: Any, code: ErrorCode) -> bool:
        topic_spec = _child(spec, topics_field)
        partition_spec = _child(topic_spec, partitions_field)
        with_message = _has_field(partition_spec, "error_message", version)
        setattr(response, topics_field, [
            topic_spec.cls(**{name_field: name, partitions_field: [
                partition_spec.cls(**{index_field: index, "error_code": code},
                                   **({"error_message": MESSAGES.get(code)} if with_message else {}))
                for index in indexes
            ]})
            for name, indexes in source(request)
        ])
        if _has_field(spec, "error_code", version):
            response.error_code = code
            if _has_field(spec, "error_message", version):
                response.error_message = MESSAGES.get(code)
        return True

    return build


_PER_ENTRY: dict[ApiKey, Callable[[StructSpec, int, Any, Any, ErrorCode], bool]] = {
    ApiKey.ELECT_LEADERS: _nested_partitions(
        "replica_election_results", "topic", "partition_result", "partition_id",
        lambda r: [(t.topic, list(t.partitions)) for t in r.topic_partitions or ()],
    ),
    ApiKey.ALTER_PARTITION_REASSIGNMENTS: _nested_partitions(
        "responses", "name", "partitions", "partition_index",
        lambda r: [(t.name, [p.partition_index for p in t.partitions]) for t in r.topics],
    ),
    ApiKey.ALTER_REPLICA_LOG_DIRS: _nested_partitions(
        "results", "topic_name", "partitions", "partition_index",
        lambda r: [(t.name, list(t.partitions)) for d in r.dirs for t in d.topics],
    ),
    ApiKey.DESCRIBE_TOPIC_PARTITIONS: _entries(
        "topics", "name", lambda r, v: [t.name for t in r.topics]
    ),
    ApiKey.DESCRIBE_LOG_DIRS: _empty_before_v3,
    ApiKey.FIND_COORDINATOR: _entries(
        "coordinators", "key", lambda r, v: list(r.coordinator_keys), **_NO_NODE
    ),
    ApiKey.DESCRIBE_GROUPS: _entries("groups", "group_id", lambda r, v: list(r.groups)),
    ApiKey.CONSUMER_GROUP_DESCRIBE: _entries("groups", "group_id", lambda r, v: list(r.group_ids)),
    ApiKey.SHARE_GROUP_DESCRIBE: _entries("groups", "group_id", lambda r, v: list(r.group_ids)),
    ApiKey.DESCRIBE_SHARE_GROUP_OFFSETS: _entries(
        "groups", "group_id", lambda r, v: [g.group_id for g in r.groups]
    ),
    ApiKey.DELETE_GROUPS: _entries("results", "group_id", lambda r, v: list(r.groups_names)),
    ApiKey.CREATE_TOPICS: _entries(
        "topics", "name", lambda r, v: [t.name for t in r.topics],
        num_partitions=-1, replication_factor=-1,
    ),
    ApiKey.DELETE_TOPICS: _entries("responses", "name", _topic_names),
    ApiKey.CREATE_PARTITIONS: _entries("results", "name", lambda r, v: [t.name for t in r.topics]),
    ApiKey.DESCRIBE_CONFIGS: _entries("results", "resource_name", _resources),
    ApiKey.ALTER_CONFIGS: _entries("responses", "resource_name", _resources),
    ApiKey.INCREMENTAL_ALTER_CONFIGS: _entries("responses", "resource_name", _resources),
    ApiKey.DESCRIBE_TRANSACTIONS: _entries(
        "transaction_states", "transactional_id", lambda r, v: list(r.transactional_ids)
    ),
    ApiKey.METADATA: _entries(
        "topics", "name", lambda r, v: [t.name for t in (r.topics or ()) if t.name is not None]
    ),
    # Kafka's CreateAclsRequest/DeleteAclsRequest.getErrorResponse: one result per entry.
    ApiKey.CREATE_ACLS: _entries("results", "", lambda r, v: [{} for _ in r.creations]),
    ApiKey.DELETE_ACLS: _entries("filter_results", "", lambda r, v: [{} for _ in r.filters]),
    ApiKey.ALTER_CLIENT_QUOTAS: _entries(
        "entries", "", lambda r, v: [
            {"entity": [_quota_entity(e) for e in entry.entity]} for entry in r.entries
        ],
    ),
    ApiKey.ALTER_USER_SCRAM_CREDENTIALS: _entries(
        "results", "user",
        lambda r, v: list(dict.fromkeys([d.name for d in r.deletions] + [u.name for u in r.upsertions])),
    ),
}


# -- shared ------------------------------------------------------------------------------------


def _has_field(spec: StructSpec, name: str, version: int) -> bool:
    return any(f.name == name and version in f.versions for f in spec.fields)


def _child(spec: StructSpec, name: str) -> StructSpec:
    for f in spec.fields:
        if f.name == name and f.struct is not None:
            return f.struct
    raise KeyError(f"{spec.cls.__name__} has no struct field {name!r}")


def _with_partitions(topic: Message, partitions: list[Any]) -> Any:
    result = copy.copy(topic)
    for attribute in ("partition_data", "partitions", "partition_indexes"):
        if isinstance(getattr(topic, attribute, None), list):
            setattr(result, attribute, partitions)
            break
    return result


def _with_topics(request: Any, attribute: str, topics: list[Any]) -> Any:
    result = copy.copy(request)
    setattr(result, attribute, topics)
    return result
