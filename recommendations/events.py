"""Live events: stored with a per-recommendation ``seq`` and sent to the group after commit."""

from __future__ import annotations

import json
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F

from .models import Event, Recommendation

logger = logging.getLogger(__name__)

OVERVIEW_GROUP = "overview"
# Functions (user, recommendation, messages) -> messages that remove from stored events what
# the asking user may no longer see (a comment hidden after it was posted, say). Apps
# register theirs in AppConfig.ready(); the events endpoint applies them all.
REDACTORS: list = []
AUDIENCE_ALL = "all"
AUDIENCE_DRAFTERS = "drafters"


def recommendation_group(pk: int) -> str:
    """The channel-layer group of one recommendation, built from its primary key only."""
    return f"recommendation.{int(pk)}"


def emit(rec: Recommendation, type_: str, data: dict[str, Any]) -> Event:
    """Store the next event of ``rec`` and send it once the transaction commits.

    Must run inside the transaction that made the change. The counter is bumped with an
    UPDATE, so two writers can never take the same ``seq``.
    """
    Recommendation.objects.filter(pk=rec.pk).update(last_event_seq=F("last_event_seq") + 1)
    seq = Recommendation.objects.values_list("last_event_seq", flat=True).get(pk=rec.pk)
    rec.last_event_seq = seq
    audience = AUDIENCE_ALL if rec.submitted_at is not None else AUDIENCE_DRAFTERS
    event = Event.objects.create(
        recommendation=rec, seq=seq, type=type_, data=data, audience=audience
    )
    message = event.as_message()
    overview = {
        "type": type_,
        "recommendation": rec.pk,
        "seq": seq,
        "data": {"status": rec.status, "version": rec.version, "title": rec.title},
    }
    transaction.on_commit(lambda: broadcast(rec.pk, message, audience, overview))
    return event


def broadcast(pk: int, message: dict, audience: str, overview: dict | None = None) -> None:
    """Send to the recommendation's group (and the overview). A layer that is down is logged,
    never raised: the write has been saved, and clients catch up from the events endpoint."""
    try:
        layer = get_channel_layer()
        if layer is None:
            return
        send = async_to_sync(layer.group_send)
        # `text` is the event encoded once, here, for every socket (consumers send it as is).
        send(
            recommendation_group(pk),
            {"type": "live.event", "event": message, "audience": audience, "text": _json(message)},
        )
        if overview is not None:
            send(
                OVERVIEW_GROUP,
                {
                    "type": "live.event",
                    "event": overview,
                    "audience": audience,
                    "text": _json(overview),
                },
            )
    except Exception:  # the channel layer (Redis) being gone must not fail a saved write
        logger.warning("live event %s#%s not sent", pk, message.get("seq"), exc_info=True)


def _json(message: dict) -> str:
    """The frame a consumer would send for ``message`` (``send_json`` uses ``json.dumps``)."""
    return json.dumps(message, cls=DjangoJSONEncoder)


def visible_events(user, rec: Recommendation, *, after: int, limit: int) -> tuple[list[dict], bool]:
    """Events of ``rec`` after ``after`` that ``user`` may see, in order, redacted."""
    from .permissions import is_drafter

    qs = Event.objects.filter(recommendation=rec, seq__gt=after).order_by("seq")
    if not (user.is_moderator or is_drafter(user, rec)):
        qs = qs.filter(audience=AUDIENCE_ALL)
    events = list(qs[: limit + 1])
    messages = [e.as_message() for e in events[:limit]]
    for redact in REDACTORS:
        messages = redact(user, rec, messages)
    return messages, len(events) > limit
