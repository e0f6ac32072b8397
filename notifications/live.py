"""The person's own WebSocket (``/ws/notifications/``): who may open it, and the
``notification.created`` event sent to it, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from live.broadcast import send_event
from live.groups import object_group

from . import display, selectors
from .models import Notification

TOPIC = "notifications"
CREATED = "notification.created"


def subscribe(user_id: int | None, user: Any = None) -> dict | None:
    """Any active signed-in person opens their own feed (the group is named from them)."""
    if user_id is None:
        return None
    if user is None:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.is_active:
        return None
    return {"user": user_id}


def language_of(user: Any) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def announce(notifications: list[Notification]) -> None:
    """One ``notification.created`` per notification, to its recipient's sockets only."""
    counts: dict[int, int] = {}
    for n in notifications:
        user = n.recipient
        if user.pk not in counts:
            counts[user.pk] = selectors.unread_count(user)
        with translation.override(language_of(user)):
            data = display.as_data(n, unread_count=counts[user.pk])
        data.pop("read", None)
        data.pop("created_at", None)
        send_event(object_group(TOPIC, user.pk), {"type": CREATED, "seq": None, "data": data})
