"""A deadline within a day that a person has not acted on is mailed at once, even to those who
read the rest in the daily digest (notifications/urgent.py), never to whoever chose "never",
and never twice."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications import urgent
from notifications.kinds import Channel
from notifications.models import Notification, Preferences
from publication.services import endorsements
from recommendations import services as recs
from tests.conference.helpers import make_conference
from tests.factories import make_recommendation
from tests.mailserver import run_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(representative, other_representative):
    """Two representatives who read endorsement requests in the daily digest."""
    for user in (representative, other_representative):
        user.email = f"{user.username}@example.org"
        user.save()
        Preferences.objects.update_or_create(
            user=user, defaults={"channels": {"endorse": Channel.DIGEST}}
        )
    return representative, other_representative


def _set_deadline(conference, secretariat, within: timedelta):
    from conference import services

    return services.set_deadlines(
        conference,
        actor=secretariat,
        drafting_closes_at=conference.drafting_closes_at,
        endorsement_closes_at=timezone.now() + within,
    )


def test_approved_within_a_day_of_the_deadline_a_digest_reader_is_mailed_at_once(
    act, smtp, readers, drafter, moderator, secretariat
):
    make_conference(secretariat, drafting_in=timedelta(hours=1), endorsement_in=timedelta(hours=12))
    rec = make_recommendation(drafter, status="in_review")
    act(recs.approve_version, rec, version=rec.version, actor=moderator)
    run_tasks()
    for reader in readers:
        assert Notification.objects.get(recipient=reader, kind="endorse").channel == (
            Channel.IMMEDIATE
        )
        [message] = smtp.to(reader.email)
        assert rec.title in str(message["Subject"]) + message.as_string()


def test_with_the_deadline_far_away_the_digest_reader_waits_for_the_digest(
    act, smtp, readers, drafter, moderator, secretariat
):
    make_conference(secretariat, drafting_in=timedelta(days=2), endorsement_in=timedelta(days=5))
    rec = make_recommendation(drafter, status="in_review")
    act(recs.approve_version, rec, version=rec.version, actor=moderator)
    run_tasks()
    assert smtp.to(readers[0].email) == [] and smtp.to(readers[1].email) == []
    assert urgent.waiting() == []  # nothing urgent yet: the hourly run sends nothing


def test_once_the_deadline_comes_within_a_day_only_who_has_not_endorsed_is_mailed_once(
    act, smtp, readers, drafter, moderator, secretariat
):
    representative, other_representative = readers
    conference = make_conference(
        secretariat, drafting_in=timedelta(hours=1), endorsement_in=timedelta(days=5)
    )
    rec = make_recommendation(drafter, status="in_review")
    act(recs.approve_version, rec, version=rec.version, actor=moderator)
    rec.refresh_from_db()
    endorsements.endorse(
        rec,
        organisation=other_representative.memberships.get().organisation,
        actor=other_representative,
    )
    conference.refresh_from_db()
    _set_deadline(conference, secretariat, timedelta(hours=20))

    assert act(urgent.send_urgent) == 1  # the hourly run (send_digests) starts with it
    run_tasks()
    assert len(smtp.to(representative.email)) == 1  # has not acted: told at once
    assert smtp.to(other_representative.email) == []  # endorsed already: not bothered
    assert Notification.objects.get(recipient=representative, kind="endorse").mail == "sent"

    out = io.StringIO()
    act(call_command, "send_digests", stdout=out)  # safe to run twice
    run_tasks()
    assert out.getvalue().startswith("0 e-mail(s) for a deadline within a day")
    assert len(smtp.to(representative.email)) == 1


def test_whoever_chose_never_is_not_mailed_even_when_the_deadline_is_close(
    act, smtp, readers, drafter, moderator, secretariat
):
    representative, _other = readers
    Preferences.objects.filter(user=representative).update(channels={"endorse": Channel.NEVER})
    make_conference(secretariat, drafting_in=timedelta(hours=1), endorsement_in=timedelta(hours=6))
    rec = make_recommendation(drafter, status="in_review")
    act(recs.approve_version, rec, version=rec.version, actor=moderator)
    act(urgent.send_urgent)
    run_tasks()
    assert smtp.to(representative.email) == []
    assert Notification.objects.get(recipient=representative, kind="endorse").channel == (
        Channel.NEVER
    )


def test_a_deadline_already_closed_is_not_urgent(secretariat):
    make_conference(secretariat, drafting_in=-timedelta(days=2), endorsement_in=-timedelta(hours=1))
    assert not urgent.closes_soon("endorse")
    assert not urgent.closes_soon("comment")  # a kind without a deadline


def test_a_text_no_longer_approved_is_not_urgent(
    act, smtp, readers, drafter, moderator, secretariat
):
    conference = make_conference(
        secretariat, drafting_in=timedelta(hours=1), endorsement_in=timedelta(days=5)
    )
    rec = make_recommendation(drafter, status="in_review")
    act(recs.approve_version, rec, version=rec.version, actor=moderator)
    rec.refresh_from_db()
    act(recs.withdraw_recommendation, rec, actor=drafter, reason="Merged into another text")
    conference.refresh_from_db()
    _set_deadline(conference, secretariat, timedelta(hours=20))
    assert urgent.waiting() == []  # nothing left to endorse: no e-mail about it
