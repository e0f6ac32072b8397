"""The canonical Markdown of an edition: the one document whose UTF-8 bytes are served for
download and hashed (SHA-256), deterministic whatever the language of the request."""

from __future__ import annotations

from datetime import UTC, datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import KIND_PLURALS, OrganisationKind
from core import documents

from .models import Edition, EditionEntry


def utc_iso(moment: datetime) -> str:
    """``2017-11-08T16:30:00Z``: the publication time as the Markdown and the JSON write it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _one_line(value: str) -> str:
    return " ".join(value.split())


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
        }
    snapshots = edition.sections or {}
    lines = []
    front = documents.markdown_blocks("front_matter", snapshots, language)
    if front:
        lines += ["---", *front, "---", ""]
    heading = edition.heading_in(language)
    lines += [
        f"# {_one_line(heading['title'])}",
        "",
        words["published"] % {"n": edition.number, "at": utc_iso(edition.published_at)},
    ]
    if heading["preamble"]:
        lines += ["", heading["preamble"]]
    for block in documents.markdown_blocks("before_recommendations", snapshots, language):
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
            words["addressed"] % {"kinds": addressed},
            "",
            words["version"] % {"n": entry.version},
            "",
            entry.text,
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
