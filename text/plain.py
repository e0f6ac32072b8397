"""The visible text of sanitised HTML: what a reader sees, whitespace folded."""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["fold_spaces", "plain_text"]

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


def fold_spaces(text: str) -> str:
    """Whitespace folded to single spaces: a browser selection and the stored HTML agree."""
    return _SPACE_RE.sub(" ", text or "").strip()


def plain_text(html: str) -> str:
    """The visible text of a sanitised HTML fragment, whitespace folded."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    return fold_spaces("".join(parser.parts))
