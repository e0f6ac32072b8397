"""The overview: the conference at a glance for one signed-in person. Every number is counted
from what that person may see (``Recommendation.objects.visible_to``), in a fixed number of
queries whatever the amount of data; the page, the home page and ``GET /api/overview/`` all
read it from here."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import KIND_PLURALS, Organisation, OrganisationKind
from core.models import Activity
from publication.models import Endorsement
from recommendations.models import Recommendation, Status, Theme

from .models import Conference, OverviewVisit, ThemeMeeting

CHANGES_LIMIT = 20
# The page charts the support of the most supported texts; the list orders them all.
SUPPORT_SHOWN = 25
# Statuses as the overview counts them, in the lifecycle's order.
STATUSES = [Status.DRAFT, Status.IN_REVIEW, Status.APPROVED, Status.FINAL]
SUPPORTED = (Status.APPROVED, Status.FINAL)


def _themes(visible, conference: Conference | None) -> list[dict[str, Any]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for theme_id, status, n in (
        visible.order_by().values_list("theme", "status").annotate(n=Count("pk"))
    ):
        counts[theme_id][status] = n
    meetings = (
        {m.theme_id: m for m in ThemeMeeting.objects.filter(conference=conference)}
        if conference is not None
        else {}
    )
    rows = []
    for theme in Theme.objects.order_by("position", "name"):
        by_status = counts.get(theme.pk, {})
        meeting = meetings.get(theme.pk)
        rows.append(
            {
                "theme": theme,
                "slug": theme.slug,
                "name": theme.name,
                "meeting": meeting,
                "city": meeting.city if meeting else theme.event_city,
                "held_on": meeting.held_on if meeting else None,
                "statuses": [
                    {"status": s.value, "label": s.label, "count": by_status.get(s.value, 0)}
                    for s in STATUSES
                ],
                "closed": sum(
                    n for s, n in by_status.items() if s in (Status.WITHDRAWN, Status.REJECTED)
                ),
                "total": sum(by_status.values()),
            }
        )
    return rows


def theme_rows(user) -> list[dict[str, Any]]:
    """The themes with their meetings, and the recommendations ``user`` may see by status."""
    return _themes(Recommendation.objects.visible_to(user), Conference.objects.current())


def _support(visible, limit: int | None = None) -> list[dict[str, Any]]:
    """Per approved or final recommendation: live endorsements by kind of organisation.

    ``limit``: only the most supported ones (the page: at conference scale thousands of
    charts were megabytes); without, all of them (the API), in the themes' order."""
    live = Endorsement.objects.live().filter(recommendation=OuterRef("pk"))
    recs_qs = visible.filter(status__in=SUPPORTED).select_related("theme")
    if limit is None:
        recs = list(recs_qs.order_by("theme__position", "theme__name", "title", "pk"))
    else:
        recs = list(
            recs_qs.annotate(
                n=Coalesce(
                    Subquery(
                        live.order_by().values("recommendation").annotate(c=Count("pk")).values("c")
                    ),
                    0,
                )
            ).order_by("-n", "theme__position", "theme__name", "title", "pk")[:limit]
        )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for rec_id, kind, n in (
        Endorsement.objects.live()
        .filter(recommendation__in=[r.pk for r in recs])
        .order_by()
        .values_list("recommendation", "organisation__kind")
        .annotate(n=Count("pk"))
    ):
        counts[rec_id][kind] = n
    largest = max((n for by_kind in counts.values() for n in by_kind.values()), default=0)
    rows = []
    for rec in recs:
        by_kind = counts.get(rec.pk, {})
        rows.append(
            {
                "recommendation": rec,
                "total": sum(by_kind.values()),
                "kinds": [
                    {
                        "kind": kind.value,
                        "label": KIND_PLURALS.get(kind, kind.label),
                        "count": by_kind.get(kind.value, 0),
                        "max": max(largest, 1),
                    }
                    for kind in OrganisationKind
                ],
            }
        )
    return rows


def _silent_organisations() -> list[Organisation]:
    """Organisations with no live endorsement of anything."""
    return list(
        Organisation.objects.filter(
            ~Exists(Endorsement.objects.live().filter(organisation=OuterRef("pk")))
        ).order_by("kind", "name")
    )


def _changes(user, visible, since: datetime | None) -> list[Activity]:
    if since is None:
        return []
    return list(
        Activity.objects.filter(created_at__gt=since, recommendation__in=visible.values("pk"))
        .select_related("recommendation", "actor", "organisation")
        .order_by("-created_at", "-pk")[:CHANGES_LIMIT]
    )


def last_visit(user) -> datetime | None:
    return OverviewVisit.objects.filter(user=user).values_list("seen_at", flat=True).first()


def mark_visited(user, moment: datetime | None = None) -> None:
    OverviewVisit.objects.update_or_create(
        user=user, defaults={"seen_at": moment or timezone.now()}
    )


def overview_for(
    user,
    *,
    since: datetime | None = None,
    summary: bool = False,
    support_limit: int | None = None,
) -> dict[str, Any]:
    """Everything the overview shows to ``user`` (``since``: their previous visit);
    ``summary``: the conference and the themes only (the home page); ``support_limit``: the
    charts of the most supported texts only (the page)."""
    visible = Recommendation.objects.visible_to(user)
    conference = Conference.objects.current()
    themes = _themes(visible, conference)
    totals_by_status = {
        s.value: sum(t["statuses"][i]["count"] for t in themes) for i, s in enumerate(STATUSES)
    }
    return {
        "conference": conference,
        "themes": themes,
        "totals": {
            "recommendations": sum(t["total"] for t in themes),
            "statuses": [
                {
                    "status": s.value,
                    "label": s.label,
                    "count": sum(t["statuses"][i]["count"] for t in themes),
                }
                for i, s in enumerate(STATUSES)
            ],
        },
        "support": [] if summary else _support(visible, support_limit),
        "supported_total": sum(totals_by_status[s] for s in SUPPORTED),
        "support_all_url": reverse("recommendations:list") + "?sort=supported",
        "silent": [] if summary else _silent_organisations(),
        "since": since,
        "changes": [] if summary else _changes(user, visible, since),
    }
