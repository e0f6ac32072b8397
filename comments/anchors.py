"""Anchors: paragraph keys of the recommendation's text, and passages quoted from them."""

from __future__ import annotations

from recommendations.models import Recommendation, Status, VersionMeta
from text.plain import fold_spaces, plain_text

# One rule for the visible text of HTML, in the ``text`` package; re-exported here for the
# callers that know it as ``anchors.plain_text`` / ``anchors.normalise``.
normalise = fold_spaces


def excerpt(html: str, limit: int = 120) -> str:
    text = plain_text(html)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def current_paragraphs(rec: Recommendation) -> list[dict]:
    """The paragraphs shown as the recommendation's text: the frozen text once final."""
    if rec.status == Status.FINAL and rec.final_version and rec.final_version != rec.version:
        frozen = (
            VersionMeta.objects.filter(recommendation=rec, number=rec.final_version)
            .values_list("paragraphs", flat=True)
            .first()
        )
        if frozen is not None:
            return frozen
    return rec.paragraphs or []


def paragraph_keys(paragraphs: list[dict]) -> set[str]:
    return {p["key"] for p in paragraphs}
