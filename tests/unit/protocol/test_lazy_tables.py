"""``REQUESTS``/``RESPONSES`` know every API from the start and import a message module only
when one of its specs is looked up; ``messages.<module>`` still works as an attribute."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kafkalite.protocol.lazy import SpecTable
from kafkalite.protocol.messages import MODULES, REQUESTS, RESPONSES, ApiKey

ROOT = Path(__file__).resolve().parents[3]

# In a fresh interpreter: what importing the package, iterating the tables and looking one
# API up import, as module lists printed in JSON.
FRESH = r"""
import json, sys
def loaded():
    return sorted(m for m in sys.modules if m.startswith("kafkalite.protocol.messages."))
from kafkalite.protocol.messages import REQUESTS, RESPONSES, ApiKey
after_import = loaded()
known = [len(REQUESTS), len(RESPONSES), ApiKey.FETCH in REQUESTS, 999 in REQUESTS, len(list(REQUESTS))]
after_iteration = loaded()
fetch = REQUESTS[ApiKey.FETCH]
after_lookup = loaded()
from kafkalite.protocol import messages
module = messages.heartbeat
print(json.dumps({
    "after_import": after_import, "known": known, "after_iteration": after_iteration,
    "after_lookup": after_lookup, "fetch_class": fetch.cls.__name__,
    "heartbeat": module.__name__, "after_attribute": loaded(),
}))
"""


def test_the_tables_import_a_module_on_first_lookup_only() -> None:
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    done = subprocess.run(
        [sys.executable, "-c", FRESH], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    generated = "kafkalite.protocol.messages."
    assert seen["known"] == [len(ApiKey), len(ApiKey), True, False, len(ApiKey)]
    assert generated + "fetch" not in seen["after_iteration"]
    assert set(seen["after_lookup"]) - set(seen["after_iteration"]) == {generated + "fetch"}
    assert seen["fetch_class"] == "FetchRequest"
    assert seen["heartbeat"] == generated + "heartbeat"
    assert generated + "heartbeat" in seen["after_attribute"]


@pytest.mark.parametrize("api_key", list(ApiKey), ids=lambda key: key.name)
def test_every_api_resolves_to_its_own_request_and_response(api_key: ApiKey) -> None:
    request, response = REQUESTS[api_key], RESPONSES[api_key]
    module = f"kafkalite.protocol.messages.{MODULES[api_key]}"
    assert request.cls.__module__ == module and response.cls.__module__ == module
    assert request.cls.__name__.endswith("Request") and response.cls.__name__.endswith("Response")
    assert REQUESTS[api_key] is request  # cached: one spec object per API
    assert REQUESTS.get(api_key) is request


def test_an_unknown_key_is_a_key_error_and_get_gives_none() -> None:
    with pytest.raises(KeyError):
        REQUESTS[999]  # type: ignore[index]
    assert REQUESTS.get(999) is None  # type: ignore[call-overload]
    assert set(REQUESTS) == set(ApiKey) == set(RESPONSES)


def test_a_missing_module_surfaces_as_an_import_error() -> None:
    table: SpecTable[ApiKey] = SpecTable(
        "kafkalite.protocol.messages", {ApiKey.FETCH: "no_such_module"}, "REQUEST"
    )
    assert ApiKey.FETCH in table and len(table) == 1  # nothing imported yet
    with pytest.raises(ImportError):
        table[ApiKey.FETCH]
