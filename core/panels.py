"""Panels: parts of a page that a higher app adds to a lower app's page.

The recommendation page belongs to ``recommendations``, but its comments come from
``comments`` and its endorsements from ``publication``, which sit above it. The page names a
*slot* (``{% panels "recommendation.aside" %}``); the higher apps register their panels for
that slot at start-up. A panel renders its template with the page's context, plus what its
``context`` function adds; ``prepare`` runs once for all the objects of a list page (to load
what every row's panel needs in one query, not one per row).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .registry import Registry

# Slots offered today (the page that shows each one):
SLOTS = {
    "recommendation.below_text": "recommendations/detail.html, below the text",
    "recommendation.aside": "recommendations/detail.html, in the side column",
    "recommendation.list_row": "recommendations/list.html, in each row",
}


@dataclass(frozen=True)
class Panel:
    slot: str
    template: str
    order: int = 100
    # (request, page context) -> extra context for this panel's template
    context: Callable[[HttpRequest | None, dict[str, Any]], dict[str, Any]] | None = None
    # (request, objects) -> None: load in bulk what the rows of a list need
    prepare: Callable[[HttpRequest | None, Sequence[Any]], None] | None = None


registry: Registry[Panel] = Registry("page panels")


def register(name: str, panel: Panel) -> Panel:
    if panel.slot not in SLOTS:
        raise ValueError(f"unknown panel slot {panel.slot!r}; known: {sorted(SLOTS)}")
    return registry.register(name, panel)


def panels_for(slot: str) -> list[Panel]:
    return sorted((p for p in registry if p.slot == slot), key=lambda p: (p.order, p.template))


def prepare(slot: str, request: HttpRequest | None, objects: Sequence[Any]) -> None:
    """Let every panel of ``slot`` load what it needs for ``objects`` (a list page's rows)."""
    for panel in panels_for(slot):
        if panel.prepare is not None:
            panel.prepare(request, objects)
