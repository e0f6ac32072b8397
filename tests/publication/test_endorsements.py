"""Endorsements: who may endorse, on which version, once; withdrawing; re-confirming after a
newer approval. Services first, then the API and the pages."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import Activity
from publication import services as publication
from publication.models import Endorsement
from recommendations import services
from recommendations.models import Event
from tests.factories import make_recommendation, member_of
from tests.publication.helpers import approve_latest, approved, new_version, org_with_rep

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(drafter, moderator):
    return approved(drafter, moderator)


@pytest.fixture
def api():
    return APIClient()


def _live(rec):
    return list(Endorsement.objects.live().filter(recommendation=rec))


# --- services: who may endorse ---------------------------------------------------------------
def test_representative_endorses_the_approved_version_with_a_statement(rec, representative):
    lisbon = representative.memberships.get().organisation
    endorsement = publication.endorse(
        rec, organisation=lisbon, statement="  We support this.  ", actor=representative
    )
    assert (endorsement.version, endorsement.statement) == (1, "We support this.")
    assert endorsement.representative == representative and endorsement.is_live
    activity = Activity.objects.get(recommendation=rec, verb="endorsed")
    assert activity.organisation == lisbon and activity.describe() == "Lisbon endorsed version 1"
    event = Event.objects.filter(recommendation=rec).order_by("-seq").first()
    assert event.type == "endorsement.created"
    assert event.data == {
        "organisation": "lisbon",
        "name": "Lisbon",
        "kind": "city",
        "version": 1,
        "statement": "We support this.",
    }


def test_endorsing_for_another_organisation_is_refused(rec, representative, other_org):
    with pytest.raises(PermissionDenied, match="Only representatives of Tunis"):
        publication.endorse(rec, organisation=other_org, actor=representative)
    assert _live(rec) == []


def test_a_member_who_is_not_a_representative_cannot_endorse(rec, drafter, lead_org):
    with pytest.raises(PermissionDenied):
        publication.endorse(rec, organisation=lead_org, actor=drafter)
    assert _live(rec) == []


@pytest.mark.parametrize("role", ["observer", "moderator", "secretariat", "anonymous"])
def test_workspace_roles_and_the_public_cannot_endorse(rec, lead_org, request, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        publication.endorse(rec, organisation=lead_org, actor=user)
    assert _live(rec) == []


def test_a_deactivated_representative_cannot_endorse(rec, representative, lead_org):
    representative.is_active = False
    representative.save()
    with pytest.raises(PermissionDenied):
        publication.endorse(rec, organisation=lead_org, actor=representative)


def test_endorsing_twice_is_a_conflict_and_keeps_the_first(rec, representative, lead_org):
    publication.endorse(rec, organisation=lead_org, statement="First", actor=representative)
    with pytest.raises(services.Conflict, match="already endorses version 1"):
        publication.endorse(rec, organisation=lead_org, statement="Second", actor=representative)
    assert [e.statement for e in _live(rec)] == ["First"]
    assert Activity.objects.filter(recommendation=rec, verb="endorsed").count() == 1


@pytest.mark.parametrize("state", ["draft", "in_review", "rejected", "withdrawn"])
def test_endorsing_before_approval_or_after_refusal_is_a_conflict(
    drafter, moderator, representative, lead_org, state
):
    rec = make_recommendation(drafter, status=state, moderator=moderator)
    with pytest.raises(services.Conflict, match="Only an approved version"):
        publication.endorse(rec, organisation=lead_org, actor=representative)
    assert _live(rec) == []


def test_endorsing_after_final_is_a_conflict(drafter, moderator, secretariat, representative):
    rec = make_recommendation(drafter, status="final", moderator=moderator, secretariat=secretariat)
    with pytest.raises(services.Conflict):
        publication.endorse(
            rec, organisation=representative.memberships.get().organisation, actor=representative
        )
    assert _live(rec) == []


def test_a_too_long_statement_is_refused_with_the_field_named(rec, representative, lead_org):
    with pytest.raises(ValidationError) as exc:
        publication.endorse(rec, organisation=lead_org, statement="x" * 2001, actor=representative)
    assert "statement" in exc.value.message_dict


def test_the_database_allows_one_live_endorsement_per_organisation(rec, representative, lead_org):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(
            recommendation=rec, organisation=lead_org, representative=representative, version=1
        )


# --- withdrawing -----------------------------------------------------------------------------
def test_withdrawing_keeps_the_record_and_frees_the_place(rec, representative, lead_org):
    first = publication.endorse(rec, organisation=lead_org, actor=representative)
    withdrawn = publication.withdraw_endorsement(rec, organisation=lead_org, actor=representative)
    assert withdrawn.pk == first.pk and withdrawn.withdrawn_by == representative
    assert _live(rec) == []
    event = Event.objects.filter(recommendation=rec).order_by("-seq").first()
    assert (event.type, event.data["organisation"], event.data["version"]) == (
        "endorsement.withdrawn",
        "lisbon",
        1,
    )
    assert "Lisbon withdrew its endorsement of version 1" in [
        a.describe() for a in Activity.objects.filter(recommendation=rec)
    ]
    again = publication.endorse(rec, organisation=lead_org, actor=representative)
    assert Endorsement.objects.filter(recommendation=rec).count() == 2 and _live(rec) == [again]


def test_withdrawing_another_organisations_endorsement_is_refused(
    rec, representative, other_representative, lead_org
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    with pytest.raises(PermissionDenied):
        publication.withdraw_endorsement(rec, organisation=lead_org, actor=other_representative)
    assert len(_live(rec)) == 1


def test_a_member_cannot_withdraw_the_organisations_endorsement(
    rec, representative, drafter, lead_org
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    with pytest.raises(PermissionDenied):
        publication.withdraw_endorsement(rec, organisation=lead_org, actor=drafter)
    assert len(_live(rec)) == 1


def test_withdrawing_without_an_endorsement_is_a_conflict(rec, representative, lead_org):
    with pytest.raises(services.Conflict, match="does not endorse"):
        publication.withdraw_endorsement(rec, organisation=lead_org, actor=representative)


def test_an_organisation_can_take_its_name_back_after_final(
    rec, representative, lead_org, secretariat
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    services.finalise_recommendation(rec, actor=secretariat)
    publication.withdraw_endorsement(rec, organisation=lead_org, actor=representative)
    assert _live(rec) == []


# --- a newer approval and re-confirming ------------------------------------------------------
def test_a_newer_approval_keeps_old_endorsements_on_the_version_they_name(
    rec, drafter, moderator, representative, lead_org
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    rec = approve_latest(new_version(rec, drafter), moderator)
    assert rec.approved_version == 2
    assert [(e.organisation.slug, e.version) for e in _live(rec)] == [("lisbon", 1)]


def test_reconfirming_moves_the_endorsement_to_the_approved_version_in_one_action(
    rec, drafter, moderator, representative, lead_org
):
    old = publication.endorse(rec, organisation=lead_org, statement="Yes", actor=representative)
    rec = approve_latest(new_version(rec, drafter), moderator)
    seq = rec.last_event_seq
    new = publication.reconfirm_endorsement(rec, organisation=lead_org, actor=representative)
    assert (new.version, new.statement) == (2, "Yes")
    old.refresh_from_db()
    assert old.withdrawn_at is not None and old.version == 1
    assert _live(rec) == [new]
    events = list(Event.objects.filter(recommendation=rec, seq__gt=seq).order_by("seq"))
    assert [(e.type, e.data["version"]) for e in events] == [
        ("endorsement.withdrawn", 1),
        ("endorsement.created", 2),
    ]
    activity = Activity.objects.get(recommendation=rec, verb="reconfirmed")
    assert activity.describe() == (
        "Lisbon re-confirmed its endorsement on version 2 (it had endorsed version 1)"
    )


def test_reconfirming_an_endorsement_of_the_approved_version_is_a_conflict(
    rec, representative, lead_org
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    with pytest.raises(services.Conflict, match="already endorses the approved version"):
        publication.reconfirm_endorsement(rec, organisation=lead_org, actor=representative)


def test_reconfirming_without_an_endorsement_is_a_conflict(rec, representative, lead_org):
    with pytest.raises(services.Conflict, match="no endorsement to re-confirm"):
        publication.reconfirm_endorsement(rec, organisation=lead_org, actor=representative)


def test_reconfirming_for_another_organisation_is_refused(
    rec, drafter, moderator, representative, other_representative, lead_org
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    rec = approve_latest(new_version(rec, drafter), moderator)
    with pytest.raises(PermissionDenied):
        publication.reconfirm_endorsement(rec, organisation=lead_org, actor=other_representative)
    assert [e.version for e in _live(rec)] == [1]


def test_reconfirming_after_final_is_a_conflict(
    rec, drafter, moderator, secretariat, representative, lead_org
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    rec = approve_latest(new_version(rec, drafter), moderator)
    services.finalise_recommendation(rec, actor=secretariat)
    with pytest.raises(services.Conflict):
        publication.reconfirm_endorsement(rec, organisation=lead_org, actor=representative)
    assert [e.version for e in _live(rec)] == [1]


# --- API -------------------------------------------------------------------------------------
def _url(rec, slug=None):
    if slug:
        return reverse("pub-api-endorsement", args=[rec.pk, slug])
    return reverse("pub-api-endorsements", args=[rec.pk])


def test_api_post_endorses_and_answers_201_with_the_version(api, rec, representative):
    api.force_authenticate(representative)
    response = api.post(
        _url(rec), {"organisation": "lisbon", "statement": "Count us in."}, format="json"
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["version"], data["organisation"], data["kind"], data["current"]) == (
        1,
        "lisbon",
        "city",
        True,
    )
    assert data["statement"] == "Count us in." and data["withdrawn_at"] is None


def test_api_post_for_another_organisation_is_403(api, rec, representative, other_org):
    api.force_authenticate(representative)
    response = api.post(_url(rec), {"organisation": "tunis"}, format="json")
    assert response.status_code == 403 and "Tunis" in response.json()["detail"]
    assert _live(rec) == []


def test_api_post_twice_is_409(api, rec, representative):
    api.force_authenticate(representative)
    api.post(_url(rec), {"organisation": "lisbon"}, format="json")
    again = api.post(_url(rec), {"organisation": "lisbon"}, format="json")
    assert again.status_code == 409 and again.json()["version"] == 1


@pytest.mark.parametrize(
    "payload",
    [{}, {"organisation": "nowhere"}, {"organisation": "lisbon", "statement": "x" * 2001}],
)
def test_api_post_with_bad_input_is_400(api, rec, representative, payload):
    api.force_authenticate(representative)
    assert api.post(_url(rec), payload, format="json").status_code == 400
    assert _live(rec) == []


def test_api_before_approval_is_409_and_on_another_organisations_draft_404(
    api, drafter, moderator, other_representative
):
    in_review = make_recommendation(drafter, status="in_review", title="In review")
    draft = make_recommendation(drafter, title="Draft")
    api.force_authenticate(other_representative)
    assert api.post(_url(in_review), {"organisation": "tunis"}, format="json").status_code == 409
    assert api.post(_url(draft), {"organisation": "tunis"}, format="json").status_code == 404
    assert api.get(_url(draft)).status_code == 404


def test_api_get_lists_live_endorsements_naming_their_version(
    api, rec, drafter, moderator, representative, other_representative, lead_org, other_org
):
    publication.endorse(rec, organisation=lead_org, statement="Old", actor=representative)
    rec = approve_latest(new_version(rec, drafter), moderator)
    publication.endorse(rec, organisation=other_org, actor=other_representative)
    api.force_authenticate(member_of(other_org, "someone"))
    data = api.get(_url(rec)).json()
    assert [(d["organisation"], d["version"], d["current"]) for d in data] == [
        ("lisbon", 1, False),
        ("tunis", 2, True),
    ]


def test_api_anonymous_cannot_read_or_endorse(api, rec):
    assert api.get(_url(rec)).status_code in (401, 403)
    assert api.post(_url(rec), {"organisation": "lisbon"}, format="json").status_code in (401, 403)
    assert _live(rec) == []


def test_api_delete_withdraws_and_an_unknown_organisation_is_404(
    api, rec, representative, lead_org
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    api.force_authenticate(representative)
    assert api.delete(_url(rec, "nowhere")).status_code == 404
    response = api.delete(_url(rec, "lisbon"))
    assert response.status_code == 200 and response.json()["withdrawn_at"]
    assert api.delete(_url(rec, "lisbon")).status_code == 409


def test_api_delete_by_another_organisations_representative_is_403(
    api, rec, representative, other_representative, lead_org
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    api.force_authenticate(other_representative)
    assert api.delete(_url(rec, "lisbon")).status_code == 403
    assert len(_live(rec)) == 1


def test_api_reconfirm(api, rec, drafter, moderator, representative, lead_org):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    rec = approve_latest(new_version(rec, drafter), moderator)
    api.force_authenticate(representative)
    url = reverse("pub-api-reconfirm", args=[rec.pk, "lisbon"])
    response = api.post(url, {}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert api.post(url, {}, format="json").status_code == 409


# --- pages -----------------------------------------------------------------------------------
def test_detail_page_shows_support_by_kind_and_each_statement(
    client, rec, representative, lead_org, observer
):
    state, state_rep = org_with_rep("demo-state", "state", "Demo State")
    ngo, ngo_rep = org_with_rep("ngo", "civil_society", "Open Doors")
    publication.endorse(
        rec, organisation=lead_org, statement="Lisbon agrees.", actor=representative
    )
    publication.endorse(rec, organisation=state, actor=state_rep)
    publication.endorse(rec, organisation=ngo, statement="<b>Yes</b>", actor=ngo_rep)
    client.force_login(observer)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert 'id="endorsements"' in page
    for kind, count in (("city", 1), ("state", 1), ("civil_society", 1), ("donor", 0)):
        assert re.search(rf'<dd data-kind="{kind}"[^>]*>{count}</dd>', page), kind
    assert "Cities: 1" in page and "States: 1" in page and "Civil society: 1" in page
    assert "Lisbon agrees." in page and "Demo State" in page and "Open Doors" in page
    assert "&lt;b&gt;Yes&lt;/b&gt;" in page  # statements are text, never markup


def test_detail_page_shows_an_older_endorsement_as_endorsed_version_n(
    client, rec, drafter, moderator, representative, lead_org, observer
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    approve_latest(new_version(rec, drafter), moderator)
    client.force_login(observer)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "endorsed version 1" in page and "(version 2 is approved now)" in page


def test_detail_page_offers_representatives_the_form_and_members_nothing(
    client, rec, representative, drafter
):
    client.force_login(representative)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert reverse("publication:endorse", args=[rec.pk]) in page
    assert "Endorse version 1 for Lisbon" in page
    client.force_login(drafter)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert reverse("publication:endorse", args=[rec.pk]) not in page


def test_page_form_endorses_then_withdraws(client, rec, representative):
    client.force_login(representative)
    url = reverse("publication:endorse", args=[rec.pk])
    response = client.post(url, {"organisation": "lisbon", "statement": "Yes."})
    assert response.status_code == 302 and response["Location"] == rec.get_absolute_url()
    assert [e.statement for e in _live(rec)] == ["Yes."]
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "Lisbon endorses version 1." in page and "Withdraw the endorsement of Lisbon" in page
    client.post(reverse("publication:withdraw", args=[rec.pk]), {"organisation": "lisbon"})
    assert _live(rec) == []


def test_page_form_denied_paths(client, rec, representative, other_org):
    client.force_login(representative)
    url = reverse("publication:endorse", args=[rec.pk])
    assert client.post(url, {"organisation": "tunis"}).status_code == 403
    assert client.post(url, {"organisation": ""}).status_code == 400
    assert client.post(url, {"organisation": "lisbon"}).status_code == 302
    twice = client.post(url, {"organisation": "lisbon"})
    assert twice.status_code == 409 and "already endorses version 1" in twice.content.decode()
    assert client.get(url).status_code == 405
    assert len(_live(rec)) == 1


def test_detail_page_costs_the_same_queries_with_few_and_many_endorsements(
    client, drafter, moderator, representative, lead_org
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = approved(drafter, moderator, title="few")
    many = approved(drafter, moderator, title="many")
    publication.endorse(few, organisation=lead_org, actor=representative)
    publication.endorse(many, organisation=lead_org, actor=representative)
    for i in range(25):
        org, rep = org_with_rep(f"org-{i}", ["city", "state", "donor", "region"][i % 4])
        publication.endorse(many, organisation=org, statement=f"Statement {i}", actor=rep)
    client.force_login(representative)
    with CaptureQueriesContext(connection) as small:
        client.get(few.get_absolute_url())
    with CaptureQueriesContext(connection) as big:
        response = client.get(many.get_absolute_url())
    assert response.status_code == 200 and "Statement 24" in response.content.decode()
    assert len(big) == len(small)


def test_list_page_shows_the_support_breakdown_and_the_endorsers(
    client, rec, representative, lead_org, observer
):
    donor, donor_rep = org_with_rep("fund", "donor", "The Fund")
    publication.endorse(rec, organisation=lead_org, statement="Agreed.", actor=representative)
    publication.endorse(rec, organisation=donor, actor=donor_rep)
    client.force_login(observer)
    page = client.get(reverse("recommendations:list")).content.decode()
    assert 'data-kind="city">Cities: 1' in page and 'data-kind="donor">Donors: 1' in page
    assert "Endorsed by 2 organisations" in page and "The Fund" in page and "Agreed." in page


def test_list_page_costs_the_same_queries_with_few_and_many_endorsements(
    client, drafter, moderator, representative, lead_org, observer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    recs = [approved(drafter, moderator, title=f"R{i}") for i in range(3)]
    publication.endorse(recs[0], organisation=lead_org, actor=representative)
    client.force_login(observer)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("recommendations:list"))
    for i in range(12):
        org, rep = org_with_rep(f"org-{i}", "region")
        for r in recs:
            publication.endorse(r, organisation=org, actor=rep)
    recs.extend(approved(drafter, moderator, title=f"S{i}") for i in range(5))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("recommendations:list"))
    assert "Regions: 12" in response.content.decode()
    assert len(many) == len(few)


# --- home page prompts -----------------------------------------------------------------------
def test_home_asks_representatives_to_reconfirm_with_the_diff_and_one_button(
    client, rec, drafter, moderator, representative, lead_org
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    client.force_login(representative)
    assert "Endorsements to re-confirm" not in client.get("/").content.decode()
    rec = approve_latest(new_version(rec, drafter), moderator)
    page = client.get("/").content.decode()
    assert "Endorsements to re-confirm" in page
    assert "Lisbon endorsed version 1; a moderator has approved version 2." in page
    compare = reverse("recommendations:compare", args=[rec.pk])
    assert f"{compare}?from=1&amp;to=2" in page
    assert reverse("publication:reconfirm", args=[rec.pk]) in page
    response = client.post(
        reverse("publication:reconfirm", args=[rec.pk]), {"organisation": "lisbon"}
    )
    assert response.status_code == 302
    assert [e.version for e in _live(rec)] == [2]
    assert "Endorsements to re-confirm" not in client.get("/").content.decode()


def test_home_prompts_nobody_but_the_organisations_representatives(
    client, rec, drafter, moderator, representative, lead_org, other_representative, secretariat
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    approve_latest(new_version(rec, drafter), moderator)
    for user in (drafter, other_representative, moderator, secretariat):
        client.force_login(user)
        assert "Endorsements to re-confirm" not in client.get("/").content.decode()


def test_home_no_longer_prompts_once_the_recommendation_is_final(
    client, rec, drafter, moderator, secretariat, representative, lead_org
):
    publication.endorse(rec, organisation=lead_org, actor=representative)
    rec = approve_latest(new_version(rec, drafter), moderator)
    services.finalise_recommendation(rec, actor=secretariat)
    client.force_login(representative)
    assert "Endorsements to re-confirm" not in client.get("/").content.decode()
