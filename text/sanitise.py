"""HTML sanitising with an nh3 allowlist for rendered recommendation text.

Ids in user text never take the id of a page element (DOM clobbering: a heading ``# comments``
must not become the comments section for the page's scripts). A heading id always carries the
``user-content-`` prefix (GitHub's convention), a prefix no page element uses: the renderer
gives it to Markdown headings, and the sanitiser gives it to a raw ``<h2 id="comments">``
typed by a user (``id="user-content-comments"``) instead of dropping it, so the heading keeps
a working anchor. Footnote ids keep their own ``fn:``/``fnref:`` families (page ids have no
colon); no other element keeps an id.

Pure Python (``nh3`` only); no Django imports.
"""

from __future__ import annotations

import re

import nh3

__all__ = ["ALLOWED_ATTRIBUTES", "ALLOWED_TAGS", "URL_SCHEMES", "sanitize_html"]

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# fmt: off
ALLOWED_TAGS: frozenset[str] = _HEADINGS | frozenset({
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td", "a", "sup", "sub", "abbr", "dl", "dt", "dd",
    "del", "ins", "div", "span",
})
# fmt: on

ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "class"}),
    "abbr": frozenset({"title"}),
    "th": frozenset({"align"}),
    "td": frozenset({"align"}),
    "ol": frozenset({"start"}),
    "sup": frozenset({"id"}),
    "li": frozenset({"id"}),
    "div": frozenset({"class"}),
    "code": frozenset({"class"}),
    **{tag: frozenset({"id"}) for tag in _HEADINGS},
}

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

# Tags whose *content* is dropped too (not just the tag).
# fmt: off
_CLEAN_CONTENT_TAGS = frozenset({
    "script", "style", "template", "iframe", "object", "embed", "svg", "math", "noscript",
    "textarea", "select", "title", "xmp", "noembed", "noframes", "frameset", "applet",
})
# fmt: on

_ALLOWED_CLASSES: dict[str, frozenset[str]] = {
    "div": frozenset({"footnote"}),
    "a": frozenset({"footnote-ref", "footnote-backref"}),
}
_LANGUAGE_CLASS_RE = re.compile(r"^language-[\w#+.-]{1,40}$")
# The prefix of every heading id in user text; no element of the page's templates uses it.
USER_ID_PREFIX = "user-content-"
_HEADING_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,200}$")
_USER_HEADING_ID_RE = re.compile(rf"^{re.escape(USER_ID_PREFIX)}[A-Za-z0-9_-]{{0,200}}$")
_FOOTNOTE_ID_RE = {
    "li": re.compile(r"^fn:[^\s\"'<>]{1,100}$"),
    "sup": re.compile(r"^fnref\d*:[^\s\"'<>]{1,100}$"),
}
_ALIGN_VALUES = frozenset({"left", "right", "center"})


def _heading_id(value: str) -> str | None:
    """A heading id in the user-content family: kept if it has the prefix, else prefixed."""
    if _USER_HEADING_ID_RE.match(value):
        return value
    return USER_ID_PREFIX + value if _HEADING_ID_RE.match(value) else None


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    """Second-stage per-value checks on attributes that passed the allowlist."""
    if attribute == "class":
        if element == "code":
            kept = [c for c in value.split() if _LANGUAGE_CLASS_RE.match(c)]
        else:
            allowed = _ALLOWED_CLASSES.get(element, frozenset())
            kept = [c for c in value.split() if c in allowed]
        return " ".join(kept) or None
    if attribute == "id":
        if element in _HEADINGS:
            return _heading_id(value)
        pattern = _FOOTNOTE_ID_RE.get(element)
        return value if pattern is not None and pattern.match(value) else None
    if attribute == "align":
        return value.lower() if value.lower() in _ALIGN_VALUES else None
    if attribute == "start":
        return value if value.isascii() and value.isdigit() and len(value) <= 9 else None
    return value


def _make_cleaner(link_rel: str) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_CLEAN_CONTENT_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        attribute_filter=_attribute_filter,
        strip_comments=True,
        link_rel=link_rel,
        url_schemes=set(URL_SCHEMES),
    )


_CLEANERS = {
    True: _make_cleaner("noopener noreferrer nofollow"),
    False: _make_cleaner("noopener noreferrer"),
}


def sanitize_html(fragment: str, *, user_text: bool = True) -> str:
    """Sanitise an HTML fragment with the module's allowlist."""
    return _CLEANERS[bool(user_text)].clean(fragment)
