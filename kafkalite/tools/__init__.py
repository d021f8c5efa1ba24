"""Command-line tools that talk to a running broker through the Kafka protocol.

``kafkalite topics``, ``kafkalite produce``, ``kafkalite consume`` and ``kafkalite groups``,
modelled on Kafka's kafka-topics.sh, kafka-console-producer.sh, kafka-console-consumer.sh
(and kcat's output format) and kafka-consumer-groups.sh. They use ``kafkalite.client`` only, never the broker's files, so they work
against any Kafka-compatible broker.

``register(commands)`` adds the subcommands to the ``kafkalite`` parser; each sets
``tool``, a function of the parsed arguments that returns the exit code.
"""

from __future__ import annotations

from typing import Any

from kafkalite.tools import consume, groups, produce, topics

__all__ = ["register"]


def register(commands: Any) -> None:
    topics.add_parser(commands)
    produce.add_parser(commands)
    consume.add_parser(commands)
    groups.add_parser(commands)
