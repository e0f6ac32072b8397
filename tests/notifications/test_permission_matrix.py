"""The table of docs/permissions.md, "Notifications and invitations", tested as data: every
role on every action, on a fresh state each time."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from accounts import invitations
from comments import services as comments
from notifications.models import Notification
from tests.factories import make_recommendation, member_of, representative_of

pytestmark = pytest.mark.django_db

ROLES = ["representative", "member", "other", "observer", "moderator", "secretariat", "anonymous"]

# action -> one outcome per role (HTTP status), in the order of ROLES
EXPECTED = {
    "list invitations (API)": [200, 403, 403, 403, 200, 200, 401],
    "invite (API)": [201, 403, 403, 403, 201, 201, 401],
    "invitations page": [200, 403, 403, 403, 200, 200, 302],
    "withdraw an invitation (API)": [200, 404, 404, 404, 200, 200, 401],
    "read someone's notification": [404, 200, 404, 404, 404, 404, 401],
    "follow a draft (API)": [200, 200, 404, 404, 200, 404, 401],
    "own notifications (API)": [200, 200, 200, 200, 200, 200, 401],
    "preferences (API)": [200, 200, 200, 200, 200, 200, 401],
}


@pytest.fixture
def world(lead_org, other_org, moderator, secretariat, observer):
    representative = representative_of(lead_org, "rep")
    member = member_of(lead_org, "member")
    other = representative_of(other_org, "other")
    return {
        "org": lead_org,
        "users": {
            "representative": representative,
            "member": member,
            "other": other,
            "observer": observer,
            "moderator": moderator,
            "secretariat": secretariat,
            "anonymous": None,
        },
    }


def _call(world, action: str, user, act) -> int:
    api = APIClient()
    page = Client()
    if user is not None:
        api.force_authenticate(user)
        page.force_login(user)
    org = world["org"]
    rep = world["users"]["representative"]
    if action == "list invitations (API)":
        return api.get(f"/api/organisations/{org.slug}/invitations/").status_code
    if action == "invite (API)":
        return act(
            api.post,
            f"/api/organisations/{org.slug}/invitations/",
            {"email": "someone@example.org", "role": "member"},
            format="json",
        ).status_code
    if action == "invitations page":
        return page.get(f"/accounts/organisations/{org.slug}/invitations/").status_code
    if action == "withdraw an invitation (API)":
        invitation = invitations.invite(org, email="x@example.org", role="member", actor=rep)
        return api.delete(f"/api/invitations/{invitation.pk}/").status_code
    if action == "read someone's notification":
        rec = make_recommendation(world["users"]["member"], status="in_review")
        act(comments.post_comment, rec, actor=world["users"]["other"], body="Hi")
        n = Notification.objects.filter(recipient=world["users"]["member"]).first()
        return api.post(f"/api/notifications/{n.pk}/read/").status_code
    if action == "follow a draft (API)":
        rec = make_recommendation(rep)
        return api.post(f"/api/recommendations/{rec.pk}/follow/").status_code
    if action == "own notifications (API)":
        return api.get("/api/notifications/").status_code
    if action == "preferences (API)":
        return api.get("/api/notification-preferences/").status_code
    raise AssertionError(action)


@pytest.mark.parametrize("action", list(EXPECTED))
def test_matrix(world, act, action):
    got = []
    for role in ROLES:  # each role on a fresh state: what one role did is rolled back
        sid = transaction.savepoint()
        got.append(_call(world, action, world["users"][role], act))
        transaction.savepoint_rollback(sid)
    assert dict(zip(ROLES, got, strict=True)) == dict(zip(ROLES, EXPECTED[action], strict=True))
