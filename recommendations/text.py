"""Markdown rendering, sanitising, block keys, diffs and three-way merge for recommendation text.

Pure Python (stdlib + ``markdown`` + ``nh3``); no Django imports, so it can be used and tested
anywhere.
"""

from __future__ import annotations

import difflib
import html
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions.footnotes import FootnoteExtension

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "URL_SCHEMES",
    "MergeResult",
    "assign_keys",
    "diff_inline",
    "diff_side_by_side",
    "join_blocks",
    "merge_blocks",
    "new_key",
    "render_markdown",
    "render_paragraphs",
    "sanitize_html",
    "split_blocks",
    "words",
]

# --------------------------------------------------------------------------------------------
# Sanitising
# --------------------------------------------------------------------------------------------

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# fmt: off
ALLOWED_TAGS: frozenset[str] = _HEADINGS | frozenset({
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td", "a", "sup", "sub", "abbr", "dl", "dt", "dd",
    "del", "ins", "div", "span",
})
# fmt: on

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "class"}),
    "abbr": frozenset({"title"}),
    "th": frozenset({"align"}),
    "td": frozenset({"align"}),
    "ol": frozenset({"start"}),
    "sup": frozenset({"id"}),
    "li": frozenset({"id"}),
    "div": frozenset({"class"}),
    "code": frozenset({"class"}),
    **{tag: frozenset({"id"}) for tag in _HEADINGS},
}

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

# Tags whose *content* is dropped too (not just the tag).
# fmt: off
_CLEAN_CONTENT_TAGS = frozenset({
    "script", "style", "template", "iframe", "object", "embed", "svg", "math", "noscript",
    "textarea", "select", "title", "xmp", "noembed", "noframes", "frameset", "applet",
})
# fmt: on

_ALLOWED_CLASSES: dict[str, frozenset[str]] = {
    "div": frozenset({"footnote"}),
    "a": frozenset({"footnote-ref", "footnote-backref"}),
}
_LANGUAGE_CLASS_RE = re.compile(r"^language-[\w#+.-]{1,40}$")
_HEADING_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,200}$")
_FOOTNOTE_ID_RE = {
    "li": re.compile(r"^fn:[^\s\"'<>]{1,100}$"),
    "sup": re.compile(r"^fnref\d*:[^\s\"'<>]{1,100}$"),
}
_ALIGN_VALUES = frozenset({"left", "right", "center"})


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    """Second-stage per-value checks on attributes that passed the allowlist."""
    if attribute == "class":
        if element == "code":
            kept = [c for c in value.split() if _LANGUAGE_CLASS_RE.match(c)]
        else:
            allowed = _ALLOWED_CLASSES.get(element, frozenset())
            kept = [c for c in value.split() if c in allowed]
        return " ".join(kept) or None
    if attribute == "id":
        if element in _HEADINGS:
            return value if _HEADING_ID_RE.match(value) else None
        pattern = _FOOTNOTE_ID_RE.get(element)
        return value if pattern is not None and pattern.match(value) else None
    if attribute == "align":
        return value.lower() if value.lower() in _ALIGN_VALUES else None
    if attribute == "start":
        return value if value.isdigit() and len(value) <= 9 else None
    return value


def _make_cleaner(link_rel: str) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_CLEAN_CONTENT_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel=link_rel,
        url_schemes=set(URL_SCHEMES),
    )


_CLEANERS = {
    True: _make_cleaner("noopener noreferrer nofollow"),
    False: _make_cleaner("noopener noreferrer"),
}


def sanitize_html(fragment: str, *, user_text: bool = True) -> str:
    """Sanitise an HTML fragment with the module's allowlist."""
    return _CLEANERS[bool(user_text)].clean(fragment)


# --------------------------------------------------------------------------------------------
# Markdown rendering
# --------------------------------------------------------------------------------------------

_EXTENSIONS = ["tables", "fenced_code", "def_list", "abbr", "sane_lists", "toc"]
_EXTENSION_CONFIGS = {
    "toc": {"permalink": False, "marker": ""},  # ids on headings; no "[TOC]" expansion
    "tables": {"use_align_attribute": True},  # align="..." instead of style="..."
}


def _markdown(place_marker: str | None = None) -> tuple[markdown.Markdown, FootnoteExtension]:
    footnotes = FootnoteExtension(**({"PLACE_MARKER": place_marker} if place_marker else {}))
    md = markdown.Markdown(
        extensions=[*_EXTENSIONS, footnotes],
        extension_configs=_EXTENSION_CONFIGS,
        output_format="html",
    )
    return md, footnotes


def render_markdown(source: str, *, user_text: bool = True) -> str:
    """Render Markdown to sanitised HTML.

    ``user_text=True`` (untrusted, user-generated content) adds ``nofollow`` to link ``rel``;
    ``False`` uses ``rel="noopener noreferrer"``. The tag/attribute allowlist is the same.
    """
    md, _ = _markdown()
    return sanitize_html(md.convert(source), user_text=user_text).strip()


# --------------------------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------------------------

_FENCE_OPEN_RE = re.compile(r"^(`{3,}|~{3,})")
_DEFINITION_RE = re.compile(r"^ {0,3}:[ \t]")


def _fence_end(lines: list[str], start: int) -> int | None:
    """Index of the line closing a fence opened at ``start`` (Python-Markdown rules), or None."""
    m = _FENCE_OPEN_RE.match(lines[start])
    if m is None:
        return None
    fence = m.group(1)
    for j in range(start + 1, len(lines)):
        if lines[j].rstrip(" ") == fence:
            return j
    return None


def _is_continuation(line: str) -> bool:
    """True for a line that continues the previous block after a blank line.

    Indented lines (list/footnote continuation paragraphs, indented code) and definition-list
    definitions (``: ...``) belong to the block before them.
    """
    return line.startswith(("    ", "\t")) or bool(_DEFINITION_RE.match(line))


def split_blocks(source: str) -> list[str]:
    """Split Markdown into top-level blocks separated by blank lines (fences kept whole)."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = "\n".join(current).rstrip()
        if text.strip():
            blocks.append(text)
        current.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            flush()
            i += 1
            continue
        if not current and blocks and _is_continuation(line):
            current.extend([blocks.pop(), ""])
        end = _fence_end(lines, i)
        if end is not None:
            current.extend(lines[i : end + 1])
            i = end + 1
            continue
        current.append(line)
        i += 1
    flush()
    return blocks


def join_blocks(blocks: list[str]) -> str:
    """Join blocks with blank lines; trailing newline if non-empty."""
    return "\n\n".join(blocks) + ("\n" if blocks else "")


# --------------------------------------------------------------------------------------------
# Block keys
# --------------------------------------------------------------------------------------------


def new_key() -> str:
    """A fresh random paragraph key like ``p-3f9a1c2b``."""
    return f"p-{secrets.token_hex(4)}"


def _similarity(a: str, b: str, threshold: float) -> float:
    """SequenceMatcher ratio of a and b, or 0.0 if it is certainly below ``threshold``."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < threshold or sm.quick_ratio() < threshold:
        return 0.0
    return sm.ratio()


def assign_keys(
    old_blocks: list[str],
    old_keys: list[str],
    new_blocks: list[str],
    *,
    threshold: float = 0.6,
) -> list[str]:
    """Keys for ``new_blocks``: keep old keys for identical, then similar, blocks."""
    if len(old_keys) != len(old_blocks):
        raise ValueError(
            f"old_keys has {len(old_keys)} entries but old_blocks has {len(old_blocks)}"
        )
    result: list[str | None] = [None] * len(new_blocks)
    used_old: set[int] = set()
    used_keys: set[str] = set()

    def take(i: int, j: int) -> None:
        key = old_keys[i]
        used_old.add(i)
        if key not in used_keys:  # tolerate duplicate old keys: a key is given out once
            used_keys.add(key)
            result[j] = key

    # 1. Exact matches in the same relative order.
    sm = difflib.SequenceMatcher(None, old_blocks, new_blocks, autojunk=False)
    for tag, i1, i2, j1, _j2 in sm.get_opcodes():
        if tag == "equal":
            for offset in range(i2 - i1):
                take(i1 + offset, j1 + offset)

    # 2. Exact matches of moved blocks.
    free_old_by_text: dict[str, list[int]] = {}
    for i, text in enumerate(old_blocks):
        if i not in used_old:
            free_old_by_text.setdefault(text, []).append(i)
    for j, text in enumerate(new_blocks):
        if result[j] is None and free_old_by_text.get(text):
            take(free_old_by_text[text].pop(0), j)

    # 3. Similar blocks, best pairs first (ties: closest relative position).
    free_old = [i for i in range(len(old_blocks)) if i not in used_old]
    free_new = [j for j in range(len(new_blocks)) if result[j] is None]
    candidates: list[tuple[float, float, int, int]] = []
    n_old, n_new = max(len(old_blocks), 1), max(len(new_blocks), 1)
    for i in free_old:
        for j in free_new:
            ratio = _similarity(old_blocks[i], new_blocks[j], threshold)
            if ratio >= threshold:
                candidates.append((-ratio, abs(i / n_old - j / n_new), i, j))
    candidates.sort()
    for _neg_ratio, _distance, i, j in candidates:
        if i not in used_old and result[j] is None:
            take(i, j)

    # 4. Everything else gets a fresh key (never one that existed before).
    taken = set(old_keys) | used_keys
    keys: list[str] = []
    for key in result:
        if key is None:
            key = new_key()
            while key in taken:
                key = new_key()
            taken.add(key)
        keys.append(key)
    return keys


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


# --------------------------------------------------------------------------------------------
# Diffs
# --------------------------------------------------------------------------------------------

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
    """Pair up the blocks of a replaced region in order, maximising total similarity."""
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


# --------------------------------------------------------------------------------------------
# Three-way merge
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    """Outcome of :func:`merge_blocks`."""

    merged: str | None
    conflicts: list[tuple[int, str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the merge succeeded without conflicts."""
        return self.merged is not None and not self.conflicts


@dataclass(frozen=True)
class _Change:
    start: int  # base block range [start, end); start == end is an insertion point
    end: int
    blocks: tuple[str, ...]
    side: int  # 0 = mine, 1 = theirs


def _changes(base: list[str], other: list[str], side: int) -> list[_Change]:
    """Changes base -> other; replaced regions are split into per-block edits where they pair."""
    changes: list[_Change] = []
    sm = difflib.SequenceMatcher(None, base, other, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if tag != "replace":
            changes.append(_Change(i1, i2, tuple(other[j1:j2]), side))
            continue
        pos, run_start, run_blocks = i1, None, []
        for x, y in _pair_region(base[i1:i2], other[j1:j2]):
            if x is not None and y is not None:  # an edited block: a change of its own
                if run_start is not None:
                    changes.append(_Change(run_start, pos, tuple(run_blocks), side))
                    run_start, run_blocks = None, []
                if x != y:
                    changes.append(_Change(pos, pos + 1, (y,), side))
                pos += 1
                continue
            if run_start is None:
                run_start = pos
            if x is not None:
                pos += 1
            if y is not None:
                run_blocks.append(y)
        if run_start is not None:
            changes.append(_Change(run_start, pos, tuple(run_blocks), side))
    return changes


def _overlaps(x: _Change, y: _Change) -> bool:
    """Whether two changes touch the same part of base (adjacency is not an overlap)."""
    x_insert, y_insert = x.start == x.end, y.start == y.end
    if x_insert and y_insert:
        return x.start == y.start
    if x_insert:
        return y.start < x.start < y.end
    if y_insert:
        return x.start < y.start < x.end
    return x.start < y.end and y.start < x.end


def _apply(base: list[str], start: int, end: int, changes: list[_Change]) -> list[str]:
    """Apply non-overlapping, sorted changes to ``base[start:end]``."""
    out: list[str] = []
    pos = start
    for change in changes:
        out.extend(base[pos : change.start])
        out.extend(change.blocks)
        pos = max(pos, change.end)
    out.extend(base[pos:end])
    return out


def merge_blocks(base: str, mine: str, theirs: str) -> MergeResult:
    """Three-way merge of Markdown at block granularity (``theirs`` is the stored text)."""
    b, m, t = split_blocks(base), split_blocks(mine), split_blocks(theirs)
    if m in (t, b):
        return MergeResult(join_blocks(t), [])
    if t == b:
        return MergeResult(join_blocks(m), [])

    changes = sorted(_changes(b, m, 0) + _changes(b, t, 1), key=lambda c: (c.start, c.end, c.side))
    # Group changes into clusters of (transitively) overlapping changes.
    clusters: list[list[_Change]] = []
    for change in changes:
        if clusters and any(_overlaps(change, other) for other in clusters[-1]):
            clusters[-1].append(change)
        else:
            clusters.append([change])

    result: list[str] = []
    conflicts: list[tuple[int, str, str, str]] = []
    pos = 0
    for cluster in clusters:
        start = min(c.start for c in cluster)
        end = max(c.end for c in cluster)
        result.extend(b[pos:start])
        pos = max(pos, end)
        mine_part = _apply(b, start, end, [c for c in cluster if c.side == 0])
        theirs_part = _apply(b, start, end, [c for c in cluster if c.side == 1])
        sides = {c.side for c in cluster}
        if len(sides) == 1:
            result.extend(mine_part if 0 in sides else theirs_part)
        elif mine_part == theirs_part:
            result.extend(mine_part)
        else:
            conflicts.append(
                (start, "\n\n".join(b[start:end]), "\n\n".join(mine_part), "\n\n".join(theirs_part))
            )
    result.extend(b[pos:])
    if conflicts:
        return MergeResult(None, conflicts)
    return MergeResult(join_blocks(result), [])
