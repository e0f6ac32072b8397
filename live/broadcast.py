"""Sending to groups: events after commit (encoded once for every socket), and the signals
that make sockets check their rights again or close.

A channel layer that is down is logged, never raised: the write it follows has been saved,
and clients catch up from the events endpoint.

Within an HTTP request served through ``workspace.asgi`` (``AfterResponse``), what a request
sends is held until its response has been handed to the server, then sent from the event
loop: the writer's own response never waits for hundreds of sockets to be served, so its
time does not grow with the number of viewers. Everywhere else (the test client, management
commands, the task worker, sockets) it is sent at once, as before.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from .groups import session_group, user_group

logger = logging.getLogger(__name__)

AUDIENCE_ALL = "all"
AUDIENCE_DRAFTERS = "drafters"


def encode(message: dict[str, Any]) -> str:
    """The frame a consumer sends for ``message`` (what ``send_json`` would send)."""
    return json.dumps(message, cls=DjangoJSONEncoder)


class _Held:
    """What one HTTP request has sent so far. Closed once its response has gone: a view
    still running after that (Django stops waiting for it when the client leaves) sends at
    once. The lock makes "still open? then hold it" one step against the close."""

    __slots__ = ("lock", "messages", "open")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages: list[tuple[str, dict[str, Any]]] = []
        self.open = True

    def hold(self, group: str, message: dict[str, Any]) -> bool:
        with self.lock:
            if self.open:
                self.messages.append((group, message))
            return self.open

    def close(self) -> list[tuple[str, dict[str, Any]]]:
        with self.lock:
            self.open = False
            return self.messages


# The sends held by the HTTP request being served (None outside one: send at once).
_held: contextvars.ContextVar[_Held | None] = contextvars.ContextVar(
    "live_broadcast_held", default=None
)
# Flushes under way: the loop keeps only weak references to its tasks.
_flushing: set[asyncio.Task] = set()


def send(group: str, message: dict[str, Any]) -> None:
    """``group_send`` from synchronous code: after the response when serving an HTTP request
    through ``AfterResponse``, at once otherwise. A layer that is down is logged."""
    held = _held.get()
    if held is not None and held.hold(group, message):
        return
    try:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, message)
    except Exception:  # the channel layer (Redis) being gone must not fail a saved write
        logger.warning("live event not sent to %s", group, exc_info=True)


async def _send_held(held: list[tuple[str, dict[str, Any]]]) -> None:
    # One turn of the loop first: the response's bytes, queued by the server, go out before
    # the sockets' wake-ups are queued behind them.
    await asyncio.sleep(0)
    layer = get_channel_layer()
    for group, message in held:
        try:
            if layer is not None:
                await layer.group_send(group, message)
        except Exception:  # as in send(): logged; clients catch up from the events endpoint
            logger.warning("live event not sent to %s", group, exc_info=True)


Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class AfterResponse:
    """ASGI middleware for HTTP: what the request sends to groups goes out once the
    application has returned its response (also when it failed or the client left: what was
    committed is announced), in the order it was sent, from one task on the event loop."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held = _Held()
        token = _held.set(held)
        try:
            await self.app(scope, receive, send)
        finally:
            _held.reset(token)
            messages = held.close()
            if messages:
                task = asyncio.get_running_loop().create_task(_send_held(messages))
                _flushing.add(task)
                task.add_done_callback(_flushing.discard)


def send_event(group: str, event: dict[str, Any], audience: str = AUDIENCE_ALL) -> None:
    """Send one stored event (``{"type", <topic>, "seq", "data"}``) to a group now."""
    send(
        group,
        {"type": "live.event", "event": event, "audience": audience, "text": encode(event)},
    )


def send_event_on_commit(
    events: list[tuple[str, dict[str, Any]]], audience: str = AUDIENCE_ALL
) -> None:
    """Send events to their groups once the current transaction commits (never before the
    data is saved; nothing if it rolls back)."""
    transaction.on_commit(lambda: [send_event(group, e, audience) for group, e in events])


def notify_access_changed(user_id: int) -> None:
    """After commit, ask the user's open sockets to check their rights again (and close if
    they lost them)."""
    transaction.on_commit(lambda: send(user_group(user_id), {"type": "access.changed"}))


def notify_session_ended(session_key: str) -> None:
    """Close the sockets opened with this session (at logout)."""
    send(session_group(session_key), {"type": "session.ended"})
