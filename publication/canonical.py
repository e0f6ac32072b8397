"""The canonical Markdown of an edition: the one document whose UTF-8 bytes are served for
download and hashed (SHA-256), deterministic whatever the language of the request."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.utils import translation

from accounts.models import KIND_PLURALS, OrganisationKind
from core import documents
from text import outline

from .models import Edition, EditionEntry


def utc_iso(moment: datetime) -> str:
    """``2017-11-08T16:30:00Z``: the publication time as the Markdown and the JSON write it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _one_line(value: str) -> str:
    return " ".join(value.split())


# The outline of an edition, in the Markdown and the HTML alike: the edition is level 1, a
# theme 2, a recommendation 3, the recommendation's own headings from 4 (text.outline); the
# preamble's headings and the sections' start at 2.
THEME_LEVEL = 2
RECOMMENDATION_LEVEL = 3
TEXT_LEVEL = 4
PREAMBLE_LEVEL = 2


def front_matter(edition: Edition, snapshots: dict) -> list[str]:
    """The lines between the ``---`` of the document's top: what the registered sections add
    (the conference), then the edition's own: number, what it corrects, adoption date,
    publication date and language."""
    lines = list(documents.markdown_blocks("front_matter", snapshots))
    lines.append(f"edition: {edition.number}")
    if edition.corrects_id:
        lines.append(f"corrects: {edition.corrects.number}")
    if edition.adopted_on:
        lines.append(f"adopted: {edition.adopted_on.isoformat()}")
    lines.append(f"date: {utc_iso(edition.published_at)}")
    lines.append(f"language: {settings.LANGUAGE_CODE}")
    return lines


def canonical_markdown(edition: Edition, entries: list[EditionEntry]) -> str:
    """The edition's one canonical document. Deterministic: the same edition and entries give
    the same characters, whatever the language of the request that published it."""
    with translation.override(settings.LANGUAGE_CODE):
        plural = {kind: str(label) for kind, label in KIND_PLURALS.items()}
        singular = {kind: str(label) for kind, label in OrganisationKind.choices}
    snapshots = edition.sections or {}
    lines = ["---", *front_matter(edition, snapshots), "---", ""]
    lines += [
        f"# {_one_line(edition.title)}",
        "",
        f"Edition {edition.number}, published {utc_iso(edition.published_at)}",
    ]
    if edition.adopted_on:
        lines += ["", f"Adopted on {edition.adopted_on.isoformat()}"]
    if edition.corrects_id:
        lines += [
            "",
            f"Corrects edition {edition.corrects.number}: {_one_line(edition.correction_note)}",
        ]
    if edition.preamble:
        lines += ["", outline.shift_markdown(edition.preamble, PREAMBLE_LEVEL)]
    for block in documents.markdown_blocks("before_recommendations", snapshots):
        lines += ["", block]
    theme = None
    for entry in entries:
        if entry.theme_slug != theme:
            theme = entry.theme_slug
            lines += ["", f"{'#' * THEME_LEVEL} {_one_line(entry.theme_name)}"]
        addressed = ", ".join(plural.get(k, k) for k in entry.addressed_to)
        lines += [
            "",
            f"{'#' * RECOMMENDATION_LEVEL} {_one_line(entry.title)}",
            "",
            f"Addressed to: {addressed}",
            "",
            f"Version {entry.version}",
            "",
            outline.shift_markdown(entry.text, TEXT_LEVEL),
            "",
        ]
        if not entry.endorsements:
            lines.append("Endorsed by: no organisation")
            continue
        lines += ["Endorsed by:", ""]
        for s in entry.endorsements:
            line = f"- {_one_line(s['name'])} ({singular.get(s['kind'], s['kind'])})"
            if s["version"] != entry.version:
                line += f", endorsed version {s['version']}"
            if s["statement"]:
                line += f" — {_one_line(s['statement'])}"
            lines.append(line)
    for block in documents.markdown_blocks("after_recommendations", snapshots):
        lines += ["", block]
    return "\n".join(lines).rstrip() + "\n"
