"""Blocks and stable paragraph keys (text.blocks)."""

from __future__ import annotations

import re

import pytest

from text.blocks import assign_keys, join_blocks, new_key, split_blocks

# --------------------------------------------------------------------------------------------
# Blocks
# --------------------------------------------------------------------------------------------


def test_split_blocks_splits_on_blank_lines_and_drops_empty_ones():
    source = "\n\nFirst line\nsecond line   \n\n\n\n# Heading\n\n   \n\nLast\n"
    assert split_blocks(source) == ["First line\nsecond line", "# Heading", "Last"]


def test_split_blocks_normalises_line_endings():
    assert split_blocks("a\r\nb\r\n\r\nc\rd") == ["a\nb", "c\nd"]


def test_split_blocks_keeps_fenced_code_with_blank_lines_as_one_block():
    source = "Intro\n\n```python\nx = 1\n\n\ny = 2\n```\n\n~~~\na\n\nb\n~~~\n\nOutro"
    assert split_blocks(source) == [
        "Intro",
        "```python\nx = 1\n\n\ny = 2\n```",
        "~~~\na\n\nb\n~~~",
        "Outro",
    ]


def test_split_blocks_keeps_indented_continuations_with_their_block():
    source = "- item\n\n    more of the item\n\n[^1]: Note\n\n    second paragraph\n\nNext"
    assert split_blocks(source) == [
        "- item\n\n    more of the item",
        "[^1]: Note\n\n    second paragraph",
        "Next",
    ]


def test_split_then_join_round_trips_normalised_text():
    blocks = ["# Title", "Para one.", "```\ncode\n\nmore\n```"]
    assert split_blocks(join_blocks(blocks)) == blocks
    assert join_blocks(blocks) == "# Title\n\nPara one.\n\n```\ncode\n\nmore\n```\n"
    assert join_blocks([]) == ""


# --------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------


def test_new_key_looks_like_a_short_paragraph_key():
    key = new_key()
    assert re.fullmatch(r"p-[0-9a-f]{8}", key)
    assert new_key() != key


def test_assign_keys_keeps_keys_when_a_block_is_inserted_before():
    old = ["Alpha paragraph.", "Beta paragraph.", "Gamma paragraph."]
    keys = ["p-a", "p-b", "p-c"]
    new = ["A brand new opening.", *old]
    result = assign_keys(old, keys, new)
    assert result[1:] == keys
    assert result[0] not in keys


def test_assign_keys_keeps_key_across_a_light_edit():
    old = ["The council should fund public transport in all member cities.", "Other."]
    new = ["The council must fund public transport in all member cities.", "Other."]
    assert assign_keys(old, ["p-1", "p-2"], new) == ["p-1", "p-2"]


def test_assign_keys_gives_a_new_key_to_a_rewritten_paragraph():
    old = ["The council should fund public transport in all member cities.", "Other."]
    new = ["Migration data must be shared quarterly with partners.", "Other."]
    result = assign_keys(old, ["p-1", "p-2"], new)
    assert result[1] == "p-2"
    assert result[0] != "p-1"
    assert re.fullmatch(r"p-[0-9a-f]{8}", result[0])


def test_assign_keys_follows_a_moved_block():
    old = ["First.", "Second.", "Third."]
    new = ["Third.", "First.", "Second."]
    assert assign_keys(old, ["k1", "k2", "k3"], new) == ["k3", "k1", "k2"]


def test_assign_keys_prefers_the_same_relative_order_for_duplicates():
    old = ["Dup.", "Middle.", "Dup."]
    assert assign_keys(old, ["k1", "k2", "k3"], ["Middle.", "Dup."]) == ["k2", "k3"]


def test_assign_keys_never_reuses_a_key():
    old = ["Same text.", "Other text here."]
    new = ["Same text.", "Same text.", "Same text!", "Other text here."]
    result = assign_keys(old, ["k1", "k2"], new)
    assert len(set(result)) == len(result)
    assert result[0] == "k1"
    assert result[3] == "k2"
    assert result.count("k1") == 1


def test_assign_keys_never_hands_out_duplicate_old_keys_twice():
    result = assign_keys(["a", "b"], ["dup", "dup"], ["a", "b"])
    assert len(set(result)) == 2
    assert "dup" in result


def test_assign_keys_raises_on_length_mismatch():
    with pytest.raises(ValueError):
        assign_keys(["a", "b"], ["k1"], ["a"])


def test_assign_keys_respects_threshold():
    old = ["abcdefghij"]
    new = ["abcdefXXXX"]  # ratio 0.6
    assert assign_keys(old, ["k"], new, threshold=0.6) == ["k"]
    assert assign_keys(old, ["k"], new, threshold=0.9) != ["k"]


# --------------------------------------------------------------------------------------------
# More blocks and keys
# --------------------------------------------------------------------------------------------


def test_split_blocks_of_blank_source_is_empty():
    assert split_blocks("") == []
    assert split_blocks("\n \n\t\n") == []


def test_split_blocks_keeps_a_definition_with_its_term():
    assert split_blocks("Term\n\n: Meaning\n\nNext") == ["Term\n\n: Meaning", "Next"]


def test_split_blocks_keeps_tab_indented_continuations():
    assert split_blocks("- a\n\n\tmore\n\nNext") == ["- a\n\n\tmore", "Next"]


def test_split_blocks_indented_first_block_stands_alone():
    assert split_blocks("    code first\n\npara") == ["    code first", "para"]


def test_split_blocks_unclosed_fence_does_not_swallow_the_rest():
    assert split_blocks("```\na\n\nb") == ["```\na", "b"]


def test_split_blocks_fence_closes_only_on_its_own_marker():
    source = "````\n```\n\nx\n````\n\nafter"
    assert split_blocks(source) == ["````\n```\n\nx\n````", "after"]


def test_assign_keys_with_no_old_blocks_gives_distinct_fresh_keys():
    result = assign_keys([], [], ["a", "b", "c"])
    assert len(set(result)) == 3
    assert all(re.fullmatch(r"p-[0-9a-f]{8}", key) for key in result)
    assert assign_keys(["a"], ["k"], []) == []


def test_assign_keys_fresh_keys_never_collide_with_old_keys(monkeypatch):
    fresh = iter(["p-old", "p-old", "p-new"])
    monkeypatch.setattr("text.blocks.new_key", lambda: next(fresh))
    assert assign_keys(["gone"], ["p-old"], ["Totally different text."]) == ["p-new"]
