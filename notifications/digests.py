"""The daily digest: for each person whose digest hour (in their own time zone) has come and
who has no digest yet today, every notification waiting for it, checked again (the one access
check; what they may no longer see is left out and counted), newest first, grouped by
recommendation, with each comment's text. Safe to run twice: one digest per person and local
day (the message's key), and the items it took are marked in the same transaction."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import formats, timezone, translation

from accounts.zones import zone_for

from . import delivery, display
from .access import accessible
from .kinds import DEFAULT_DIGEST_HOUR, Channel
from .models import Notification, OutgoingMail, Preferences

EXCERPT = 600


def _due(user: Any, hour: int, now: datetime) -> str | None:
    """The digest's key if this person's digest is due now, else None."""
    local = now.astimezone(zone_for(user))
    if local.hour < hour:
        return None
    return f"digest:{user.pk}:{local.date().isoformat()}"


def send_digests(now: datetime | None = None) -> int:
    """Write every digest that is due; returns how many were written."""
    now = now or timezone.now()
    waiting = Notification.objects.filter(channel=Channel.DIGEST, mail=Notification.Mail.PENDING)
    user_ids = set(waiting.values_list("recipient_id", flat=True).distinct())
    if not user_ids:
        return 0
    users = get_user_model().objects.filter(pk__in=user_ids)
    hours = dict(
        Preferences.objects.filter(user_id__in=user_ids).values_list("user_id", "digest_hour")
    )
    keys: dict[int, str] = {}
    for user in users:
        if not user.is_active or not user.email:
            continue
        key = _due(user, hours.get(user.pk, DEFAULT_DIGEST_HOUR), now)
        if key is not None:
            keys[user.pk] = key
    done = set(OutgoingMail.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    due_users = {u.pk: u for u in users if u.pk in keys and keys[u.pk] not in done}
    if not due_users:
        return 0
    items: dict[int, list[Notification]] = {pk: [] for pk in due_users}
    for n in (
        waiting.filter(recipient_id__in=due_users)
        .select_related("actor", "organisation", "recommendation", "comment")
        .order_by("-created_at", "-pk")
    ):
        items[n.recipient_id].append(n)
    written = 0
    for user_id, user in due_users.items():
        if items[user_id] and _write(user, items[user_id], keys[user_id]):
            written += 1
    return written


def excerpt(n: Notification, limit: int = EXCERPT) -> str:
    """The comment's own words (never a hidden one's), cut at ``limit`` characters."""
    if n.comment is None or n.comment.hidden:
        return ""
    body = n.comment.body
    return body if len(body) <= limit else body[: limit - 1].rstrip() + "…"


@transaction.atomic
def _write(user: Any, notifications: list[Notification], key: str) -> bool:
    kept, left_out = accessible(user, notifications)
    kept_ids = {n.pk for n in kept}
    left = [n.pk for n in notifications if n.pk not in kept_ids]
    if left:
        Notification.objects.filter(pk__in=left).update(mail=Notification.Mail.LEFT_OUT)
    if not kept:
        return False
    groups: OrderedDict[Any, dict[str, Any]] = OrderedDict()
    zone = zone_for(user)
    when: dict[tuple, str] = {}
    with translation.override(delivery.language_of(user)):
        for n in kept:
            local = n.created_at.astimezone(zone)
            minute = (local.date(), local.hour, local.minute)
            if minute not in when:  # formatting dates is dear: once per minute of the digest
                when[minute] = formats.date_format(
                    local, "j M, H:i"
                )  # newest first; a recommendation's group where its newest item is
            group = groups.setdefault(
                n.recommendation_id,
                {"recommendation": n.recommendation, "items": []},
            )
            group["items"].append(
                {
                    "text": display.text(n),
                    "url": delivery.absolute(display.path(n)),
                    "comment_text": excerpt(n),
                    "when": when[minute],
                }
            )
    mail = delivery.compose(
        key=key,
        to=user.email,
        user=user,
        template="notifications/email/digest",
        context={
            "user": user,
            "groups": list(groups.values()),
            "count": len(kept),
            "left_out": left_out,
        },
        unsubscribe_kind="digest",
    )
    if mail is None:  # another run wrote it meanwhile
        transaction.set_rollback(True)
        return False
    Notification.objects.filter(pk__in=kept_ids).update(
        mail=Notification.Mail.SENT, mailed_at=timezone.now()
    )
    return True
