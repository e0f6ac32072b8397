import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import BODY, ThemeFactory, make_recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_post_creates_a_draft_led_by_the_authors_organisation(api, drafter):
    ThemeFactory(slug="employment")
    api.force_authenticate(drafter)
    response = api.post(
        "/api/recommendations/",
        {
            "title": "Jobs",
            "theme": "employment",
            "addressed_to": ["city", "donor"],
            "body": "One.\n\nTwo.",
        },
        format="json",
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["version"], data["status"], data["lead_organisation"]) == (1, "draft", "lisbon")
    assert data["addressed_to"] == ["city", "donor"]
    assert [o["slug"] for o in data["organisations"]] == ["lisbon"]
    assert len(data["paragraphs"]) == 2 and set(data["paragraphs"][0]) == {"key", "html"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "", "theme": "employment", "addressed_to": ["city"], "body": "x"}, "title"),
        ({"title": "t", "theme": "nope", "addressed_to": ["city"], "body": "x"}, "theme"),
        (
            {"title": "t", "theme": "employment", "addressed_to": ["moon"], "body": "x"},
            "addressed_to",
        ),
        ({"title": "t", "theme": "employment", "addressed_to": [], "body": "x"}, "addressed_to"),
        ({"title": "t", "theme": "employment", "addressed_to": ["city"]}, "body"),
    ],
)
def test_post_with_bad_input_answers_400_with_field_messages(api, drafter, payload, field):
    ThemeFactory(slug="employment")
    api.force_authenticate(drafter)
    response = api.post("/api/recommendations/", payload, format="json")
    assert response.status_code == 400 and field in response.json()


def test_patch_with_current_base_makes_the_next_version(api, drafter):
    rec = make_recommendation(drafter)
    api.force_authenticate(drafter)
    response = api.patch(
        f"/api/recommendations/{rec.pk}/",
        {"body": BODY + "\n\nNew.", "base_version": 1, "note": "n"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["version"] == 2


def test_patch_stale_same_paragraph_answers_409_with_current_text(api, drafter, representative):
    rec = make_recommendation(drafter)
    api.force_authenticate(representative)
    api.patch(
        f"/api/recommendations/{rec.pk}/",
        {"body": BODY.replace("single", "one"), "base_version": 1},
        format="json",
    )
    api.force_authenticate(drafter)
    response = api.patch(
        f"/api/recommendations/{rec.pk}/",
        {"body": BODY.replace("single", "two"), "base_version": 1},
        format="json",
    )
    assert response.status_code == 409
    data = response.json()
    assert data["version"] == 2 and "a one welcome" in data["body"] and data["conflicts"]


def test_patch_without_base_version_is_400(api, drafter):
    rec = make_recommendation(drafter)
    api.force_authenticate(drafter)
    response = api.patch(f"/api/recommendations/{rec.pk}/", {"body": "x"}, format="json")
    assert response.status_code == 400 and "base_version" in response.json()


def test_patch_without_any_field_is_400(api, drafter):
    rec = make_recommendation(drafter)
    api.force_authenticate(drafter)
    assert (
        api.patch(f"/api/recommendations/{rec.pk}/", {"base_version": 1}, format="json").status_code
        == 400
    )


def test_versions_diff_and_restore(api, drafter):
    rec = make_recommendation(drafter, versions=2)
    api.force_authenticate(drafter)
    versions = api.get(f"/api/recommendations/{rec.pk}/versions/").json()
    assert [v["version"] for v in versions] == [2, 1]
    diff = api.get(f"/api/recommendations/{rec.pk}/diff/?from=1&to=2").json()
    assert "<ins>" in diff["html"] and diff["from"] == 1
    assert api.get(f"/api/recommendations/{rec.pk}/diff/?from=1&to=7").status_code == 400
    restored = api.post(f"/api/recommendations/{rec.pk}/restore/", {"version": 1}, format="json")
    assert restored.status_code == 200 and restored.json()["version"] == 3
    assert restored.json()["body"] == BODY


def test_lifecycle_over_the_api(api, drafter, moderator, secretariat):
    rec = make_recommendation(drafter)
    api.force_authenticate(drafter)
    assert api.post(f"/api/recommendations/{rec.pk}/submit/").json()["status"] == "in_review"
    api.force_authenticate(moderator)
    assert api.post(f"/api/recommendations/{rec.pk}/approve/", {}, format="json").status_code == 400
    approved = api.post(
        f"/api/recommendations/{rec.pk}/approve/", {"version": 1}, format="json"
    ).json()
    assert (approved["status"], approved["approved_version"]) == ("approved", 1)
    api.force_authenticate(secretariat)
    assert api.post(f"/api/recommendations/{rec.pk}/finalise/").json()["status"] == "final"
    again = api.post(f"/api/recommendations/{rec.pk}/finalise/")
    assert again.status_code == 409 and "detail" in again.json()


def test_reject_and_withdraw_need_a_reason(api, drafter, moderator):
    rec = make_recommendation(drafter, status="in_review")
    api.force_authenticate(moderator)
    assert "reason" in api.post(f"/api/recommendations/{rec.pk}/reject/", {}, format="json").json()
    api.force_authenticate(drafter)
    assert (
        api.post(
            f"/api/recommendations/{rec.pk}/withdraw/", {"reason": ""}, format="json"
        ).status_code
        == 400
    )


def test_token_authentication_works_and_a_bad_token_is_refused(drafter):
    rec = make_recommendation(drafter)
    token = Token.objects.create(user=drafter)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(f"/api/recommendations/{rec.pk}/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token nope")
    assert client.get(f"/api/recommendations/{rec.pk}/").status_code == 401


def test_session_api_writes_need_the_csrf_token(drafter):
    rec = make_recommendation(drafter)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(drafter)
    response = client.post(f"/api/recommendations/{rec.pk}/submit/")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_list_shows_only_what_the_user_may_see(api, drafter, other_participant):
    make_recommendation(drafter, title="Lisbon draft")
    make_recommendation(drafter, title="Lisbon public", status="in_review")
    api.force_authenticate(other_participant)
    titles = {r["title"] for r in api.get("/api/recommendations/").json()["results"]}
    assert titles == {"Lisbon public"}
    assert api.get("/api/recommendations/?status=bogus").status_code == 400


def test_inactive_user_session_gets_nothing(client, drafter):
    rec = make_recommendation(drafter, status="in_review")
    client.force_login(drafter)
    drafter.is_active = False
    drafter.save()
    assert client.get(reverse("recommendations:detail", args=[rec.pk])).status_code == 302
    assert client.get(f"/api/recommendations/{rec.pk}/").status_code == 401


def test_drafters_over_the_api(api, drafter, other_org):
    rec = make_recommendation(drafter)
    api.force_authenticate(drafter)
    added = api.post(
        f"/api/recommendations/{rec.pk}/organisations/", {"organisation": "tunis"}, format="json"
    )
    assert [o["slug"] for o in added.json()["organisations"]] == ["lisbon", "tunis"]
    assert (
        api.post(
            f"/api/recommendations/{rec.pk}/organisations/",
            {"organisation": "tunis"},
            format="json",
        ).status_code
        == 409
    )
    assert api.delete(f"/api/recommendations/{rec.pk}/organisations/nowhere/").status_code == 404
    removed = api.delete(f"/api/recommendations/{rec.pk}/organisations/tunis/")
    assert [o["slug"] for o in removed.json()["organisations"]] == ["lisbon"]
