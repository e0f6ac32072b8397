"""The canonical Markdown of an edition: the one document whose UTF-8 bytes are served for
download and hashed (SHA-256), deterministic whatever the language of the request."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

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
# preamble's headings and the sections' start at 2. The same in every language's document.
THEME_LEVEL = 2
RECOMMENDATION_LEVEL = 3
TEXT_LEVEL = 4
PREAMBLE_LEVEL = 2


def front_matter(edition: Edition, snapshots: dict, language: str | None = None) -> list[str]:
    """The lines between the ``---`` of the document's top: what the registered sections add
    (the conference), then the edition's own: number, what it corrects, adoption date,
    publication date and language (the document's; the default language for the originals)."""
    lines = list(documents.markdown_blocks("front_matter", snapshots, language))
    lines.append(f"edition: {edition.number}")
    if edition.corrects_id:
        lines.append(f"corrects: {edition.corrects.number}")
    if edition.adopted_on:
        lines.append(f"adopted: {edition.adopted_on.isoformat()}")
    lines.append(f"date: {utc_iso(edition.published_at)}")
    lines.append(f"language: {language or settings.LANGUAGE_CODE}")
    return lines


def canonical_markdown(
    edition: Edition, entries: list[EditionEntry], language: str | None = None
) -> str:
    """The edition's one canonical document. Deterministic: the same edition and entries give
    the same characters, whatever the language of the request that published it.

    ``language``: the document of that language (``entries`` then hold its titles and texts),
    with its words in that language; None: the document of the originals, in the site's
    default language (the words below are the catalogue's msgids, so that document's bytes
    are exactly what they were before documents had languages)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        plural = {kind: str(label) for kind, label in KIND_PLURALS.items()}
        singular = {kind: str(label) for kind, label in OrganisationKind.choices}
        words = {
            "published": _("Edition %(n)s, published %(at)s"),
            "addressed": _("Addressed to: %(kinds)s"),
            "version": _("Version %(n)s"),
            "none": _("Endorsed by: no organisation"),
            "by": _("Endorsed by:"),
            "older": _(", endorsed version %(n)s"),
            "adopted": _("Adopted on %(date)s"),
            "corrects": _("Corrects edition %(n)s: %(note)s"),
        }
    snapshots = edition.sections or {}
    lines = ["---", *front_matter(edition, snapshots, language), "---", ""]
    heading = edition.heading_in(language)
    lines += [
        f"# {_one_line(heading['title'])}",
        "",
        words["published"] % {"n": edition.number, "at": utc_iso(edition.published_at)},
    ]
    if edition.adopted_on:
        lines += ["", words["adopted"] % {"date": edition.adopted_on.isoformat()}]
    if edition.corrects_id:
        lines += [
            "",
            words["corrects"]
            % {"n": edition.corrects.number, "note": _one_line(edition.correction_note)},
        ]
    if heading["preamble"]:
        lines += ["", outline.shift_markdown(heading["preamble"], PREAMBLE_LEVEL)]
    for block in documents.markdown_blocks("before_recommendations", snapshots, language):
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
            words["addressed"] % {"kinds": addressed},
            "",
            words["version"] % {"n": entry.version},
            "",
            outline.shift_markdown(entry.text, TEXT_LEVEL),
            "",
        ]
        if not entry.endorsements:
            lines.append(words["none"])
            continue
        lines += [words["by"], ""]
        for s in entry.endorsements:
            line = f"- {_one_line(s['name'])} ({singular.get(s['kind'], s['kind'])})"
            if s["version"] != entry.version:
                line += words["older"] % {"n": s["version"]}
            if s["statement"]:
                line += f" — {_one_line(s['statement'])}"
            lines.append(line)
    for block in documents.markdown_blocks("after_recommendations", snapshots, language):
        lines += ["", block]
    return "\n".join(lines).rstrip() + "\n"
