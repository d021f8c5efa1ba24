"""Faults injected at dispatch (DESIGN.md §4, "one fault plan").

``FaultPlan`` holds the rules; ``summary`` reads what a request is about.
"""

from kafkalite.faults.plan import Action, FaultHandle, FaultPlan, Match, Rule, api_name
from kafkalite.faults.summary import RequestSummary, error_codes, summarize

__all__ = [
    "Action",
    "FaultHandle",
    "FaultPlan",
    "Match",
    "RequestSummary",
    "Rule",
    "api_name",
    "error_codes",
    "summarize",
]
