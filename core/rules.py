"""Named checks that a lower app's service asks for and a higher app answers (deadlines).

``recommendations`` and ``publication`` sit below ``conference``, which knows when drafting
and endorsing close. Their services call ``check("endorsement", recommendation=rec,
actor=user)`` at the point of the write; every check registered under that name runs and may
raise (``core.errors.Conflict`` for a closed deadline: HTTP 409 with a translated message).
With nothing registered, ``check`` does nothing: the lower apps work alone.

A rule that is a deadline also says when it closes (``deadline(name)``), so the pages of the
lower apps can show "closes in 3 days" or "closed on ..." where the form is, without knowing
who set the date.

Names asked for today:

- ``drafting``: creating, editing, restoring and submitting a recommendation
  (``recommendation=`` the recommendation, or None when it is created);
- ``endorsement``: endorsing and re-confirming an endorsement (``recommendation=``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from .registry import Registry

NAMES = ("drafting", "endorsement")


@dataclass(frozen=True)
class Deadline:
    """When a rule closes, and the zone its owner reads it in (``Asia/Beirut``)."""

    closes_at: datetime
    time_zone: str = ""

    @property
    def closed(self) -> bool:
        return timezone.now() >= self.closes_at


@dataclass(frozen=True)
class Rule:
    # (**context) -> None, or raise (Conflict: 409)
    check: Callable[..., None]
    # () -> the deadline now, or None (no deadline set)
    deadline: Callable[[], Deadline | None] | None = None


registry: Registry[tuple[str, Rule]] = Registry("rules")


def register(name: str, key: str, rule: Rule) -> None:
    """Run ``rule.check(**context)`` whenever ``check(name, ...)`` is asked for."""
    if name not in NAMES:
        raise ValueError(f"unknown rule {name!r}; known: {NAMES}")
    registry.register(f"{name}:{key}", (name, rule))


def unregister(name: str, key: str) -> None:
    registry.unregister(f"{name}:{key}")


def check(name: str, **context: Any) -> None:
    """Run every check registered under ``name``; the first to refuse raises."""
    if name not in NAMES:
        raise ValueError(f"unknown rule {name!r}; known: {NAMES}")
    for rule_name, rule in registry:
        if rule_name == name:
            rule.check(**context)


def deadline(name: str) -> Deadline | None:
    """The earliest deadline registered under ``name`` (None: no deadline)."""
    found = [
        d
        for rule_name, rule in registry
        if rule_name == name and rule.deadline is not None
        for d in [rule.deadline()]
        if d is not None
    ]
    return min(found, key=lambda d: d.closes_at) if found else None
