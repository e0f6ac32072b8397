"""Anchors: paragraph keys of the recommendation's text, and passages quoted from them."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from recommendations.models import Recommendation, Status, VersionMeta

_SPACE_RE = re.compile(r"\s+")
_BLOCK_TAGS = frozenset(
    {
        "p", "br", "li", "ul", "ol", "tr", "td", "th", "table", "thead", "tbody", "div",
        "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "dl", "dt", "dd", "hr",
    }
)  # fmt: skip


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def normalise(text: str) -> str:
    """Whitespace folded to single spaces: a browser selection and the stored HTML agree."""
    return _SPACE_RE.sub(" ", text or "").strip()


def plain_text(html: str) -> str:
    """The visible text of a sanitised HTML fragment, whitespace folded."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    return normalise("".join(parser.parts))


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
