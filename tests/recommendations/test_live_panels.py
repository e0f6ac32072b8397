"""The recommendation page's live panels (status, actions, support, versions, activity), as
the server renders them for one viewer: what a person may do is decided here, not by the
script that swaps them in."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import OrganisationFactory, make_recommendation, representative_of

pytestmark = pytest.mark.django_db

NAMES = {"status", "actions", "aside", "versions", "activity"}


def panels(client, rec):
    return client.get(reverse("recommendations:panels", args=[rec.pk]))


def test_the_panels_follow_the_recommendation_for_each_viewer(client, drafter, moderator):
    rec = make_recommendation(drafter, status="in_review", versions=2)
    tunis_rep = representative_of(OrganisationFactory(name="Tunis", slug="tunis"), "tunis-rep")

    client.force_login(moderator)
    data = panels(client, rec).json()
    assert set(data["panels"]) == NAMES
    assert (data["version"], data["seq"]) == (2, rec.last_event_seq)
    assert 'name="version"' in data["panels"]["actions"]  # the moderator may approve
    assert "In review" in data["panels"]["status"]

    client.force_login(tunis_rep)
    before = panels(client, rec).json()["panels"]
    assert 'name="version"' not in before["actions"]
    assert "Endorse version" not in before["aside"]

    from recommendations import services

    services.approve_version(rec, actor=moderator, version=2)
    after = panels(client, rec).json()["panels"]
    assert "Approved" in after["status"] and "approved version 2" in after["status"]
    assert "Endorse version 2 for Tunis" in after["aside"]
    assert "approved version 2" in after["activity"]
    assert "status-approved" in after["versions"]


def test_the_panels_are_as_private_as_the_page(client, drafter, other_participant, observer):
    draft = make_recommendation(drafter)  # a draft: only its drafting organisations see it
    for user in (other_participant, observer):
        client.force_login(user)
        assert panels(client, draft).status_code in (403, 404)
        assert panels(client, draft).status_code == client.get(draft.get_absolute_url()).status_code
    client.logout()
    response = panels(client, draft)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(drafter)
    assert client.get(reverse("recommendations:panels", args=[10**9])).status_code == 404


def test_the_panels_are_never_cached_and_refuse_other_methods(client, drafter):
    rec = make_recommendation(drafter)
    client.force_login(drafter)
    assert panels(client, rec)["Cache-Control"] == "no-store"
    assert client.post(reverse("recommendations:panels", args=[rec.pk])).status_code == 405


def test_the_panels_cost_the_same_queries_with_few_and_many_versions(client, drafter, moderator):
    small = make_recommendation(drafter, status="in_review", versions=2, title="small")
    big = make_recommendation(drafter, status="in_review", versions=25, title="big")
    client.force_login(moderator)
    panels(client, small)  # warm caches (content types, conference) as a page would be
    with CaptureQueriesContext(connection) as few:
        assert panels(client, small).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert panels(client, big).status_code == 200
    assert len(many) == len(few)
