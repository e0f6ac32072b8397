"""Tests for recommendations.text: rendering, sanitising, block keys, diffs and merges.

Pure Python: no Django needed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recommendations import text
from recommendations.text import (
    ALLOWED_TAGS,
    MergeResult,
    assign_keys,
    diff_inline,
    diff_side_by_side,
    join_blocks,
    merge_blocks,
    new_key,
    render_markdown,
    render_paragraphs,
    split_blocks,
    words,
)

# --------------------------------------------------------------------------------------------
# Sanitising: XSS payloads never survive
# --------------------------------------------------------------------------------------------


def _no_event_attributes(html: str) -> bool:
    return re.search(r"<[^>]*\son\w+\s*=", html, re.IGNORECASE) is None


def test_script_tags_are_stripped_with_their_content():
    html = render_markdown("Hello <script>alert(1)</script> world")
    assert "<script" not in html.lower()
    assert "alert(1)" not in html
    assert "Hello" in html


def test_img_onerror_is_removed():
    html = render_markdown('<img src="x" onerror="alert(1)">')
    assert "onerror" not in html
    assert "<img" not in html


def test_javascript_link_loses_its_href():
    html = render_markdown("[click](javascript:alert(1))")
    assert "javascript" not in html.lower()
    assert "href" not in html
    assert "click" in html


def test_raw_html_javascript_link_loses_its_href():
    html = render_markdown('<a href="JavaScript:alert(1)">x</a> <a href="vbscript:msgbox(1)">y</a>')
    assert "script:" not in html.lower()
    assert "href" not in html


def test_entity_encoded_javascript_url_is_removed():
    html = render_markdown("[x](jav&#x09;ascript:alert(1))")
    assert "href" not in html
    assert "alert" not in html


def test_data_url_is_removed():
    html = render_markdown(
        "[d](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) "
        '<a href="data:text/html,<script>alert(1)</script>">e</a>'
    )
    assert "data:" not in html
    assert "href" not in html


def test_iframe_is_removed():
    html = render_markdown('<iframe src="https://evil.example/"></iframe>')
    assert "<iframe" not in html
    assert "evil.example" not in html


def test_svg_with_script_is_removed():
    html = render_markdown("<svg><script>alert(1)</script></svg>")
    assert "<svg" not in html
    assert "<script" not in html
    assert "alert" not in html


def test_math_element_is_removed():
    html = render_markdown('<math><mtext><a href="javascript:alert(1)">x</a></mtext></math>')
    assert "<math" not in html
    assert "javascript" not in html


def test_style_element_is_removed():
    html = render_markdown("<style>body { display: none }</style>\n\nText")
    assert "<style" not in html
    assert "display" not in html
    assert "Text" in html


def test_form_and_input_are_removed():
    html = render_markdown('<form action="https://evil.example/"><input name="pw"></form>')
    assert "<form" not in html
    assert "<input" not in html


def test_object_and_embed_are_removed():
    html = render_markdown('<object data="x.swf"></object><embed src="x.swf">')
    assert "<object" not in html
    assert "<embed" not in html


def test_event_attributes_never_survive():
    html = render_markdown(
        '<p onclick="alert(1)" onmouseover="alert(2)">a</p>\n\n'
        '<span onfocus="x" tabindex="1">b</span> <b onload="y">c</b>'
    )
    assert _no_event_attributes(html)
    assert "alert" not in html
    assert "a" in html and "b" in html and "c" in html


def test_raw_div_with_onclick_keeps_only_the_div():
    html = render_markdown('<div onclick="alert(1)">content</div>')
    assert html == "<div>content</div>"


def test_style_attributes_are_removed():
    html = render_markdown('<span style="background:url(javascript:alert(1))">x</span>')
    assert "style" not in html
    assert "javascript" not in html


def test_html_comments_are_stripped():
    html = render_markdown("<!-- secret -->\n\nVisible <!-- inline -->")
    assert "secret" not in html
    assert "inline" not in html
    assert "<!--" not in html


def test_foreign_classes_and_ids_are_dropped():
    html = render_markdown(
        '<div class="admin-panel footnote" id="main">x</div> <sup id="csrf">1</sup>'
    )
    assert "admin-panel" not in html
    assert 'id="main"' not in html
    assert 'id="csrf"' not in html


def test_allowed_tags_exclude_dangerous_elements():
    dangerous = {"script", "style", "svg", "math", "iframe", "form", "input", "img", "object"}
    assert not dangerous & ALLOWED_TAGS
    assert {"p", "a", "table", "sup", "abbr", "del", "ins", "h1", "h6"} <= ALLOWED_TAGS


# --------------------------------------------------------------------------------------------
# Markdown features
# --------------------------------------------------------------------------------------------


def test_tables_render_with_alignment():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert "<table>" in html
    assert '<th align="left">a</th>' in html
    assert '<td align="right">2</td>' in html


def test_footnotes_render_with_links_and_definitions():
    html = render_markdown("Claim[^1].\n\n[^1]: Source.")
    assert 'href="#fn:1"' in html
    assert 'id="fnref:1"' in html
    assert 'id="fn:1"' in html
    assert 'class="footnote"' in html
    assert 'class="footnote-ref"' in html
    assert 'class="footnote-backref"' in html
    assert "Source." in html


def test_headings_get_unique_id_anchors():
    html = render_markdown("# Energy policy\n\n## Energy policy")
    assert '<h1 id="energy-policy">Energy policy</h1>' in html
    assert '<h2 id="energy-policy_1">Energy policy</h2>' in html
    assert "headerlink" not in html  # permalink off


def test_lists_render():
    html = render_markdown("1. one\n2. two\n\n- a\n- b")
    assert re.search(r"<ol>\s*<li>one</li>\s*<li>two</li>\s*</ol>", html)
    assert re.search(r"<ul>\s*<li>a</li>\s*<li>b</li>\s*</ul>", html)


def test_fenced_code_is_escaped():
    html = render_markdown("```python\nif a < b: print('<b>')\n```")
    assert '<code class="language-python">' in html
    assert "&lt;b&gt;" in html


def test_abbreviations_and_definition_lists_render():
    html = render_markdown("The EU acts.\n\n*[EU]: European Union\n\nTerm\n: Meaning")
    assert '<abbr title="European Union">EU</abbr>' in html
    assert "<dt>Term</dt>" in html
    assert "<dd>Meaning</dd>" in html


def test_attr_list_syntax_is_not_enabled():
    html = render_markdown("# Title {: onclick=alert(1) .evil }")
    assert _no_event_attributes(html)
    assert "class=" not in html


def test_http_mailto_relative_and_fragment_links_are_kept_with_rel():
    html = render_markdown(
        "[a](https://example.org/x) [b](http://example.org) [c](mailto:info@example.org) "
        "[d](/recommendations/3/) [e](#section)"
    )
    for href in (
        "https://example.org/x",
        "http://example.org",
        "mailto:info@example.org",
        "/recommendations/3/",
        "#section",
    ):
        assert f'href="{href}"' in html
    assert html.count('rel="noopener noreferrer nofollow"') == 5


def test_trusted_text_links_are_not_nofollow():
    html = render_markdown("[a](https://example.org/)", user_text=False)
    assert 'rel="noopener noreferrer"' in html
    assert "nofollow" not in html


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
# Keyed paragraph rendering
# --------------------------------------------------------------------------------------------


def test_render_paragraphs_returns_one_entry_per_block_with_matching_keys():
    blocks = ["# Title", "Para with *emphasis*.", "- a\n- b", "| x |\n|---|\n| 1 |"]
    keys = ["k1", "k2", "k3", "k4"]
    paragraphs, footnotes = render_paragraphs(blocks, keys)
    assert [p["key"] for p in paragraphs] == keys
    assert paragraphs[0]["html"] == '<h1 id="title">Title</h1>'
    assert paragraphs[1]["html"] == "<p>Para with <em>emphasis</em>.</p>"
    assert "<ul>" in paragraphs[2]["html"]
    assert "<table>" in paragraphs[3]["html"]
    assert footnotes == ""


def test_render_paragraphs_links_footnotes_across_blocks():
    blocks = ["Claim one[^1].", "Unrelated.", "[^1]: The evidence."]
    paragraphs, footnotes = render_paragraphs(blocks, ["a", "b", "c"])
    assert 'href="#fn:1"' in paragraphs[0]["html"]
    assert "evidence" not in paragraphs[0]["html"]
    assert paragraphs[2] == {"key": "c", "html": ""}
    assert 'class="footnote"' in footnotes
    assert 'id="fn:1"' in footnotes
    assert "The evidence." in footnotes
    assert 'href="#fnref:1"' in footnotes


def test_render_paragraphs_keeps_definition_only_blocks_with_empty_html():
    blocks = ["The EU decides.", "*[EU]: European Union"]
    paragraphs, _ = render_paragraphs(blocks, ["a", "b"])
    assert '<abbr title="European Union">EU</abbr>' in paragraphs[0]["html"]
    assert paragraphs[1] == {"key": "b", "html": ""}


def test_render_paragraphs_sentinel_never_appears_in_output():
    blocks = ["One.", "Two.", "[^x]: Note.", "Three[^x]."]
    paragraphs, footnotes = render_paragraphs(blocks, ["a", "b", "c", "d"])
    everything = footnotes + "".join(p["html"] for p in paragraphs)
    assert "PARASPLIT" not in everything
    assert "PARAFOOT" not in everything


def test_render_paragraphs_leaves_user_text_with_parasplit_untouched():
    blocks = ["PARASPLIT-deadbeef is just a word", "PARASPLIT"]
    paragraphs, _ = render_paragraphs(blocks, ["a", "b"])
    assert paragraphs[0]["html"] == "<p>PARASPLIT-deadbeef is just a word</p>"
    assert paragraphs[1]["html"] == "<p>PARASPLIT</p>"


def test_render_paragraphs_keeps_heading_ids_unique_across_blocks():
    paragraphs, _ = render_paragraphs(["# Goals", "# Goals"], ["a", "b"])
    assert 'id="goals"' in paragraphs[0]["html"]
    assert 'id="goals_1"' in paragraphs[1]["html"]


def test_render_paragraphs_sanitises_each_block():
    blocks = ["<script>alert(1)</script>", '<a href="javascript:x" onclick="y">z</a>']
    paragraphs, _ = render_paragraphs(blocks, ["a", "b"])
    joined = "".join(p["html"] for p in paragraphs)
    assert "<script" not in joined
    assert "javascript" not in joined
    assert _no_event_attributes(joined)


def test_render_paragraphs_survives_unclosed_raw_html():
    blocks = ["<div>\nunclosed", "after", "end"]
    paragraphs, _ = render_paragraphs(blocks, ["a", "b", "c"])
    assert [p["key"] for p in paragraphs] == ["a", "b", "c"]
    assert "after" in paragraphs[1]["html"]
    assert "end" in paragraphs[2]["html"]
    assert "PARASPLIT" not in "".join(p["html"] for p in paragraphs)


def test_render_paragraphs_survives_a_block_that_captures_the_sentinel():
    # A caller-made block starting with ": " would turn the sentinel into a <dt>.
    paragraphs, _ = render_paragraphs(["Term", ": definition", "Tail."], ["a", "b", "c"])
    assert [p["key"] for p in paragraphs] == ["a", "b", "c"]
    assert "Term" in paragraphs[0]["html"]
    assert "definition" in paragraphs[1]["html"]
    assert paragraphs[2]["html"] == "<p>Tail.</p>"
    assert "PARASPLIT" not in "".join(p["html"] for p in paragraphs)


def test_render_paragraphs_ignores_default_footnote_place_marker():
    blocks = ["Text[^1].", "///Footnotes Go Here///", "[^1]: Note."]
    paragraphs, footnotes = render_paragraphs(blocks, ["a", "b", "c"])
    assert "Note." in footnotes
    assert 'class="footnote"' not in paragraphs[1]["html"]


def test_render_paragraphs_handles_empty_input_and_rejects_mismatch():
    assert render_paragraphs([], []) == ([], "")
    with pytest.raises(ValueError):
        render_paragraphs(["a"], [])


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


def test_module_does_not_import_django():
    assert "django" not in text.__dict__
    source = Path(text.__file__).read_text(encoding="utf-8")
    assert "import django" not in source and "from django" not in source
