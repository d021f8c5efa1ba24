"""Kafka wire protocol, sans-I/O."""
