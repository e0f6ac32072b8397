"""Compare as people read it: rendered text with the changed words marked inside it,
formatting kept, moved paragraphs shown as moved, and always well-nested, sanitised HTML."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from text.rendered_diff import diff_rendered, html_word_diff

VOID = {"br", "hr", "img", "input", "wbr"}


class Nesting(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ok = True

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.ok = False


def well_nested(html: str) -> bool:
    parser = Nesting()
    parser.feed(html)
    return parser.ok and parser.stack == []


def test_a_changed_word_is_marked_inside_the_formatting():
    rows = diff_rendered("Cities should **act** now.", "Cities must **act fast** now.")
    assert [r.kind for r in rows] == ["changed"]
    html = rows[0].html
    assert "<del>should</del>" in html and "<ins>must</ins>" in html
    assert "<strong>act<ins> fast</ins></strong>" in html or "<strong>act <ins>fast</ins>" in html
    assert "**" not in html  # people read the text, not its Markdown
    assert well_nested(html)


def test_a_moved_paragraph_is_shown_as_moved_not_deleted_and_added():
    old = "First idea.\n\nSecond idea.\n\nThird idea."
    new = "Second idea.\n\nThird idea.\n\nFirst idea."
    rows = diff_rendered(old, new)
    kinds = [r.kind for r in rows]
    assert "removed" not in kinds and "added" not in kinds
    moved = next(r for r in rows if r.kind == "moved")
    assert "First idea." in moved.html and (moved.number, moved.other_number) == (3, 1)
    away = next(r for r in rows if r.kind == "moved_away")
    assert away.other_number == 3


def test_a_moved_and_edited_paragraph_shows_its_edit_where_it_arrived():
    old = "Open one front door for newcomers in every city.\n\nSecond.\n\nThird."
    new = "Second.\n\nThird.\n\nOpen one front door for all newcomers in every city."
    moved = next(r for r in diff_rendered(old, new) if r.kind == "moved")
    assert "<ins>all </ins>" in moved.html or "<ins>all</ins>" in moved.html


def test_headings_are_not_numbered_as_paragraphs():
    rows = diff_rendered("## Context\n\nOne.", "## Context\n\nOne.\n\nTwo.")
    assert [(r.kind, r.number) for r in rows] == [("equal", None), ("equal", 1), ("added", 2)]
    assert rows[2].html.startswith("<p><ins>Two.</ins></p>")


def test_script_in_either_version_never_comes_through():
    rows = diff_rendered(
        "Safe <script>alert(1)</script> text.", "Safe <img src=x onerror=alert(1)> text."
    )
    html = "".join(r.html for r in rows)
    assert "<script" not in html and "onerror" not in html


def test_entities_are_never_split():
    html = html_word_diff("<p>Tom &amp; Jerry</p>", "<p>Tom &amp; Jerry &lt;3</p>")
    assert "&amp;" in html and "<ins>" in html and well_nested(html)


blocks = st.lists(
    st.sampled_from(
        [
            "Plain words here.",
            "Some **bold** and *italic* words.",
            "- a list\n- of items",
            "> A quote with a [link](https://example.org).",
            "## A heading",
            "Arabic مرحبا بالعالم and French été.",
            "| a | b |\n|---|---|\n| 1 | 2 |",
        ]
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(blocks, blocks)
def test_the_output_is_always_well_nested(old, new):
    rows = diff_rendered("\n\n".join(old), "\n\n".join(new))
    for row in rows:
        assert well_nested(row.html), row
