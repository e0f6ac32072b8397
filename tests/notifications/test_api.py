"""The JSON API: notifications, preferences, follows, invitations; bad input and others'
objects answered as they should be."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import Invitation, Membership
from comments import services as comments
from notifications.kinds import KINDS
from notifications.models import Follow, Notification
from tests.factories import make_recommendation

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def told(act, drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    for n in range(3):
        act(comments.post_comment, rec, actor=other_participant, body=f"Comment {n}")
    return rec


def test_the_list_is_paginated_newest_first_and_filters_unread(told, drafter):
    client = client_for(drafter)
    body = client.get("/api/notifications/").json()
    assert body["count"] == 3 and body["unread_count"] == 3
    assert [r["kind"] for r in body["results"]] == ["comment"] * 3
    assert body["results"][0]["id"] > body["results"][-1]["id"]
    first = body["results"][0]["id"]
    assert client.post(f"/api/notifications/{first}/read/").json() == {"unread_count": 2}
    assert client.get("/api/notifications/?unread=1").json()["count"] == 2
    assert client.post("/api/notifications/read-all/").json() == {"unread_count": 0}
    assert client.get("/api/notifications/?unread=1").json()["count"] == 0


def test_someone_elses_notification_is_missing(told, drafter, other_participant):
    pk = Notification.objects.get(recipient=drafter, kind="comment", comment__body="Comment 0").pk
    assert client_for(other_participant).post(f"/api/notifications/{pk}/read/").status_code == 404
    assert client_for(drafter).post("/api/notifications/999999/read/").status_code == 404
    assert Notification.objects.get(pk=pk).read_at is None


def test_anonymous_gets_nothing(told):
    assert APIClient().get("/api/notifications/").status_code in (401, 403)


def test_preferences_round_trip(observer):
    client = client_for(observer)
    body = client.get("/api/notification-preferences/").json()
    assert set(body["kinds"]) == set(KINDS) and body["digest_hour"] == 8
    answer = client.put(
        "/api/notification-preferences/",
        {"kinds": {"comment": "never", "status": "immediate"}, "digest_hour": 18},
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json()["kinds"]["comment"] == "never"
    assert answer.json()["kinds"]["status"] == "immediate"
    assert client.get("/api/notification-preferences/").json()["digest_hour"] == 18


@pytest.mark.parametrize(
    "payload",
    [
        {"kinds": {"telepathy": "immediate"}},
        {"kinds": {"comment": "hourly"}},
        {"kinds": ["comment"]},
        {"digest_hour": 24},
        {"digest_hour": "eight"},
        {"digest_hour": True},
        {"frequency": "daily"},
        ["comment"],
    ],
)
def test_preferences_with_unknown_kinds_or_values_are_refused(observer, payload):
    client = client_for(observer)
    before = client.get("/api/notification-preferences/").json()
    answer = client.put("/api/notification-preferences/", payload, format="json")
    assert answer.status_code == 400, answer.content
    assert client.get("/api/notification-preferences/").json() == before


def test_follow_and_unfollow(drafter, observer):
    rec = make_recommendation(drafter, status="in_review")
    client = client_for(observer)
    assert client.post(f"/api/recommendations/{rec.pk}/follow/").json() == {"following": True}
    assert client.post(f"/api/recommendations/{rec.pk}/unfollow/").json() == {"following": False}
    assert Follow.objects.get(user=observer).active is False


def test_following_a_draft_one_cannot_see_is_missing(drafter, other_participant):
    rec = make_recommendation(drafter)
    client = client_for(other_participant)
    assert client.post(f"/api/recommendations/{rec.pk}/follow/").status_code == 404
    assert not Follow.objects.exists()


def test_a_representative_invites_to_their_organisation(representative, lead_org, act):
    client = client_for(representative)
    url = f"/api/organisations/{lead_org.slug}/invitations/"
    answer = act(client.post, url, {"email": "New@Example.org", "role": "member"}, format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["email"] == "new@example.org" and answer.json()["state"] == "pending"
    assert (
        client.post(url, {"email": "new@example.org", "role": "member"}, format="json").status_code
        == 409
    )
    assert [i["email"] for i in client.get(url).json()] == ["new@example.org"]
    pk = answer.json()["id"]
    assert client.delete(f"/api/invitations/{pk}/").json()["state"] == "revoked"
    assert client.delete(f"/api/invitations/{pk}/").status_code == 409


@pytest.mark.parametrize(
    "payload",
    [{"email": "not an address", "role": "member"}, {"email": "a@b.org", "role": "owner"}, {}],
)
def test_bad_invitations_are_refused(representative, lead_org, payload):
    answer = client_for(representative).post(
        f"/api/organisations/{lead_org.slug}/invitations/", payload, format="json"
    )
    assert answer.status_code == 400
    assert not Invitation.objects.exists()


def test_a_member_or_another_organisation_may_not_invite(drafter, other_representative, lead_org):
    url = f"/api/organisations/{lead_org.slug}/invitations/"
    for user in (drafter, other_representative):
        assert (
            client_for(user)
            .post(url, {"email": "x@y.org", "role": "member"}, format="json")
            .status_code
            == 403
        )
        assert client_for(user).get(url).status_code == 403
    assert client_for(drafter).get("/api/organisations/nowhere/invitations/").status_code == 404


def test_moderators_and_the_secretariat_invite_for_any_organisation(
    moderator, secretariat, lead_org
):
    for n, user in enumerate((moderator, secretariat)):
        answer = client_for(user).post(
            f"/api/organisations/{lead_org.slug}/invitations/",
            {"email": f"p{n}@example.org", "role": Membership.Role.REPRESENTATIVE},
            format="json",
        )
        assert answer.status_code == 201


def test_revoking_another_organisations_invitation_is_missing(
    representative, other_representative, lead_org
):
    client_for(representative).post(
        f"/api/organisations/{lead_org.slug}/invitations/",
        {"email": "a@b.org", "role": "member"},
        format="json",
    )
    pk = Invitation.objects.get().pk
    assert client_for(other_representative).delete(f"/api/invitations/{pk}/").status_code == 404
    assert Invitation.objects.get().state == "pending"


def test_mention_candidates_say_who_cannot_see_a_draft(
    drafter, lead_org, other_org, other_participant
):
    rec = make_recommendation(drafter)
    client = client_for(drafter)
    names = {c["name"]: c for c in client.get(f"/api/recommendations/{rec.pk}/mentions/?q=").json()}
    assert names[lead_org.slug]["can_see"] is True
    assert names[other_org.slug]["can_see"] is False
    people = client.get(
        f"/api/recommendations/{rec.pk}/mentions/?q={other_participant.username[:4]}"
    ).json()
    assert {"name": other_participant.username, "can_see": False}.items() <= next(
        p for p in people if p["name"] == other_participant.username
    ).items()
    assert client.get(f"/api/recommendations/{rec.pk}/mentions/?q=%3Cscript").status_code == 400
    assert (
        client_for(other_participant).get(f"/api/recommendations/{rec.pk}/mentions/?q=").status_code
        == 404
    )
