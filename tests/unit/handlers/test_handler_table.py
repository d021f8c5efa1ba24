"""The handler table names each API's module; the module is imported on the first request
of that API. Every entry must resolve, or that API would fail only when first asked."""

from __future__ import annotations

import inspect

import pytest

from kafkalite.handlers import HANDLERS, Handler
from kafkalite.protocol.messages import ApiKey


@pytest.mark.parametrize("api_key", list(HANDLERS), ids=lambda key: key.name)
def test_every_entry_resolves_to_its_modules_async_handle(api_key: ApiKey) -> None:
    handler = HANDLERS[api_key]
    fn = handler.fn
    assert inspect.iscoroutinefunction(fn)
    assert fn.__name__ == "handle" and fn.__module__.startswith("kafkalite.handlers.")
    assert handler.fn is fn  # resolved once
    assert handler.min_version <= handler.max_version


def test_a_function_entry_is_used_as_it_is() -> None:
    async def handle(ctx: object, request: object) -> None:
        return None

    handler = Handler(handle, 1, 3)
    assert handler.fn is handle
    assert handler.versions() == range(1, 4)


def test_a_misspelt_module_fails_when_resolved() -> None:
    handler = Handler("no_such_handler", 0, 0)
    assert "no_such_handler" in repr(handler)
    with pytest.raises(ImportError):
        _ = handler.fn
