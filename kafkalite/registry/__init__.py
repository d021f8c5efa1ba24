"""A Confluent-compatible Schema Registry kept in the ``_schemas`` topic.

- ``registry``: ``SchemaRegistry``, the schema and subject operations of Confluent's REST API;
- ``store``: ``RegistryStore``, reading and writing the topic, configs and modes;
- ``state``: subjects, versions, ids, configs and modes rebuilt from the topic's records;
- ``records``: the topic's key/value records, in Confluent's own JSON format;
- ``compatibility``: the levels (NONE, BACKWARD, FORWARD, FULL and their transitive forms);
- ``schema_types``, ``avro_schema``, ``json_schema``, ``protobuf_schema``: parsing and
  compatibility rules per schema type (``protobuf_text``: the ``.proto`` reader and writer);
- ``errors``: ``RegistryError``, Confluent's ``error_code`` and message.

Nothing here imports aiohttp: ``kafkalite.http.registry_views`` serves it over HTTP at the
root of the broker's HTTP server, so a client's ``schema.registry.url`` is that server's URL.
The cluster creates the registry on first use (``Cluster.schema_registry``).
"""

from kafkalite.registry.errors import RegistryError
from kafkalite.registry.registry import SCHEMAS_TOPIC, SchemaRegistry

__all__ = ["SCHEMAS_TOPIC", "RegistryError", "SchemaRegistry"]
