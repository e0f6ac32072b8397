"""The outline of a published edition: edition > theme > recommendation > the
recommendation's own headings, in the page (h1..h6, one h1, no level skipped, every title
above its own headings), the print page, the PDF's source and the canonical Markdown alike."""

from __future__ import annotations

import itertools
import re

import pytest
from django.test import Client

from tests.publication.helpers import final, publish, theme
from text import outline

pytestmark = pytest.mark.django_db

BODY = """# Context

Cities receive newcomers first.

## Evidence

Lisbon's desk halved waiting times.

Recommendation
==============

Open one front door.

#### Detail that skipped levels

Everything in one place."""


def _html_headings(html: str) -> list[tuple[int, str]]:
    main = html.split('<main id="main"', 1)[1]
    return [
        (int(level), re.sub(r"<[^>]+>", "", text).strip())
        for level, text in re.findall(r"<h([1-6])\b[^>]*>(.*?)</h\1>", main, re.S)
    ]


def _markdown_headings(markdown: str) -> list[tuple[int, str]]:
    body = markdown.split("\n---\n", 1)[1]
    return [
        (len(m.group(1)), m.group(2).strip()) for m in re.finditer(r"^(#{1,6}) (.*)$", body, re.M)
    ]


def _assert_outline(headings: list[tuple[int, str]], titles: list[str]) -> None:
    levels = [level for level, _text in headings]
    assert levels.count(1) == 1 and levels[0] == 1, headings
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"a level is skipped: {headings}"
    for title in titles:
        index = next(i for i, (_l, text) in enumerate(headings) if text == title)
        level = headings[index][0]
        assert level == 3, headings
        own = []
        for deeper, text in headings[index + 1 :]:
            if deeper <= level:
                break
            own.append((deeper, text))
        assert [text for _l, text in own][:4] == [
            "Context",
            "Evidence",
            "Recommendation",
            "Detail that skipped levels",
        ]
        assert [lvl for lvl, _t in own][:4] == [4, 5, 4, 5]


@pytest.fixture
def edition(drafter, moderator, secretariat):
    inclusion = theme("social-inclusion", "Social inclusion", 0)
    education = theme("education", "Education", 5)
    final(drafter, moderator, secretariat, title="One front door", theme=inclusion, body=BODY)
    final(drafter, moderator, secretariat, title="Schools first", theme=education, body=BODY)
    return publish(secretariat, preamble="## Why this text\n\nBecause.\n\n#### Deep note\n\nx")


def test_the_published_page_has_one_outline(edition):
    html = Client().get(edition.get_absolute_url()).content.decode()
    headings = _html_headings(html)
    _assert_outline(headings, ["One front door", "Schools first"])
    assert (2, "Why this text") in headings and (3, "Deep note") in headings
    assert (2, "Social inclusion") in headings and (2, "Education") in headings


def test_the_print_page_has_the_same_outline(edition):
    html = Client().get(f"{edition.get_absolute_url()}print/").content.decode()
    _assert_outline(_html_headings(html), ["One front door", "Schools first"])


def test_the_markdown_has_the_same_outline(edition):
    headings = _markdown_headings(edition.markdown)
    _assert_outline(headings, ["One front door", "Schools first"])
    assert "#### Context" in edition.markdown and "#### Recommendation" in edition.markdown
    assert "\n==============" not in edition.markdown


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        ([1, 2, 3], [4, 5, 6]),
        ([2, 4, 3], [4, 5, 5]),
        ([3, 1, 2], [4, 4, 5]),
        ([1, 2, 3, 4, 5, 6], [4, 5, 6, 6, 6, 6]),
        ([], []),
    ],
)
def test_levels_start_at_the_base_and_never_skip(levels, expected):
    assert outline.outline_levels(levels, 4) == expected


def test_code_fences_are_not_headings():
    source = "```\n# not a heading\n```\n\n# Heading"
    assert outline.shift_markdown(source, 4) == "```\n# not a heading\n```\n\n#### Heading"
