"""Message specs by API key, each message module imported on first use of its API.

The generated package ``kafkalite.protocol.messages`` holds one module per API (66 of them,
each building its classes and specs at import). A broker answers ApiVersions long before,
if ever, it sees most of those APIs, so ``REQUESTS`` and ``RESPONSES`` are ``SpecTable``s:
read-only mappings that know every key from the start (iteration, ``len`` and ``in`` never
import anything) and import a module the first time one of its specs is looked up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from types import ModuleType
from typing import Generic, TypeVar

from kafkalite.protocol.spec import MessageSpec

__all__ = ["SpecTable", "submodule_getattr"]

K = TypeVar("K", bound=int)


class SpecTable(Mapping[K, MessageSpec], Generic[K]):
    """``{api_key: spec}``: the spec is ``<package>.<module>.<KEY_NAME>_<kind>_SPEC``, where
    ``KEY_NAME`` is the key's enum name and ``kind`` is ``REQUEST`` or ``RESPONSE``."""

    __slots__ = ("_package", "_where", "_loaded")

    def __init__(self, package: str, modules: Mapping[K, str], kind: str) -> None:
        self._package = package
        # Keys are ApiKey members: each carries its enum name.
        self._where: dict[K, tuple[str, str]] = {
            key: (module, f"{getattr(key, 'name', key)}_{kind}_SPEC")
            for key, module in modules.items()
        }
        self._loaded: dict[K, MessageSpec] = {}

    def __getitem__(self, key: K) -> MessageSpec:
        try:
            return self._loaded[key]
        except KeyError:
            pass
        module, name = self._where[key]  # KeyError for an API we have no schema for
        spec: MessageSpec = getattr(import_module(f"{self._package}.{module}"), name)
        self._loaded[key] = spec
        return spec

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def __iter__(self) -> Iterator[K]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)

    def __repr__(self) -> str:
        return f"SpecTable({self._package!r}, {len(self._where)} APIs, {len(self._loaded)} loaded)"


def submodule_getattr(package: str, names: frozenset[str]) -> Callable[[str], ModuleType]:
    """A module ``__getattr__`` that imports ``package.<name>`` on attribute access, so
    ``messages.fetch`` works without the package importing every module up front."""

    def __getattr__(name: str) -> ModuleType:
        if name in names:
            return import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
