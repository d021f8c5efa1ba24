"""Dynamic broker configs: the values set at run time with AlterConfigs or
IncrementalAlterConfigs on a BROKER resource, kept across restarts.

Two levels, as in Kafka's ``DynamicBrokerConfig``: per broker (the resource named by a node
id; DYNAMIC_BROKER_CONFIG) and the cluster-wide default (the resource with the empty name;
DYNAMIC_DEFAULT_BROKER_CONFIG). A config's value is the first of: this node's dynamic value,
the cluster default, what the broker was started with, the built-in default.

Kafka 4.1+ creates a cluster-level ``min.insync.replicas`` with the value the broker was
started with when a new cluster is formed (KIP-966, KAFKA-16540), so every topic without its
own value reports that config as DYNAMIC_DEFAULT_BROKER_CONFIG; the store does the same the
first time it is opened.

The store is one small JSON document, ``<data-dir>/kafkalite-broker-configs.json``, written
atomically (temporary file, fsync, rename) on every change.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kafkalite.config import BROKER_PROPERTIES, BrokerConfig
from kafkalite.storage.checkpoint import atomic_write

__all__ = ["CLUSTER_MIN_ISR", "STORE_FILE", "DynamicBrokerConfigs", "apply_dynamic"]

log = logging.getLogger(__name__)

STORE_FILE = "kafkalite-broker-configs.json"
CLUSTER_MIN_ISR = "min.insync.replicas"


class DynamicBrokerConfigs:
    """The dynamic broker configs by level: ``cluster`` (the default resource) and
    ``brokers[node_id]``, each a mapping of Kafka config names to their text values."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / STORE_FILE
        self.cluster: dict[str, str] = {}
        self.brokers: dict[int, dict[str, str]] = {}

    def load(self, static: BrokerConfig) -> None:
        """Read the store; a first start writes the cluster-level ``min.insync.replicas``."""
        try:
            document = json.loads(self.path.read_text())
        except FileNotFoundError:
            self.cluster = {CLUSTER_MIN_ISR: str(static.min_insync_replicas)}
            self.brokers = {}
            self.save()
            return
        except (OSError, ValueError) as exc:
            log.error("ignoring unreadable %s (%s): no dynamic broker configs", self.path, exc)
            document = {}
        self.cluster = _known(document.get("cluster", {}), self.path)
        self.brokers = {
            int(node): _known(values, self.path)
            for node, values in document.get("brokers", {}).items()
        }

    def save(self) -> None:
        document = {
            "version": 0,
            "cluster": dict(sorted(self.cluster.items())),
            "brokers": {
                str(node): dict(sorted(values.items()))
                for node, values in sorted(self.brokers.items())
                if values
            },
        }
        atomic_write(self.path, (json.dumps(document, indent=1) + "\n").encode())

    def level(self, node_id: int | None) -> dict[str, str]:
        """The values of one level: the cluster default (``None``) or a node's."""
        if node_id is None:
            return dict(self.cluster)
        return dict(self.brokers.get(node_id, {}))

    def replace(self, node_id: int | None, values: Mapping[str, str]) -> None:
        if node_id is None:
            self.cluster = dict(values)
        else:
            self.brokers[node_id] = dict(values)
        self.save()

    def effective(self, static: BrokerConfig, node_id: int) -> BrokerConfig:
        """``static`` with the cluster defaults, then ``node_id``'s own values, applied."""
        return apply_dynamic(static, {**self.cluster, **self.brokers.get(node_id, {})})


def apply_dynamic(static: BrokerConfig, values: Mapping[str, str]) -> BrokerConfig:
    """``static`` with ``values`` (already validated) in place; ``overrides`` stays the set
    given at start, so descriptions keep telling static from dynamic."""
    changes: dict[str, Any] = {}
    for name, text in values.items():
        prop = BROKER_PROPERTIES.get(name)
        if prop is None or prop.attr.startswith("ssl."):
            continue
        try:
            changes[prop.attr] = prop.parse(text)
        except ValueError:
            log.error("ignoring the stored dynamic broker config %s=%r", name, text)
    return dataclasses.replace(static, **changes) if changes else static


def _known(values: Any, path: Path) -> dict[str, str]:
    if not isinstance(values, dict):
        log.error("ignoring a malformed level in %s", path)
        return {}
    return {str(name): str(value) for name, value in values.items()}
