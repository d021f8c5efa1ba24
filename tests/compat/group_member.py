"""One consumer-group member in its own process, for tests that SIGKILL a member.

    python group_member.py '{"client": "aiokafka", "name": ..., "bootstrap": ...,
                             "group": ..., "topic": ..., "conf": {...}}'

Runs ``group_helpers.MEMBER_CLASSES[client]`` and writes its events (assign, revoke,
record, error, closed) as JSON lines on stdout. Reads commands from stdin, one JSON
object a line: ``{"op": "commit_sync", "id": 1}`` is answered with
``{"kind": "reply", "id": 1, "result": {partition: offset}}``; ``{"op": "close"}`` (or
end of input, e.g. because the test process went away) closes the consumer and exits.
"""

from __future__ import annotations

import json
import sys
import threading
from concurrent.futures import Future
from typing import Any

import group_helpers as gh

_out_lock = threading.Lock()


def emit(event: dict[str, Any]) -> None:
    line = json.dumps(event)
    with _out_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def main() -> int:
    spec = json.loads(sys.argv[1])
    cls = gh.MEMBER_CLASSES[spec["client"]]
    member = cls(spec["name"], spec["bootstrap"], spec["group"], spec["topic"], spec["conf"], sink=emit)
    member.start()
    for line in sys.stdin:
        command = json.loads(line)
        if command["op"] == "close":
            break
        request_id = command["id"]

        def reply(fut: Future[Any], request_id: int = request_id) -> None:
            exc = fut.exception()
            if exc is not None:
                emit({"kind": "reply", "id": request_id, "error": repr(exc)})
            else:
                emit({"kind": "reply", "id": request_id, "result": fut.result()})

        member.submit(command["op"]).add_done_callback(reply)
    member.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
