"""The orders of the recommendations list ("Sort by").

The list belongs to ``recommendations``; orders that need another app's data (most discussed:
comments; most supported: endorsements) are registered by that app in its ``ready()``, as
panels are (``core.panels``). Each order is a function of the queryset, so the page stays one
query for its rows whatever the order, and ends on the primary key, so pages never overlap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.registry import Registry

from . import search


@dataclass(frozen=True)
class Sort:
    label: str | Promise
    order: Callable[[QuerySet], QuerySet]
    position: int = 100  # where it comes in the choice


sorts: Registry[Sort] = Registry("orders of the recommendations list")
DEFAULT = "theme"


def _by_theme(qs: QuerySet) -> QuerySet:
    return qs.order_by("theme__position", "title", "pk")


def _recently_updated(qs: QuerySet) -> QuerySet:
    return qs.order_by("-updated_at", "-pk")


# With words to search for, the best matches first; without, the default order.
RELEVANCE = "relevance"
sorts.register(RELEVANCE, Sort(_("Best match"), _by_theme, position=-10))
sorts.register(DEFAULT, Sort(_("By theme"), _by_theme, position=0))
sorts.register("updated", Sort(_("Recently updated"), _recently_updated, position=10))


def sort_choices() -> list[tuple[str, str | Promise]]:
    entries = sorted(sorts.items(), key=lambda item: (item[1].position, item[0]))
    return [(key, entry.label) for key, entry in entries]


def ordered(qs: QuerySet, key: str | None) -> QuerySet:
    """``qs`` in the order named ``key`` (the default one for an empty key)."""
    entry = sorts.get(key or DEFAULT) or sorts.get(DEFAULT)
    assert entry is not None
    return entry.order(qs)


def filtered(qs: QuerySet, data: Mapping[str, Any]) -> QuerySet:
    """``qs`` narrowed by the list's filters (the page's form and the API's parameters)."""
    if data.get("theme"):
        qs = qs.filter(theme=data["theme"])
    if data.get("actor"):
        qs = qs.filter(addressed__contains=f",{data['actor']},")
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("organisation"):
        org = data["organisation"]
        qs = qs.filter(Q(lead_organisation=org) | Q(co_drafters=org)).distinct()
    return qs


def results(qs: QuerySet, data: Mapping[str, Any]) -> QuerySet | search.Ranked:
    """What the list shows for ``data``: filtered, searched, in the chosen order.

    With words to search for and no other order chosen, the best matches come first (a
    sequence the paginator slices); with another order, only the matches, in that order."""
    qs = filtered(qs, data)
    words = (data.get("q") or "").strip()
    sort = data.get("sort") or ""
    if words:
        if sort in ("", RELEVANCE):
            return search.search(qs, words)
        qs = search.matching(qs, words)
    return ordered(qs, sort)
