"""Live events of recommendations: stored with a per-recommendation ``seq`` (so clients catch
up after a reconnect) and sent through ``live`` once the transaction commits."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from live.broadcast import AUDIENCE_ALL, AUDIENCE_DRAFTERS, send_event_on_commit
from live.groups import OVERVIEW_GROUP, recommendation_group
from live.registry import redact

from . import search
from .models import Event, Recommendation


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
    overview = {
        "type": type_,
        "recommendation": rec.pk,
        "seq": seq,
        "data": {"status": rec.status, "version": rec.version, "title": rec.title},
    }
    # The search index changes in the same transaction as the text it describes.
    search.refresh_for_event(rec.pk, type_, data)
    send_event_on_commit(
        [(recommendation_group(rec.pk), event.as_message()), (OVERVIEW_GROUP, overview)],
        audience,
    )
    return event


def visible_events(user, rec: Recommendation, *, after: int, limit: int) -> tuple[list[dict], bool]:
    """Events of ``rec`` after ``after`` that ``user`` may see, in order, redacted."""
    from .permissions import is_drafter

    qs = Event.objects.filter(recommendation=rec, seq__gt=after).order_by("seq")
    if not (user.is_moderator or is_drafter(user, rec)):
        qs = qs.filter(audience=AUDIENCE_ALL)
    events = list(qs[: limit + 1])
    messages = redact(user, rec, [e.as_message() for e in events[:limit]])
    return messages, len(events) > limit
