"""The base of every generated message class.

Generated classes are plain slotted classes with a keyword-only ``__init__`` written out by
the generator, rather than dataclasses: building ~200 dataclasses costs a tenth of a second
at import (``dataclasses`` compiles their methods with ``exec``), and start-up time is one
of kafkalite's promises. Equality and ``repr`` come from here, driven by ``__slots__``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["UNSET", "Message"]

#: Default of a parameter whose value is a fresh list or struct per instance.
UNSET: Any = object()


class Message:
    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable, like a dataclass with eq

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{self.__class__.__name__}({fields})"
