"""Word-level diffs of Markdown sources, aligned block by block, as escaped HTML.

``diff_inline`` gives one ``<p class="diff-block">`` per block with ``<del>``/``<ins>`` marks;
``diff_side_by_side`` gives (kind, left, right) rows. Sources are escaped, never rendered.
Pure Python; no Django imports.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterator

from .blocks import _similarity, split_blocks

__all__ = ["changed_paragraphs", "diff_inline", "diff_side_by_side", "words"]

_WORD_RE = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


def words(text: str) -> list[str]:
    """Tokenise into word, whitespace and punctuation tokens (lossless)."""
    return _WORD_RE.findall(text)


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _del(text: str) -> str:
    return f"<del>{_esc(text)}</del>" if text else ""


def _ins(text: str) -> str:
    return f"<ins>{_esc(text)}</ins>" if text else ""


_PAIR_THRESHOLD = 0.4
_PAIR_DP_LIMIT = 2500


def _pair_region(old: list[str], new: list[str]) -> Iterator[tuple[str | None, str | None]]:
    """Pair up the blocks of a replaced region in order, maximising total similarity.

    Shared with :mod:`text.merge` (splitting replaced regions into per-block edits).
    """
    n, m = len(old), len(new)
    if n * m > _PAIR_DP_LIMIT:  # huge rewrite: positional pairing is good enough
        for k in range(max(n, m)):
            a = old[k] if k < n else None
            b = new[k] if k < m else None
            if a is not None and b is not None and _similarity(a, b, _PAIR_THRESHOLD) == 0.0:
                yield a, None
                yield None, b
            else:
                yield a, b
        return
    sim = [[_similarity(a, b, _PAIR_THRESHOLD) for b in new] for a in old]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if sim[i][j] >= _PAIR_THRESHOLD:
                options.append(sim[i][j] + best[i + 1][j + 1])
            best[i][j] = max(options)
    i = j = 0
    while i < n or j < m:
        paired = i < n and j < m and sim[i][j] >= _PAIR_THRESHOLD
        if paired and best[i][j] == sim[i][j] + best[i + 1][j + 1]:
            yield old[i], new[j]
            i, j = i + 1, j + 1
            continue
        if i < n and (j == m or best[i][j] == best[i + 1][j]):
            yield old[i], None
            i += 1
        else:
            yield None, new[j]
            j += 1


def _align(old: str, new: str) -> Iterator[tuple[str, str | None, str | None]]:
    """Yield (kind, old_block, new_block) for the block alignment of two sources."""
    a, b = split_blocks(old), split_blocks(new)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            for block in a[i1:i2]:
                yield "equal", block, block
        elif tag == "delete":
            for block in a[i1:i2]:
                yield "removed", block, None
        elif tag == "insert":
            for block in b[j1:j2]:
                yield "added", None, block
        else:
            for x, y in _pair_region(a[i1:i2], b[j1:j2]):
                if x is None:
                    yield "added", None, y
                elif y is None:
                    yield "removed", x, None
                else:
                    yield "changed", x, y


def _word_diff(old: str, new: str) -> tuple[str, str, str]:
    """(inline, left, right) html for a word-level diff of two blocks."""
    a, b = words(old), words(new)
    inline: list[str] = []
    left: list[str] = []
    right: list[str] = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            same = _esc(removed)
            inline.append(same)
            left.append(same)
            right.append(same)
        else:
            inline.append(_del(removed) + _ins(added))
            left.append(_del(removed))
            right.append(_ins(added))
    return "".join(inline), "".join(left), "".join(right)


def diff_inline(old: str, new: str) -> str:
    """Word-level HTML diff with ``<del>``/``<ins>``, one ``<p class="diff-block">`` per block."""
    out: list[str] = []
    for kind, a, b in _align(old, new):
        if kind == "equal":
            body = _esc(a or "")
        elif kind == "removed":
            body = _del(a or "")
        elif kind == "added":
            body = _ins(b or "")
        else:
            body = _word_diff(a or "", b or "")[0]
        out.append(f'<p class="diff-block">{body}</p>')
    return "\n".join(out)


def diff_side_by_side(old: str, new: str) -> list[tuple[str, str, str]]:
    """Rows of (kind, left_html, right_html); kind is equal/changed/added/removed."""
    rows: list[tuple[str, str, str]] = []
    for kind, a, b in _align(old, new):
        if kind == "equal":
            rows.append((kind, _esc(a or ""), _esc(b or "")))
        elif kind == "removed":
            rows.append((kind, _del(a or ""), ""))
        elif kind == "added":
            rows.append((kind, "", _ins(b or "")))
        else:
            _inline, left, right = _word_diff(a or "", b or "")
            rows.append((kind, left, right))
    return rows


def changed_paragraphs(old: str, new: str) -> tuple[list[int], int]:
    """What changed from ``old`` to ``new``, by paragraph: the (1-based) numbers of the
    paragraphs of ``new`` that are new or changed, and how many of ``old`` were removed."""
    changed: list[int] = []
    removed = 0
    position = 0
    for kind, _a, b in _align(old, new):
        if b is not None:
            position += 1
            if kind != "equal":
                changed.append(position)
        elif kind == "removed":
            removed += 1
    return changed, removed
