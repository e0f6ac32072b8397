"""Every write of the notifications app: reading, following, preferences, unsubscribing.
Each takes the acting person as ``actor``; pages and the API call these."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.cleaning import non_negative_int
from recommendations import permissions as rec_perms
from recommendations.models import Recommendation

from .kinds import KINDS, Channel
from .models import Follow, Notification, Preferences


def get_notification_for(user: Any, pk: Any) -> Notification:
    """The person's own notification; anyone else's answers 404, as if it did not exist."""
    try:
        pk = non_negative_int(pk, "pk")
    except ValidationError:
        raise Http404("No such notification") from None
    notification = Notification.objects.filter(pk=pk, recipient=user).first()
    if notification is None:
        raise Http404("No such notification")
    return notification


def mark_read(notification: Notification, *, actor: Any) -> Notification:
    if notification.recipient_id != actor.pk:
        raise Http404("No such notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, actor: Any) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_following(rec: Recommendation, *, actor: Any, following: bool) -> Follow:
    """Follow or stop following a recommendation the person can see (404 otherwise)."""
    if not rec_perms.can_view(actor, rec):
        raise Http404("No such recommendation")
    follow, _created = Follow.objects.update_or_create(
        user=actor, recommendation=rec, defaults={"active": following}
    )
    return follow


def clean_preferences(data: Any) -> tuple[dict[str, str], int | None]:
    """``{"kinds": {kind: channel}, "digest_hour": 0-23}`` checked: unknown kinds, channels
    or hours are refused (400), never ignored."""
    if not isinstance(data, dict):
        raise ValidationError({"kinds": [_("Send an object of kinds and their channels.")]})
    unknown_fields = sorted(set(data) - {"kinds", "digest_hour"})
    if unknown_fields:
        raise ValidationError(
            {"detail": [_("Unknown field: %(f)s.") % {"f": ", ".join(map(str, unknown_fields))}]}
        )
    kinds = data.get("kinds", {})
    if not isinstance(kinds, dict):
        raise ValidationError({"kinds": [_("Send an object of kinds and their channels.")]})
    errors: list[str] = []
    channels: dict[str, str] = {}
    for kind, channel in kinds.items():
        if kind not in KINDS:
            errors.append(_("Unknown kind of notification: %(k)s.") % {"k": str(kind)[:40]})
        elif channel not in Channel.values:
            errors.append(_("Choose immediately, digest or never for %(k)s.") % {"k": kind})
        else:
            channels[kind] = channel
    if errors:
        raise ValidationError({"kinds": errors})
    hour = data.get("digest_hour")
    if hour is not None:
        if isinstance(hour, bool) or not isinstance(hour, int | str):
            raise ValidationError({"digest_hour": [_("Choose an hour from 0 to 23.")]})
        try:
            hour = int(hour)
        except ValueError:
            raise ValidationError({"digest_hour": [_("Choose an hour from 0 to 23.")]}) from None
        if not 0 <= hour <= 23:
            raise ValidationError({"digest_hour": [_("Choose an hour from 0 to 23.")]})
    return channels, hour


@transaction.atomic
def set_preferences(
    *, actor: Any, channels: dict[str, str], digest_hour: int | None = None
) -> Preferences:
    pref, _created = Preferences.objects.select_for_update().get_or_create(user=actor)
    stored = dict(pref.channels)
    for kind, channel in channels.items():
        if channel == KINDS[kind].default:
            stored.pop(kind, None)
        else:
            stored[kind] = channel
    pref.channels = stored
    if digest_hour is not None:
        pref.digest_hour = digest_hour
    pref.save()
    return pref


def unsubscribe(user: Any, kind: str) -> bool:
    """Stop the e-mails of ``kind`` ("digest": every kind sent in the digest; "all": every
    kind). False when there was nothing left to stop (a link used twice)."""
    pref = Preferences.objects.filter(user=user).first() or Preferences(user=user)
    if kind == "all":
        targets = list(KINDS)
    elif kind == "digest":
        targets = [k for k in KINDS if pref.channel_for(k) == Channel.DIGEST]
    elif kind in KINDS:
        targets = [kind]
    else:
        return False
    targets = [k for k in targets if pref.channel_for(k) != Channel.NEVER]
    if not targets:
        return False
    set_preferences(actor=user, channels=dict.fromkeys(targets, Channel.NEVER))
    return True
