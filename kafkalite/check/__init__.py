"""``kafkalite check``: a client-side Kafka conformance suite for any broker.

    kafkalite check --bootstrap-server HOST:PORT [--command-config FILE] [--only AREA,...]
                    [--json F] [--junit F] [--allow-destructive] [--list]

Each check is a named scenario that verifies one Kafka behaviour against the broker at
``--bootstrap-server`` and says where that behaviour is specified (a KIP, the protocol
guide, a Kafka class). Most speak the protocol through ``kafkalite.client`` and
``kafkalite.protocol``, which fix the exact request versions and bytes; the ``clients``
area drives kafka-python, aiokafka and confluent-kafka when they are installed (skipped
otherwise). The broker under test is never assumed to be kafkalite.

Modules: ``registry`` (the ``@check`` decorator, ``Skip``/``Failed``), ``context`` (what a
check gets: connections, unique names, request helpers, clean-up), ``runner`` (bounded
runs), ``report`` (terminal table, JSON, JUnit XML), ``cli`` (the subcommand) and
``areas`` (the checks, one module per area).
"""

from kafkalite.check.registry import AREAS, CHECKS, Check, Failed, Skip, check

__all__ = ["AREAS", "CHECKS", "Check", "Failed", "Skip", "check"]
