"""Three-way merge at block granularity (text.merge)."""

from __future__ import annotations

from text.blocks import join_blocks, split_blocks
from text.merge import MergeResult, merge_blocks

# --------------------------------------------------------------------------------------------
# Three-way merge
# --------------------------------------------------------------------------------------------

BASE = "Para one.\n\nPara two.\n\nPara three.\n"


def test_merge_of_edits_to_different_paragraphs_keeps_both():
    mine = "Para one, edited by me.\n\nPara two.\n\nPara three.\n"
    theirs = "Para one.\n\nPara two.\n\nPara three, edited by them.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert result.ok
    assert result.conflicts == []
    assert result.merged == "Para one, edited by me.\n\nPara two.\n\nPara three, edited by them.\n"


def test_merge_of_edits_to_adjacent_paragraphs_is_clean():
    mine = "Para one, mine.\n\nPara two.\n\nPara three.\n"
    theirs = "Para one.\n\nPara two, theirs.\n\nPara three.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert result.merged == "Para one, mine.\n\nPara two, theirs.\n\nPara three.\n"


def test_merge_of_edits_to_the_same_paragraph_conflicts():
    mine = "Para one.\n\nPara two, my version.\n\nPara three.\n"
    theirs = "Para one.\n\nPara two, their version.\n\nPara three.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert not result.ok
    assert result.merged is None
    assert result.conflicts == [
        (1, "Para two.", "Para two, my version.", "Para two, their version.")
    ]


def test_merge_of_identical_edits_on_both_sides_is_clean():
    edited = "Para one.\n\nPara two, fixed typo.\n\nPara three.\n"
    result = merge_blocks(BASE, edited, edited)
    assert result.ok
    assert result.merged == edited


def test_merge_of_identical_edit_plus_another_change_is_clean():
    mine = "Para one.\n\nPara two, fixed.\n\nPara three.\n"
    theirs = "Para one, also changed.\n\nPara two, fixed.\n\nPara three.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert result.merged == "Para one, also changed.\n\nPara two, fixed.\n\nPara three.\n"


def test_merge_of_insertion_by_one_side_and_edit_by_the_other():
    mine = "Para one.\n\nInserted by me.\n\nPara two.\n\nPara three.\n"
    theirs = "Para one.\n\nPara two, edited by them.\n\nPara three.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert result.ok
    assert result.merged == (
        "Para one.\n\nInserted by me.\n\nPara two, edited by them.\n\nPara three.\n"
    )


def test_merge_of_different_insertions_at_the_same_point_conflicts():
    mine = "Para one.\n\nMine goes here.\n\nPara two.\n\nPara three.\n"
    theirs = "Para one.\n\nTheirs goes here.\n\nPara two.\n\nPara three.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert result.merged is None
    assert result.conflicts == [(1, "", "Mine goes here.", "Theirs goes here.")]


def test_merge_of_delete_versus_edit_of_the_same_block_conflicts():
    mine = "Para one.\n\nPara three.\n"
    theirs = "Para one.\n\nPara two, improved.\n\nPara three.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert result.merged is None
    assert result.conflicts == [(1, "Para two.", "", "Para two, improved.")]


def test_merge_of_deletion_and_unrelated_edit_is_clean():
    mine = "Para one.\n\nPara three.\n"
    theirs = "Para one.\n\nPara two.\n\nPara three, theirs.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert result.merged == "Para one.\n\nPara three, theirs.\n"


def test_merge_when_mine_is_unchanged_returns_theirs():
    theirs = "Para one.\n\nSomething else entirely.\n"
    result = merge_blocks(BASE, BASE, theirs)
    assert result.ok
    assert result.merged == join_blocks(split_blocks(theirs))


def test_merge_when_theirs_is_unchanged_returns_mine():
    mine = "Completely\n\nrewritten\n\nby me.\n"
    result = merge_blocks(BASE, mine, BASE)
    assert result.ok
    assert result.merged == join_blocks(split_blocks(mine))


def test_merge_reports_every_conflict():
    mine = "Para one, A.\n\nPara two.\n\nPara three, A.\n"
    theirs = "Para one, B.\n\nPara two.\n\nPara three, B.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert [c[0] for c in result.conflicts] == [0, 2]


def test_merge_result_ok_reflects_conflicts():
    assert MergeResult("x\n", []).ok
    assert not MergeResult(None, [(0, "a", "b", "c")]).ok


# --------------------------------------------------------------------------------------------
# More merges
# --------------------------------------------------------------------------------------------


def test_merge_of_the_same_deletion_on_both_sides_is_clean():
    mine = "Para one.\n\nPara three, mine.\n"
    theirs = "Para one.\n\nPara three.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert result.ok
    assert result.merged == "Para one.\n\nPara three, mine.\n"


def test_merge_of_different_appends_at_the_end_conflicts_at_the_end():
    mine = BASE + "\nMine at the end.\n"
    theirs = BASE + "\nTheirs at the end.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert result.conflicts == [(3, "", "Mine at the end.", "Theirs at the end.")]


def test_merge_of_an_append_and_an_edit_of_the_last_block_is_clean():
    mine = BASE + "\nAppended by me.\n"
    theirs = "Para one.\n\nPara two.\n\nPara three, theirs.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert result.merged == "Para one.\n\nPara two.\n\nPara three, theirs.\n\nAppended by me.\n"


def test_merge_of_an_edit_and_a_deletion_of_the_next_block_is_clean():
    mine = "Para one.\n\nPara two, mine.\n\nPara three.\n"
    theirs = "Para one.\n\nPara two.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert result.merged == "Para one.\n\nPara two, mine.\n"


def test_merge_normalises_line_endings_and_blank_lines():
    mine = "Para one.\r\n\r\n\r\nPara two, mine.\r\n\r\nPara three.\r\n"
    result = merge_blocks(BASE, mine, BASE)
    assert result.merged == "Para one.\n\nPara two, mine.\n\nPara three.\n"


def test_merge_of_a_replacement_versus_an_edit_of_the_same_block_conflicts():
    mine = "Para one.\n\nNew A.\n\nPara three.\n"  # replaces block 1 with an unrelated block
    theirs = "Para one.\n\nPara two, theirs.\n\nPara three.\n"
    result = merge_blocks(BASE, mine, theirs)
    assert result.merged is None
    assert result.conflicts == [(1, "Para two.", "New A.", "Para two, theirs.")]


def test_merge_result_defaults_to_no_conflicts():
    assert MergeResult("x\n").conflicts == []
    assert not MergeResult(None).ok
