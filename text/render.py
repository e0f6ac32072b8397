"""Markdown rendering (tables, footnotes, abbreviations, ...) to sanitised HTML.

``render_markdown`` renders a whole document; ``render_paragraphs`` renders a list of blocks as
one document (so footnotes, abbreviations and heading ids work across blocks) and returns the
sanitised HTML of each block under its paragraph key. Pure Python; no Django imports.

Heading ids are ``user-content-<slug>``: ``# Energy policy`` gets
``id="user-content-energy-policy"``, a second one ``user-content-energy-policy_1``. User text
never takes the id of a page element (see :mod:`text.sanitise`). A link
``[see](#energy-policy)`` to a heading of the same document is pointed at the prefixed id, so
links between headings keep working.
"""

from __future__ import annotations

import re
import secrets
import threading

import markdown
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import slugify as toc_slugify
from markdown.treeprocessors import Treeprocessor

from .sanitise import USER_ID_PREFIX, sanitize_html

__all__ = ["is_heading_html", "number_paragraphs", "render_markdown", "render_paragraphs"]

_HEADING_HTML_RE = re.compile(r"^\s*<h[1-6][\s>]", re.IGNORECASE)


def _user_slug(value: str, separator: str) -> str:
    """toc's slug in the user-content family; toc then adds ``_1``, ``_2``... to repeats."""
    return USER_ID_PREFIX + toc_slugify(value, separator)


_EXTENSIONS = ["tables", "fenced_code", "def_list", "abbr", "sane_lists", "toc"]
_EXTENSION_CONFIGS = {
    # ids on headings (prefixed); no "[TOC]" expansion
    "toc": {"permalink": False, "marker": "", "slugify": _user_slug},
    "tables": {"use_align_attribute": True},  # align="..." instead of style="..."
}


class _HeadingLinks(Treeprocessor):
    """``[text](#slug)`` to a heading of this document links to its ``user-content-`` id."""

    def run(self, root) -> None:
        ids = {el.get("id") for el in root.iter() if el.get("id", "").startswith(USER_ID_PREFIX)}
        for link in root.iter("a"):
            href = link.get("href") or ""
            if href.startswith("#") and f"{USER_ID_PREFIX}{href[1:]}" in ids:
                link.set("href", f"#{USER_ID_PREFIX}{href[1:]}")


_DEFAULT_PLACE_MARKER = FootnoteExtension().getConfig("PLACE_MARKER")
_local = threading.local()


def _markdown(place_marker: str | None = None) -> tuple[markdown.Markdown, FootnoteExtension]:
    """This thread's converter, reset for a new document.

    Making a ``Markdown`` with its extensions costs about a millisecond, more than converting
    a paragraph; one per thread is made once and ``reset()`` before each document (each call
    finishes with it before the next one starts)."""
    made = getattr(_local, "markdown", None)
    if made is None:
        footnotes = FootnoteExtension()
        md = markdown.Markdown(
            extensions=[*_EXTENSIONS, footnotes],
            extension_configs=_EXTENSION_CONFIGS,
            output_format="html",
        )
        md.treeprocessors.register(_HeadingLinks(md), "user_heading_links", 4)  # after toc (5)
        made = _local.markdown = (md, footnotes)
    md, footnotes = made
    md.reset()
    footnotes.setConfig("PLACE_MARKER", place_marker or _DEFAULT_PLACE_MARKER)
    return md, footnotes


def render_markdown(source: str, *, user_text: bool = True) -> str:
    """Render Markdown to sanitised HTML.

    ``user_text=True`` (untrusted, user-generated content) adds ``nofollow`` to link ``rel``;
    ``False`` uses ``rel="noopener noreferrer"``. The tag/attribute allowlist is the same.
    """
    md, _ = _markdown()
    return sanitize_html(md.convert(source), user_text=user_text).strip()


# --------------------------------------------------------------------------------------------
# Keyed paragraph rendering
# --------------------------------------------------------------------------------------------


def _footnote_tail(rendered: str, footnotes: FootnoteExtension) -> tuple[str, str]:
    """Split a Python-Markdown output into (body, footnotes div) when the div is at the end."""
    if not footnotes.footnotes:
        return rendered, ""
    start = rendered.rfind('<div class="footnote">')
    if start == -1:
        return rendered, ""
    return rendered[:start], rendered[start:]


def _render_raw(blocks: list[str]) -> tuple[list[str | None], str, re.Pattern[str]]:
    """Render blocks as one document; unsanitised html per block (None if not separable)."""
    token = secrets.token_hex(16)
    mark = f"PARAFOOT{token}"
    source = "".join(f"{b}\n\n\nPARASPLIT{token}z{i}\n\n" for i, b in enumerate(blocks))
    md, footnotes = _markdown(place_marker=mark)
    rendered = md.convert(source + mark + "\n")
    stray = re.compile(rf"(?:<p>)?PARA(?:SPLIT{token}z\d+|FOOT{token})(?:</p>)?")

    parts = re.split(rf"<p>PARASPLIT{token}z(\d+)</p>", rendered)
    indexes = [int(p) for p in parts[1::2]]
    pieces: list[str | None] = [None] * len(blocks)
    if indexes != sorted(set(indexes)) or any(i >= len(blocks) for i in indexes):
        # Cannot happen with a random token, but never trust a broken alignment.
        return pieces, _footnote_tail(rendered, footnotes)[1], stray
    previous = -1
    for before, index in zip(parts[0::2], indexes, strict=False):
        if index == previous + 1:  # otherwise sentinels were lost: render those blocks alone
            pieces[index] = before
        previous = index
    tail = parts[-1]
    if previous == len(blocks) - 1:
        notes = "" if tail.strip() == f"<p>{mark}</p>" else tail
    else:  # the last sentinels were swallowed (e.g. unclosed raw HTML); footnotes at the end
        notes = _footnote_tail(tail, footnotes)[1]
    return pieces, notes, stray


def render_paragraphs(
    blocks: list[str], keys: list[str], *, user_text: bool = True
) -> tuple[list[dict], str]:
    """Render blocks as one document; return ``[{"key", "html"}]`` per block and footnotes html.

    Blocks that cannot be separated from their neighbours after rendering (e.g. an unclosed raw
    HTML block swallowing what follows) are rendered on their own instead.
    """
    if len(keys) != len(blocks):
        raise ValueError(f"keys has {len(keys)} entries but blocks has {len(blocks)}")
    if not blocks:
        return [], ""
    pieces, notes, stray = _render_raw(blocks)
    paragraphs: list[dict] = []
    for block, key, piece in zip(blocks, keys, pieces, strict=True):
        if piece is None:
            alone, _notes, alone_stray = _render_raw([block])
            piece = alone[0]
            if piece is None:
                md, footnotes = _markdown()
                piece = _footnote_tail(md.convert(block), footnotes)[0]
            piece = alone_stray.sub("", piece)
        piece = stray.sub("", piece)
        paragraphs.append({"key": key, "html": sanitize_html(piece.strip(), user_text=user_text)})
    return paragraphs, sanitize_html(stray.sub("", notes).strip(), user_text=user_text)


def is_heading_html(html: str) -> bool:
    """A rendered block that is a heading: not a unit people comment on."""
    return bool(_HEADING_HTML_RE.match(html or ""))


def number_paragraphs(paragraphs: list[dict]) -> list[dict]:
    """The paragraphs, each with its ``number`` (1, 2, ... as in "¶4"): the units people comment
    on (paragraphs, lists, tables, quotes) are numbered; headings get ``None``."""
    numbered: list[dict] = []
    n = 0
    for paragraph in paragraphs:
        heading = is_heading_html(paragraph.get("html", ""))
        if not heading:
            n += 1
        numbered.append({**paragraph, "number": None if heading else n})
    return numbered
