"""Markdown rendering, sanitising, block keys, diffs and three-way merge for recommendation text.

Pure Python (stdlib + ``markdown`` + ``nh3``); no Django imports, so it can be used and tested
anywhere. One module per concern:

- :mod:`text.sanitise` - the nh3 allowlist and :func:`sanitize_html`;
- :mod:`text.render` - Markdown to sanitised HTML, whole documents or keyed paragraphs;
- :mod:`text.blocks` - splitting/joining Markdown blocks and stable paragraph keys;
- :mod:`text.diff` - word-level diffs aligned block by block;
- :mod:`text.merge` - three-way merge at block granularity;
- :mod:`text.rendered_diff` - the changes as people read them (rendered, moved blocks shown);
- :mod:`text.plain` - the visible text of sanitised HTML;
- :mod:`text.search` - words folded for full-text search, and excerpts that mark them;
- :mod:`text.outline` - heading levels of a text placed in a larger document (an edition).
"""

from __future__ import annotations

from .blocks import assign_keys, join_blocks, new_key, split_blocks
from .diff import changed_paragraphs, diff_inline, diff_side_by_side, words
from .merge import MergeResult, merge_blocks
from .outline import outline_levels, shift_html, shift_markdown
from .plain import fold_spaces, plain_text
from .render import is_heading_html, number_paragraphs, render_markdown, render_paragraphs
from .rendered_diff import diff_rendered
from .sanitise import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, sanitize_html
from .search import Excerpt, excerpt, fold, index_words, query_terms

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "URL_SCHEMES",
    "Excerpt",
    "MergeResult",
    "assign_keys",
    "changed_paragraphs",
    "diff_inline",
    "diff_rendered",
    "diff_side_by_side",
    "excerpt",
    "fold",
    "fold_spaces",
    "index_words",
    "is_heading_html",
    "join_blocks",
    "merge_blocks",
    "new_key",
    "number_paragraphs",
    "outline_levels",
    "plain_text",
    "query_terms",
    "render_markdown",
    "render_paragraphs",
    "sanitize_html",
    "shift_html",
    "shift_markdown",
    "split_blocks",
    "words",
]
