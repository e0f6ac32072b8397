"""The differences between two versions as people read them: rendered Markdown with the
inserted and deleted words marked inside it, formatting kept, block by block, and paragraphs
that moved shown as moved (not as deleted here and added there).

Each block is rendered by the same renderer and sanitiser as the stored text; the word diff
then runs over the rendered HTML's tokens. Tags come only from the new version and are each
written once, in order, and ``<ins>``/``<del>`` wrap runs of text only, so the output nests
exactly as the new version's sanitised HTML does. Deleted words keep their text, not their
old formatting. Pure Python; no Django imports.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .blocks import _similarity
from .diff import _align
from .render import render_markdown

__all__ = ["diff_rendered"]

# A tag, an entity, a word, a run of spaces, or other characters (never splitting a tag).
_TOKEN_RE = re.compile(r"<[^>]*>|&#?\w+;|\w+|\s+|[^\w\s<&]+|[<&]", re.UNICODE)
_MOVED_SIMILARITY = 0.8


@dataclass(frozen=True)
class RenderedBlock:
    kind: str  # equal, changed, added, removed, moved (arrived here), moved_away (left here)
    html: str  # sanitised HTML with <ins>/<del> marks ("" for moved_away)
    number: int | None  # the paragraph's number in the new version (None: removed, heading)
    other_number: int | None = None  # moved: its number in the old version; moved_away: new


def is_heading(block: str) -> bool:
    return block.lstrip().startswith("#")


def _tokens(html: str) -> list[str]:
    return _TOKEN_RE.findall(html)


def _is_tag(token: str) -> bool:
    return token.startswith("<")


def _wrap(tokens: list[str], mark: str, *, keep_tags: bool) -> str:
    """Text runs of ``tokens`` wrapped in ``<mark>``; tags kept (new side) or dropped (old)."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            text = "".join(run)
            out.append(f"<{mark}>{text}</{mark}>" if text.strip() else text)
            run.clear()

    for token in tokens:
        if _is_tag(token):
            flush()
            if keep_tags:
                out.append(token)
        else:
            run.append(token)
    flush()
    return "".join(out)


def html_word_diff(old_html: str, new_html: str) -> str:
    """``new_html`` with the words that changed since ``old_html`` marked."""
    a, b = _tokens(old_html), _tokens(new_html)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append("".join(b[j1:j2]))
            continue
        if tag in ("delete", "replace"):
            out.append(_wrap(a[i1:i2], "del", keep_tags=False))
        if tag in ("insert", "replace"):
            out.append(_wrap(b[j1:j2], "ins", keep_tags=True))
    return "".join(out)


def _plain(block: str) -> str:
    return " ".join(block.split())


def diff_rendered(old: str, new: str) -> list[RenderedBlock]:
    """The blocks of ``new`` (and the removed ones of ``old``, where they were) with their
    changes marked, in reading order."""
    aligned = list(_align(old, new))
    # Number the paragraphs (headings are not paragraphs) of each side.
    old_numbers: dict[int, int] = {}
    new_numbers: dict[int, int] = {}
    n_old = n_new = 0
    for index, (_kind, a, b) in enumerate(aligned):
        if a is not None and not is_heading(a):
            n_old += 1
            old_numbers[index] = n_old
        if b is not None and not is_heading(b):
            n_new += 1
            new_numbers[index] = n_new
    # A removed block that reappears elsewhere (the same, or nearly) moved.
    removed = [i for i, (kind, _a, _b) in enumerate(aligned) if kind == "removed"]
    added = [i for i, (kind, _a, _b) in enumerate(aligned) if kind == "added"]
    moved_to: dict[int, int] = {}
    for i in removed:
        a = _plain(aligned[i][1] or "")
        best, best_score = None, 0.0
        for j in added:
            if j in moved_to.values():
                continue
            b = _plain(aligned[j][2] or "")
            score = 1.0 if a == b else _similarity(a, b, _MOVED_SIMILARITY)
            if score >= _MOVED_SIMILARITY and score > best_score:
                best, best_score = j, score
        if best is not None:
            moved_to[i] = best
    moved_from = {j: i for i, j in moved_to.items()}

    rows: list[RenderedBlock] = []
    for index, (kind, a, b) in enumerate(aligned):
        number = new_numbers.get(index)
        if kind == "equal":
            rows.append(RenderedBlock("equal", render_markdown(b or ""), number))
        elif kind == "changed":
            html = html_word_diff(render_markdown(a or ""), render_markdown(b or ""))
            rows.append(RenderedBlock("changed", html, number))
        elif kind == "removed" and index in moved_to:
            rows.append(
                RenderedBlock("moved_away", "", None, other_number=new_numbers.get(moved_to[index]))
            )
        elif kind == "removed":
            rows.append(
                RenderedBlock(
                    "removed", _wrap(_tokens(render_markdown(a or "")), "del", keep_tags=True), None
                )
            )
        elif index in moved_from:
            source = aligned[moved_from[index]][1] or ""
            html = html_word_diff(render_markdown(source), render_markdown(b or ""))
            rows.append(
                RenderedBlock(
                    "moved", html, number, other_number=old_numbers.get(moved_from[index])
                )
            )
        else:
            rows.append(
                RenderedBlock(
                    "added", _wrap(_tokens(render_markdown(b or "")), "ins", keep_tags=True), number
                )
            )
    return rows
