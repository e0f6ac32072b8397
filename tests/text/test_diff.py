"""Word-level diffs aligned block by block (text.diff)."""

from __future__ import annotations

import pytest

from text.diff import diff_inline, diff_side_by_side, words

# --------------------------------------------------------------------------------------------
# Diffs
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sample",
    ["", "Hello, world!", "  spaced\n\nlines\t end ", "l'été — déjà vu?", "<b>a&b</b>\r\n"],
)
def test_words_round_trip(sample):
    assert "".join(words(sample)) == sample


def test_words_separates_words_whitespace_and_punctuation():
    assert words("Hi, you.") == ["Hi", ",", " ", "you", "."]


def test_diff_inline_marks_a_changed_word():
    html = diff_inline("The council should act.", "The council must act.")
    assert html == '<p class="diff-block">The council <del>should</del><ins>must</ins> act.</p>'


def test_diff_inline_escapes_script_in_sources():
    html = diff_inline("Safe <script>alert(1)</script>", "Safe <script>alert(2)</script>")
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_diff_inline_escapes_html_in_added_and_removed_blocks():
    html = diff_inline("<img src=x onerror=alert(1)>", '<a href="javascript:x">y</a>')
    assert "<img" not in html
    assert "<a " not in html
    assert "&lt;img" in html


def test_diff_inline_shows_added_and_removed_blocks():
    old = "Intro.\n\nDropped paragraph about budgets.\n\nOutro."
    new = "Intro.\n\nOutro.\n\nNew closing remark."
    html = diff_inline(old, new)
    assert '<p class="diff-block"><del>Dropped paragraph about budgets.</del></p>' in html
    assert '<p class="diff-block"><ins>New closing remark.</ins></p>' in html
    assert '<p class="diff-block">Intro.</p>' in html
    assert html.count('<p class="diff-block">') == 4


def test_diff_inline_renders_newlines_inside_a_block_as_br():
    html = diff_inline("line one\nline two", "line one\nline 2")
    assert html.startswith('<p class="diff-block">line one<br>line ')
    assert "<del>two</del><ins>2</ins>" in html


def test_diff_inline_of_identical_text_has_no_marks():
    html = diff_inline("A.\n\nB.", "A.\n\nB.")
    assert "<ins>" not in html and "<del>" not in html


def test_diff_side_by_side_row_kinds():
    old = "Same.\n\nThe plan should change.\n\nRemoved block entirely."
    new = "Same.\n\nThe plan must change.\n\nCompletely new material here!"
    rows = diff_side_by_side(old, new)
    kinds = [kind for kind, _left, _right in rows]
    assert kinds == ["equal", "changed", "removed", "added"]
    equal, changed, removed, added = rows
    assert equal == ("equal", "Same.", "Same.")
    assert changed[1] == "The plan <del>should</del> change."
    assert changed[2] == "The plan <ins>must</ins> change."
    assert removed == ("removed", "<del>Removed block entirely.</del>", "")
    assert added == ("added", "", "<ins>Completely new material here!</ins>")


def test_diff_side_by_side_escapes_sources():
    rows = diff_side_by_side("<b>x</b>", "<b>y</b>")
    for _kind, left, right in rows:
        assert "<b>" not in left and "<b>" not in right


# --------------------------------------------------------------------------------------------
# More diffs
# --------------------------------------------------------------------------------------------


def test_diff_inline_of_empty_sources_is_empty():
    assert diff_inline("", "") == ""
    assert diff_side_by_side("", "") == []


def test_diff_inline_against_empty_old_marks_every_block_added():
    assert diff_inline("", "A\n\nB") == (
        '<p class="diff-block"><ins>A</ins></p>\n<p class="diff-block"><ins>B</ins></p>'
    )


def test_diff_side_by_side_against_empty_new_marks_every_block_removed():
    assert diff_side_by_side("A.\n\nB.", "") == [
        ("removed", "<del>A.</del>", ""),
        ("removed", "<del>B.</del>", ""),
    ]


def test_diff_side_by_side_pairs_a_replaced_region_by_similarity():
    old = "Keep.\n\nThe budget grows.\n\nThe plan should change soon."
    new = "Keep.\n\nAn unrelated new paragraph!\n\nThe plan must change soon."
    kinds = [kind for kind, _left, _right in diff_side_by_side(old, new)]
    assert kinds == ["equal", "removed", "added", "changed"]


def test_diff_side_by_side_of_a_huge_rewrite_pairs_positionally():
    # 60 x 60 replaced blocks is past the pairing DP limit: blocks pair by position.
    old = "\n\n".join(f"Paragraph number {i} says yes." for i in range(60))
    new = "\n\n".join(f"Paragraph number {i} says no." for i in range(60))
    rows = diff_side_by_side(old, new)
    assert [kind for kind, _left, _right in rows] == ["changed"] * 60
    assert rows[7] == (
        "changed",
        "Paragraph number 7 says <del>yes</del>.",
        "Paragraph number 7 says <ins>no</ins>.",
    )


def test_diff_side_by_side_of_a_huge_rewrite_splits_unrelated_pairs():
    old = "\n\n".join(f"Paragraph number {i} says yes." for i in range(60))
    new = "\n\n".join(f"{i}: {'xyz' * 10}" for i in range(60))
    kinds = [kind for kind, _left, _right in diff_side_by_side(old, new)]
    assert kinds == ["removed", "added"] * 60
