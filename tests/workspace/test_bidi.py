"""People's text is isolated for direction: an Arabic title, summary, body, comment or
statement in an English page (and Latin text in an Arabic page) sits inside an element with
``dir="auto"`` or a ``<bdi>``, so the browser lays it out by its own direction."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client

from comments import services as comments
from publication import services as publication
from recommendations import services as recommendations
from tests.factories import make_recommendation
from tests.publication.helpers import org_with_rep, publish, theme

pytestmark = pytest.mark.django_db

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}

TITLE = "نقاط استقبال موحدة"
SUMMARY = "ملخص التوصية بالعربية"
BODY = "ينبغي للمدن أن تفتح نقطة استقبال واحدة."
COMMENT = "تعليق باللغة العربية على النص"
REPLY = "رد على التعليق"
STATEMENT = "بيان المنظمة بالعربية"
ORG = "بلدية صور"
THEME = "الإدماج الاجتماعي"


class _Isolation(HTMLParser):
    """For each text run: is some enclosing element a ``<bdi>`` or ``dir="auto"``?"""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.runs: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in VOID:
            return
        self.stack.append(tag == "bdi" or ("dir", "auto") in attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.runs.append((data, any(self.stack)))


def _isolated(text: str, data: str, in_element: bool) -> bool:
    """In an isolating element, or between FSI and PDI (where an ``<option>`` needs them)."""
    if in_element:
        return True
    at = data.index(text)
    return "\u2068" in data[:at] and "\u2069" in data[at + len(text) :]


def _assert_isolated(html: str, *texts: str) -> None:
    body = html.split("<body", 1)[1]
    parser = _Isolation()
    parser.feed("<body" + body)
    for text in texts:
        runs = [_isolated(text, data, inside) for data, inside in parser.runs if text in data]
        assert runs, f"{text!r} is not on the page"
        assert all(runs), f"{text!r} is not isolated: {runs}"


@pytest.fixture
def arabic_rec(drafter, other_participant, lead_org):
    lead_org.name = ORG
    lead_org.save()
    rec = make_recommendation(
        drafter, status="in_review", title=TITLE, body=BODY, theme=theme("inclusion", THEME, 0)
    )
    rec = recommendations.edit_recommendation(
        rec, actor=drafter, base_version=rec.version, summary=SUMMARY
    ).recommendation
    thread = comments.post_comment(rec, actor=other_participant, body=COMMENT)
    comments.post_comment(rec, actor=drafter, body=REPLY, parent=thread)
    return rec


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_recommendation_page_and_its_comments_isolate_peoples_text(
    client, arabic_rec, drafter, language
):
    client.force_login(drafter)
    response = client.get(arabic_rec.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    _assert_isolated(response.content.decode(), TITLE, SUMMARY, BODY, COMMENT, REPLY, ORG)


def test_the_list_isolates_titles_summaries_and_organisations(client, arabic_rec, drafter):
    client.force_login(drafter)
    response = client.get("/recommendations/")
    assert response.status_code == 200
    _assert_isolated(response.content.decode(), TITLE, SUMMARY, ORG, THEME)


def test_the_published_edition_isolates_titles_text_and_statements(drafter, moderator, secretariat):
    org, rep = org_with_rep("tyre", "city", ORG)
    rec = make_recommendation(
        drafter,
        status="approved",
        moderator=moderator,
        title=TITLE,
        body=BODY,
        theme=theme("inclusion", THEME, 0),
    )
    publication.endorse(rec, organisation=org, statement=STATEMENT, actor=rep)
    recommendations.finalise_recommendation(rec, actor=secretariat)
    edition = publish(secretariat, title="Beirut 2017 — بيروت", preamble="ديباجة المؤتمر.")
    for url in ("/published/", f"/ar/published/editions/{edition.number}/print/"):
        html = Client().get(url).content.decode()
        _assert_isolated(html, TITLE, BODY, STATEMENT, ORG, "ديباجة المؤتمر", "Beirut 2017")
