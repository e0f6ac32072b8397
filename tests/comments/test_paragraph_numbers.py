"""Paragraphs are numbered (¶1, ¶2 ...) and commented on; headings are neither. Thread headings
read "¶4 · 3 comments"; the number in the margin and the one in the thread heading agree."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from comments import services
from comments.models import Comment
from recommendations.models import Recommendation
from tests.factories import make_recommendation

pytestmark = pytest.mark.django_db

WITH_HEADINGS = (
    "## Context\n\n"
    "Cities receive most new arrivals.\n\n"
    "## What cities do\n\n"
    "- a welcome point\n- a language course\n\n"
    "> Nobody should wait outside.\n\n"
    "| city | hours |\n| --- | --- |\n| Tunis | 9-17 |"
)


@pytest.fixture
def rec(drafter):
    return make_recommendation(drafter, status="in_review", body=WITH_HEADINGS)


def _keys(rec: Recommendation) -> dict[str, str]:
    """heading/paragraph label -> key, in the order of the text."""
    return {p["html"][:20]: p["key"] for p in rec.paragraphs}


def test_units_are_numbered_in_the_margin_and_headings_are_not(client, drafter, rec):
    client.force_login(drafter)
    page = client.get(rec.get_absolute_url()).content.decode()
    numbers = re.findall(
        r'<div class="para numbered" id="[^"]+" data-key="[^"]+" data-number="(\d+)"', page
    )
    assert numbers == ["1", "2", "3", "4"]  # a paragraph, a list, a quote, a table
    margins = re.findall(r'<span aria-hidden="true">¶</span>(\d+)</bdi>', page)
    assert margins == ["1", "2", "3", "4"]
    heading = next(p for p in rec.paragraphs if p["html"].startswith("<h2"))
    assert f'id="{heading["key"]}" data-key="{heading["key"]}" dir="auto"><h2' in page


def test_thread_headings_say_the_number_and_the_count(client, drafter, other_participant, rec):
    unit = [p for p in rec.paragraphs if not p["html"].startswith("<h")][1]  # ¶2, the list
    for body in ("One", "Two", "Three"):
        services.post_comment(rec, actor=other_participant, body=body, anchor=unit["key"])
    client.force_login(drafter)
    page = client.get(rec.get_absolute_url()).content.decode()
    title = re.search(
        rf'<h3 id="para-comments-title-{unit["key"]}">(.*?)</h3>', page, flags=re.S
    ).group(1)
    text = re.sub(r"<[^>]+>", "", title)
    assert text == "Paragraph ¶2 · 3 comments"
    # The form's choice of paragraph counts the same way and offers no heading.
    choices = re.findall(r"<option value=\"([^\"]+)\">Paragraph (\d+):", page)
    assert [n for _key, n in choices] == ["1", "2", "3", "4"]
    assert all(not key_is_heading(rec, key) for key, _n in choices)


def key_is_heading(rec, key):
    return next(p for p in rec.paragraphs if p["key"] == key)["html"].startswith("<h")


def test_a_heading_cannot_be_commented_on(client, other_participant, rec):
    heading = next(p for p in rec.paragraphs if p["html"].startswith("<h2"))
    with pytest.raises(ValidationError) as error:
        services.post_comment(rec, actor=other_participant, body="Hm", anchor=heading["key"])
    assert "Headings are not commented on" in str(error.value)
    # Through the API: a 400 that says why, nothing stored.
    client.force_login(other_participant)
    response = client.post(
        reverse("comments_api:list", args=[rec.pk]),
        {"body": "Hm", "anchor": heading["key"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Headings are not commented on" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_made_on_a_heading_before_stay_in_view(client, drafter, other_participant, rec):
    heading = next(p for p in rec.paragraphs if p["html"].startswith("<h2"))
    Comment.objects.create(
        recommendation=rec,
        author=other_participant,
        version=rec.version,
        anchor=heading["key"],
        body="On the heading",
        body_html="<p>On the heading</p>",
    )
    client.force_login(drafter)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "On the heading" in page
    assert "The heading “Context” · 1 comment" in re.sub(r"<[^>]+>", "", page)
