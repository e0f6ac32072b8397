"""Pages: the notifications list and the bell at a fixed cost, marking read without script,
the moderation queue's count in the menu, the home page, one-click unsubscribe links,
invitation links and the password reset, forged or reused."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import invitations
from accounts.models import Invitation, Membership, User
from comments import services as comments
from notifications import delivery
from notifications.kinds import Channel
from notifications.models import Notification, OutgoingMail, Preferences
from recommendations import services as recs
from tests.factories import make_recommendation
from tests.mailserver import run_tasks, text_of
from tests.notifications.helpers import fill_notifications

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url", ["/notifications/", "/notifications/?show=unread", "/recommendations/"]
)
def test_the_page_and_the_bell_cost_the_same_for_10_and_1000_notifications(
    drafter, other_participant, url
):
    rec = make_recommendation(drafter, status="in_review")
    comment = comments.post_comment(rec, actor=other_participant, body="Hello")
    client = client_for(drafter)
    fill_notifications(drafter, rec, comment, 10)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        page = client.get(url)
    assert b'data-js="bell-count">10<' in page.content
    fill_notifications(drafter, rec, comment, 990)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert b'data-js="bell-count">1000<' in page.content
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_home_page_counts_the_unread_and_the_reports_once(
    drafter, other_participant, moderator
):
    """The bell, the moderation badge and "Needs your attention" show the same two numbers:
    each is counted once per page."""
    rec = make_recommendation(drafter, status="in_review")
    comment = comments.post_comment(rec, actor=other_participant, body="Hello")
    comments.report_comment(comment, actor=drafter, reason="Off topic")
    fill_notifications(moderator, rec, comment, 3)
    client = client_for(moderator)
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/").content.decode()
    assert 'data-js="bell-count">' in page and "All 3 unread notifications" in page
    assert "1 reported comment to handle" in page
    sqls = [q["sql"] for q in queries.captured_queries]
    unread = [q for q in sqls if q.startswith('SELECT COUNT(*) AS "__count" FROM "notifications_')]
    reports = [q for q in sqls if q.startswith('SELECT COUNT(*) AS "__count" FROM "comments_')]
    assert len(unread) == 1, unread
    assert len(reports) == 1, reports


def test_marking_read_works_without_javascript_and_opens_the_place(act, drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    comment = act(comments.post_comment, rec, actor=other_participant, body="Hello")
    n = Notification.objects.get(recipient=drafter)
    client = client_for(drafter)
    page = client.get("/notifications/")
    assert str(other_participant) in page.content.decode()
    answer = client.post(f"/notifications/{n.pk}/read/", {"open": "1"})
    assert answer.status_code == 302
    assert (
        answer["Location"]
        == f"/recommendations/{rec.pk}/?comment={comment.pk}#comment-{comment.pk}"
    )
    n.refresh_from_db()
    assert n.read_at is not None
    assert client_for(other_participant).post(f"/notifications/{n.pk}/read/").status_code == 404
    assert (
        client.post("/notifications/read-all/", {"next": "https://evil.example/"})["Location"]
        == "/notifications/"
    )


def test_a_moderator_sees_the_report_count_in_the_menu(act, drafter, other_participant, moderator):
    rec = make_recommendation(drafter, status="in_review")
    comment = comments.post_comment(rec, actor=drafter, body="Text")
    comments.report_comment(comment, actor=other_participant, reason="Rude")
    page = client_for(moderator).get("/").content.decode()
    assert re.search(r'data-js="moderation-count">1<', page)
    assert 'data-js="moderation-link"' not in client_for(drafter).get("/").content.decode()


def test_a_representative_sees_an_approved_text_to_endorse_on_the_home_page(
    act, drafter, other_representative, moderator
):
    rec = make_recommendation(drafter, status="in_review", title="Language support")
    act(recs.approve_version, rec, version=rec.version, actor=moderator)
    page = client_for(other_representative).get("/").content.decode()
    section = page.split('data-js="to-endorse"')[1]
    assert "Language support" in section.split("</ul>")[0]
    assert 'data-js="bell-count">1<' in page


def test_the_preferences_page_saves_and_refuses_bad_values(observer):
    client = client_for(observer)
    assert client.get("/notifications/preferences/").status_code == 200
    data = {
        f"kind_{k}": "digest"
        for k in (
            "comment",
            "reply",
            "response",
            "mention",
            "status",
            "endorse",
            "reconfirm",
            "report",
            "finalise",
            "edition",
        )
    }
    assert (
        client.post("/notifications/preferences/", {**data, "digest_hour": "19"}).status_code == 302
    )
    pref = Preferences.objects.get(user=observer)
    assert pref.digest_hour == 19 and pref.channel_for("reply") == Channel.DIGEST
    assert (
        client.post(
            "/notifications/preferences/", {**data, "kind_reply": "hourly", "digest_hour": "19"}
        ).status_code
        == 400
    )


def test_one_click_unsubscribe_without_logging_in(observer):
    url = f"/notifications/unsubscribe/{delivery.unsubscribe_token(observer, 'reply')}/"
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.get(url).status_code == 200
    assert (
        Preferences.objects.filter(user=observer).count() == 0
    )  # a link checker's GET changes nothing
    done = anonymous.post(url)  # what a mail program's one-click POST sends: no CSRF token
    assert done.status_code == 200
    assert Preferences.objects.get(user=observer).channel_for("reply") == Channel.NEVER
    again = anonymous.post(url)
    assert again.status_code == 200 and "already" in again.content.decode()


def test_a_forged_or_expired_unsubscribe_link_changes_nothing(observer, settings):
    token = delivery.unsubscribe_token(observer, "reply")
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    for bad in (forged, "nonsense", signing.dumps({"u": observer.pk, "k": "reply"}, salt="other")):
        answer = Client().post(f"/notifications/unsubscribe/{bad}/")
        assert answer.status_code == 400 and "not valid" in answer.content.decode()
    assert Preferences.objects.filter(user=observer).count() == 0


def test_an_expired_unsubscribe_link_changes_nothing(observer, monkeypatch):
    import time

    url = f"/notifications/unsubscribe/{delivery.unsubscribe_token(observer, 'reply')}/"
    later = time.time() + 200 * 86400
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    answer = Client().post(url)
    assert answer.status_code == 400 and "expired" in answer.content.decode()
    assert Preferences.objects.filter(user=observer).count() == 0


# --- invitations -----------------------------------------------------------------------------
def _invite(representative, org, act, email="new.person@example.org", role="member"):
    return act(invitations.invite, org, email=email, role=role, actor=representative)


def _link_from(message) -> str:
    return re.search(r"https?://[^\s]+/accounts/invitation/[^\s/]+/", text_of(message)).group(0)


def test_an_invitation_e_mail_lets_a_new_person_join(act, smtp, representative, lead_org):
    _invite(representative, lead_org, act, role="representative")
    run_tasks()
    [message] = smtp.to("new.person@example.org")
    assert lead_org.name in str(message["Subject"])
    path = "/" + _link_from(message).split("/", 3)[3]
    client = Client()
    assert client.get(path).status_code == 200
    answer = client.post(
        path,
        {
            "username": "newperson",
            "display_name": "New Person",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert answer.status_code == 302 and answer["Location"] == "/"
    user = User.objects.get(username="newperson")
    assert user.email == "new.person@example.org"
    assert Membership.objects.get(user=user).role == "representative"
    assert lead_org.name in client.get("/").content.decode()  # signed in, in their organisation
    reused = Client().post(
        path,
        {
            "username": "other",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert reused.status_code == 400 and "already been used" in reused.content.decode()
    assert not User.objects.filter(username="other").exists()


def test_a_forged_revoked_or_expired_invitation_link_changes_nothing(act, representative, lead_org):
    invitation = _invite(representative, lead_org, act)
    token = invitations.token_for(invitation)
    form = {
        "username": "x",
        "password1": "a long pass phrase 42",
        "password2": "a long pass phrase 42",
    }
    forged = Client().post(f"/accounts/invitation/{token[:-2]}zz/", form)
    assert forged.status_code == 400 and "not valid" in forged.content.decode()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    expired = Client().post(f"/accounts/invitation/{token}/", form)
    assert expired.status_code == 400 and "expired" in expired.content.decode()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + dt.timedelta(days=1)
    )
    invitations.revoke(invitation, actor=representative)
    revoked = Client().post(f"/accounts/invitation/{token}/", form)
    assert revoked.status_code == 400 and "withdrawn" in revoked.content.decode()
    assert not User.objects.filter(username="x").exists()


def test_a_signed_in_person_joins_with_one_click(act, representative, lead_org, observer):
    invitation = _invite(representative, lead_org, act, email="someone@example.org")
    client = client_for(observer)
    answer = client.post(f"/accounts/invitation/{invitations.token_for(invitation)}/")
    assert answer.status_code == 302
    assert Membership.objects.filter(user=observer, organisation=lead_org).exists()


def test_the_invitation_page_of_a_representative(representative, lead_org, drafter):
    client = client_for(representative)
    assert client.get(f"/accounts/organisations/{lead_org.slug}/invitations/").status_code == 200
    answer = client.post(
        f"/accounts/organisations/{lead_org.slug}/invitations/", {"email": "bad", "role": "member"}
    )
    assert answer.status_code == 400
    assert (
        client_for(drafter).get(f"/accounts/organisations/{lead_org.slug}/invitations/").status_code
        == 403
    )


# --- password reset --------------------------------------------------------------------------
def test_password_reset_by_e_mail(smtp, drafter, settings):
    drafter.email = "drafter@example.org"
    drafter.language = "fr"
    drafter.save()
    client = Client()
    with_callbacks = client.post("/accounts/password/reset/", {"email": "drafter@example.org"})
    assert with_callbacks.status_code == 302
    mail = OutgoingMail.objects.get(to="drafter@example.org")
    delivery.deliver(mail.pk)
    [message] = smtp.to("drafter@example.org")
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", text_of(message)).group(0)
    path = "/" + link.split("/", 3)[3]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another long phrase 7", "new_password2": "another long phrase 7"},
    )
    assert done.status_code == 302
    drafter.refresh_from_db()
    assert drafter.check_password("another long phrase 7")


def test_password_reset_of_an_unknown_address_says_the_same_and_sends_nothing(smtp):
    answer = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert answer.status_code == 302
    assert not OutgoingMail.objects.exists()


def test_password_reset_is_throttled(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password-reset": "2/h"}
    from django.core.cache import cache

    cache.clear()
    client = Client()
    codes = [
        client.post("/accounts/password/reset/", {"email": "x@example.org"}).status_code
        for _ in range(3)
    ]
    assert codes == [302, 302, 429]
