"""The Schema Registry with confluent-kafka's own registry client and serializers.

One broker process (``KafkaliteServer(mode="process")``) serves the Kafka port and, on its
HTTP port, the registry at the root, so ``schema.registry.url`` is that server's URL.
Avro, JSON Schema and Protobuf records go through the broker end to end: serialized with
auto-registration, produced, consumed and deserialized with the schema fetched by id.
A refused incompatible schema carries Confluent's error code, error bodies have Confluent's
content type, and a restart keeps every id.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import compat_helpers as h
import pytest

pytest.importorskip("fastavro")
pytest.importorskip("google.protobuf")

from confluent_kafka import Consumer, Producer  # noqa: E402
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient  # noqa: E402
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer  # noqa: E402
from confluent_kafka.schema_registry.error import SchemaRegistryError  # noqa: E402
from confluent_kafka.schema_registry.json_schema import (  # noqa: E402
    JSONDeserializer,
    JSONSerializer,
)
from confluent_kafka.schema_registry.protobuf import (  # noqa: E402
    ProtobufDeserializer,
    ProtobufSerializer,
)
from confluent_kafka.serialization import MessageField, SerializationContext  # noqa: E402

from kafkalite.testing import KafkaliteServer  # noqa: E402

pytestmark = [pytest.mark.compat, pytest.mark.timeout(120)]

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
USER_AVRO = {
    "type": "record",
    "name": "User",
    "namespace": "shop",
    "fields": [
        {"name": "name", "type": "string"},
        {"name": "age", "type": "int"},
        {"name": "email", "type": ["null", "string"], "default": None},
    ],
}
USER_JSON = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "User",
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    "required": ["name"],
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KafkaliteServer]:
    data_dir = tmp_path_factory.mktemp("registry") / "data"
    with KafkaliteServer(
        {"num.partitions": "1"}, mode="process", data_dir=data_dir, control_port=0
    ) as started:
        yield started


def registry(server: KafkaliteServer) -> SchemaRegistryClient:
    assert server.control_url is not None
    return SchemaRegistryClient({"url": server.control_url})


def round_trip(
    server: KafkaliteServer, topic: str, serializer: Any, deserializer: Any, values: list[Any]
) -> tuple[list[Any], list[bytes]]:
    """Produce ``values`` serialized, consume them back: (deserialized, raw value bytes)."""
    producer = Producer({"bootstrap.servers": server.bootstrap_servers})
    for i, value in enumerate(values):
        context = SerializationContext(topic, MessageField.VALUE)
        producer.produce(topic, key=str(i).encode(), value=serializer(value, context))
    assert producer.flush(15) == 0
    consumer = Consumer(
        {
            "bootstrap.servers": server.bootstrap_servers,
            "group.id": f"g-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe([topic])
    raw: list[bytes] = []
    try:
        for left in h.deadline_loop(h.CONSUME_IDLE_S):
            if len(raw) == len(values):
                break
            message = consumer.poll(min(left, 1.0))
            if message is not None and message.error() is None:
                raw.append(message.value())
    finally:
        consumer.close()
    context = SerializationContext(topic, MessageField.VALUE)
    return [deserializer(value, context) for value in raw], raw


def schema_id(raw: bytes) -> int:
    assert raw[0] == 0, "Confluent's wire format starts with magic byte 0"
    return int.from_bytes(raw[1:5], "big")


def test_avro_serializer_round_trip(server: KafkaliteServer) -> None:
    client = registry(server)
    topic = h.unique_topic("sr-avro")
    users = [
        {"name": "ada", "age": 36, "email": None},
        {"name": "grace", "age": 45, "email": "grace@example.com"},
    ]
    serializer = AvroSerializer(client, json.dumps(USER_AVRO))
    got, raw = round_trip(server, topic, serializer, AvroDeserializer(client), users)
    assert got == users
    registered = client.get_latest_version(f"{topic}-value")
    assert {schema_id(value) for value in raw} == {registered.schema_id}
    assert json.loads(registered.schema.schema_str) == USER_AVRO
    # another client without a cache reads the schema by the id the records carry
    fresh = registry(server)
    assert json.loads(fresh.get_schema(registered.schema_id).schema_str) == USER_AVRO
    assert (
        AvroDeserializer(fresh)(raw[1], SerializationContext(topic, MessageField.VALUE))
        == (users[1])
    )


def test_json_schema_serializer_round_trip(server: KafkaliteServer) -> None:
    client = registry(server)
    topic = h.unique_topic("sr-json")
    users = [{"name": "ada", "age": 36}, {"name": "linus"}]
    schema = json.dumps(USER_JSON)
    got, raw = round_trip(
        server,
        topic,
        JSONSerializer(schema, client),
        JSONDeserializer(schema, schema_registry_client=client),
        users,
    )
    assert got == users
    registered = client.get_latest_version(f"{topic}-value")
    assert registered.schema.schema_type == "JSON"
    assert {schema_id(value) for value in raw} == {registered.schema_id}
    # the serializer validates against the schema before anything reaches the broker
    with pytest.raises(Exception, match="name"):
        JSONSerializer(schema, client)({"age": 1}, SerializationContext(topic, MessageField.VALUE))


def _order_class() -> Any:
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    proto = descriptor_pb2.FileDescriptorProto(
        name=f"order_{uuid.uuid4().hex[:8]}.proto", package="shop", syntax="proto3"
    )
    order = proto.message_type.add(name="Order")
    order.field.add(name="id", number=1, type=9, label=1)  # string
    order.field.add(name="quantity", number=2, type=5, label=1)  # int32
    order.field.add(name="skus", number=3, type=9, label=3)  # repeated string
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("shop.Order"))


def test_protobuf_serializer_round_trip(server: KafkaliteServer) -> None:
    client = registry(server)
    topic = h.unique_topic("sr-proto")
    order_class = _order_class()
    orders = [order_class(id="o-1", quantity=2, skus=["a", "b"]), order_class(id="o-2")]
    serializer = ProtobufSerializer(order_class, client, {"use.deprecated.format": False})
    deserializer = ProtobufDeserializer(order_class, {"use.deprecated.format": False})
    got, raw = round_trip(server, topic, serializer, deserializer, orders)
    assert got == orders
    registered = client.get_latest_version(f"{topic}-value")
    assert registered.schema.schema_type == "PROTOBUF"
    assert {schema_id(value) for value in raw} == {registered.schema_id}
    # a field's type changed (string id to int64): refused under the default BACKWARD level
    text = 'syntax = "proto3"; package shop; message Order { int64 id = 1; }'
    with pytest.raises(SchemaRegistryError) as info:
        client.register_schema(f"{topic}-value", Schema(text, "PROTOBUF"))
    assert (info.value.http_status_code, info.value.error_code) == (409, 409)


def test_incompatible_schema_is_refused_with_confluents_code(server: KafkaliteServer) -> None:
    client = registry(server)
    subject = f"{h.unique_topic('sr-compat')}-value"
    first = client.register_schema(subject, Schema(json.dumps(USER_AVRO), "AVRO"))
    # a new field without a default: the new schema cannot read the old records
    broken = {**USER_AVRO, "fields": [*USER_AVRO["fields"], {"name": "vip", "type": "boolean"}]}
    assert client.test_compatibility(subject, Schema(json.dumps(broken), "AVRO")) is False
    with pytest.raises(SchemaRegistryError) as info:
        client.register_schema(subject, Schema(json.dumps(broken), "AVRO"))
    assert (info.value.http_status_code, info.value.error_code) == (409, 409)
    assert client.get_versions(subject) == [1]
    client.set_compatibility(subject, "NONE")
    assert client.register_schema(subject, Schema(json.dumps(broken), "AVRO")) > first
    assert client.get_versions(subject) == [1, 2]
    # Confluent's error body and content type, seen with plain HTTP
    assert server.control_url is not None
    with pytest.raises(urllib.error.HTTPError) as http:
        urllib.request.urlopen(
            f"{server.control_url}/subjects/no-such-subject/versions", timeout=10
        )
    assert http.value.code == 404
    assert http.value.headers["Content-Type"] == CONTENT_TYPE
    assert json.loads(http.value.read())["error_code"] == 40401


def test_restart_keeps_ids(server: KafkaliteServer, tmp_path: Path) -> None:
    client = registry(server)
    topic = h.unique_topic("sr-restart")
    serializer = AvroSerializer(client, json.dumps(USER_AVRO))
    user = {"name": "ada", "age": 36, "email": None}
    _, raw = round_trip(server, topic, serializer, AvroDeserializer(client), [user])
    json_id = client.register_schema(f"{topic}-json", Schema(json.dumps(USER_JSON), "JSON"))
    avro_id = schema_id(raw[0])
    subjects = client.get_subjects()
    server.restart()
    fresh = registry(server)
    assert fresh.get_subjects() == subjects
    assert json.loads(fresh.get_schema(avro_id).schema_str) == USER_AVRO
    assert fresh.get_schema(json_id).schema_type == "JSON"
    # the same schemas keep their ids; a new one gets a new id above them
    assert fresh.register_schema(f"{topic}-value", Schema(json.dumps(USER_AVRO), "AVRO")) == avro_id
    assert fresh.register_schema(f"{topic}-json", Schema(json.dumps(USER_JSON), "JSON")) == json_id
    other = fresh.register_schema(f"{topic}-other", Schema('"string"', "AVRO"))
    assert other > max(avro_id, json_id)
    # records written before the restart still deserialize by the id they carry
    context = SerializationContext(topic, MessageField.VALUE)
    assert AvroDeserializer(fresh)(raw[0], context) == user
