"""The PDF of a published edition, made on the server with WeasyPrint when it is published and
stored with it: its bytes never change, so their SHA-256 (shown next to the Markdown's) can be
checked on any copy.

The PDF is the print page's content in the workspace's default language. WeasyPrint fetches
nothing: a link or image in a recommendation's text never makes the server open a URL (the
fetcher refuses every one), and the stylesheets are read from the static files.
"""

from __future__ import annotations

from datetime import UTC

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core import documents

from .canonical import utc_iso
from .models import Edition, EditionEntry

STYLESHEETS = ("css/workspace.css", "css/publication.css", "css/print.css", "css/pdf.css")


class FetchRefused(ValueError):
    """WeasyPrint asked for a URL; an edition's PDF is made from its own data only."""


def _refuse_fetch(url: str, *args, **kwargs):
    raise FetchRefused(f"an edition's PDF fetches nothing ({url[:80]})")


def edition_pdf(edition: Edition, entries: list[EditionEntry]) -> bytes:
    """The PDF of ``edition`` (published: it has its number, dates and Markdown's SHA-256)."""
    import weasyprint  # a large import, only where a PDF is made

    # The default language and UTC, like the canonical Markdown: the bytes do not depend on
    # who publishes (their language or time zone).
    with translation.override(settings.LANGUAGE_CODE), timezone.override(UTC):
        html = render_to_string(
            "publication/pdf.html",
            {
                "edition": edition,
                "heading": edition.heading_in(None),  # the original: the PDF is of it only
                "entries": entries,
                "published_iso": utc_iso(edition.published_at),
                "front": documents.rendered("front_matter", edition.sections),
                "sections_before": documents.rendered("before_recommendations", edition.sections),
                "sections_after": documents.rendered("after_recommendations", edition.sections),
            },
        )
    stylesheets = [
        weasyprint.CSS(filename=path, url_fetcher=_refuse_fetch)
        for path in (finders.find(name) for name in STYLESHEETS)
        if path
    ]
    document = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch)
    return document.write_pdf(stylesheets=stylesheets, pdf_tags=True)
