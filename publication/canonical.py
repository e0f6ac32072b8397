"""The canonical Markdown of an edition: the one document whose UTF-8 bytes are served for
download and hashed (SHA-256), deterministic whatever the language of the request."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.utils import translation

from accounts.models import KIND_PLURALS, OrganisationKind
from core import documents

from .models import Edition, EditionEntry


def utc_iso(moment: datetime) -> str:
    """``2017-11-08T16:30:00Z``: the publication time as the Markdown and the JSON write it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def canonical_markdown(edition: Edition, entries: list[EditionEntry]) -> str:
    """The edition's one canonical document. Deterministic: the same edition and entries give
    the same characters, whatever the language of the request that published it."""
    with translation.override(settings.LANGUAGE_CODE):
        plural = {kind: str(label) for kind, label in KIND_PLURALS.items()}
        singular = {kind: str(label) for kind, label in OrganisationKind.choices}
    snapshots = edition.sections or {}
    lines = []
    front = documents.markdown_blocks("front_matter", snapshots)
    if front:
        lines += ["---", *front, "---", ""]
    lines += [
        f"# {_one_line(edition.title)}",
        "",
        f"Edition {edition.number}, published {utc_iso(edition.published_at)}",
    ]
    if edition.preamble:
        lines += ["", edition.preamble]
    for block in documents.markdown_blocks("before_recommendations", snapshots):
        lines += ["", block]
    theme = None
    for entry in entries:
        if entry.theme_slug != theme:
            theme = entry.theme_slug
            lines += ["", f"## {_one_line(entry.theme_name)}"]
        addressed = ", ".join(plural.get(k, k) for k in entry.addressed_to)
        lines += [
            "",
            f"### {_one_line(entry.title)}",
            "",
            f"Addressed to: {addressed}",
            "",
            f"Version {entry.version}",
            "",
            entry.text,
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
