"""The recommendation page with a conference-sized discussion (issue 15): each tool's form is
on the page once, whatever the number of comments; a comment names its tools and links to its
action page, where the same forms work without JavaScript; everything people wrote is escaped
in the markup written by ``comments.rendering``."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import services
from comments.display import TOOLS
from comments.models import Comment
from tests.factories import make_recommendation
from workspace.scale import build_discussion

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(drafter):
    return make_recommendation(drafter, status="in_review")


def page(client, rec, query: str = "") -> str:
    response = client.get(rec.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["drafter", "other", "moderator"])
def test_forms_are_on_the_page_once_whatever_the_number_of_comments(
    client, drafter, other_participant, moderator, role
):
    small = make_recommendation(drafter, status="in_review", title="small")
    big = make_recommendation(drafter, status="in_review", title="big")
    build_discussion(small, comments=3, threads=1)
    build_discussion(big, comments=300, threads=60)
    client.force_login(
        {"drafter": drafter, "other": other_participant, "moderator": moderator}[role]
    )
    # Every reply shown (a discussion this long folds them: test_folded_threads).
    few, many = page(client, small), page(client, big, "?replies=all")
    assert many.count('class="comment-item') == 300
    # Outside the page's one <template> of tool forms, the same forms in both discussions.
    outside = [re.sub(r"<template.*?</template>", "", html, flags=re.S) for html in (few, many)]
    for marker in ("<form", "<textarea", "csrfmiddlewaretoken"):
        assert outside[0].count(marker) == outside[1].count(marker), marker
    assert many.count("<template") == 1
    template = many.split("<template")[1].split("</template>")[0]
    assert template.count("<form") <= 8  # one per kind of tool
    bodies = sum(len(c.body_html.encode()) for c in Comment.objects.of(big))
    chrome = (len(many.encode()) - len(few.encode()) - bodies) / 297
    # Each comment names its time zone and language (issue 11): about 60 bytes more than before.
    assert chrome < 760, f"{chrome:.0f} bytes of markup per comment besides its text"


def test_each_comment_names_the_viewers_tools_and_links_to_its_action_page(
    client, rec, drafter, other_participant, moderator
):
    comment = services.post_comment(rec, actor=other_participant, body="Evening hours?")
    reply = services.post_comment(rec, actor=drafter, body="Yes.", parent=comment)
    client.force_login(drafter)
    html = page(client, rec)
    assert (
        f'data-tools="resolve reply respond report"><a href="/comments/{comment.pk}/actions/"'
        in html
    )
    assert f'data-tools="reply edit respond"><a href="/comments/{reply.pk}/actions/"' in html
    template = html.split('<template data-js="comment-tool-forms">')[1].split("</template>")[0]
    # Who takes part gets every kind of form once (comments arriving live may offer any).
    assert set(re.findall(r'data-tool="(\w+)"', template)) == set(TOOLS)
    client.force_login(moderator)
    assert f'data-tools="reply hide report"><a href="/comments/{comment.pk}/actions/"' in page(
        client, rec
    )


def test_action_page_carries_the_forms_and_they_work_without_javascript(
    client, rec, drafter, other_participant
):
    comment = services.post_comment(rec, actor=other_participant, body="Evening *hours*?")
    url = reverse("comments:actions", args=[comment.pk])
    client.force_login(other_participant)
    html = client.get(url).content.decode()
    assert f'action="/comments/{comment.pk}/edit/"' in html
    assert f'id="edit-body-{comment.pk}"' in html and "Evening *hours*?</textarea>" in html
    assert "/respond/" not in html and "/hide/" not in html  # not this viewer's tools
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Evening and weekend."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Evening and weekend."

    client.force_login(drafter)
    html = client.get(url).content.decode()
    assert f'action="/comments/{comment.pk}/respond/"' in html
    assert f'name="parent" value="{comment.pk}"' in html
    assert f'action="/comments/{comment.pk}/edit/"' not in html
    response = client.post(
        f"/comments/{comment.pk}/respond/", {"status": "accepted", "reason": "Added."}
    )
    assert response.status_code == 302
    assert "Change the response" in client.get(url).content.decode()


def test_action_page_refuses_who_has_no_tool_and_hides_what_they_may_not_see(
    client, drafter, other_participant, observer
):
    draft = make_recommendation(drafter, status="draft", title="draft")
    mine = services.post_comment(draft, actor=drafter, body="Note to self.")
    client.force_login(other_participant)
    assert client.get(reverse("comments:actions", args=[mine.pk])).status_code == 404
    client.force_login(drafter)
    # The author of the only comment of a draft: edit and resolve, never report it.
    html = client.get(reverse("comments:actions", args=[mine.pk])).content.decode()
    assert "/edit/" in html and "/report/" not in html
    assert client.get(reverse("comments:actions", args=[999999])).status_code == 404
    client.logout()
    response = client.get(reverse("comments:actions", args=[mine.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_action_page_costs_the_same_queries_in_a_small_and_a_large_discussion(
    client, drafter, other_participant
):
    small = make_recommendation(drafter, status="in_review", title="small")
    big = make_recommendation(drafter, status="in_review", title="big")
    build_discussion(small, comments=3, threads=1)
    build_discussion(big, comments=300, threads=60)
    client.force_login(drafter)
    urls = [
        reverse("comments:actions", args=[Comment.objects.of(rec).first().pk])
        for rec in (small, big)
    ]
    client.get(urls[0])
    with CaptureQueriesContext(connection) as few:
        assert client.get(urls[0]).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(urls[1]).status_code == 200
    assert len(many) == len(few)


def test_what_people_wrote_is_escaped_in_the_rendered_comments(
    client, rec, drafter, other_participant
):
    other_participant.first_name = '<img src=x onerror="alert(1)">'
    other_participant.save()
    key = rec.paragraphs[0]["key"]
    words = rec.paragraphs[0]["html"].split(">", 1)[1].split(" ")[0]
    comment = services.post_comment(
        rec, actor=other_participant, body="<script>alert(2)</script>Fine.", anchor=key, quote=words
    )
    services.respond_to_comment(
        comment, actor=drafter, status="accepted", reason='<b onclick="x">Yes</b>\nand more'
    )
    client.force_login(drafter)
    for html in (
        page(client, rec),
        client.get(reverse("comments:fragment", args=[comment.pk])).json()["html"],
    ):
        assert "<script>alert(2)" not in html and '<img src=x onerror="alert(1)">' not in html
        assert "&lt;b onclick=&quot;x&quot;&gt;Yes&lt;/b&gt;<br>and more" in html
