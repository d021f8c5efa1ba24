"""Faults injected at dispatch, and the request journal (DESIGN.md §4, "one fault plan").

``FaultPlan`` holds the rules; ``run_with_faults`` is the one call a node makes per request;
``Journal`` remembers what was asked and answered. ``responses`` builds the error answers
Kafka would send, ``summary`` reads what a request is about. No I/O here: the runtime owns
the sockets and the event loop.
"""

from kafkalite.faults.dispatch import Call, Outcome, run_with_faults
from kafkalite.faults.journal import DEFAULT_MAX_ENTRIES, Journal, JournalEntry
from kafkalite.faults.names import api_name, parse_api, parse_error
from kafkalite.faults.plan import Action, FaultHandle, FaultPlan, Match, Rule
from kafkalite.faults.responses import (
    can_split,
    error_response,
    merge_responses,
    override_errors,
    split_request,
)
from kafkalite.faults.summary import RequestSummary, error_codes, summarize

__all__ = [
    "DEFAULT_MAX_ENTRIES",
    "Action",
    "Call",
    "FaultHandle",
    "FaultPlan",
    "Journal",
    "JournalEntry",
    "Match",
    "Outcome",
    "RequestSummary",
    "Rule",
    "api_name",
    "parse_api",
    "parse_error",
    "can_split",
    "error_codes",
    "error_response",
    "merge_responses",
    "override_errors",
    "run_with_faults",
    "split_request",
    "summarize",
]
