"""Without JavaScript, the message after resolving a thread offers "Reopen" and the one after
hiding a comment offers "Restore" (``core.undo``): a small POST form to the ordinary view,
shown once, only to who may take the step back; the view checks everything again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from comments import permissions as perms
from comments import services
from comments.models import Comment
from tests.factories import make_recommendation
from tests.helpers import followed, undo_forms

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(drafter):
    return make_recommendation(drafter, status="in_review")


def test_resolving_offers_reopen_which_reopens_the_thread(client, rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Which languages?")
    client.force_login(drafter)
    page = followed(client, client.post(reverse("comments:resolve", args=[comment.pk])))
    [undo] = undo_forms(page)
    assert undo == {
        "message": "Thread resolved.",
        "action": reverse("comments:reopen", args=[comment.pk]),
        "label": "Reopen",
        "fields": {},
    }
    comment.refresh_from_db()
    assert comment.is_resolved
    response = client.post(undo["action"], undo["fields"])
    assert response.status_code == 302
    assert response["Location"] == comment.get_absolute_url()
    comment.refresh_from_db()
    assert not comment.is_resolved
    after = client.get(response["Location"]).content.decode()
    assert "Thread reopened." in after and undo_forms(after) == []  # reopening offers nothing


def test_the_undo_is_shown_once(client, rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Which languages?")
    client.force_login(drafter)
    assert (
        len(
            undo_forms(
                followed(client, client.post(reverse("comments:resolve", args=[comment.pk])))
            )
        )
        == 1
    )
    again = client.get(rec.get_absolute_url()).content.decode()
    assert undo_forms(again) == [] and "Thread resolved." not in again
    assert "undo" not in client.session


def test_the_authors_undo_and_the_messages_of_two_steps_each_offer_their_own(
    client, rec, other_participant
):
    first = services.post_comment(rec, actor=other_participant, body="First point.")
    second = services.post_comment(rec, actor=other_participant, body="Second point.")
    client.force_login(other_participant)  # the author may resolve and reopen their thread
    client.post(reverse("comments:resolve", args=[first.pk]))
    page = followed(client, client.post(reverse("comments:resolve", args=[second.pk])))
    assert [u["action"] for u in undo_forms(page)] == [
        reverse("comments:reopen", args=[first.pk]),
        reverse("comments:reopen", args=[second.pk]),
    ]


def test_hiding_offers_restore_which_shows_the_comment_again(
    client, rec, other_participant, moderator
):
    comment = services.post_comment(rec, actor=other_participant, body="Off topic.")
    client.force_login(moderator)
    response = client.post(reverse("comments:hide", args=[comment.pk]), {"reason": "Spam"})
    [undo] = undo_forms(followed(client, response))
    assert (undo["message"], undo["label"]) == ("The comment is hidden.", "Restore")
    assert undo["action"] == reverse("comments:restore", args=[comment.pk])
    comment.refresh_from_db()
    assert comment.hidden
    assert client.post(undo["action"], undo["fields"]).status_code == 302
    comment.refresh_from_db()
    assert not comment.hidden


def test_hiding_from_the_queue_restores_back_to_the_queue(
    client, rec, drafter, other_participant, moderator
):
    comment = services.post_comment(rec, actor=other_participant, body="Spam.")
    services.report_comment(comment, actor=drafter, reason="Advertising")
    client.force_login(moderator)
    response = client.post(
        reverse("comments:hide", args=[comment.pk]), {"reason": "Spam", "next": "moderation"}
    )
    [undo] = undo_forms(followed(client, response))
    assert undo["fields"] == {"next": "moderation"}
    response = client.post(undo["action"], undo["fields"])
    assert response["Location"] == reverse("comments:moderation")
    comment.refresh_from_db()
    assert not comment.hidden


def test_no_undo_for_who_may_not_take_it(client, rec, drafter, other_participant, monkeypatch):
    comment = services.post_comment(rec, actor=other_participant, body="Which languages?")
    # The offer asks the permission the reopen view's service asks: refused, no button.
    monkeypatch.setattr(perms, "can_reopen", lambda *args, **kwargs: False)
    client.force_login(drafter)
    page = followed(client, client.post(reverse("comments:resolve", args=[comment.pk])))
    assert "Thread resolved." in page and undo_forms(page) == []
    assert "undo" not in client.session


def test_the_undo_is_in_the_session_of_who_acted_only_and_the_view_checks_again(
    client, rec, drafter, other_participant, observer
):
    comment = services.post_comment(rec, actor=other_participant, body="Which languages?")
    client.force_login(drafter)
    client.post(reverse("comments:resolve", args=[comment.pk]))
    # Another person signing in in the same browser (a new session): the message may still
    # show (messages live in a cookie), its undo does not.
    client.force_login(observer)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert undo_forms(page) == []
    # The form posted anyway by who may not reopen: refused by the view, as always.
    response = client.post(reverse("comments:reopen", args=[comment.pk]))
    assert response.status_code == 403
    assert Comment.objects.get(pk=comment.pk).is_resolved


def test_an_undo_no_longer_possible_is_refused(client, rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Which languages?")
    client.force_login(drafter)
    [undo] = undo_forms(
        followed(client, client.post(reverse("comments:resolve", args=[comment.pk])))
    )
    services.reopen_comment(comment, actor=other_participant)  # someone was quicker
    response = client.post(undo["action"], undo["fields"])
    assert response.status_code == 409
