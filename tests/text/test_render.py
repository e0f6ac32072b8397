"""Markdown rendering: whole documents and keyed paragraphs (text.render)."""

from __future__ import annotations

import re

import pytest

from text.render import render_markdown, render_paragraphs

from . import no_event_attributes

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
    assert '<h1 id="user-content-energy-policy">Energy policy</h1>' in html
    assert '<h2 id="user-content-energy-policy_1">Energy policy</h2>' in html
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
    assert no_event_attributes(html)
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
# Keyed paragraph rendering
# --------------------------------------------------------------------------------------------


def test_render_paragraphs_returns_one_entry_per_block_with_matching_keys():
    blocks = ["# Title", "Para with *emphasis*.", "- a\n- b", "| x |\n|---|\n| 1 |"]
    keys = ["k1", "k2", "k3", "k4"]
    paragraphs, footnotes = render_paragraphs(blocks, keys)
    assert [p["key"] for p in paragraphs] == keys
    assert paragraphs[0]["html"] == '<h1 id="user-content-title">Title</h1>'
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
    assert 'id="user-content-goals"' in paragraphs[0]["html"]
    assert 'id="user-content-goals_1"' in paragraphs[1]["html"]


def test_render_paragraphs_sanitises_each_block():
    blocks = ["<script>alert(1)</script>", '<a href="javascript:x" onclick="y">z</a>']
    paragraphs, _ = render_paragraphs(blocks, ["a", "b"])
    joined = "".join(p["html"] for p in paragraphs)
    assert "<script" not in joined
    assert "javascript" not in joined
    assert no_event_attributes(joined)


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
# More rendering behaviour
# --------------------------------------------------------------------------------------------


def test_render_markdown_of_empty_source_is_empty():
    assert render_markdown("") == ""


def test_render_paragraphs_of_a_single_block_matches_render_markdown():
    source = "Hello *there* & [home](https://example.org/)."
    paragraphs, footnotes = render_paragraphs([source], ["k"])
    assert paragraphs == [{"key": "k", "html": render_markdown(source)}]
    assert footnotes == ""


def test_render_paragraphs_trusted_text_links_are_not_nofollow():
    paragraphs, _ = render_paragraphs(["[a](https://example.org/)"], ["k"], user_text=False)
    assert paragraphs[0]["html"] == (
        '<p><a href="https://example.org/" rel="noopener noreferrer">a</a></p>'
    )


def test_render_paragraphs_keeps_a_fenced_block_with_blank_lines_whole():
    blocks = ["Intro", "```\nx\n\n\ny\n```", "Out"]
    paragraphs, _ = render_paragraphs(blocks, ["a", "b", "c"])
    assert [p["html"] for p in paragraphs] == [
        "<p>Intro</p>",
        "<pre><code>x\n\n\ny\n</code></pre>",
        "<p>Out</p>",
    ]


def test_headings_are_not_numbered_and_every_other_unit_is():
    from text.render import is_heading_html, number_paragraphs

    blocks = [
        "# Title",
        "Intro.",
        "Setext heading\n---",
        "- a\n- b",
        "> quoted",
        "| a |\n|---|\n| 1 |",
    ]
    paragraphs, _notes = render_paragraphs(blocks, [f"k{i}" for i in range(len(blocks))])
    numbered = number_paragraphs(paragraphs)
    assert [p["number"] for p in numbered] == [None, 1, None, 2, 3, 4]
    assert [p["key"] for p in numbered] == [p["key"] for p in paragraphs]  # nothing else moves
    assert is_heading_html('  <h6 id="x">a</h6>') and not is_heading_html("<header>no</header>")
    assert not is_heading_html("<p><h2>inside</h2></p>") and not is_heading_html("")
