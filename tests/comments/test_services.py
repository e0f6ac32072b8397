"""Comments through their services: anchors that follow the text, threads, edits, responses,
moderation, the activity record and the live events (more refusals than successes)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from comments import services
from comments.models import Comment, CommentReport, CommentRevision
from comments.redaction import redact_hidden_comments
from comments.serializers import is_outdated
from core.models import Activity
from recommendations import services as rec_services
from recommendations.models import Event
from recommendations.services import Conflict
from tests.factories import BODY, make_recommendation, member_of

pytestmark = pytest.mark.django_db

FIRST, SECOND, THIRD = BODY.split("\n\n")


@pytest.fixture
def rec(drafter):
    return make_recommendation(drafter, status="in_review")


def keys(rec):
    return [p["key"] for p in rec.paragraphs]


def current_keys(rec):
    rec.refresh_from_db()
    return set(keys(rec))


# --- anchors ---------------------------------------------------------------------------------
def test_comment_records_paragraph_quote_version_and_organisation(rec, other_participant):
    key = keys(rec)[0]
    comment = services.post_comment(
        rec, actor=other_participant, body="Also *online*.", anchor=key, quote="welcome  point"
    )
    assert (comment.anchor, comment.quote, comment.version) == (key, "welcome point", 1)
    assert comment.organisation.slug == "tunis"
    assert comment.body_html == "<p>Also <em>online</em>.</p>"


def test_comment_body_is_sanitised_like_the_text(rec, other_participant):
    comment = services.post_comment(
        rec,
        actor=other_participant,
        body='<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror="alert(1)">',
    )
    assert "<script" not in comment.body_html and "javascript:" not in comment.body_html
    assert "onerror" not in comment.body_html and "<img" not in comment.body_html


def test_unknown_paragraph_key_is_refused(rec, other_participant):
    with pytest.raises(ValidationError) as error:
        services.post_comment(rec, actor=other_participant, body="x", anchor="p-00000000")
    assert "anchor" in error.value.message_dict
    assert not Comment.objects.exists()


def test_quote_not_in_that_paragraph_is_refused(rec, other_participant):
    with pytest.raises(ValidationError) as error:
        services.post_comment(
            rec, actor=other_participant, body="x", anchor=keys(rec)[0], quote="fund these"
        )
    assert "quote" in error.value.message_dict


def test_quote_longer_than_500_characters_is_refused(rec, other_participant):
    with pytest.raises(ValidationError):
        services.post_comment(
            rec, actor=other_participant, body="x", anchor=keys(rec)[0], quote="a" * 501
        )


def test_quote_without_a_paragraph_is_refused(rec, other_participant):
    with pytest.raises(ValidationError):
        services.post_comment(rec, actor=other_participant, body="x", quote="welcome point")


def test_empty_or_too_long_body_is_refused(rec, other_participant):
    for body in ("", "   \n ", "x" * 10_001):
        with pytest.raises(ValidationError):
            services.post_comment(rec, actor=other_participant, body=body)
    assert not Comment.objects.exists()


def test_comments_stay_on_a_lightly_edited_paragraph(rec, drafter, other_participant):
    key = keys(rec)[0]
    comment = services.post_comment(rec, actor=other_participant, body="Good.", anchor=key)
    rec_services.edit_recommendation(
        rec,
        actor=drafter,
        base_version=1,
        body="\n\n".join([FIRST.replace("single", "single, central"), SECOND, THIRD]),
    )
    assert key in current_keys(rec)
    assert not is_outdated(comment, current_keys(rec))


def test_comment_on_a_deleted_paragraph_is_outdated_not_gone(rec, drafter, other_participant):
    gone = keys(rec)[2]
    comment = services.post_comment(
        rec, actor=other_participant, body="Who pays?", anchor=gone, quote="fund these points"
    )
    rec_services.edit_recommendation(
        rec, actor=drafter, base_version=1, body="\n\n".join([FIRST, SECOND])
    )
    assert is_outdated(comment, current_keys(rec))
    comment.refresh_from_db()
    assert (comment.quote, comment.version, comment.anchor) == ("fund these points", 1, gone)


def test_new_comment_cannot_anchor_to_a_paragraph_of_an_older_version(
    rec, drafter, other_participant
):
    gone = keys(rec)[2]
    rec_services.edit_recommendation(
        rec, actor=drafter, base_version=1, body="\n\n".join([FIRST, SECOND])
    )
    with pytest.raises(ValidationError):
        services.post_comment(rec, actor=other_participant, body="x", anchor=gone)


# --- threads ---------------------------------------------------------------------------------
def test_reply_inherits_the_anchor_of_its_thread(rec, drafter, other_participant):
    key = keys(rec)[1]
    comment = services.post_comment(rec, actor=other_participant, body="Which?", anchor=key)
    reply = services.post_comment(
        rec, actor=drafter, body="Arabic and French.", parent=comment.pk, anchor=keys(rec)[0]
    )
    assert (reply.parent_id, reply.anchor, reply.quote) == (comment.pk, key, "")


def test_reply_to_a_comment_of_another_recommendation_is_refused(rec, drafter, other_participant):
    elsewhere = make_recommendation(drafter, status="in_review", title="Elsewhere")
    foreign = services.post_comment(elsewhere, actor=other_participant, body="Here.")
    for parent in (foreign.pk, 999_999, "abc"):
        with pytest.raises(ValidationError) as error:
            services.post_comment(rec, actor=other_participant, body="x", parent=parent)
        assert "parent" in error.value.message_dict


def test_reply_to_a_hidden_comment_is_refused(rec, other_participant, moderator, drafter):
    comment = services.post_comment(rec, actor=other_participant, body="Rude.")
    services.hide_comment(comment, actor=moderator, reason="Insult")
    with pytest.raises(Conflict):
        services.post_comment(rec, actor=drafter, body="x", parent=comment.pk)


# --- who may comment, when -------------------------------------------------------------------
def test_only_drafters_comment_on_a_draft(drafter, moderator, other_participant):
    draft = make_recommendation(drafter)
    assert services.post_comment(draft, actor=drafter, body="Note to self.").pk
    with pytest.raises(PermissionDenied):
        services.post_comment(draft, actor=moderator, body="x")
    with pytest.raises(Http404):
        services.post_comment(draft, actor=other_participant, body="x")


@pytest.mark.parametrize("status", ["final", "withdrawn", "rejected"])
def test_closed_texts_take_no_comments(drafter, status):
    rec = make_recommendation(drafter, status=status)
    with pytest.raises((Conflict, Http404)):
        services.post_comment(rec, actor=drafter, body="Too late.")
    assert not Comment.objects.exists()


def test_anonymous_and_inactive_users_cannot_comment(rec, anonymous, other_participant):
    with pytest.raises(Http404):
        services.post_comment(rec, actor=anonymous, body="x")
    other_participant.is_active = False
    other_participant.save()
    with pytest.raises(Http404):
        services.post_comment(rec, actor=other_participant, body="x")


# --- edits -----------------------------------------------------------------------------------
def test_author_edit_keeps_the_earlier_text(rec, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="First thought.")
    services.edit_comment(comment, actor=other_participant, body="Second thought.")
    services.edit_comment(comment, actor=other_participant, body="Third thought.")
    comment.refresh_from_db()
    assert comment.body == "Third thought." and comment.edited_at is not None
    assert list(CommentRevision.objects.filter(comment=comment).values_list("body", flat=True)) == [
        "Second thought.",
        "First thought.",
    ]


def test_nobody_but_the_author_edits(rec, drafter, moderator, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Mine.")
    for user in (drafter, moderator):
        with pytest.raises(PermissionDenied):
            services.edit_comment(comment, actor=user, body="Theirs.")
    comment.refresh_from_db()
    assert comment.body == "Mine." and not CommentRevision.objects.exists()


def test_a_hidden_comment_cannot_be_edited_by_its_author(rec, other_participant, moderator):
    comment = services.post_comment(rec, actor=other_participant, body="Rude.")
    services.hide_comment(comment, actor=moderator, reason="Insult")
    with pytest.raises(Conflict):
        services.edit_comment(comment, actor=other_participant, body="Nice now.")


# --- resolve and reopen ----------------------------------------------------------------------
def test_author_and_drafters_resolve_and_reopen(rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Fix this.")
    services.resolve_comment(comment, actor=drafter)
    services.reopen_comment(comment, actor=other_participant)
    services.resolve_comment(comment, actor=other_participant)
    comment.refresh_from_db()
    assert comment.status == "resolved" and comment.resolved_by == other_participant


def test_others_cannot_resolve(rec, observer, moderator, secretariat, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Fix this.")
    for user in (observer, moderator, secretariat):
        with pytest.raises(PermissionDenied):
            services.resolve_comment(comment, actor=user)
    comment.refresh_from_db()
    assert comment.status == "open"


def test_resolving_twice_or_reopening_an_open_thread_conflicts(rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Fix this.")
    with pytest.raises(Conflict):
        services.reopen_comment(comment, actor=drafter)
    services.resolve_comment(comment, actor=drafter)
    with pytest.raises(Conflict):
        services.resolve_comment(comment, actor=drafter)


def test_a_reply_is_not_resolved_on_its_own(rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Fix this.")
    reply = services.post_comment(rec, actor=drafter, body="Done.", parent=comment)
    with pytest.raises(ValidationError):
        services.resolve_comment(reply, actor=drafter)


# --- official responses ----------------------------------------------------------------------
def test_response_records_the_version_it_led_to(rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Add evenings.")
    rec_services.edit_recommendation(
        rec, actor=drafter, base_version=1, body=BODY + "\n\nOpen in the evening."
    )
    response = services.respond_to_comment(
        comment, actor=drafter, status="partly_accepted", reason="Evenings, not weekends."
    )
    assert (response.status, response.version, response.organisation.slug) == (
        "partly_accepted",
        2,
        "lisbon",
    )
    again = services.respond_to_comment(
        comment, actor=drafter, status="accepted", reason="Weekends too."
    )
    assert again.pk == response.pk and again.status == "accepted"


def test_only_drafting_organisations_respond(rec, other_participant, moderator, observer):
    comment = services.post_comment(rec, actor=other_participant, body="Add evenings.")
    for user in (other_participant, moderator, observer):
        with pytest.raises(PermissionDenied):
            services.respond_to_comment(comment, actor=user, status="accepted", reason="Yes")


def test_response_needs_a_known_status_and_a_reason(rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Add evenings.")
    with pytest.raises(ValidationError):
        services.respond_to_comment(comment, actor=drafter, status="maybe", reason="Hm")
    with pytest.raises(ValidationError):
        services.respond_to_comment(comment, actor=drafter, status="accepted", reason=" ")


# --- moderation ------------------------------------------------------------------------------
def test_hiding_keeps_the_text_in_the_database_and_the_activity(rec, other_participant, moderator):
    comment = services.post_comment(rec, actor=other_participant, body="You are all fools.")
    services.hide_comment(comment, actor=moderator, reason="Insult")
    comment.refresh_from_db()
    assert comment.hidden and comment.body == "You are all fools."
    activity = Activity.objects.get(verb="comment_hidden")
    assert activity.data["hidden_text"] == "You are all fools."
    assert activity.describe() == f"{moderator} hid a comment"  # no reason, no text


def test_hiding_needs_a_reason_and_a_moderator(rec, other_participant, drafter, moderator):
    comment = services.post_comment(rec, actor=other_participant, body="Hm.")
    with pytest.raises(PermissionDenied):
        services.hide_comment(comment, actor=drafter, reason="I dislike it")
    with pytest.raises(ValidationError):
        services.hide_comment(comment, actor=moderator, reason="")
    comment.refresh_from_db()
    assert not comment.hidden


def test_hiding_twice_or_restoring_a_visible_comment_conflicts(rec, other_participant, moderator):
    comment = services.post_comment(rec, actor=other_participant, body="Hm.")
    with pytest.raises(Conflict):
        services.restore_comment(comment, actor=moderator)
    services.hide_comment(comment, actor=moderator, reason="Spam")
    with pytest.raises(Conflict):
        services.hide_comment(comment, actor=moderator, reason="Spam")
    services.restore_comment(comment, actor=moderator)
    comment.refresh_from_db()
    assert not comment.hidden and comment.hidden_reason == ""


def test_reports_go_to_the_queue_and_close_when_hidden(
    rec, drafter, observer, other_participant, moderator
):
    comment = services.post_comment(rec, actor=other_participant, body="Spam spam.")
    services.report_comment(comment, actor=drafter, reason="Spam")
    services.report_comment(comment, actor=observer, reason="Advertising")
    services.post_comment(rec, actor=drafter, body="Not reported.")
    assert list(Comment.objects.reported()) == [comment]
    services.hide_comment(comment, actor=moderator, reason="Spam")
    assert not Comment.objects.reported().exists()
    assert set(CommentReport.objects.values_list("outcome", flat=True)) == {"hidden"}


def test_reporting_twice_own_comment_or_without_reason_is_refused(rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Spam.")
    with pytest.raises(PermissionDenied):
        services.report_comment(comment, actor=other_participant, reason="Mine")
    with pytest.raises(ValidationError):
        services.report_comment(comment, actor=drafter, reason="")
    services.report_comment(comment, actor=drafter, reason="Spam")
    with pytest.raises(Conflict):
        services.report_comment(comment, actor=drafter, reason="Spam again")
    assert CommentReport.objects.count() == 1


def test_reports_do_not_appear_in_the_public_activity(rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Spam.")
    services.report_comment(comment, actor=drafter, reason="Spam")
    assert not rec.activities.filter(verb="comment_reported").exists()
    assert Activity.objects.filter(verb="comment_reported", recommendation=None).exists()


def test_dismissing_reports_keeps_the_comment(rec, drafter, other_participant, moderator):
    comment = services.post_comment(rec, actor=other_participant, body="Fine really.")
    services.report_comment(comment, actor=drafter, reason="Spam")
    with pytest.raises(PermissionDenied):
        services.dismiss_reports(comment, actor=drafter)
    assert services.dismiss_reports(comment, actor=moderator) == 1
    with pytest.raises(Conflict):
        services.dismiss_reports(comment, actor=moderator)
    comment.refresh_from_db()
    assert not comment.hidden


# --- activity and live events ----------------------------------------------------------------
def test_every_write_leaves_a_readable_activity(rec, drafter, other_participant, moderator):
    comment = services.post_comment(rec, actor=other_participant, body="One.")
    services.post_comment(rec, actor=drafter, body="Two.", parent=comment)
    services.edit_comment(comment, actor=other_participant, body="One!")
    services.resolve_comment(comment, actor=drafter)
    services.reopen_comment(comment, actor=drafter)
    services.respond_to_comment(comment, actor=drafter, status="accepted", reason="Yes")
    services.hide_comment(comment, actor=moderator, reason="Oops")
    services.restore_comment(comment, actor=moderator)
    sentences = [a.describe() for a in rec.activities.order_by("pk")]
    assert "Tunis commented on version 1" in sentences
    assert "Lisbon replied to a comment" in sentences
    assert "Tunis edited a comment" in sentences
    assert "Lisbon resolved a comment thread" in sentences
    assert "Lisbon reopened a comment thread" in sentences
    assert "Lisbon responded to a comment on version 1" in sentences
    assert not [s for s in sentences if "changed this" in s]


def test_events_carry_only_public_fields_and_never_hidden_text(rec, other_participant, moderator):
    comment = services.post_comment(rec, actor=other_participant, body="Secret insult.")
    services.hide_comment(comment, actor=moderator, reason="Insult")
    created, hidden = Event.objects.filter(type__startswith="comment.").order_by("seq")
    assert created.type == "comment.created" and created.data["action"] == "created"
    assert created.data["comment"]["body"] == "Secret insult."
    assert hidden.type == "comment.updated" and hidden.data["action"] == "hidden"
    payload = hidden.data["comment"]
    assert payload["hidden"] is True
    assert payload["body"] == payload["body_html"] == payload["hidden_reason"] == ""
    assert "Insult" not in str(hidden.data) and "Secret" not in str(hidden.data)


def test_replayed_events_lose_the_text_of_comments_hidden_since(
    rec, other_participant, drafter, moderator
):
    comment = services.post_comment(rec, actor=other_participant, body="Secret insult.")
    services.hide_comment(comment, actor=moderator, reason="Insult")
    messages = [e.as_message() for e in Event.objects.filter(type="comment.created")]
    for_drafter = redact_hidden_comments(drafter, rec, messages)
    assert for_drafter[0]["data"]["comment"]["body"] == ""
    assert messages[0]["data"]["comment"]["body"] == "Secret insult."  # not changed in place
    assert redact_hidden_comments(other_participant, rec, messages)[0]["data"]["comment"]["body"]
    assert redact_hidden_comments(moderator, rec, messages)[0]["data"]["comment"]["body"]


def test_events_are_sent_only_after_commit(
    rec, other_participant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.post_comment(rec, actor=other_participant, body="Hello.")
    # Both wait for the commit: the live event, and the activity's listeners (notifications).
    assert sorted(c.__qualname__.split(".")[0] for c in callbacks) == [
        "_announce",
        "send_event_on_commit",
    ]


def test_a_refused_write_leaves_no_event_or_activity(rec, observer, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Hello.")
    before = (Event.objects.count(), Activity.objects.count())
    with pytest.raises(PermissionDenied):
        services.resolve_comment(comment, actor=observer)
    assert (Event.objects.count(), Activity.objects.count()) == before


def test_comment_author_organisation_is_kept_when_membership_changes(rec, lead_org):
    from accounts.services import remove_membership

    person = member_of(lead_org, "leaver")
    comment = services.post_comment(rec, actor=person, body="From Lisbon.")
    remove_membership(person, lead_org, actor=None)
    comment.refresh_from_db()
    assert comment.organisation == lead_org
