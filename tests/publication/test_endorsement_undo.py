"""Without JavaScript, the message after withdrawing an endorsement offers "Endorse again"
(``core.undo``): the same version, with the same statement, through the endorse form; only
while endorsing is open and that version is still the approved one, and the endorse view
refuses it otherwise, whatever the form says."""

from __future__ import annotations

import pytest
from django.urls import reverse

from publication import services as publication
from publication.models import Endorsement
from tests.conference.helpers import close, make_conference
from tests.helpers import followed, undo_forms
from tests.publication.helpers import approve_latest, approved, new_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(drafter, moderator):
    return approved(drafter, moderator)


def _live(rec):
    return list(Endorsement.objects.live().filter(recommendation=rec))


def _withdraw(client, rec):
    return followed(
        client,
        client.post(reverse("publication:withdraw", args=[rec.pk]), {"organisation": "lisbon"}),
    )


def test_withdrawing_offers_endorse_again_on_the_same_version_with_the_statement(
    client, rec, representative, lead_org
):
    publication.endorse(
        rec, organisation=lead_org, statement="We support <this>.", actor=representative
    )
    client.force_login(representative)
    [undo] = undo_forms(_withdraw(client, rec))
    assert undo == {
        "message": "Lisbon no longer endorses this recommendation.",
        "action": reverse("publication:endorse", args=[rec.pk]),
        "label": "Endorse again",
        "fields": {"organisation": "lisbon", "statement": "We support <this>.", "version": "1"},
    }
    assert _live(rec) == []
    response = client.post(undo["action"], undo["fields"])
    assert response.status_code == 302 and response["Location"] == rec.get_absolute_url()
    [again] = _live(rec)
    assert (again.version, again.statement) == (1, "We support <this>.")
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "Lisbon endorses version 1." in page and undo_forms(page) == []


def test_the_undo_is_shown_once(client, rec, representative, lead_org):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    client.force_login(representative)
    assert len(undo_forms(_withdraw(client, rec))) == 1
    assert undo_forms(client.get(rec.get_absolute_url()).content.decode()) == []


def test_not_offered_when_a_newer_version_is_approved_and_refused_if_posted(
    client, rec, drafter, moderator, representative, lead_org
):
    publication.endorse(rec, organisation=lead_org, statement="Yes.", actor=representative)
    rec = approve_latest(new_version(rec, drafter), moderator)
    client.force_login(representative)
    page = _withdraw(client, rec)
    assert "Lisbon no longer endorses this recommendation." in page
    assert undo_forms(page) == [] and "Endorse again" not in page
    response = client.post(
        reverse("publication:endorse", args=[rec.pk]),
        {"organisation": "lisbon", "statement": "Yes.", "version": "1"},
    )
    assert response.status_code == 409
    assert "Version 1 is no longer the approved version" in response.content.decode()
    assert _live(rec) == []


def test_an_offered_undo_is_refused_once_a_newer_version_is_approved(
    client, rec, drafter, moderator, representative, lead_org
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    client.force_login(representative)
    [undo] = undo_forms(_withdraw(client, rec))
    approve_latest(new_version(rec, drafter), moderator)
    assert client.post(undo["action"], undo["fields"]).status_code == 409
    assert _live(rec) == []


def test_not_offered_once_endorsing_closed_and_refused_if_posted(
    client, rec, secretariat, representative, lead_org
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    close(make_conference(secretariat), secretariat, "endorsement")
    client.force_login(representative)
    page = _withdraw(client, rec)  # an organisation can always take its name back
    assert "Lisbon no longer endorses this recommendation." in page
    assert undo_forms(page) == []
    response = client.post(
        reverse("publication:endorse", args=[rec.pk]), {"organisation": "lisbon", "version": "1"}
    )
    assert response.status_code == 409 and "Endorsement closed on" in response.content.decode()
    assert _live(rec) == []


def test_not_offered_after_final(client, rec, secretariat, representative, lead_org):
    from recommendations import services

    publication.endorse(rec, organisation=lead_org, actor=representative)
    services.finalise_recommendation(rec, actor=secretariat)
    client.force_login(representative)
    assert undo_forms(_withdraw(client, rec)) == []


def test_the_endorse_view_checks_the_representative_whatever_the_form_says(
    client, rec, representative, lead_org, other_representative
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    client.force_login(representative)
    [undo] = undo_forms(_withdraw(client, rec))
    client.force_login(other_representative)  # Tunis's representative, posting Lisbon's undo
    assert client.post(undo["action"], undo["fields"]).status_code == 403
    assert _live(rec) == []


def test_a_named_version_that_is_not_a_number_is_refused(client, rec, representative):
    client.force_login(representative)
    response = client.post(
        reverse("publication:endorse", args=[rec.pk]), {"organisation": "lisbon", "version": "1x"}
    )
    assert response.status_code == 400 and _live(rec) == []
