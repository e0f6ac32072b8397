"""Named hooks: a lower app offers a registry, higher apps fill it at start-up.

A lower app never imports a higher one. Where it needs what only a higher app knows (the
sentence for a comment's activity, the panels of a recommendation's page, what must be
removed from a replayed event), it reads a ``Registry`` that the higher app fills in its
``AppConfig.ready()``. Registering is explicit and idempotent (the same entry under the same
name again is a no-op; another entry under a taken name is an error), never a change of
another module's globals.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, T] = {}

    def register(self, key: str, entry: T) -> T:
        """Add ``entry`` under ``key``; returns it (usable as a decorator's body)."""
        current = self._entries.get(key)
        if current is not None and current != entry:
            raise ValueError(f"{self.name}: {key!r} is registered already")
        self._entries[key] = entry
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def get(self, key: str, default: T | None = None) -> T | None:
        return self._entries.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(self._entries)}>"
