"""WebSocket consumers and the events endpoint: who may subscribe, what they receive."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from accounts.services import remove_membership, set_active
from recommendations import services
from recommendations.models import Recommendation
from tests.factories import BODY, make_recommendation
from workspace.asgi import application

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_layer"),
]

ORIGIN = (b"origin", b"http://127.0.0.1")
HOST = (b"host", b"127.0.0.1")  # as a browser sends it: the origin is checked against it
TIMEOUT = 3

# The documented shape of each event type (docs/realtime.md): data keys that must be there.
SHAPES = {
    "recommendation.created": {"version", "title"},
    "recommendation.updated": {"version", "title", "author", "note"},
    "recommendation.status": {
        "status",
        "approved_version",
        "final_version",
        "version",
        "reason",
        "actor",
    },
    "recommendation.drafters": set(),
    "presence": {"viewing", "editing"},
}


def session_cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()


async def connect(path: str, user=None, origin=ORIGIN):
    headers = [HOST, origin] if origin else [HOST]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(session_cookie)(user)))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await communicator.connect(timeout=TIMEOUT)
    return communicator, connected, code


async def next_of(communicator, type_: str):
    while True:
        message = await communicator.receive_json_from(timeout=TIMEOUT)
        if message["type"] == type_:
            return message


async def until(communicator, predicate, limit: int = 10):
    for _ in range(limit):
        message = await next_of(communicator, "presence")
        if predicate(message):
            return message
    raise AssertionError("presence never reached the expected state")


def check_shape(message: dict) -> None:
    assert set(message) == {"type", "recommendation", "seq", "data"}
    assert SHAPES[message["type"]] <= set(message["data"]), message


async def in_thread(fn, *args, **kwargs):
    return await database_sync_to_async(fn)(*args, **kwargs)


# --- who may subscribe ------------------------------------------------------------------
async def test_anonymous_cannot_subscribe(drafter):
    rec = await in_thread(make_recommendation, drafter, status="in_review")
    _, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/")
    assert not connected
    _, connected, _ = await connect("/ws/overview/")
    assert not connected


async def test_other_organisation_cannot_subscribe_to_a_draft_nor_to_a_missing_one(
    drafter, other_participant
):
    rec = await in_thread(make_recommendation, drafter)
    _, hidden, hidden_code = await connect(f"/ws/recommendations/{rec.pk}/", other_participant)
    _, missing, missing_code = await connect(
        f"/ws/recommendations/{rec.pk + 999}/", other_participant
    )
    assert not hidden and not missing and hidden_code == missing_code


@pytest.mark.parametrize("origin", [(b"origin", b"http://evil.example"), None])
async def test_foreign_or_missing_origin_is_refused(drafter, origin):
    rec = await in_thread(make_recommendation, drafter)
    _, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/", drafter, origin=origin)
    assert not connected


async def test_drafter_and_moderator_may_subscribe_to_a_draft(drafter, moderator):
    rec = await in_thread(make_recommendation, drafter)
    for user in (drafter, moderator):
        communicator, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/", user)
        assert connected
        await communicator.disconnect()


# --- what arrives -------------------------------------------------------------------------
async def test_every_event_type_arrives_in_order_with_its_documented_shape(
    drafter, moderator, other_org, observer
):
    rec = await in_thread(make_recommendation, drafter)
    ws, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/", drafter)
    assert connected
    presence = await next_of(ws, "presence")
    check_shape(presence)
    assert [p["user"] for p in presence["data"]["viewing"]] == ["drafter"]
    await in_thread(
        services.edit_recommendation,
        rec,
        actor=drafter,
        base_version=1,
        body=BODY + "\n\nNew.",
        note="why",
    )
    updated = await next_of(ws, "recommendation.updated")
    check_shape(updated)
    assert updated["data"]["version"] == 2 and updated["data"]["note"] == "why"
    await in_thread(services.add_co_drafter, rec, organisation=other_org, actor=drafter)
    drafters = await next_of(ws, "recommendation.drafters")
    check_shape(drafters)
    await in_thread(services.submit_for_review, rec, actor=drafter)
    status = await next_of(ws, "recommendation.status")
    check_shape(status)
    assert status["data"]["status"] == "in_review"
    await in_thread(services.approve_version, rec, version=2, actor=moderator)
    approved = await next_of(ws, "recommendation.status")
    assert approved["data"]["approved_version"] == 2
    seqs = [updated["seq"], drafters["seq"], status["seq"], approved["seq"]]
    assert seqs == sorted(seqs) and seqs == list(range(seqs[0], seqs[0] + 4))
    await ws.disconnect()


async def test_draft_events_reach_drafters_only_and_public_ones_reach_everyone(
    drafter, moderator, observer
):
    rec = await in_thread(make_recommendation, drafter, status="in_review")
    watcher, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/", observer)
    assert connected
    overview_observer, ok, _ = await connect("/ws/overview/", observer)
    assert ok
    await in_thread(
        services.edit_recommendation, rec, actor=drafter, base_version=1, body=BODY + "\n\nX."
    )
    assert (await next_of(watcher, "recommendation.updated"))["data"]["version"] == 2
    assert (await next_of(overview_observer, "recommendation.updated"))["recommendation"] == rec.pk
    # A new draft elsewhere: the observer's overview hears nothing of it.
    draft = await in_thread(make_recommendation, drafter, title="Secret draft")
    await in_thread(
        services.edit_recommendation, draft, actor=drafter, base_version=1, body="Hidden words"
    )
    assert await overview_observer.receive_nothing(timeout=0.5)
    await watcher.disconnect()
    await overview_observer.disconnect()


async def test_presence_shows_who_edits_and_who_left(drafter, representative):
    rec = await in_thread(make_recommendation, drafter)
    first, _, _ = await connect(f"/ws/recommendations/{rec.pk}/", drafter)
    await next_of(first, "presence")
    second, _, _ = await connect(f"/ws/recommendations/{rec.pk}/", representative)
    await until(
        first, lambda m: {p["user"] for p in m["data"]["viewing"]} == {"drafter", "lisbon-rep"}
    )
    await second.send_json_to({"type": "presence", "state": "editing"})
    editing = await until(first, lambda m: m["data"]["editing"] != [])
    assert [p["user"] for p in editing["data"]["editing"]] == ["lisbon-rep"]
    assert editing["data"]["viewing"][0]["organisation"] == "Lisbon"
    await second.disconnect()
    # Presence is a state: wait (boundedly) for the one where the representative has left.
    left = await until(first, lambda m: [p["user"] for p in m["data"]["viewing"]] == ["drafter"])
    assert left["data"]["editing"] == []
    await first.disconnect()


# --- losing access closes the socket -------------------------------------------------------
async def _closed(communicator) -> bool:
    output = await communicator.receive_output(timeout=TIMEOUT)
    while output["type"] != "websocket.close":
        output = await communicator.receive_output(timeout=TIMEOUT)
    return True


async def test_removed_co_drafter_is_disconnected_from_the_draft(
    drafter, other_org, other_participant
):
    rec = await in_thread(make_recommendation, drafter, co_drafters=[other_org])
    ws, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/", other_participant)
    assert connected
    await in_thread(services.remove_co_drafter, rec, organisation=other_org, actor=drafter)
    assert await _closed(ws)


async def test_member_removed_from_the_organisation_is_disconnected(
    drafter, representative, lead_org
):
    rec = await in_thread(make_recommendation, drafter)
    ws, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/", representative)
    assert connected
    await in_thread(remove_membership, representative, lead_org, actor=None)
    assert await _closed(ws)


async def test_deactivated_user_is_disconnected(drafter, observer):
    rec = await in_thread(make_recommendation, drafter, status="in_review")
    ws, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/", observer)
    assert connected
    await in_thread(set_active, observer, False, actor=None)
    assert await _closed(ws)


async def test_logout_closes_the_sessions_sockets_and_the_old_cookie_is_refused(drafter):
    rec = await in_thread(make_recommendation, drafter)
    client = Client()
    await in_thread(client.force_login, drafter)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode()
    ws = WebsocketCommunicator(
        application, f"/ws/recommendations/{rec.pk}/", headers=[HOST, ORIGIN, (b"cookie", cookie)]
    )
    assert (await ws.connect(timeout=TIMEOUT))[0]
    await in_thread(client.post, "/accounts/logout/")
    assert await _closed(ws)
    again = WebsocketCommunicator(
        application, f"/ws/recommendations/{rec.pk}/", headers=[HOST, ORIGIN, (b"cookie", cookie)]
    )
    assert not (await again.connect(timeout=TIMEOUT))[0]


# --- catching up ---------------------------------------------------------------------------
def test_events_endpoint_returns_what_was_missed_in_order(client, drafter, moderator):
    rec = make_recommendation(drafter, status="approved", versions=2, moderator=moderator)
    client.force_login(drafter)
    everything = client.get(f"/api/recommendations/{rec.pk}/events/?after=0").json()
    seqs = [e["seq"] for e in everything["events"]]
    assert seqs == list(range(1, len(seqs) + 1)) and everything["last_seq"] == seqs[-1]
    later = client.get(f"/api/recommendations/{rec.pk}/events/?after=2").json()
    assert [e["seq"] for e in later["events"]] == seqs[2:]
    assert client.get(f"/api/recommendations/{rec.pk}/events/?after=-1").status_code == 400
    assert client.get(f"/api/recommendations/{rec.pk}/events/?after=x").status_code == 400


def test_events_endpoint_hides_draft_era_events_from_non_drafters(client, drafter, observer):
    rec = make_recommendation(drafter, versions=2)
    services.submit_for_review(Recommendation.objects.get(pk=rec.pk), actor=drafter)
    client.force_login(observer)
    data = client.get(f"/api/recommendations/{rec.pk}/events/?after=0").json()
    assert [e["type"] for e in data["events"]] == ["recommendation.status"]
    assert data["last_seq"] == 3


def test_state_rebuilt_from_events_equals_a_fresh_read(client, drafter, moderator):
    rec = make_recommendation(drafter, status="approved", versions=3, moderator=moderator)
    client.force_login(drafter)
    state = {"version": None, "status": None, "approved_version": None}
    for event in client.get(f"/api/recommendations/{rec.pk}/events/?after=0").json()["events"]:
        if event["type"] in ("recommendation.created", "recommendation.updated"):
            state["version"] = event["data"]["version"]
        if event["type"] == "recommendation.status":
            state.update(
                status=event["data"]["status"], approved_version=event["data"]["approved_version"]
            )
    fresh = client.get(f"/api/recommendations/{rec.pk}/").json()
    assert state == {k: fresh[k] for k in state}


def test_session_store_has_no_user_after_logout(client, drafter):
    client.force_login(drafter)
    key = client.session.session_key
    client.post("/accounts/logout/")
    assert SESSION_KEY not in SessionStore(session_key=key).load()


async def test_a_socket_receives_each_event_once(drafter):
    rec = await in_thread(make_recommendation, drafter)
    ws, _, _ = await connect(f"/ws/recommendations/{rec.pk}/", drafter)
    for n in range(2, 6):
        await in_thread(
            services.edit_recommendation,
            rec,
            actor=drafter,
            base_version=n - 1,
            body=BODY + f"\n\n{n}.",
        )
    received = []
    while len(received) < 4:
        message = await ws.receive_json_from(timeout=TIMEOUT)
        if message["type"] == "recommendation.updated":
            received.append(message["data"]["version"])
    assert received == [2, 3, 4, 5]
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()
