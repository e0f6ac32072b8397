"""Ids in user text never take the id of a page element (DOM clobbering): heading ids carry the
``user-content-`` prefix, footnotes keep ``fn:``/``fnref:``, no other element keeps an id."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from text.blocks import split_blocks
from text.render import render_markdown, render_paragraphs
from text.sanitise import USER_ID_PREFIX, sanitize_html

# Ids (and names) that user text may carry: its headings' family and the footnotes'.
ALLOWED_ID = re.compile(r"^(?:user-content-[A-Za-z0-9_-]*|fn:\S+|fnref\d*:\S+)$")

# Headings named like the page's elements (comments.js, live.js, endorsements.js, editor.js
# and the comment anchors), in Markdown and as raw HTML, plus other elements with ids.
CLOBBERING_BODY = """# comments

Some text with a note[^1].

# presence

## endorsements

### comment-1

### comment-2

#### comment-3

# text

# recommendation

# live-banner

# editor-form

# preview

<h2 id="comments">Raw comments</h2>

<h3 id="comment-4">Raw comment</h3>

<div id="presence" name="presence">A div</div>

<p id="endorsers">A paragraph</p>

<ol><li id="comments">An item</li></ol>

<sup id="live-status">1</sup> <a name="comments" id="comments">a</a> <span id="text">s</span>

[^1]: The note.
"""


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.ids += [value or "" for name, value in attrs if name in ("id", "name")]


def ids_of(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    parser.close()
    return parser.ids


def rendered_both_ways(source: str) -> list[str]:
    whole = render_markdown(source)
    blocks = split_blocks(source)
    paragraphs, footnotes = render_paragraphs(blocks, [f"p-{i}" for i in range(len(blocks))])
    return [whole, "".join(p["html"] for p in paragraphs) + footnotes]


def test_a_body_named_like_the_page_has_no_id_outside_the_user_and_footnote_families():
    for html in rendered_both_ways(CLOBBERING_BODY):
        ids = ids_of(html)
        assert [i for i in ids if not ALLOWED_ID.match(i)] == []
        for taken in ("comments", "presence", "endorsements", "comment-1", "comment-3", "text"):
            assert f"{USER_ID_PREFIX}{taken}" in ids
        assert {"fn:1", "fnref:1"} <= set(ids)  # footnotes keep their pattern


def test_heading_ids_get_the_prefix_and_keep_their_de_duplication_suffixes():
    html = render_markdown("# Comments\n\n## Comments\n\n### Comments\n\n# !!!\n\n# !!!")
    assert ids_of(html) == [
        "user-content-comments",
        "user-content-comments_1",
        "user-content-comments_2",
        "user-content-",
        "user-content-_1",
    ]


def test_a_raw_heading_id_gets_the_prefix_and_a_prefixed_one_is_kept_as_it_is():
    assert sanitize_html('<h2 id="comments">a</h2>') == '<h2 id="user-content-comments">a</h2>'
    assert sanitize_html('<h2 id="user-content-x_1">a</h2>') == '<h2 id="user-content-x_1">a</h2>'
    assert sanitize_html('<h2 id="">a</h2><h2 id="a b">b</h2>') == "<h2>a</h2><h2>b</h2>"
    assert render_markdown('<h1 id="presence">Here</h1>') == (
        '<h1 id="user-content-presence">Here</h1>'
    )


def test_sanitising_twice_changes_nothing():
    for html in rendered_both_ways(CLOBBERING_BODY):
        assert sanitize_html(html) == html


def test_links_to_a_heading_of_the_same_text_follow_its_prefixed_id():
    html = render_markdown(
        "# Energy policy\n\n## Energy policy\n\n"
        "See [policy](#energy-policy), [again](#energy-policy_1), "
        "[mine](#user-content-energy-policy), [comments](#comments) and a note[^1].\n\n"
        "[^1]: Note."
    )
    assert 'href="#user-content-energy-policy"' in html
    assert 'href="#user-content-energy-policy_1"' in html
    assert 'href="#comments"' in html  # no such heading: left alone
    assert 'href="#fn:1"' in html and 'href="#fnref:1"' in html
    paragraphs, _ = render_paragraphs(["# Goals", "Back to [goals](#goals)."], ["a", "b"])
    assert 'href="#user-content-goals"' in paragraphs[1]["html"]
