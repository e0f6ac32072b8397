"""Irreversible steps ask first (issue 13): the confirmation page without JavaScript, the same
question for the dialog, and nothing taken until confirmed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from recommendations.models import Status
from tests.factories import make_recommendation

pytestmark = pytest.mark.django_db


def page(client, user, name, rec, **query):
    client.force_login(user)
    return client.get(reverse(f"recommendations:{name}", args=[rec.pk]), query)


def test_approve_asks_naming_the_exact_version_and_takes_nothing_until_confirmed(
    client, drafter, moderator
):
    rec = make_recommendation(drafter, status="in_review", versions=3)
    url = reverse("recommendations:approve", args=[rec.pk])
    client.force_login(moderator)

    asked = client.post(url, {"confirm": "ask", "version": "2"})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert "Approve version 2?" in html
    assert "endorse exactly version 2 of" in html
    assert 'name="confirm"' not in html  # the page's own form confirms
    rec.refresh_from_db()
    assert (rec.status, rec.approved_version) == (Status.IN_REVIEW, None)

    done = client.post(url, {"version": "2"})
    assert done.status_code == 302
    rec.refresh_from_db()
    assert (rec.status, rec.approved_version) == (Status.APPROVED, 2)


def test_the_confirmation_page_has_its_own_address(client, drafter, moderator):
    rec = make_recommendation(drafter, status="in_review", versions=2)
    response = page(client, moderator, "approve", rec, version="1")
    assert response.status_code == 200
    assert "Approve version 1?" in response.content.decode()
    # A version that does not exist is not named: the latest is proposed instead.
    assert (
        "Approve version 2?"
        in page(client, moderator, "approve", rec, version="9").content.decode()
    )
    assert (
        "Approve version 2?"
        in page(client, moderator, "approve", rec, version="x").content.decode()
    )


@pytest.mark.parametrize(
    ("name", "status", "who", "words"),
    [
        ("submit", "draft", "drafter", "Submit version 1 for review?"),
        ("withdraw", "draft", "drafter", "Withdraw “Welcome points”?"),
        ("reject", "in_review", "moderator", "Reject “Welcome points”?"),
        ("finalise", "approved", "secretariat", "Finalise version 1?"),
    ],
)
def test_each_step_asks_its_own_question(
    client, drafter, moderator, secretariat, name, status, who, words
):
    rec = make_recommendation(drafter, status=status, moderator=moderator)
    person = {"drafter": drafter, "moderator": moderator, "secretariat": secretariat}[who]
    response = page(client, person, name, rec)
    assert response.status_code == 200
    assert words in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == status


def test_someone_who_may_not_take_the_step_gets_403_not_the_question(
    client, drafter, other_participant, moderator
):
    rec = make_recommendation(drafter, status="in_review")
    assert page(client, drafter, "approve", rec).status_code == 403
    assert page(client, other_participant, "withdraw", rec).status_code == 403
    approved = make_recommendation(drafter, status="approved", moderator=moderator)
    assert page(client, moderator, "submit", approved).status_code == 403


def test_a_reason_is_still_required_after_confirming(client, drafter, moderator):
    rec = make_recommendation(drafter, status="in_review")
    client.force_login(moderator)
    url = reverse("recommendations:reject", args=[rec.pk])
    asked = client.post(url, {"confirm": "ask", "reason": "Out of scope"})
    assert "Out of scope" in asked.content.decode()  # kept in the confirmation's form
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    rec.refresh_from_db()
    assert rec.status == Status.IN_REVIEW
    client.post(url, {"reason": "Out of scope"})
    rec.refresh_from_db()
    assert (rec.status, rec.reason) == (Status.REJECTED, "Out of scope")


def test_the_page_gives_the_dialog_the_same_question(client, drafter, moderator):
    rec = make_recommendation(drafter, status="in_review", versions=2)
    client.force_login(moderator)
    html = client.get(rec.get_absolute_url()).content.decode()
    assert 'data-confirm-title="Approve version {version}?"' in html
    assert 'name="confirm" value="ask"' in html
    # Reject is behind a disclosure, never open beside Approve.
    assert "<details><summary>Reject</summary>" in html


def test_anonymous_visitors_are_sent_to_log_in(client, drafter):
    rec = make_recommendation(drafter, status="in_review")
    response = client.get(reverse("recommendations:approve", args=[rec.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
