"""The permission matrix on its third interface, the WebSocket (issue 10): every role of the
recommendations matrix subscribes to a recommendation in each state, and to the overview, and
gets exactly what the page gives it (a page that answers 404 or asks to log in is a refused
handshake, the same for a hidden recommendation as for a missing one). Then the events
"rights changed", one per kind: each closes the sockets of whoever lost access, and only theirs.
"""

from __future__ import annotations

import pytest
from channels.layers import channel_layers
from django.test import Client
from guardian.shortcuts import remove_perm

from accounts import services as accounts
from accounts.models import MODERATOR
from recommendations import services as recs
from recommendations.models import PERM_VIEW
from tests.factories import make_recommendation
from tests.live.test_consumers import TIMEOUT, connect, in_thread
from tests.matrix import OK
from tests.recommendations.test_permission_matrix import EXPECTED, ROLES
from tests.recommendations.test_permission_matrix import world as world

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The socket of a recommendation in a state answers as its page does.
SOCKET_ROWS = {"draft": EXPECTED["view_draft"], "in_review": EXPECTED["view_in_review"]}
OVERVIEW_ROW = ["ok"] * (len(ROLES) - 1) + ["refused"]  # every participant; nobody anonymous


@pytest.fixture(autouse=True)
def fresh_layer(settings):
    """The in-memory layer and presence store in every pass: this module tests who may
    subscribe and who is closed, decisions the layer does not change (delivery across
    processes over Redis is tests/live/test_scale.py's). Over Redis, the event loop of a test
    that opened fifteen sockets could hang at teardown on the layer's connections."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "live.layers.InMemoryChannelLayer"}}
    settings.REDIS_URL = ""
    channel_layers.backends = {}
    yield
    channel_layers.backends = {}


def _socket_answer(page_answer: str) -> str:
    return "ok" if page_answer == OK else "refused"


async def _subscribe(path: str, user) -> tuple[str, int | None]:
    ws, connected, code = await connect(path, user)
    if connected:
        await ws.disconnect()
        return "ok", None
    return "refused", code


@pytest.mark.parametrize("state", sorted(SOCKET_ROWS))
async def test_every_role_subscribes_to_a_recommendation_as_its_page_allows(world, state):
    users = world["users"]
    rec = await in_thread(
        make_recommendation,
        users["lead"],
        status=state,
        co_drafters=[world["co_org"]],
        moderator=users["moderator"],
    )
    expected = [_socket_answer(a) for a in SOCKET_ROWS[state]]
    got, codes = [], set()
    for role in ROLES:
        answer, code = await _subscribe(f"/ws/recommendations/{rec.pk}/", users[role])
        got.append(answer)
        if code is not None:
            codes.add(code)
    assert got == expected, dict(zip(ROLES, got, strict=True))
    # A hidden recommendation and a missing one are refused alike.
    for role in ROLES:
        if expected[ROLES.index(role)] == "refused":
            missing = await _subscribe(f"/ws/recommendations/{rec.pk + 10_000}/", users[role])
            assert missing == ("refused", next(iter(codes))), role


async def test_every_participant_follows_the_overview_and_nobody_anonymous(world):
    got = [(await _subscribe("/ws/overview/", world["users"][role]))[0] for role in ROLES]
    assert got == OVERVIEW_ROW, dict(zip(ROLES, got, strict=True))


async def _closes(ws) -> bool:
    while True:
        output = await ws.receive_output(timeout=TIMEOUT)
        if output["type"] == "websocket.close":
            return output["code"] == 4401


async def _still_open(ws) -> bool:
    await ws.send_json_to({"type": "ping"})
    for _ in range(10):
        output = await ws.receive_output(timeout=TIMEOUT)
        if output["type"] == "websocket.close":
            return False
        if '"pong"' in output.get("text", ""):
            return True
    return False


def _change_password(user) -> None:
    Client().force_login(user)  # another session...
    user.set_password("Changed-elsewhere-7")
    user.save()  # ...changes the password: every other session is logged out


# Each kind of rights change: who is affected, and what changes.
RIGHTS_CHANGES = {
    "password changed": ("lead", lambda w, rec: _change_password(w["users"]["lead"])),
    "account deactivated": (
        "co",
        lambda w, rec: accounts.set_active(w["users"]["co"], False, actor=None),
    ),
    "moderator role taken": (
        "moderator",
        lambda w, rec: accounts.revoke_role(w["users"]["moderator"], MODERATOR, actor=None),
    ),
    "membership ended": (
        "co",
        lambda w, rec: accounts.remove_membership(w["users"]["co"], w["co_org"], actor=None),
    ),
    "drafting organisation removed": (
        "co",
        lambda w, rec: recs.remove_co_drafter(
            rec, organisation=w["co_org"], actor=w["users"]["lead"]
        ),
    ),
    "object permission removed": (
        "co",
        lambda w, rec: remove_perm(PERM_VIEW, w["co_org"].group, rec),
    ),
}


@pytest.mark.parametrize("kind", sorted(RIGHTS_CHANGES))
async def test_a_rights_change_closes_the_sockets_of_who_lost_access_only(world, kind):
    users = world["users"]
    affected, change = RIGHTS_CHANGES[kind]
    rec = await in_thread(
        make_recommendation, users["lead"], co_drafters=[world["co_org"]]
    )  # a draft: lead, co and moderators follow it
    sockets = {}
    for role in ("lead", "co", "moderator"):
        ws, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/", users[role])
        assert connected, role
        sockets[role] = ws
    await in_thread(change, world, rec)
    assert await _closes(sockets[affected]), f"{kind}: {affected} kept streaming"
    for role, ws in sockets.items():
        if role != affected:
            assert await _still_open(ws), f"{kind}: {role} lost a socket it may keep"
            await ws.disconnect()


# --- the co-editing socket: who reads, who writes ----------------------------------------
# Reading follows the page's "view" row; writing its "edit" row (edit_draft / edit).
COEDIT_ROWS = {
    "draft": (EXPECTED["view_draft"], EXPECTED["edit_draft"]),
    "in_review": (EXPECTED["view_in_review"], EXPECTED["edit"]),
}


def _coedit_answer(view: str, edit: str) -> str:
    if view != OK:
        return "refused"
    return "write" if edit == OK else "read"


async def _open_text(path: str, user) -> str:
    ws, connected, _code = await connect(path, user)
    if not connected:
        return "refused"
    hello = await ws.receive_json_from(timeout=TIMEOUT)
    await ws.disconnect()
    assert hello["type"] == "hello"
    return "write" if hello["write"] else "read"


@pytest.mark.parametrize("state", sorted(COEDIT_ROWS))
async def test_every_role_opens_the_live_text_as_its_pages_allow(world, state):
    users = world["users"]
    rec = await in_thread(
        make_recommendation,
        users["lead"],
        status=state,
        co_drafters=[world["co_org"]],
        moderator=users["moderator"],
    )
    view, edit = COEDIT_ROWS[state]
    expected = [_coedit_answer(v, e) for v, e in zip(view, edit, strict=True)]
    got = [await _open_text(f"/ws/recommendations/{rec.pk}/text/", users[r]) for r in ROLES]
    assert got == expected, dict(zip(ROLES, got, strict=True))
