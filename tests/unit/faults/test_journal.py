"""The request journal: bounded, queryable, JSON-able."""

from __future__ import annotations

import json

from kafkalite.faults import Journal, RequestSummary
from kafkalite.protocol.messages import ApiKey


def record(journal: Journal, api: ApiKey, correlation_id: int, **kwargs: object) -> None:
    journal.record(
        node=kwargs.pop("node", 1),  # type: ignore[arg-type]
        api_key=api,
        version=9,
        correlation_id=correlation_id,
        client_id=kwargs.pop("client_id", "app"),  # type: ignore[arg-type]
        summary=kwargs.pop("summary", RequestSummary()),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def test_bounded_to_the_newest_entries() -> None:
    journal = Journal(max_entries=3)
    for corr in range(5):
        record(journal, ApiKey.PRODUCE, corr)
    assert len(journal) == 3 and journal.max_entries == 3
    assert [e.correlation_id for e in journal.query()] == [2, 3, 4]
    assert Journal().max_entries == 10_000


def test_queries() -> None:
    journal = Journal()
    record(journal, ApiKey.PRODUCE, 1, summary=RequestSummary(topics={"a": (0,)}), errors=[6],
           fault_id=7)
    record(journal, ApiKey.FETCH, 2, node=2, summary=RequestSummary(topics={"b": (0,)}))
    record(journal, ApiKey.JOIN_GROUP, 3, client_id="other", summary=RequestSummary(groups=("g",)))
    record(journal, ApiKey.PRODUCE, 4, summary=RequestSummary(topics={"b": (1,)}))

    def ids(**query: object) -> list[int]:
        return [e.correlation_id for e in journal.query(**query)]  # type: ignore[arg-type]

    assert ids(api="Produce") == [1, 4]
    assert ids(api=ApiKey.FETCH) == [2]
    assert ids(node=2) == [2]
    assert ids(topic="b") == [2, 4]
    assert ids(group="g") == [3]
    assert ids(client_id="other") == [3]
    assert ids(fault_id=7) == [1]
    assert ids(limit=2) == [3, 4]
    assert ids(limit=0) == []
    journal.clear()
    assert ids() == []


def test_entries_are_json() -> None:
    journal = Journal()
    record(journal, ApiKey.LIST_OFFSETS, 5, summary=RequestSummary(topics={"a": (0, 1)}),
           errors=[3], fault_id=2)
    (entry,) = json.loads(json.dumps([e.to_json() for e in journal.query()]))
    assert entry["api"] == "ListOffsets" and entry["version"] == 9
    assert entry["topics"] == {"a": [0, 1]} and entry["errors"] == [3]
    assert (entry["fault_id"], entry["client_id"], entry["node"]) == (2, "app", 1)
    assert isinstance(entry["time"], float)
