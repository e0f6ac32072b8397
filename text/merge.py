"""Three-way merge of Markdown at block granularity.

Pure Python; no Django imports.

Why not ``merge3``: merge3 1.0.0 (``Merge3(base, mine, theirs).merge_regions()`` over the block
lists) was tried and fails 4 of the 13 merge tests that existed before the split. It only
re-synchronises at base blocks that *both* sides left unchanged, so two changes with no untouched
block between them fuse into one conflict where this module merges cleanly: edits to adjacent
paragraphs (merge3 reports one conflict over base blocks 0-1), an identical edit on both sides
next to a one-sided edit, an insertion by one side just before a block the other side edited, and
a deletion by one side next to an edit by the other (failing tests:
test_merge_of_edits_to_adjacent_paragraphs_is_clean,
test_merge_of_identical_edit_plus_another_change_is_clean,
test_merge_of_insertion_by_one_side_and_edit_by_the_other,
test_merge_of_deletion_and_unrelated_edit_is_clean). Its ``reprocess_merge_regions()`` does not
help: it re-diffs only mine against theirs inside each conflict, still conflicts in those four
cases and drops the base position (``None``), so the ``(index, base, mine, theirs)`` conflict
tuples cannot be built (8 of 13 fail). The merge below treats changes that merely touch as
independent and splits replaced runs into per-block edits by similarity.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .blocks import join_blocks, split_blocks
from .diff import _pair_region

__all__ = ["MergeResult", "merge_blocks"]


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
