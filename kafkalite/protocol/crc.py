"""CRC-32C (Castagnoli), the checksum of RecordBatch v2, from the ``crc32c`` package.

``import crc32c`` runs the package's ``__init__``, which asks ``importlib.metadata`` for its
own version: that imports ``email`` and scans every installed distribution, the largest
single import cost of a broker's start. The checksum itself lives in the package's C
extension ``crc32c._crc32c``, so this module loads that extension alone, by its path, and
registers it under its own name (a later ``import crc32c`` then reuses it). If the package's
layout ever changes, it falls back to the ordinary import.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib.machinery import PathFinder
from importlib.util import find_spec, module_from_spec, spec_from_file_location
from types import ModuleType

__all__ = ["crc32c"]

_EXTENSION = "crc32c._crc32c"


def _extension() -> ModuleType | None:
    module = sys.modules.get(_EXTENSION)
    if module is not None:
        return module
    package = find_spec("crc32c")  # finds the package without running its __init__
    locations = list(package.submodule_search_locations or ()) if package else []
    found = PathFinder.find_spec("_crc32c", locations) if locations else None
    if found is None or found.origin is None:
        return None
    spec = spec_from_file_location(_EXTENSION, found.origin)
    if spec is None or spec.loader is None:
        return None
    module = module_from_spec(spec)
    sys.modules[_EXTENSION] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[_EXTENSION]
        raise
    return module


def _load() -> Callable[..., int]:
    try:
        module = _extension()
    except ImportError:
        module = None
    if module is not None and callable(getattr(module, "crc32c", None)):
        function: Callable[..., int] = module.crc32c
        return function
    from crc32c import crc32c as imported

    return imported


crc32c: Callable[..., int] = _load()
"""``crc32c(data: bytes-like, value: int = 0) -> int``, computed in C."""
