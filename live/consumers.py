"""WebSocket consumers, built from the registered topics. They only subscribe: writes go
over HTTP to the services.

Each checks the user and the topic's rule (the same as the page's) before ``accept()``; a
socket whose session logs out, whose user is deactivated or loses access is closed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from importlib import import_module
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.utils.crypto import constant_time_compare

from . import presence
from .broadcast import AUDIENCE_ALL
from .groups import object_group, session_group, user_group
from .handshake import handshake_checks
from .registry import ListTopic, ObjectTopic, PersonalTopic

logger = logging.getLogger(__name__)

CLOSE_BAD_FRAME = 4400
CLOSE_ACCESS_LOST = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
# Clients send pings and presence: a few dozen bytes. Anything larger is not ours.
MAX_FRAME_CHARS = 4096
# Presence is sent at most once per PRESENCE_INTERVAL_SECONDS per object and process (the
# first change at once, later ones within the window together at its end), and in a big room
# less often still: at most PRESENCE_FRAMES_PER_SECOND frames a second (N viewers, one send
# every N / that many seconds). Sending one per arrival made N arrivals cost N^2 frames: a
# thousand sockets opening sent half a million, and handshakes timed out behind them.
PRESENCE_INTERVAL_SECONDS = 1.0
PRESENCE_FRAMES_PER_SECOND = 500


class _PresenceThrottle:
    __slots__ = ("next_at", "task")

    def __init__(self) -> None:
        self.next_at = 0.0
        self.task: asyncio.Task | None = None


# Per event loop (tests run one per test): group -> its throttle.
_presence_throttles: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, dict[str, _PresenceThrottle]
] = weakref.WeakKeyDictionary()
_presence_tasks: set[asyncio.Task] = set()  # strong references until each has run


def presence_message(topic: str, pk: int, data: dict) -> dict:
    return {"type": "presence", topic: pk, "seq": None, "data": data}


async def announce_presence(layer: Any, topic: str, pk: int) -> None:
    """Send the presence of one object to its group: now, or with the next throttled send."""
    loop = asyncio.get_running_loop()
    group = object_group(topic, pk)
    throttle = _presence_throttles.setdefault(loop, {}).setdefault(group, _PresenceThrottle())
    if throttle.task is not None:
        return  # a send is coming: it reads the presence then, this change included
    wait = throttle.next_at - loop.time()
    if wait <= 0:
        await _send_presence(layer, topic, pk, throttle)
        return
    task = throttle.task = loop.create_task(_send_presence_later(layer, topic, pk, throttle, wait))
    _presence_tasks.add(task)
    task.add_done_callback(_presence_tasks.discard)


async def _send_presence_later(
    layer: Any, topic: str, pk: int, throttle: _PresenceThrottle, wait: float
) -> None:
    try:
        await asyncio.sleep(wait)
    finally:
        throttle.task = None  # a change from now on is for the next send
    await _send_presence(layer, topic, pk, throttle)


async def _send_presence(layer: Any, topic: str, pk: int, throttle: _PresenceThrottle) -> None:
    started = asyncio.get_running_loop().time()
    throttle.next_at = started + PRESENCE_INTERVAL_SECONDS
    group = object_group(topic, pk)
    entries = await presence.safe(presence.store().entries(group), default=[])
    throttle.next_at = started + max(
        PRESENCE_INTERVAL_SECONDS, len(entries) / PRESENCE_FRAMES_PER_SECOND
    )
    data = presence.summarise(entries)
    text = json.dumps(presence_message(topic, pk, data))  # encoded once, not once per socket
    try:
        await layer.group_send(group, {"type": "presence.changed", "data": data, "text": text})
    except Exception:
        logger.warning("presence not sent", exc_info=True)


def session_still_valid(session_key: str, user_id: int | None) -> bool:
    """Whether the session a socket was opened with still logs ``user_id`` in: not logged out,
    not flushed, and made with the user's current password (Django's session hash, which a
    password change renews, logging the other sessions out), for an active user."""
    if user_id is None:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    data = store.load()
    if str(data.get(SESSION_KEY)) != str(user_id):
        return False
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return user is not None and constant_time_compare(
        data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
    )


class LiveConsumer(AsyncJsonWebsocketConsumer):
    """Shared plumbing: the user's and session's groups for revocation, a lean dispatch."""

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

    async def _check_again(self, check: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a topic's check again (rights may have changed), first making sure the socket's
        session still logs its user in; None (and the socket closes) if not."""
        session = self.scope.get("session")
        key = session.session_key if session is not None else None
        user_id = self._user_id()

        def run() -> Any:
            if key is not None and not session_still_valid(key, user_id):
                return None
            return check(user_id, *args, **kwargs)

        result = await database_sync_to_async(run)()
        if result is None:
            await self.close(code=CLOSE_ACCESS_LOST)
        return result

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
        # In one round trip (live.layers): one by one, a burst of handshakes waited on Redis,
        # and at once (gathered), each took three Redis connections and new ones timed out.
        # Noted first: if the join fails half-way, leaving a group never joined is harmless.
        self.groups_joined = [*groups, *extra]
        await self.channel_layer.group_add_many(self.groups_joined, self.channel_name)

    async def disconnect(self, code: int) -> None:
        joined = getattr(self, "groups_joined", [])
        if joined:
            try:
                await self.channel_layer.group_discard_many(joined, self.channel_name)
            except Exception:  # the layer may be gone; the socket is closing anyway
                logger.warning("group_discard failed", exc_info=True)

    async def session_ended(self, message: dict) -> None:
        """The session logged out: this socket's cookie no longer counts."""
        await self.close(code=CLOSE_ACCESS_LOST)

    async def _forward(self, message: dict) -> None:
        text = message.get("text")
        if text is not None:
            await self.send(text_data=text)
        else:
            await self.send_json(message["event"])

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kw):
        """Frames from outside: JSON text of a bounded size, or the socket closes with 4400
        (binary, oversized, malformed or absurdly nested frames), never with a traceback."""
        if text_data is None or len(text_data) > MAX_FRAME_CHARS:
            await self.close(code=CLOSE_BAD_FRAME)
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.close(code=CLOSE_BAD_FRAME)
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs) -> None:
        if not isinstance(content, dict):
            return
        if content.get("type") == "ping":
            await self.send_json({"type": "pong"})


class NotFoundConsumer(AsyncJsonWebsocketConsumer):
    """Any path that is no topic's: refused at the handshake (HTTP 403 to the client)."""

    async def connect(self) -> None:
        await self.close(code=CLOSE_NOT_FOUND)


class ObjectConsumer(LiveConsumer):
    """Follows one object of a topic: its events, and who else is here (presence)."""

    topic: ObjectTopic

    async def connect(self) -> None:
        try:
            self.pk = int(self.scope["url_route"]["kwargs"]["pk"])
        except (KeyError, TypeError, ValueError):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = object_group(self.topic.name, self.pk)
        self.subscription = await self._check_on_connect(self.topic.subscribe, self.pk)
        if self.subscription is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.state = "viewing"
        await self._join(self.group)
        await self.accept()
        await self._presence_changed()

    async def disconnect(self, code: int) -> None:
        if getattr(self, "subscription", None) is not None and self.topic.presence:
            await presence.safe(presence.store().leave(self.group, self.channel_name))
            await self._presence_changed(touch=False)
        await super().disconnect(code)

    async def receive_json(self, content: Any, **kwargs) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "ping":
            await self.send_json({"type": "pong"})
        elif kind in ("heartbeat", "presence") and self.topic.presence:
            state = content.get("state")
            changed = state in ("viewing", "editing") and state != self.state
            if changed:
                self.state = state
            await presence.safe(presence.store().touch(self.group, self.channel_name, self._info()))
            if changed or kind == "presence":
                await self._presence_changed(touch=False)

    def _info(self) -> dict:
        return {**self.subscription["info"], "state": self.state}

    async def _presence_changed(self, *, touch: bool = True) -> None:
        if not self.topic.presence:
            return
        if touch and getattr(self, "subscription", None) is not None and self.state:
            await presence.safe(presence.store().touch(self.group, self.channel_name, self._info()))
        await announce_presence(self.channel_layer, self.topic.name, self.pk)

    async def presence_changed(self, message: dict) -> None:
        text = message.get("text")
        if text is not None:
            await self.send(text_data=text)
        else:
            await self.send_json(presence_message(self.topic.name, self.pk, message["data"]))

    async def _recheck(self, **kwargs: Any) -> bool:
        """Read the subscription again; close the socket (False) if access is gone."""
        self.subscription = await self._check_again(self.topic.subscribe, self.pk, **kwargs)
        return self.subscription is not None

    async def live_event(self, message: dict) -> None:
        event = message["event"]
        if message.get("audience", AUDIENCE_ALL) != AUDIENCE_ALL:
            undecided = self.subscription["all_events"] is None
            if undecided and not await self._recheck(decide_all_events=True):
                return  # deciding now found the access gone
            if not self.subscription["all_events"]:
                return
        if event["type"] in self.topic.recheck_on and not await self._recheck():
            return  # rights may have changed: this user lost access
        await self._forward(message)

    async def access_changed(self, message: dict) -> None:
        await self._recheck()


class ListConsumer(LiveConsumer):
    """Follows a feed (the overview of every recommendation's status and version)."""

    topic: ListTopic

    async def connect(self) -> None:
        self.subscription = await self._check_on_connect(self.topic.subscribe)
        if self.subscription is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self._join(self.topic.name)
        await self.accept()

    async def _refresh(self) -> bool:
        self.subscription = await self._check_again(self.topic.subscribe)
        return self.subscription is not None

    async def live_event(self, message: dict) -> None:
        event = message["event"]
        if message.get("audience", AUDIENCE_ALL) != AUDIENCE_ALL:
            if event["type"] in self.topic.refresh_on and not await self._refresh():
                return
            if not self.topic.admits(self.subscription, event):
                return
        await self._forward(message)

    async def access_changed(self, message: dict) -> None:
        await self._refresh()


class PersonalConsumer(LiveConsumer):
    """Follows the socket's own user's feed (notifications): the group is named from the
    session's user, never from the path, so nobody else's can be joined."""

    topic: PersonalTopic

    async def connect(self) -> None:
        user_id = self._user_id()
        self.subscription = None
        if user_id is not None:
            self.subscription = await self._check_on_connect(self.topic.subscribe)
        if self.subscription is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self._join(object_group(self.topic.name, user_id))
        await self.accept()

    async def live_event(self, message: dict) -> None:
        await self._forward(message)

    async def access_changed(self, message: dict) -> None:
        self.subscription = await self._check_again(self.topic.subscribe)


def consumer_for(topic: ObjectTopic | ListTopic | PersonalTopic) -> type[LiveConsumer]:
    """The consumer class of one registered topic."""
    if isinstance(topic, PersonalTopic):
        base: type[LiveConsumer] = PersonalConsumer
    else:
        base = ObjectConsumer if isinstance(topic, ObjectTopic) else ListConsumer
    name = "".join(part.title() for part in topic.name.split("_")) + base.__name__
    return type(name, (base,), {"topic": topic})
