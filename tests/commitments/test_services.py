"""Commitments and progress through the services: who may, on what, with which input; what
is refused changes nothing; progress is append-only and verified separately."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from commitments import services
from commitments.models import Commitment, ProgressUpdate
from core.errors import Conflict
from core.models import Activity
from publication.models import Endorsement
from tests.commitments.helpers import commit, later
from tests.factories import make_recommendation, member_of
from tests.publication.helpers import approve_latest, approved, final, new_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(drafter, moderator):
    return approved(drafter, moderator, title="Welcome points")


def test_a_representative_commits_on_the_approved_version(rec, other_org, other_representative):
    c = commit(rec, other_org, other_representative, actor_kind="city")
    assert (c.version, c.actor_kind, c.status, c.is_public) == (1, "city", "not_started", True)
    assert c.target_value == 10
    activity = Activity.objects.get(verb="committed")
    assert activity.organisation == other_org and activity.data["commitment"] == c.pk
    assert not Endorsement.objects.exists()  # committing is not endorsing


def test_committing_may_endorse_in_the_same_step(rec, other_org, other_representative):
    commit(rec, other_org, other_representative, endorse=True, statement="We support it.")
    endorsement = Endorsement.objects.live().get()
    assert (endorsement.organisation, endorsement.version) == (other_org, 1)


def test_a_final_recommendation_takes_commitments_on_its_final_version(
    drafter, moderator, secretariat, other_org, other_representative
):
    rec = final(drafter, moderator, secretariat, title="Final one")
    assert commit(rec, other_org, other_representative).version == rec.final_version


@pytest.mark.parametrize(
    "who", ["member", "other_org_rep_for_lead", "moderator", "secretariat", "observer"]
)
def test_only_representatives_commit_in_their_organisations_name(
    who,
    rec,
    lead_org,
    other_org,
    other_participant,
    other_representative,
    moderator,
    secretariat,
    observer,
):
    actor, org = {
        "member": (other_participant, other_org),
        "other_org_rep_for_lead": (other_representative, lead_org),
        "moderator": (moderator, other_org),
        "secretariat": (secretariat, other_org),
        "observer": (observer, other_org),
    }[who]
    with pytest.raises(PermissionDenied):
        commit(rec, org, actor)
    assert not Commitment.objects.exists()


def test_a_draft_takes_no_commitment(drafter, representative, lead_org):
    draft = make_recommendation(drafter, title="Draft")
    with pytest.raises(Conflict):
        commit(draft, lead_org, representative)
    assert not Commitment.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target_date": timezone.localdate() - dt.timedelta(days=1)}, "target_date"),
        ({"target_date": "next year"}, "target_date"),
        ({"indicator_unit": ""}, "indicator_unit"),
        ({"indicator": "", "target_value": None}, "indicator"),
        ({"indicator": "", "indicator_unit": "", "target_value": "5"}, "target_value"),
        ({"target_value": "-3"}, "target_value"),
        ({"target_value": "NaN"}, "target_value"),
        ({"action": "   "}, "action"),
        ({"action": "x" * 2001}, "action"),
        ({"actor_kind": "emperor"}, "actor_kind"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_saved(
    rec, other_org, other_representative, changes, field
):
    with pytest.raises(ValidationError) as error:
        commit(rec, other_org, other_representative, **changes)
    assert field in error.value.message_dict
    assert not Commitment.objects.exists()


def test_a_commitment_asks_to_be_reconfirmed_when_a_newer_version_is_approved(
    rec, drafter, moderator, other_org, other_representative
):
    c = commit(rec, other_org, other_representative)
    with pytest.raises(Conflict):
        services.reconfirm_commitment(c, actor=other_representative)
    approve_latest(new_version(rec, drafter), moderator)
    c.refresh_from_db()
    assert services.needs_reconfirmation(c)
    with pytest.raises(PermissionDenied):
        services.reconfirm_commitment(c, actor=moderator)
    c = services.reconfirm_commitment(c, actor=other_representative)
    assert c.version == 2 and not services.needs_reconfirmation(c)
    assert Activity.objects.get(verb="commitment_reconfirmed").data["previous_version"] == 1


def test_progress_is_appended_by_the_organisation_after_the_conference(
    rec, other_org, other_representative
):
    c = commit(rec, other_org, other_representative)
    services.post_progress(c, actor=other_representative, status="in_progress", current_value="3")
    services.post_progress(
        c, actor=other_representative, status="done", current_value="10", link="https://x.org/r"
    )
    c.refresh_from_db()
    assert (c.status, c.current_value) == ("done", 10)
    assert list(c.updates.values_list("status", flat=True)) == ["in_progress", "done"]
    first = c.updates.first()
    first.note = "silently changed"
    with pytest.raises(RuntimeError, match="append-only"):
        first.save()


def test_progress_before_the_conference_is_over_is_refused(
    settings, rec, other_org, other_representative
):
    c = commit(rec, other_org, other_representative)
    settings.WORKSPACE_FOLLOWUP_FROM = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(Conflict):
        services.post_progress(c, actor=other_representative, status="in_progress")
    assert not ProgressUpdate.objects.exists()


def test_progress_on_someone_elses_commitment_is_refused(
    rec, other_org, other_representative, representative, drafter, moderator
):
    c = commit(rec, other_org, other_representative)
    for actor in (representative, drafter, moderator, member_of(other_org, "tunis-member")):
        with pytest.raises(PermissionDenied):
            services.post_progress(c, actor=actor, status="done")
    assert not ProgressUpdate.objects.exists()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"status": "dropped"}, "reason"),
        ({"status": "finished"}, "status"),
        ({"status": "done", "link": "javascript:alert(1)"}, "link"),
        ({"status": "done", "current_value": "abc"}, "current_value"),
    ],
)
def test_bad_progress_is_refused(rec, other_org, other_representative, fields, error):
    c = commit(rec, other_org, other_representative)
    with pytest.raises(ValidationError) as exc:
        services.post_progress(c, actor=other_representative, **fields)
    assert error in exc.value.message_dict
    c.refresh_from_db()
    assert c.status == "not_started" and not ProgressUpdate.objects.exists()


def test_a_value_needs_an_indicator(rec, other_org, other_representative):
    c = commit(
        rec, other_org, other_representative, indicator="", indicator_unit="", target_value=None
    )
    with pytest.raises(ValidationError):
        services.post_progress(c, actor=other_representative, status="done", current_value="1")


def test_the_secretariat_verifies_an_update_once(
    rec, other_org, other_representative, secretariat, moderator
):
    c = commit(rec, other_org, other_representative)
    update = services.post_progress(c, actor=other_representative, status="in_progress")
    with pytest.raises(PermissionDenied):
        services.verify_progress(update, actor=other_representative)
    with pytest.raises(PermissionDenied):
        services.verify_progress(update, actor=moderator)
    services.verify_progress(update, actor=secretariat)
    update.refresh_from_db()
    assert update.verified_by == secretariat and update.status == "in_progress"
    with pytest.raises(Conflict):
        services.verify_progress(update, actor=secretariat)


def test_the_secretariat_asks_for_an_update_once_until_it_comes(
    rec, other_org, other_representative, secretariat
):
    c = commit(rec, other_org, other_representative)
    with pytest.raises(PermissionDenied):
        services.request_update(c, actor=other_representative)
    services.request_update(c, actor=secretariat)
    request = Activity.objects.get(verb="update_requested")
    assert request.organisation == other_org and request.data["commitment"] == c.pk
    with pytest.raises(Conflict):
        services.request_update(c, actor=secretariat)
    services.post_progress(c, actor=other_representative, status="in_progress")
    services.request_update(c, actor=secretariat)  # the update came: may ask again
    services.post_progress(c, actor=other_representative, status="done")
    with pytest.raises(Conflict):  # closed
        services.request_update(c, actor=secretariat)


def test_changes_are_recorded_with_old_and_new_values(rec, other_org, other_representative):
    c = commit(rec, other_org, other_representative)
    services.update_commitment(
        c, actor=other_representative, target_date=later(300), is_public=False
    )
    changed = Activity.objects.get(verb="commitment_changed").data["changes"]
    assert changed["is_public"] == [True, False]
    assert changed["target_date"][1] == later(300).isoformat()
    with pytest.raises(ValidationError):
        services.update_commitment(c, actor=other_representative, version=9)
    with pytest.raises(ValidationError):
        services.update_commitment(c, actor=other_representative, indicator_unit="")


def test_overdue_and_stale_are_computed(rec, other_org, other_representative):
    from commitments.selectors import decorate

    c = commit(rec, other_org, other_representative)
    Commitment.objects.filter(pk=c.pk).update(
        target_date=timezone.localdate() - dt.timedelta(days=1),
        created_at=timezone.now() - dt.timedelta(days=94),
    )
    c.refresh_from_db()
    decorate([c])
    assert c.overdue and c.stale and c.days_quiet == 94
    assert Commitment.objects.overdue().count() == 1
    services.post_progress(c, actor=other_representative, status="done")
    c.refresh_from_db()
    decorate([c])
    assert not c.overdue and not c.stale


def test_the_home_page_asks_to_reconfirm_and_for_due_updates(
    rec, drafter, moderator, other_org, other_representative, secretariat
):
    from django.test import Client

    c = commit(rec, other_org, other_representative)
    client = Client()
    client.force_login(other_representative)
    assert b"Commitments to re-confirm" not in client.get("/").content
    approve_latest(new_version(rec, drafter), moderator)
    services.request_update(c, actor=secretariat)
    page = client.get("/").content
    assert b"Commitments to re-confirm" in page
    assert b"the secretariat asked for an update on" in page
    services.reconfirm_commitment(c, actor=other_representative)
    services.post_progress(c, actor=other_representative, status="in_progress")
    page = client.get("/").content
    assert b"Commitments to re-confirm" not in page and b"Progress updates due" not in page
