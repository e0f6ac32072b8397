"""WebSocket consumers. They only subscribe: writes go over HTTP to the services.

Each checks the user and the object permission (the same rule as the page) before
``accept()``; a socket whose user logs out, is deactivated or loses access is closed.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
import threading
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connections

from . import presence
from .events import AUDIENCE_ALL, OVERVIEW_GROUP, recommendation_group
from .models import Recommendation
from .permissions import can_view, is_drafter

logger = logging.getLogger(__name__)

CLOSE_FORBIDDEN = 4403
CLOSE_ACCESS_LOST = 4401
# Presence is sent at most once per PRESENCE_INTERVAL_SECONDS per recommendation and process
# (the first change at once, later ones within the window together at its end), and in a big
# room less often still: at most PRESENCE_FRAMES_PER_SECOND frames a second (N viewers, one
# send every N / that many seconds). Sending one per arrival made N arrivals cost N^2 frames:
# a thousand sockets opening sent half a million, and handshakes timed out behind them.
PRESENCE_INTERVAL_SECONDS = 1.0
PRESENCE_FRAMES_PER_SECOND = 500


class _PresenceThrottle:
    __slots__ = ("next_at", "task")

    def __init__(self) -> None:
        self.next_at = 0.0
        self.task: asyncio.Task | None = None


# Per event loop (tests run one per test): recommendation id -> its throttle.
_presence_throttles: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[int, _PresenceThrottle]
] = weakref.WeakKeyDictionary()
_presence_tasks: set[asyncio.Task] = set()  # strong references until each has run


class HandshakeChecks:
    """Runs the permission checks of handshakes on two threads of their own.

    Not on Channels' single database thread, where each check queued behind every other one
    and behind every session load: a burst of a hundred handshakes waited seconds there, and
    Daphne refused those that waited over its 5-s handshake timeout. And not one database
    connection per check: a thread keeps its connection while other checks are waiting and
    closes it, as Django does after a request, once none is (on PostgreSQL, opening a
    connection cost more than the check's queries). Errors close the connection too.
    """

    def __init__(self, threads: int) -> None:
        self.threads = threads
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._waiting = 0  # submitted and not yet started

    async def run(self, check: Any, *args: Any, **kwargs: Any) -> Any:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="ws-check")
        with self._lock:
            self._waiting += 1
        future = self._executor.submit(self._call, functools.partial(check, *args, **kwargs))
        future.add_done_callback(self._forget_if_cancelled)
        return await asyncio.wrap_future(future)

    def _forget_if_cancelled(self, future: Future) -> None:
        if future.cancelled():  # never started: no longer waiting
            with self._lock:
                self._waiting -= 1

    def _call(self, check: Any) -> Any:
        with self._lock:
            self._waiting -= 1
        try:
            return check()
        except BaseException:
            connections.close_all()
            raise
        finally:
            with self._lock:
                idle = self._waiting == 0
            if idle:
                close_old_connections()


handshake_checks = HandshakeChecks(threads=2)


def user_group(user_id: int) -> str:
    return f"user.{int(user_id)}"


def session_group(session_key: str) -> str:
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def _subscription(
    user_id: int | None, rec_id: int, user: Any = None, *, decide_all_events: bool = False
) -> dict | None:
    """What a user may receive on one recommendation, or None if they may not see it.

    ``user``: the user this handshake has just loaded from the session (active, as
    ``AuthMiddleware`` checked); without it the user is read again (a later re-check).

    ``all_events`` (may the user receive drafters-only events) is None when it cannot matter
    and was not asked for: every event of a submitted recommendation goes to everyone
    (``events.emit``; a submission is never undone), so asking the object permissions for it
    at each handshake (half the check's cost) decided nothing.
    """
    if user_id is None:
        return None
    if user is None:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    # A plain get: select_related() and first()'s ordering made this query three times dearer
    # (the checks read the row's own fields only).
    rec = next(iter(Recommendation.objects.filter(pk=rec_id)[:1]), None)
    if user is None or not user.is_active or rec is None or not can_view(user, rec):
        return None
    from .services import actor_organisation

    org = actor_organisation(user, rec)
    if user.is_moderator:
        all_events: bool | None = True
    elif decide_all_events or rec.submitted_at is None:
        all_events = is_drafter(user, rec)
    else:
        all_events = None
    return {
        "all_events": all_events,
        "info": {
            "user": user.username,
            "name": str(user),
            "organisation": org.name if org else None,
        },
    }


def _overview_subscription(user_id: int | None, user: Any = None) -> dict | None:
    if user_id is None:
        return None
    if user is None:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.is_active:
        return None
    drafted = set(Recommendation.objects.drafted_by(user).values_list("pk", flat=True))
    return {"moderator": user.is_moderator, "drafted": drafted}


def presence_message(rec_id: int, data: dict) -> dict:
    return {"type": "presence", "recommendation": rec_id, "seq": None, "data": data}


async def announce_presence(layer: Any, rec_id: int) -> None:
    """Send the presence of ``rec_id`` to its group: now, or with the next throttled send."""
    loop = asyncio.get_running_loop()
    throttle = _presence_throttles.setdefault(loop, {}).setdefault(rec_id, _PresenceThrottle())
    if throttle.task is not None:
        return  # a send is coming: it reads the presence then, this change included
    wait = throttle.next_at - loop.time()
    if wait <= 0:
        await _send_presence(layer, rec_id, throttle)
        return
    task = throttle.task = loop.create_task(_send_presence_later(layer, rec_id, throttle, wait))
    _presence_tasks.add(task)
    task.add_done_callback(_presence_tasks.discard)


async def _send_presence_later(
    layer: Any, rec_id: int, throttle: _PresenceThrottle, wait: float
) -> None:
    try:
        await asyncio.sleep(wait)
    finally:
        throttle.task = None  # a change from now on is for the next send
    await _send_presence(layer, rec_id, throttle)


async def _send_presence(layer: Any, rec_id: int, throttle: _PresenceThrottle) -> None:
    started = asyncio.get_running_loop().time()
    throttle.next_at = started + PRESENCE_INTERVAL_SECONDS
    entries = await presence.safe(presence.store().entries(rec_id), default=[])
    throttle.next_at = started + max(
        PRESENCE_INTERVAL_SECONDS, len(entries) / PRESENCE_FRAMES_PER_SECOND
    )
    data = presence.summarise(entries)
    text = json.dumps(presence_message(rec_id, data))  # encoded once, not once per socket
    try:
        await layer.group_send(
            recommendation_group(rec_id), {"type": "presence.changed", "data": data, "text": text}
        )
    except Exception:
        logger.warning("presence not sent", exc_info=True)


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Shared plumbing: the user's groups for revocation, and a lean dispatch."""

    groups_joined: list[str]

    async def dispatch(self, message: dict) -> None:
        # Channels' dispatch hops to a thread to close old database connections before *every*
        # handler (19% of a 1000-client profile). Our handlers touch the database only through
        # database_sync_to_async, which does that itself, so the hop is skipped.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    def _user_id(self) -> int | None:
        user = self.scope.get("user")
        return user.pk if user is not None and user.is_authenticated else None

    async def _check_on_connect(self, check: Any, *args: Any) -> Any:
        """Run a permission check for the handshake with the user it has just loaded."""
        user_id = self._user_id()
        user = None
        if user_id is not None:  # AuthMiddleware's lazy object, already resolved: unwrap it
            user = getattr(self.scope["user"], "_wrapped", self.scope["user"])
        return await handshake_checks.run(check, user_id, *args, user=user)

    async def _join(self, *groups: str) -> None:
        session = self.scope.get("session")
        user_id = self._user_id()
        extra = [user_group(user_id)] if user_id else []
        if session is not None and session.session_key:
            extra.append(session_group(session.session_key))
        # One after the other: at once, a burst of handshakes took three Redis connections
        # each, and new connections timed out under load.
        self.groups_joined = []
        for group in (*groups, *extra):
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:  # the layer may be gone; the socket is closing anyway
                logger.warning("group_discard failed", exc_info=True)

    async def session_ended(self, message: dict) -> None:
        """The session logged out: this socket's cookie no longer counts."""
        await self.close(code=CLOSE_ACCESS_LOST)

    async def receive_json(self, content: Any, **kwargs) -> None:
        if not isinstance(content, dict):
            return
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})


class RecommendationConsumer(LiveConsumer):
    async def connect(self) -> None:
        try:
            self.rec_id = int(self.scope["url_route"]["kwargs"]["pk"])
        except (KeyError, TypeError, ValueError):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.subscription = await self._check_on_connect(_subscription, self.rec_id)
        if self.subscription is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.state = "viewing"
        await self._join(recommendation_group(self.rec_id))
        await self.accept()
        await self._presence_changed()

    async def disconnect(self, code: int) -> None:
        if getattr(self, "subscription", None) is not None:
            await presence.safe(presence.store().leave(self.rec_id, self.channel_name))
            await self._presence_changed(touch=False)
        await super().disconnect(code)

    async def receive_json(self, content: Any, **kwargs) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind in ("heartbeat", "presence"):
            state = content.get("state")
            changed = state in ("viewing", "editing") and state != self.state
            if changed:
                self.state = state
            await presence.safe(
                presence.store().touch(self.rec_id, self.channel_name, self._info())
            )
            if changed or kind == "presence":
                await self._presence_changed(touch=False)

    def _info(self) -> dict:
        return {**self.subscription["info"], "state": self.state}

    async def _presence_changed(self, *, touch: bool = True) -> None:
        if touch and getattr(self, "subscription", None) is not None and self.state:
            await presence.safe(
                presence.store().touch(self.rec_id, self.channel_name, self._info())
            )
        await announce_presence(self.channel_layer, self.rec_id)

    async def presence_changed(self, message: dict) -> None:
        text = message.get("text")
        if text is not None:
            await self.send(text_data=text)
        else:
            await self.send_json(presence_message(self.rec_id, message["data"]))

    async def live_event(self, message: dict) -> None:
        event = message["event"]
        if message.get("audience", AUDIENCE_ALL) != AUDIENCE_ALL:
            if self.subscription["all_events"] is None:  # not decided yet: decide now
                self.subscription = await database_sync_to_async(_subscription)(
                    self._user_id(), self.rec_id, decide_all_events=True
                )
                if self.subscription is None:
                    await self.close(code=CLOSE_ACCESS_LOST)
                    return
            if not self.subscription["all_events"]:
                return
        if event["type"] == "recommendation.drafters":
            # Rights may have changed: check again, close if this user lost access.
            self.subscription = await database_sync_to_async(_subscription)(
                self._user_id(), self.rec_id
            )
            if self.subscription is None:
                await self.close(code=CLOSE_ACCESS_LOST)
                return
        text = message.get("text")
        if text is not None:
            await self.send(text_data=text)
        else:
            await self.send_json(event)

    async def access_changed(self, message: dict) -> None:
        self.subscription = await database_sync_to_async(_subscription)(
            self._user_id(), self.rec_id
        )
        if self.subscription is None:
            await self.close(code=CLOSE_ACCESS_LOST)


class OverviewConsumer(LiveConsumer):
    """Status and version changes for the list and home pages."""

    async def connect(self) -> None:
        self.subscription = await self._check_on_connect(_overview_subscription)
        if self.subscription is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self._join(OVERVIEW_GROUP)
        await self.accept()

    async def live_event(self, message: dict) -> None:
        event = message["event"]
        if message.get("audience", AUDIENCE_ALL) != AUDIENCE_ALL:
            sub = self.subscription
            if event["type"] in ("recommendation.created", "recommendation.drafters"):
                self.subscription = sub = await database_sync_to_async(_overview_subscription)(
                    self._user_id()
                )
                if sub is None:
                    await self.close(code=CLOSE_ACCESS_LOST)
                    return
            if not (sub["moderator"] or event["recommendation"] in sub["drafted"]):
                return
        text = message.get("text")
        if text is not None:
            await self.send(text_data=text)
        else:
            await self.send_json(event)

    async def access_changed(self, message: dict) -> None:
        self.subscription = await database_sync_to_async(_overview_subscription)(self._user_id())
        if self.subscription is None:
            await self.close(code=CLOSE_ACCESS_LOST)
