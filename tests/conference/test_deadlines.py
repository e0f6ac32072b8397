"""Deadlines: recommendations and publication ask core.rules by name; the conference answers.
After a deadline the services refuse (409, a clear message), the pages show "closed on" where
the form was; before it they show how long is left; the secretariat can extend it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conference import services as conference_services
from core import rules
from core.errors import Conflict
from publication import services as publication
from publication.models import Endorsement
from recommendations import services
from recommendations.models import Recommendation
from tests.factories import ThemeFactory, make_recommendation
from tests.matrix import API, PAGE, Request, client_for, send
from tests.publication.helpers import approved

from .helpers import close, make_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference(secretariat):
    return make_conference(
        secretariat, drafting_in=timedelta(days=10), endorsement_in=timedelta(days=20)
    )


def test_without_a_registered_rule_nothing_is_checked():
    saved = rules.registry.items()
    try:
        for key, _entry in saved:
            rules.registry.unregister(key)
        rules.check("endorsement", recommendation=None, actor=None)
        assert rules.deadline("endorsement") is None
    finally:
        for key, entry in saved:
            rules.registry.register(key, entry)


def test_an_unknown_rule_name_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown rule"):
        rules.check("voting")


def test_endorsing_after_the_deadline_is_refused_with_the_date_and_nothing_saved(
    conference, secretariat, drafter, moderator, representative, lead_org
):
    rec = approved(drafter, moderator)
    close(conference, secretariat, "endorsement")
    with pytest.raises(Conflict, match="Endorsement closed on") as caught:
        publication.endorse(rec, organisation=lead_org, actor=representative)
    assert "(Asia/Beirut)" in caught.value.message
    assert "secretariat can extend" in caught.value.message
    assert not Endorsement.objects.exists()


def test_the_api_answers_409_with_the_message_after_the_endorsement_deadline(
    conference, secretariat, drafter, moderator, representative, lead_org
):
    rec = approved(drafter, moderator)
    close(conference, secretariat, "endorsement")
    response = send(
        client_for(representative),
        API,
        "post",
        Request(reverse("pub-api-endorsements", args=[rec.pk]), {"organisation": "lisbon"}),
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Endorsement closed on")
    assert not Endorsement.objects.exists()


def test_extending_the_deadline_reopens_endorsing(
    conference, secretariat, drafter, moderator, representative, lead_org
):
    rec = approved(drafter, moderator)
    conference = close(conference, secretariat, "endorsement")
    conference_services.set_deadlines(
        conference,
        actor=secretariat,
        drafting_closes_at=conference.drafting_closes_at,
        endorsement_closes_at=conference.drafting_closes_at + timedelta(days=3),
    )
    publication.endorse(rec, organisation=lead_org, actor=representative)
    assert Endorsement.objects.live().count() == 1


def test_the_page_shows_closed_where_the_endorsement_form_was(
    conference, secretariat, drafter, moderator, representative
):
    rec = approved(drafter, moderator)
    page = client_for(representative).get(rec.get_absolute_url()).content.decode()
    assert 'data-deadline="endorsement" data-state="open"' in page
    assert "Endorsement closes in" in page
    assert reverse("publication:endorse", args=[rec.pk]) in page
    close(conference, secretariat, "endorsement")
    page = client_for(representative).get(rec.get_absolute_url()).content.decode()
    assert 'data-deadline="endorsement" data-state="closed"' in page
    assert "Endorsement closed on" in page
    assert reverse("publication:endorse", args=[rec.pk]) not in page


def test_drafting_after_the_deadline_is_refused_everywhere(
    conference, secretariat, drafter, moderator
):
    rec = make_recommendation(drafter, title="Before the deadline")
    close(conference, secretariat, "drafting")
    with pytest.raises(Conflict, match="Drafting closed on"):
        services.create_recommendation(
            actor=drafter,
            title="Too late",
            theme=ThemeFactory(slug="late"),
            addressed_to=["city"],
            body="Text.",
        )
    with pytest.raises(Conflict, match="Drafting closed on"):
        services.edit_recommendation(rec, actor=drafter, base_version=1, body="Changed.")
    with pytest.raises(Conflict, match="Drafting closed on"):
        services.submit_for_review(rec, actor=drafter)
    rec.refresh_from_db()
    assert (rec.version, rec.status) == (1, "draft")
    assert not Recommendation.objects.filter(title="Too late").exists()
    page = client_for(drafter).get(reverse("recommendations:edit", args=[rec.pk]))
    assert "Drafting closed on" in page.content.decode()
    assert 'data-js="editor-form"' not in page.content.decode()


def test_a_stranger_is_told_403_before_any_deadline(
    conference, secretariat, drafter, other_participant
):
    rec = make_recommendation(drafter)
    close(conference, secretariat, "drafting")
    with pytest.raises(PermissionDenied):
        services.edit_recommendation(rec, actor=other_participant, base_version=1, body="X")


def test_deadlines_in_the_wrong_order_are_refused_and_nothing_saved(conference, secretariat):
    before = (conference.drafting_closes_at, conference.endorsement_closes_at)
    with pytest.raises(ValidationError) as caught:
        conference_services.set_deadlines(
            conference,
            actor=secretariat,
            drafting_closes_at=before[1],
            endorsement_closes_at=before[0],
        )
    assert "endorsement_closes_at" in caught.value.message_dict
    conference.refresh_from_db()
    assert (conference.drafting_closes_at, conference.endorsement_closes_at) == before


@pytest.mark.parametrize("role", ["drafter", "representative", "moderator", "observer"])
def test_only_the_secretariat_sets_deadlines(conference, request, role):
    with pytest.raises(PermissionDenied):
        conference_services.set_deadlines(
            conference,
            actor=request.getfixturevalue(role),
            drafting_closes_at=None,
            endorsement_closes_at=None,
        )


def test_the_secretariat_sets_the_deadline_on_the_page_in_beirut_time(conference, secretariat):
    client = client_for(secretariat)
    response = send(
        client,
        PAGE,
        "post",
        Request(
            reverse("conference:detail"),
            {"drafting_closes_at": "2030-01-10T18:00", "endorsement_closes_at": "2030-01-20T18:00"},
        ),
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    # 18:00 in Beirut (UTC+2 in January) is 16:00 UTC.
    assert conference.drafting_closes_at.isoformat() == "2030-01-10T16:00:00+00:00"
    bad = send(
        client,
        PAGE,
        "post",
        Request(
            reverse("conference:detail"),
            {"drafting_closes_at": "2030-01-20T18:00", "endorsement_closes_at": "2030-01-10T18:00"},
        ),
    )
    assert bad.status_code == 400
    assert "Endorsement cannot close before drafting closes" in bad.content.decode()


@pytest.mark.parametrize("role", ["drafter", "moderator", None])
def test_others_cannot_post_deadlines(conference, request, role):
    user = request.getfixturevalue(role) if role else None
    response = send(
        client_for(user),
        PAGE,
        "post",
        Request(reverse("conference:detail"), {"drafting_closes_at": "2030-01-10T18:00"}),
    )
    assert response.status_code == 403
    conference.refresh_from_db()
    assert conference.drafting_closes_at.year != 2030


def test_the_reader_sees_the_deadline_in_their_own_zone_too(conference, drafter):
    drafter.time_zone = "Europe/Lisbon"
    drafter.save(update_fields=["time_zone"])
    page = client_for(drafter).get(reverse("conference:detail")).content.decode()
    assert "(Asia/Beirut)" in page
    assert "your time (Europe/Lisbon)" in page
    anonymous = Client().get(reverse("conference:detail")).content.decode()
    assert "(Asia/Beirut)" in anonymous and "your time" not in anonymous
