"""Reads of notifications, each a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .access import accessible, visible
from .models import Follow, Notification, Preferences


def unread_count(user: Any) -> int:
    """The bell's number: unread notifications the person may still see (one query, on every
    page)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return visible(user, Notification.objects.for_user(user).unread()).count()


def listing(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.for_user(user).for_display()
    return qs.unread() if unread_only else qs


def page_of(user: Any, notifications: list[Notification]) -> list[Notification]:
    """One page of the list, less what the reader may no longer see."""
    kept, _left_out = accessible(user, notifications)
    return kept


def preferences_of(user: Any) -> Preferences:
    pref = Preferences.objects.filter(user=user).first()
    return pref if pref is not None else Preferences(user=user)


def followed_ids(user: Any) -> set[int]:
    return set(
        Follow.objects.filter(user=user, active=True).values_list("recommendation_id", flat=True)
    )


def attention(user: Any, *, limit: int = 10) -> dict[str, Any]:
    """The home page's part of "Needs your attention" that notifications know: approved texts
    the person's organisations may endorse, the moderation queue's counts, what is unread."""
    from accounts.models import Organisation
    from publication.models import Endorsement
    from recommendations.models import Recommendation, Status

    from . import display
    from .context import header_for

    out: dict[str, Any] = {}
    represented = list(Organisation.objects.represented_by(user).order_by("name"))
    if represented:
        approved = list(
            Recommendation.objects.visible_to(user)
            .filter(status=Status.APPROVED, approved_version__isnull=False)
            .order_by("-approved_at")[:limit]
        )
        endorsed = set(
            Endorsement.objects.live()
            .filter(recommendation__in=approved, organisation__in=represented)
            .values_list("recommendation_id", "organisation_id")
        )
        out["to_endorse"] = [
            {"rec": rec, "organisation": org}
            for rec in approved
            for org in represented
            if (rec.pk, org.pk) not in endorsed
        ][:limit]
    counts = header_for(user)  # the header shows the same two numbers: counted once
    if user.is_moderator:
        out["moderation"] = True
        out["to_approve"] = Recommendation.objects.filter(status=Status.IN_REVIEW).count()
        out["reports"] = counts.reports
    unread = page_of(user, list(listing(user, unread_only=True)[:5]))
    if unread:
        out["unread"] = [{"text": display.text(n), "url": display.path(n)} for n in unread]
        out["unread_count"] = counts.unread
    return out
