"""A deadline within a day goes out at once, even to those who read the rest in the digest.

An approved text to endorse (or an endorsement to re-confirm) that the person's organisation
has not acted on, while endorsing closes within ``URGENT_WITHIN``: waiting for tomorrow's
digest could be too late. Two moments apply the rule, written once here:

- when the notification is made (``channel_now``: digest becomes immediate);
- every hour (``send_urgent``, run by ``send_digests``): a digest notification made days ago
  whose deadline has come within a day is mailed at once, unless the organisation has acted
  since (endorsed the version approved now). Whoever chose "never" is never mailed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from core import rules
from publication.models import Endorsement

from .kinds import Channel
from .models import Notification

URGENT_WITHIN = timedelta(hours=24)
# The kinds whose action has a deadline, and the rule (core.rules) that says when it closes.
DEADLINES = {"endorse": "endorsement", "reconfirm": "endorsement"}


def closes_soon(kind: str, now: datetime | None = None) -> bool:
    """Does the deadline of this kind's action close within a day (and not yet)?"""
    name = DEADLINES.get(kind)
    deadline = rules.deadline(name) if name else None
    if deadline is None:
        return False
    now = now or timezone.now()
    return now < deadline.closes_at <= now + URGENT_WITHIN


def channel_now(kind: str, chosen: str, now: datetime | None = None) -> str:
    """The channel a new notification's e-mail takes: the person's choice, except that a
    digest reader is mailed at once when the deadline is within a day."""
    if chosen == Channel.DIGEST and closes_soon(kind, now):
        return Channel.IMMEDIATE
    return chosen


def waiting(now: datetime | None = None) -> list[int]:
    """Digest notifications not mailed yet whose deadline is within a day and whose
    organisation has not endorsed the version approved now."""
    kinds = [kind for kind in DEADLINES if closes_soon(kind, now)]
    if not kinds:
        return []
    acted = Endorsement.objects.live().filter(
        recommendation=OuterRef("recommendation"),
        organisation=OuterRef("organisation"),
        version__gte=OuterRef("recommendation__approved_version"),
    )
    return list(
        Notification.objects.filter(
            kind__in=kinds, channel=Channel.DIGEST, mail=Notification.Mail.PENDING
        )
        .exclude(Exists(acted))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def send_urgent(now: datetime | None = None) -> int:
    """Mail at once what ``waiting`` finds (each checked again by the one access check when
    it is written); the digest no longer carries them. Safe to run twice."""
    from .tasks import mail_notifications

    ids = waiting(now)
    if not ids:
        return 0
    Notification.objects.filter(pk__in=ids).update(channel=Channel.IMMEDIATE)
    return mail_notifications.call(ids)
