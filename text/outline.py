"""Heading levels of a text placed inside a larger document (an edition).

A recommendation's own headings ("Context", "Recommendation") must sit below the
recommendation's title in the edition's outline: edition (1) > theme (2) > recommendation (3)
> its headings (4...). ``shift_markdown`` and ``shift_html`` move a text's headings so the
first level it uses becomes ``base`` and no level is ever skipped (a heading never goes more
than one level deeper than the one before it; levels past 6 stay at 6). Both apply the same
rule (:func:`outline_levels`), so the Markdown and the HTML of an edition have one outline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["outline_levels", "shift_html", "shift_markdown"]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# As Python-Markdown reads them (text.render): "#" at the start of a line, no space needed;
# a block's first line underlined by "===" or "---".
_ATX = re.compile(r"^(#{1,6})(.*)$")
_SETEXT = re.compile(r"^(=+|-+) *$")
_HTML_HEADING = re.compile(r"<(/?)h([1-6])(?=[\s>])", re.IGNORECASE)


def outline_levels(levels: Sequence[int], base: int) -> list[int]:
    """The new level of each heading, in document order."""
    if not levels:
        return []
    top = min(levels)
    result: list[int] = []
    previous = base - 1
    for level in levels:
        wanted = base + (level - top)
        new = max(base, min(wanted, previous + 1, 6))
        result.append(new)
        previous = new
    return result


def _markdown_headings(lines: list[str]) -> list[tuple[int, int, str]]:
    """``(line index, level, kind)`` of each heading outside code fences (``atx``: ``## x``,
    ``setext``: a line underlined by ``===``/``---``; the index is the underline's)."""
    found = []
    fence = ""
    for i, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        atx = _ATX.match(line)
        if atx:
            found.append((i, len(atx.group(1)), "atx"))
            continue
        setext = _SETEXT.match(line)
        if (
            setext
            and i > 0
            and lines[i - 1].strip()
            and (i == 1 or not lines[i - 2].strip())
            and not (found and found[-1][0] == i - 1)
        ):
            found.append((i, 1 if setext.group(1)[0] == "=" else 2, "setext"))
    return found


def shift_markdown(source: str, base: int) -> str:
    """``source`` with every heading written as ``#``... at its new level."""
    lines = source.split("\n")
    headings = _markdown_headings(lines)
    levels = outline_levels([level for _i, level, _kind in headings], base)
    drop = set()
    for (i, _level, kind), new in zip(headings, levels, strict=True):
        if kind == "atx":
            text = _ATX.match(lines[i]).group(2).strip().rstrip("#").strip()
            lines[i] = f"{'#' * new} {text}".rstrip()
        else:
            lines[i - 1] = f"{'#' * new} {lines[i - 1].strip()}"
            drop.add(i)
    return "\n".join(line for i, line in enumerate(lines) if i not in drop)


def shift_html(html: str, base: int) -> str:
    """Sanitised HTML with every ``<hN>`` at its new level (opening and closing tags)."""
    tags = list(_HTML_HEADING.finditer(html))
    openings = [int(m.group(2)) for m in tags if not m.group(1)]
    levels = iter(outline_levels(openings, base))
    stack: list[int] = []
    out = []
    last = 0
    for match in tags:
        out.append(html[last : match.start()])
        if match.group(1):
            new = stack.pop() if stack else base
            out.append(f"</h{new}")
        else:
            new = next(levels)
            stack.append(new)
            out.append(f"<h{new}")
        last = match.end()
    out.append(html[last:])
    return "".join(out)
