"""Topic and config administration: what the admin APIs do, apart from their wire formats.

- ``lifecycle``: create topics, add partitions, delete records, delete topics (Kafka's
  ``ReplicationControlManager`` rules for one broker);
- ``catalog``: the topic configs kafkalite knows, and their validation;
- ``configs``: topic configs described (sources, synonyms) and altered;
- ``broker_configs``: the BROKER (static and dynamic configs) and BROKER_LOGGER resources;
- ``resources``: one config resource described or altered, whatever its type;
- ``model``: the shared vocabulary (config entries and synonyms, admin errors); the wire
  enums (resource types, config sources and types) are ``kafkalite.protocol.constants``.

Failures raise ``KafkaError`` with Kafka's error code and message; the handlers turn them
into per-item errors.
"""
