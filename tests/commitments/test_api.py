"""The API of commitments: the contract's paths, the services' answers (400/403/404/409)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment, ProgressUpdate
from tests.commitments.helpers import commit, later
from tests.matrix import API, Request, client_for, send
from tests.publication.helpers import approve_latest, approved, new_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(drafter, moderator):
    return approved(drafter, moderator, title="Welcome points")


def test_the_paths_are_the_ones_the_issue_names(rec):
    assert reverse("cm-api-recommendation-commitments", args=[rec.pk]) == (
        f"/api/recommendations/{rec.pk}/commitments/"
    )
    assert reverse("cm-api-commitment", args=[3]) == "/api/commitments/3/"
    assert reverse("cm-api-progress", args=[3]) == "/api/commitments/3/progress/"
    assert reverse("cm-api-organisation", args=["tunis"]) == "/api/organisations/tunis/"
    assert reverse("cm-api-followup") == "/api/followup/"
    assert reverse("cm-api-csv") == "/api/commitments.csv"


def _post(user, url, data, method="post"):
    return send(client_for(user), API, method, Request(url, data))


def test_commit_through_the_api_and_bad_input(rec, other_org, other_representative, lead_org):
    url = reverse("cm-api-recommendation-commitments", args=[rec.pk])
    ok = _post(
        other_representative,
        url,
        {
            "organisation": "tunis",
            "action": "Act.",
            "target_date": later().isoformat(),
            "indicator": "Desks",
            "indicator_unit": "desks",
            "target_value": "3",
        },
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["organisation"] == "tunis" and ok.json()["version"] == 1
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    for data, field in [
        ({"organisation": "tunis", "action": "A", "target_date": past}, "target_date"),
        (
            {
                "organisation": "tunis",
                "action": "A",
                "target_date": later().isoformat(),
                "indicator": "Desks",
            },
            "indicator_unit",
        ),
        (
            {"organisation": "atlantis", "action": "A", "target_date": later().isoformat()},
            "organisation",
        ),
        ({"organisation": "tunis", "action": "", "target_date": later().isoformat()}, "action"),
    ]:
        answer = _post(other_representative, url, data)
        assert answer.status_code == 400 and field in answer.json(), (data, answer.content)
    other = _post(
        other_representative,
        url,
        {"organisation": lead_org.slug, "action": "A", "target_date": later().isoformat()},
    )
    assert other.status_code == 403
    assert Commitment.objects.count() == 1


def test_patch_progress_and_reconfirm(rec, drafter, moderator, other_org, other_representative):
    c = commit(rec, other_org, other_representative)
    url = reverse("cm-api-commitment", args=[c.pk])
    answer = _post(other_representative, url, {"target_value": "12"}, "patch")
    assert answer.status_code == 200 and answer.json()["target_value"] == "12.00"
    assert _post(other_representative, url, {"reconfirm": True}, "patch").status_code == 409
    approve_latest(new_version(rec, drafter), moderator)
    answer = _post(other_representative, url, {"reconfirm": True}, "patch")
    assert answer.status_code == 200 and answer.json()["version"] == 2
    progress = reverse("cm-api-progress", args=[c.pk])
    assert _post(other_representative, progress, {"status": "dropped"}).status_code == 400
    assert _post(other_representative, progress, {"status": "x"}).status_code == 400
    done = _post(
        other_representative, progress, {"status": "done", "current_value": "12", "note": "Ok"}
    )
    assert done.status_code == 201 and done.json()["verified"] is False
    detail = send(client_for(other_representative), API, "get", url).json()
    assert [u["status"] for u in detail["updates"]] == ["done"]
    assert detail["status"] == "done" and detail["overdue"] is False
    assert ProgressUpdate.objects.count() == 1


def test_a_missing_commitment_answers_like_a_private_one(
    rec, other_org, other_representative, observer
):
    c = commit(rec, other_org, other_representative, is_public=False)
    client = client_for(observer)
    hidden = send(client, API, "get", reverse("cm-api-commitment", args=[c.pk]))
    missing = send(client, API, "get", reverse("cm-api-commitment", args=[c.pk + 100]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
