"""The orders of the recommendations list ("Sort by").

The list belongs to ``recommendations``; orders that need another app's data (most discussed:
comments; most supported: endorsements) are registered by that app in its ``ready()``, as
panels are (``core.panels``). Each order is a function of the queryset, so the page stays one
query for its rows whatever the order, and ends on the primary key, so pages never overlap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.registry import Registry


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
