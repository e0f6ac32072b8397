"""E-mail through a real SMTP server: the immediate message, the digest, retries when the
server is down, nothing sent twice, nothing to the deactivated or about what is hidden."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from accounts.services import set_active
from comments import services as comments
from notifications import delivery, services
from notifications.digests import send_digests
from notifications.kinds import Channel
from notifications.models import Notification, OutgoingMail
from recommendations import services as recs
from tests.factories import make_recommendation
from tests.mailserver import html_of, run_tasks, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(drafter, other_participant, observer):
    for user, language in ((drafter, "fr"), (other_participant, "en"), (observer, "ar")):
        user.email = f"{user.username}@example.org"
        user.language = language
        user.save()
    return drafter, other_participant, observer


def test_an_immediate_message_reaches_the_smtp_server_in_the_readers_language(act, smtp, people):
    drafter, other, _observer = people
    rec = make_recommendation(drafter, status="in_review")
    parent = comments.post_comment(rec, actor=drafter, body="Une question ?")
    act(comments.post_comment, rec, actor=other, body="A reply with *details*.", parent=parent.pk)
    assert smtp.messages == []  # nothing is sent on the request path
    run_tasks()
    [message] = smtp.to(drafter.email)
    text = text_of(message)
    assert "a répondu à votre commentaire" in text  # French, as the drafter chose
    assert "A reply with *details*." in text
    reply = Notification.objects.get(recipient=drafter)
    assert (
        f"/recommendations/{rec.pk}/?comment={reply.comment_id}#comment-{reply.comment_id}" in text
    )
    assert "<a href=" in html_of(message)
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http") and "/notifications/unsubscribe/" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert OutgoingMail.objects.get(to=drafter.email).state == OutgoingMail.State.SENT


def test_smtp_down_the_save_works_the_send_is_retried_and_delivered_when_back(act, smtp, people):
    drafter, other, _observer = people
    rec = make_recommendation(drafter, status="in_review")
    parent = comments.post_comment(rec, actor=drafter, body="Q")
    smtp.stop()
    comment = act(comments.post_comment, rec, actor=other, body="Saved anyway", parent=parent.pk)
    assert comment.pk
    run_tasks()
    mail = OutgoingMail.objects.get(to=drafter.email)
    assert (mail.state, mail.attempts) == (OutgoingMail.State.PENDING, 1)
    assert mail.last_error and mail.next_attempt_at > timezone.now()
    smtp.start()
    assert run_tasks() == 0  # the retry waits for its back-off
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_tasks()
    mail.refresh_from_db()
    assert (mail.state, mail.attempts) == (OutgoingMail.State.SENT, 2)
    assert len(smtp.to(drafter.email)) == 1


def test_nothing_is_sent_twice(act, smtp, people):
    drafter, other, _observer = people
    rec = make_recommendation(drafter, status="in_review")
    parent = comments.post_comment(rec, actor=drafter, body="Q")
    act(comments.post_comment, rec, actor=other, body="R", parent=parent.pk)
    run_tasks()
    mail = OutgoingMail.objects.get()
    assert delivery.deliver(mail.pk) == OutgoingMail.State.SENT  # a second task: no resend
    from notifications.tasks import mail_notifications

    mail_notifications.call([n.pk for n in Notification.objects.all()])
    run_tasks()
    assert len(smtp.messages) == 1


def test_a_crashed_send_is_sent_again_by_the_sweep(smtp, people):
    drafter = people[0]
    mail = OutgoingMail.objects.create(
        key="k:1", to=drafter.email, user=drafter, subject="S", text="T"
    )
    OutgoingMail.objects.filter(pk=mail.pk).update(
        state=OutgoingMail.State.SENDING, next_attempt_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert delivery.retry_stalled() == 1
    run_tasks()
    assert len(smtp.messages) == 1


def test_no_e_mail_to_a_deactivated_person(act, smtp, people):
    drafter, other, _observer = people
    rec = make_recommendation(drafter, status="in_review")
    parent = comments.post_comment(rec, actor=drafter, body="Q")
    act(comments.post_comment, rec, actor=other, body="R", parent=parent.pk)
    set_active(drafter, False, actor=None)
    run_tasks()
    assert smtp.messages == []


def test_no_e_mail_about_a_comment_hidden_before_sending(act, smtp, people, moderator):
    drafter, other, _observer = people
    rec = make_recommendation(drafter, status="in_review")
    parent = comments.post_comment(rec, actor=drafter, body="Q")
    reply = act(comments.post_comment, rec, actor=other, body="Insult", parent=parent.pk)
    comments.hide_comment(reply, actor=moderator, reason="Insult")
    run_tasks()
    assert smtp.messages == []
    assert Notification.objects.get(recipient=drafter).mail == Notification.Mail.LEFT_OUT


def _digest_time(user, hour=8) -> dt.datetime:
    zone = zoneinfo.ZoneInfo(user.time_zone or "Asia/Beirut")
    return dt.datetime.combine(timezone.localdate() + dt.timedelta(days=1), dt.time(hour, 5), zone)


def test_the_digest_groups_by_recommendation_newest_first_in_the_readers_language(
    act, smtp, people, lead_org, moderator
):
    drafter, other, observer = people
    first = make_recommendation(drafter, status="in_review", title="Welcome points")
    second = make_recommendation(drafter, status="in_review", title="Housing first")
    act(comments.post_comment, first, actor=other, body="Oldest comment")
    act(comments.post_comment, second, actor=observer, body="Middle comment")
    hidden = act(comments.post_comment, first, actor=observer, body="Newest comment")
    act(comments.post_comment, first, actor=other, body="Spam to hide")
    spam = Notification.objects.filter(recipient=drafter).latest("pk").comment
    comments.hide_comment(spam, actor=moderator, reason="Spam")
    run_tasks()
    assert smtp.messages == []  # comments wait for the digest
    assert act(send_digests, now=_digest_time(drafter, hour=7)) == 0  # before the person's hour
    assert act(send_digests, now=_digest_time(drafter)) == 2  # the drafter, and "other" who follows
    run_tasks()
    [digest] = smtp.to(drafter.email)
    text = text_of(digest)
    assert "Votre résumé MC2CM" in str(digest["Subject"]) or "résumé" in str(digest["Subject"])
    assert text.index("Welcome points") < text.index("Housing first")  # newest group first
    assert text.index("Newest comment") < text.index("Oldest comment")  # newest first in it
    assert "Middle comment" in text
    assert "Spam to hide" not in text
    assert "1 " in text and "ne pouvez plus" in text  # one left out, counted, never shown
    assert hidden.pk
    # safe to run twice: no second digest today, and nothing is left waiting
    assert act(send_digests, now=_digest_time(drafter)) == 0
    run_tasks()
    assert len(smtp.to(drafter.email)) == 1
    assert not Notification.objects.filter(
        recipient=drafter, mail=Notification.Mail.PENDING
    ).exists()


def test_an_empty_digest_is_never_sent(act, smtp, people):
    assert act(send_digests, now=_digest_time(people[0])) == 0
    run_tasks()
    assert smtp.messages == []


def test_choosing_never_sends_no_mail_but_keeps_the_bell(act, smtp, people):
    drafter, other, _observer = people
    services.set_preferences(actor=drafter, channels={"reply": Channel.NEVER})
    rec = make_recommendation(drafter, status="in_review")
    parent = comments.post_comment(rec, actor=drafter, body="Q")
    act(comments.post_comment, rec, actor=other, body="R", parent=parent.pk)
    run_tasks()
    assert smtp.messages == []
    assert Notification.objects.filter(recipient=drafter, kind="reply").exists()


def test_choosing_immediate_for_status_changes(act, smtp, people, moderator):
    drafter = people[0]
    services.set_preferences(actor=drafter, channels={"status": Channel.IMMEDIATE})
    rec = make_recommendation(drafter, status="in_review")
    act(recs.reject_recommendation, rec, reason="Hors sujet", actor=moderator)
    run_tasks()
    [message] = smtp.to(drafter.email)
    assert "Hors sujet" in text_of(message)
