"""WebSocket consumers. They only subscribe: writes go over HTTP to the services.

Each checks the user and the object permission (the same rule as the page) before
``accept()``; a socket whose user logs out, is deactivated or loses access is closed.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.contrib.auth import get_user_model

from . import presence
from .events import AUDIENCE_ALL, OVERVIEW_GROUP, recommendation_group
from .models import Recommendation
from .permissions import can_view, is_drafter

logger = logging.getLogger(__name__)

CLOSE_FORBIDDEN = 4403
CLOSE_ACCESS_LOST = 4401


def user_group(user_id: int) -> str:
    return f"user.{int(user_id)}"


def session_group(session_key: str) -> str:
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]


def _subscription(user_id: int | None, rec_id: int) -> dict | None:
    """What a user may receive on one recommendation, or None if they may not see it."""
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    rec = Recommendation.objects.filter(pk=rec_id).select_related("lead_organisation").first()
    if user is None or rec is None or not can_view(user, rec):
        return None
    from .services import actor_organisation

    org = actor_organisation(user, rec)
    return {
        "all_events": user.is_moderator or is_drafter(user, rec),
        "info": {
            "user": user.username,
            "name": str(user),
            "organisation": org.name if org else None,
        },
    }


def _overview_subscription(user_id: int | None) -> dict | None:
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    drafted = set(Recommendation.objects.drafted_by(user).values_list("pk", flat=True))
    return {"moderator": user.is_moderator, "drafted": drafted}


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

    async def _join(self, *groups: str) -> None:
        self.groups_joined = []
        session = self.scope.get("session")
        user_id = self._user_id()
        extra = [user_group(user_id)] if user_id else []
        if session is not None and session.session_key:
            extra.append(session_group(session.session_key))
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
        self.subscription = await database_sync_to_async(_subscription)(
            self._user_id(), self.rec_id
        )
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
        store = presence.store()
        if touch and getattr(self, "subscription", None) is not None and self.state:
            await presence.safe(store.touch(self.rec_id, self.channel_name, self._info()))
        entries = await presence.safe(store.entries(self.rec_id), default=[])
        try:
            await self.channel_layer.group_send(
                recommendation_group(self.rec_id),
                {"type": "presence.changed", "data": presence.summarise(entries)},
            )
        except Exception:
            logger.warning("presence not sent", exc_info=True)

    async def presence_changed(self, message: dict) -> None:
        await self.send_json(
            {
                "type": "presence",
                "recommendation": self.rec_id,
                "seq": None,
                "data": message["data"],
            }
        )

    async def live_event(self, message: dict) -> None:
        event = message["event"]
        if (
            message.get("audience", AUDIENCE_ALL) != AUDIENCE_ALL
            and not self.subscription["all_events"]
        ):
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
        self.subscription = await database_sync_to_async(_overview_subscription)(self._user_id())
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
