"""Support at a glance: endorsements broken down by kind of organisation, for every page that
shows them (live endorsements on the workspace's pages, snapshots in published editions)."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.models import KIND_PLURALS, OrganisationKind
from text import outline as text_outline

register = template.Library()


def _supporter(item: Any) -> dict[str, Any]:
    """One endorsement as the templates show it, from a model row or an edition's snapshot."""
    if isinstance(item, dict):
        return {
            "slug": item["organisation"],
            "name": item["name"],
            "kind": item["kind"],
            "version": item.get("version"),
            "statement": item.get("statement", ""),
        }
    org = item.organisation
    return {
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind,
        "version": item.version,
        "statement": item.statement,
    }


@register.filter
def support_breakdown(items) -> dict[str, Any]:
    """``{"total", "kinds": [{"kind", "label", "singular", "count"}] for the six kinds,
    "supporters"}`` (labels are the plural and singular names of the kind)."""
    supporters = [_supporter(item) for item in items or []]
    singular = dict(OrganisationKind.choices)
    counts: dict[str, int] = {}
    for s in supporters:
        counts[s["kind"]] = counts.get(s["kind"], 0) + 1
    return {
        "total": len(supporters),
        "kinds": [
            {
                "kind": kind,
                "label": KIND_PLURALS[kind],
                "singular": singular[kind],
                "count": counts.get(kind, 0),
            }
            for kind in OrganisationKind.values
        ],
        "supporters": supporters,
    }


@register.filter
def kind_label(kind: str) -> str:
    return str(dict(OrganisationKind.choices).get(kind, kind))


@register.filter
def kind_plurals(kinds) -> str:
    return ", ".join(str(KIND_PLURALS.get(kind, kind)) for kind in kinds or [])


@register.filter
def outline(html: str, base: int) -> str:
    """A text's HTML with its headings starting at level ``base``, none skipped
    (``text.outline``): the page's outline matches the canonical Markdown's."""
    return text_outline.shift_html(html or "", int(base))
