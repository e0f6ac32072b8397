"""Sending to groups: events after commit (encoded once for every socket), and the signals
that make sockets check their rights again or close.

A channel layer that is down is logged, never raised: the write it follows has been saved,
and clients catch up from the events endpoint.
"""

from __future__ import annotations

import json
import logging
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


def send(group: str, message: dict[str, Any]) -> bool:
    """``group_send`` from synchronous code; False (logged) if the layer is unavailable."""
    try:
        layer = get_channel_layer()
        if layer is None:
            return False
        async_to_sync(layer.group_send)(group, message)
        return True
    except Exception:  # the channel layer (Redis) being gone must not fail a saved write
        logger.warning("live event not sent to %s", group, exc_info=True)
        return False


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
