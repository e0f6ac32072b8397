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
from recommendations.models import Status

from .kinds import Channel
from .models import Notification

URGENT_WITHIN = timedelta(hours=24)
# The kinds whose action has a deadline, and the rule (core.rules) that says when it closes.
DEADLINES = {"endorse": "endorsement", "reconfirm": "endorsement"}


def closes_soon(kind: str, now: datetime | None = None) -> bool:
    """Does the deadline of this kind's action close within a day (and not yet)?"""
    return kind in urgent_kinds(now)


def urgent_kinds(now: datetime | None = None) -> frozenset[str]:
    """The kinds whose deadline closes within a day (one read per deadline, not per person)."""
    now = now or timezone.now()
    soon = set()
    for name in set(DEADLINES.values()):
        deadline = rules.deadline(name)
        if deadline is not None and now < deadline.closes_at <= now + URGENT_WITHIN:
            soon.update(kind for kind, rule in DEADLINES.items() if rule == name)
    return frozenset(soon)


def channel_now(kind: str, chosen: str, urgent: frozenset[str]) -> str:
    """The channel a new notification's e-mail takes: the person's choice, except that a
    digest reader is mailed at once when the deadline is within a day (``urgent``: the
    kinds ``urgent_kinds`` found, read once for all the people told)."""
    if chosen == Channel.DIGEST and kind in urgent:
        return Channel.IMMEDIATE
    return chosen


def waiting(now: datetime | None = None) -> list[int]:
    """Digest notifications not mailed yet whose deadline is within a day, about a text still
    approved (not finalised or withdrawn since), whose organisation has not endorsed the
    version approved now."""
    kinds = sorted(urgent_kinds(now))
    if not kinds:
        return []
    acted = Endorsement.objects.live().filter(
        recommendation=OuterRef("recommendation"),
        organisation=OuterRef("organisation"),
        version__gte=OuterRef("recommendation__approved_version"),
    )
    return list(
        Notification.objects.filter(
            kind__in=kinds,
            channel=Channel.DIGEST,
            mail=Notification.Mail.PENDING,
            recommendation__status=Status.APPROVED,  # still open for endorsement
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
