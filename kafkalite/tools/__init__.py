"""Command-line tools that talk to a running broker through the Kafka protocol.

``kafkalite topics``, ``kafkalite produce`` and ``kafkalite consume``, modelled on Kafka's
kafka-topics.sh, kafka-console-producer.sh and kafka-console-consumer.sh (and kcat's
output format). They use ``kafkalite.client`` only, never the broker's files, so they work
against any Kafka-compatible broker.

``register(commands)`` adds the subcommands to the ``kafkalite`` parser; each sets
``tool``, a function of the parsed arguments that returns the exit code.
"""

from __future__ import annotations

from typing import Any

from kafkalite.tools import consume, produce, topics

__all__ = ["register"]


def register(commands: Any) -> None:
    topics.add_parser(commands)
    produce.add_parser(commands)
    consume.add_parser(commands)
