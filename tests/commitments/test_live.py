"""Commitments live (docs/realtime.md): ``commitment.created`` and ``commitment.updated`` on the
recommendation's socket (stored, with its ``seq``), the organisation's and the follow-up
overview's; who may subscribe (the WebSocket column of the matrix) and who receives what."""

from __future__ import annotations

import pytest
from channels.layers import channel_layers

from commitments import services
from commitments.models import Commitment
from recommendations.models import Event
from tests.commitments.helpers import commit
from tests.commitments.test_permission_matrix import ROLES, _committed, _published
from tests.commitments.test_permission_matrix import world as world
from tests.live.test_consumers import connect, in_thread, next_of

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHAPE = {
    "id",
    "public",
    "organisation",
    "name",
    "kind",
    "action",
    "target_date",
    "indicator",
    "unit",
    "target_value",
    "current_value",
    "status",
    "version",
    "last_update_at",
    "recommendation",
    "theme",
    "url",
}


@pytest.fixture(autouse=True)
def fresh_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "live.layers.InMemoryChannelLayer"}}
    settings.REDIS_URL = ""
    channel_layers.backends = {}
    yield
    channel_layers.backends = {}


async def test_every_role_follows_an_organisation_and_the_overview_and_a_missing_one_is_refused(
    world,
):
    org = world["org"]
    for role in ROLES:
        for path in (f"/ws/organisations/{org.pk}/", "/ws/followup/"):
            ws, connected, _ = await connect(path, world["users"][role])
            assert connected, (role, path)
            await ws.disconnect()
        _, connected, _ = await connect(f"/ws/organisations/{org.pk + 999}/", world["users"][role])
        assert not connected, role


async def test_a_commitment_reaches_the_recommendation_socket_with_its_seq(world):
    users = world["users"]
    state = await in_thread(_committed, world, "Watched")
    rec = state["rec"]
    ws, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/", users["lead"])
    assert connected
    state2 = await in_thread(commit, rec, world["org"], users["rep"], action="A second pledge.")
    message = await next_of(ws, "commitment.created")
    assert message["recommendation"] == rec.pk and message["seq"] > 0
    assert set(message["data"]) == SHAPE
    assert message["data"]["action"] == "A second pledge."
    await in_thread(services.post_progress, state2, actor=users["rep"], status="in_progress")
    updated = await next_of(ws, "commitment.updated")
    assert updated["data"]["status"] == "in_progress"
    stored = await in_thread(
        lambda: list(Event.objects.filter(recommendation=rec).values_list("type", flat=True))
    )
    assert stored[-2:] == ["commitment.created", "commitment.updated"]
    await ws.disconnect()


async def test_the_public_receives_events_of_published_texts_only(world):
    users = world["users"]
    org = world["org"]
    anonymous, connected, _ = await connect(f"/ws/organisations/{org.pk}/")
    assert connected
    observer, connected, _ = await connect(f"/ws/organisations/{org.pk}/", users["observer"])
    assert connected
    overview, connected, _ = await connect("/ws/followup/")
    assert connected
    await in_thread(_committed, world, "Not yet published")  # participants only
    seen = await next_of(observer, "commitment.created")
    assert seen["data"]["organisation"] == "tunis" and seen["seq"] is None
    assert await anonymous.receive_nothing(timeout=0.5)
    assert await overview.receive_nothing(timeout=0.2)
    await in_thread(_published, world, "Published")  # progress made before publication...
    state = await in_thread(Commitment.objects.get, recommendation__title="Published")
    await in_thread(services.post_progress, state, actor=users["rep"], status="done")
    done = await next_of(anonymous, "commitment.updated")  # ...after it: public
    assert done["data"]["status"] == "done"
    assert (await next_of(overview, "commitment.updated"))["data"]["status"] == "done"
    for ws in (anonymous, observer, overview):
        await ws.disconnect()


async def test_a_private_commitment_sends_nothing_and_hiding_one_removes_it(world):
    users = world["users"]
    state = await in_thread(_committed, world, "Visible")
    rec = state["rec"]
    ws, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/", users["observer"])
    assert connected
    await in_thread(commit, rec, world["org"], users["rep"], action="Secret.", is_public=False)
    await in_thread(
        services.update_commitment, state["commitment"], actor=users["rep"], is_public=False
    )
    message = await next_of(ws, "commitment.updated")
    assert message["data"] == {
        "id": state["commitment"].pk,
        "public": False,
        "organisation": "tunis",
    }
    await ws.disconnect()
