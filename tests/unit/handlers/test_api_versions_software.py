"""ApiVersions v3+ client software name and version checks (KIP-511), over a real socket."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from kafkalite.protocol.errors import ErrorCode
from kafkalite.protocol.messages import ApiKey
from kafkalite.protocol.messages.api_versions import ApiVersionsRequest
from tests.unit.handlers.admin_wire import running_broker
from tests.unit.server.kafka_wire import read_response, request_frame


@pytest.fixture(scope="module")
def address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    data_dir: Path = tmp_path_factory.mktemp("api-versions") / "data"
    with running_broker(data_dir, **{"num.partitions": "1"}) as broker:
        yield broker.address


def exchange(address: tuple[str, int], *requests: tuple[int, ApiVersionsRequest]) -> list:
    """Send each (version, request) in turn on one connection; return the responses."""
    answers = []
    with socket.create_connection(address, timeout=10) as sock:
        for correlation_id, (version, request) in enumerate(requests, start=1):
            sock.sendall(request_frame(ApiKey.API_VERSIONS, version, request, correlation_id))
            got, response = read_response(sock, ApiKey.API_VERSIONS, version)
            assert got == correlation_id
            answers.append(response)
    return answers


VALID = [("kafka-python", "2.0.2"), ("librdkafka", "2.3.0"), ("a", "1"), ("x.y-z", "1.0-rc1"),
         ("apache-kafka-java", "4.2.0")]
INVALID = [("", "1.0"), ("kafka-python", ""), ("bad name!", "1.0"), ("-lead", "1"),
           ("trail.", "1"), ("name", "1.0+local"), ("under_score", "1"), ("ok", "1.0 "),
           ("ünicode", "1")]


@pytest.mark.parametrize(("name", "version"), VALID)
def test_valid_software_is_answered_with_the_api_ranges(address, name: str, version: str) -> None:
    request = ApiVersionsRequest(client_software_name=name, client_software_version=version)
    (response,) = exchange(address, (3, request))
    assert response.error_code == ErrorCode.NONE
    assert ApiKey.API_VERSIONS in {k.api_key for k in response.api_keys}


@pytest.mark.parametrize("version", [3, 4])
@pytest.mark.parametrize(("name", "software_version"), INVALID)
def test_invalid_software_gets_invalid_request_and_the_connection_stays_open(
    address, version: int, name: str, software_version: str
) -> None:
    bad = ApiVersionsRequest(client_software_name=name, client_software_version=software_version)
    good = ApiVersionsRequest(client_software_name="retry", client_software_version="1.0")
    rejected, accepted = exchange(address, (version, bad), (version, good))
    assert rejected.error_code == ErrorCode.INVALID_REQUEST
    assert rejected.api_keys == []
    assert rejected.supported_features == []
    assert rejected.finalized_features == []
    assert accepted.error_code == ErrorCode.NONE
    assert accepted.api_keys


@pytest.mark.parametrize("version", [0, 1, 2])
def test_versions_before_3_carry_no_software_name(address, version: int) -> None:
    (response,) = exchange(address, (version, ApiVersionsRequest()))
    assert response.error_code == ErrorCode.NONE
    assert response.api_keys
