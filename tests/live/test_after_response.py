"""Live events of an HTTP request go out after its response (live.broadcast.AfterResponse):
the writer's response never waits for the sockets, and every committed change is still
announced, in order, also when the request failed afterwards or the layer is down."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from rest_framework.authtoken.models import Token

from live import broadcast
from live.broadcast import AfterResponse
from tests.factories import make_recommendation
from tests.live.test_consumers import check_shape, connect, next_of
from workspace.asgi import application

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("fresh_layer"),
]


def recording(layer, log: list) -> None:
    """Note each group_send in ``log`` (beside the response's messages), then send it."""
    original = layer.group_send

    async def group_send(group, message):
        log.append(("group_send", group, message["type"]))
        await original(group, message)

    layer.group_send = group_send


async def serve(app, method: str, path: str, body: bytes, headers: list, log: list) -> int:
    """One HTTP request through ``app`` as Daphne calls it; the response's messages are
    noted in ``log``. Returns the status."""
    pending = [{"type": "http.request", "body": body, "more_body": False}]
    status = 0
    answer: list[bytes] = []

    async def receive():
        if pending:
            return pending.pop(0)
        await asyncio.sleep(3600)  # the client stays: Django cancels this when it is done

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        log.append((message["type"], message.get("more_body", False)))
        if message["type"] == "http.response.body":
            answer.append(message.get("body", b""))

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [
            (b"host", b"127.0.0.1"),
            (b"content-length", str(len(body)).encode()),
            *headers,
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    await app(scope, receive, send)
    assert status < 400, b"".join(answer)
    return status


async def settled() -> None:
    """Wait for the sends held by finished requests."""
    for _ in range(50):
        if not broadcast._flushing:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("held live events were never sent")


async def test_a_write_is_answered_before_its_event_is_sent_and_the_viewer_still_gets_it(
    drafter,
):
    rec = await database_sync_to_async(make_recommendation)(drafter, status="in_review")
    token = await database_sync_to_async(lambda: Token.objects.create(user=drafter).key)()
    viewer, connected, _ = await connect(f"/ws/recommendations/{rec.pk}/", drafter)
    assert connected
    log: list = []
    recording(get_channel_layer(), log)

    status = await serve(
        application,
        "PATCH",
        f"/api/recommendations/{rec.pk}/",
        json.dumps({"body": rec.body + "\n\nA later paragraph.", "base_version": 1}).encode(),
        [(b"authorization", f"Token {token}".encode()), (b"content-type", b"application/json")],
        log,
    )

    assert status == 200
    body_done = log.index(("http.response.body", False))
    event = await next_of(viewer, "recommendation.updated")
    check_shape(event)
    assert event["data"]["version"] == 2
    # The write's events (not the viewer's own presence) went out after the response.
    sent = [
        i for i, entry in enumerate(log) if entry[0] == "group_send" and entry[2] == "live.event"
    ]
    assert sent and all(i > body_done for i in sent), log
    await viewer.disconnect()


async def test_events_sent_before_a_failure_are_still_sent_in_order():
    """The view saved and committed, then something after it failed: the saved changes
    are announced all the same, in the order they were made."""
    log: list = []
    recording(get_channel_layer(), log)

    def commit_then_fail():
        broadcast.send("room", {"type": "first"})
        broadcast.send("room", {"type": "second"})
        raise RuntimeError("the response could not be built")

    async def app(scope, receive, send):
        await sync_to_async(commit_then_fail)()

    with pytest.raises(RuntimeError):
        await serve(AfterResponse(app), "POST", "/", b"", [], log)
    assert log == []  # held while the request ran
    await settled()
    assert log == [("group_send", "room", "first"), ("group_send", "room", "second")]


async def test_a_layer_that_is_down_after_the_response_is_logged_and_the_rest_still_sent(
    caplog,
):
    layer = get_channel_layer()
    original = layer.group_send
    delivered: list = []

    async def flaky(group, message):
        if group == "gone":
            raise ConnectionError("Redis is down")
        delivered.append(group)
        await original(group, message)

    layer.group_send = flaky

    async def app(scope, receive, send):
        await sync_to_async(broadcast.send)("gone", {"type": "x"})
        await sync_to_async(broadcast.send)("room", {"type": "x"})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"saved"})

    log: list = []
    with caplog.at_level(logging.WARNING, logger="live.broadcast"):
        assert await serve(AfterResponse(app), "POST", "/", b"", [], log) == 200
        await settled()
    assert delivered == ["room"]
    assert "live event not sent to gone" in caplog.text


async def test_a_view_that_outlives_its_request_still_sends_its_events():
    """When the client leaves, Django stops waiting for the view, whose thread runs on:
    what it commits afterwards is sent at once, not held for a response already gone."""
    log: list = []
    recording(get_channel_layer(), log)
    started = asyncio.Event()
    loop = asyncio.get_running_loop()

    def slow_view():
        loop.call_soon_threadsafe(started.set)
        time.sleep(0.2)  # the request is over by now
        broadcast.send("room", {"type": "late"})

    view: list = []

    async def app(scope, receive, send):
        view.append(asyncio.ensure_future(sync_to_async(slow_view, thread_sensitive=False)()))
        await started.wait()  # then the client leaves: the app returns without the view

    await serve(AfterResponse(app), "POST", "/", b"", [], [])
    await view[0]
    assert log == [("group_send", "room", "late")]


async def test_outside_a_request_an_event_is_sent_at_once():
    """A management command, the task worker or a socket's handler is not served by
    AfterResponse: nothing would ever send what it held."""
    log: list = []
    recording(get_channel_layer(), log)
    await sync_to_async(broadcast.send)("room", {"type": "now"})
    assert log == [("group_send", "room", "now")]


async def test_sockets_pass_through_untouched():
    seen: list = []

    async def app(scope, receive, send):
        seen.append(broadcast._held.get())

    await AfterResponse(app)({"type": "websocket"}, None, None)
    assert seen == [None]  # a socket's sends are not held
