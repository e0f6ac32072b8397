"""Hiding a comment asks first, saying what will happen: without JavaScript the form's
``confirm=ask`` is answered with the question and the form again (the reason kept); the
answer hides it. Only who may hide is asked; anyone else is refused as before."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from comments import services
from comments.models import Comment
from tests.factories import make_recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    return services.post_comment(rec, actor=other_participant, body="Off topic.")


def test_the_question_comes_first_and_the_answer_hides(client, moderator, comment):
    client.force_login(moderator)
    url = reverse("comments:hide", args=[comment.pk])
    page = client.post(url, {"reason": "Spam, twice", "confirm": "ask"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Hide this comment?" in html
    assert "You can restore it afterwards." in html
    assert re.search(r'<textarea[^>]*name="reason"[^>]*>\s*Spam, twice</textarea>', html)
    assert 'name="confirm"' not in html  # the answer is the step itself
    assert not Comment.objects.get(pk=comment.pk).hidden

    done = client.post(url, {"reason": "Spam, twice"})
    assert done.status_code == 302
    assert Comment.objects.get(pk=comment.pk).hidden


def test_from_the_queue_the_answer_goes_back_to_the_queue(client, moderator, comment):
    client.force_login(moderator)
    url = reverse("comments:hide", args=[comment.pk])
    html = client.post(url, {"reason": "Spam", "confirm": "ask", "next": "moderation"})
    assert '<input type="hidden" name="next" value="moderation">' in html.content.decode()
    done = client.post(url, {"reason": "Spam", "next": "moderation"})
    assert done["Location"] == reverse("comments:moderation")


def test_no_reason_no_question_but_the_error(client, moderator, comment):
    client.force_login(moderator)
    response = client.post(
        reverse("comments:hide", args=[comment.pk]), {"reason": "", "confirm": "ask"}
    )
    assert response.status_code == 400
    assert "Hide this comment?" not in response.content.decode()


def test_who_may_not_hide_is_not_asked_but_refused(client, other_participant, comment):
    client.force_login(other_participant)
    response = client.post(
        reverse("comments:hide", args=[comment.pk]), {"reason": "Mine", "confirm": "ask"}
    )
    assert response.status_code == 403
    assert "Hide this comment?" not in response.content.decode()
    assert not Comment.objects.get(pk=comment.pk).hidden


def test_the_page_dialog_asks_the_same_question(client, moderator, comment):
    client.force_login(moderator)
    page = client.get(comment.recommendation.get_absolute_url()).content.decode()
    tool = re.search(r'<form[^>]*data-tool="hide"[^>]*>|<form[^>]*comments/0/hide/[^>]*>', page)
    assert tool, "the hide tool's form is on the page"
    assert 'data-confirm-title="Hide this comment?"' in tool.group(0)
    assert "You can restore it afterwards." in tool.group(0)
