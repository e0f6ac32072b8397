"""Sanitising: XSS payloads never survive rendering; the allowlist itself (text.sanitise)."""

from __future__ import annotations

from text.render import render_markdown
from text.sanitise import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, sanitize_html

from . import no_event_attributes

# --------------------------------------------------------------------------------------------
# Sanitising: XSS payloads never survive
# --------------------------------------------------------------------------------------------


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
    assert no_event_attributes(html)
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
# sanitize_html on its own
# --------------------------------------------------------------------------------------------


def test_sanitize_html_keeps_only_language_classes_on_code():
    assert (
        sanitize_html('<code class="language-python evil">x</code>')
        == '<code class="language-python">x</code>'
    )
    assert sanitize_html('<code class="highlight">x</code>') == "<code>x</code>"


def test_sanitize_html_keeps_only_footnote_classes():
    html = sanitize_html(
        '<div class="footnote other">x</div><a class="footnote-ref x" href="#a">y</a>'
        '<span class="footnote">z</span>',
        user_text=False,
    )
    assert html == (
        '<div class="footnote">x</div>'
        '<a class="footnote-ref" href="#a" rel="noopener noreferrer">y</a>'
        "<span>z</span>"
    )


def test_sanitize_html_normalises_align_and_drops_unknown_values():
    html = sanitize_html(
        '<table><tbody><tr><td align="CENTER">a</td><td align="justify">b</td></tr></tbody></table>'
    )
    assert html == '<table><tbody><tr><td align="center">a</td><td>b</td></tr></tbody></table>'


def test_sanitize_html_accepts_only_short_numeric_list_starts():
    html = sanitize_html(
        '<ol start="3"><li>a</li></ol><ol start="x"><li>b</li></ol>'
        '<ol start="1234567890"><li>c</li></ol>'
    )
    assert html == '<ol start="3"><li>a</li></ol><ol><li>b</li></ol><ol><li>c</li></ol>'


def test_sanitize_html_checks_heading_and_footnote_ids():
    html = sanitize_html(
        '<h2 id="ok-id_1">a</h2><h3 id="bad id">b</h3>'
        '<ol><li id="fn:1">c</li><li id="x">d</li></ol>'
        '<sup id="fnref:1">1</sup><sup id="fnref2:n">2</sup><sup id="fnref:">3</sup>'
    )
    assert html == (
        '<h2 id="user-content-ok-id_1">a</h2><h3>b</h3>'
        '<ol><li id="fn:1">c</li><li>d</li></ol>'
        '<sup id="fnref:1">1</sup><sup id="fnref2:n">2</sup><sup>3</sup>'
    )


def test_sanitize_html_user_text_flag_only_changes_link_rel():
    fragment = '<p>a &amp; <a href="https://example.org/">b</a></p>'
    assert sanitize_html(fragment) == (
        '<p>a &amp; <a href="https://example.org/" rel="noopener noreferrer nofollow">b</a></p>'
    )
    assert sanitize_html(fragment, user_text=False) == (
        '<p>a &amp; <a href="https://example.org/" rel="noopener noreferrer">b</a></p>'
    )


def test_sanitize_html_drops_hrefs_outside_the_url_schemes():
    assert {"http", "https", "mailto"} == URL_SCHEMES
    html = sanitize_html('<a href="ftp://example.org/">a</a>', user_text=False)
    assert html == '<a rel="noopener noreferrer">a</a>'


def test_allowed_attributes_only_name_allowed_tags():
    assert set(ALLOWED_ATTRIBUTES) <= ALLOWED_TAGS
    assert not any("style" in attrs or "src" in attrs for attrs in ALLOWED_ATTRIBUTES.values())


def test_a_list_start_must_be_ascii_digits():
    from text import sanitize_html

    assert 'start="3"' in sanitize_html('<ol start="3"><li>x</li></ol>')
    assert "start" not in sanitize_html('<ol start="²"><li>x</li></ol>')
    assert "start" not in sanitize_html('<ol start="٣"><li>x</li></ol>')
