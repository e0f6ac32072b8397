"""The edition's commitments section (``core.documents``, after the recommendations): the
public commitments made to each recommendation of the edition until it was published,
grouped by the kind of actor they commit as. Frozen at publication, part of the hashed
Markdown; written in English (the canonical document's language) whatever the request's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import translation

from accounts.models import KIND_PLURALS, OrganisationKind

from .models import Commitment

KEY = "commitments.by_kind"


def snapshot(edition: Any, entries: Sequence[Any]) -> list[dict] | None:
    positions = {entry.recommendation_id: entry for entry in entries}
    commitments = (
        Commitment.objects.filter(is_public=True, recommendation_id__in=list(positions))
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    by_rec: dict[int, dict[str, list[dict]]] = {}
    for c in commitments:
        by_rec.setdefault(c.recommendation_id, {}).setdefault(c.actor_kind, []).append(c.snapshot())
    if not by_rec:
        return None
    sections = []
    for entry in entries:  # the edition's order
        kinds = by_rec.get(entry.recommendation_id)
        if not kinds:
            continue
        sections.append(
            {
                "title": entry.title,
                "recommendation": entry.recommendation_id,
                "kinds": [
                    {"kind": kind, "items": kinds[kind]}
                    for kind in OrganisationKind.values
                    if kind in kinds
                ],
            }
        )
    return sections


def _one_line(value: str) -> str:
    return " ".join(value.split())


def markdown(data: list[dict], language: str | None = None) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        plural = {kind: str(label) for kind, label in KIND_PLURALS.items()}
    lines = ["## Commitments"]
    for rec in data:
        lines += ["", f"### {_one_line(rec['title'])}"]
        for group in rec["kinds"]:
            lines += ["", f"#### {plural.get(group['kind'], group['kind'])}", ""]
            for item in group["items"]:
                line = f"- {_one_line(item['name'])}: {_one_line(item['action'])} (by {item['target_date']}"
                if item["indicator"]:
                    line += f"; indicator: {_one_line(item['indicator'])}"
                    if item["target_value"] is not None:
                        line += f", target {item['target_value']} {_one_line(item['unit'])}"
                    else:
                        line += f" ({_one_line(item['unit'])})"
                line += f"; version {item['version']})"
                lines.append(line)
    return "\n".join(lines)
