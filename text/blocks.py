"""Markdown blocks and stable paragraph keys.

``split_blocks``/``join_blocks`` cut Markdown into top-level blocks (blank-line separated,
fenced code and indented continuations kept whole) and put them back together; ``assign_keys``
carries paragraph keys over from an old version to a new one. Pure Python; no Django imports.
"""

from __future__ import annotations

import difflib
import functools
import re
import secrets

__all__ = ["assign_keys", "join_blocks", "new_key", "split_blocks"]

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


@functools.lru_cache(maxsize=2048)
def _similarity(a: str, b: str, threshold: float) -> float:
    """SequenceMatcher ratio of a and b, or 0.0 if it is certainly below ``threshold``.

    Shared with :mod:`text.diff` (pairing of replaced blocks). Remembered for the last
    pairs: the compare page aligns the same blocks three times (rendered, inline, side by
    side), and ``ratio`` was two thirds of its time on a text with 500 versions."""
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
