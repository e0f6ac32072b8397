"""Reads of commitments, the follow-up numbers and the organisation pages, each a fixed
number of queries whatever the amount of data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext

from accounts.invitations import can_invite
from accounts.models import KIND_PLURALS, Organisation, OrganisationKind
from publication.models import Endorsement
from publication.permissions import is_active_user, represents
from publication.selectors import older_than_approved
from recommendations.models import Recommendation, Status, Theme

from .models import (
    OPEN_STATUSES,
    Commitment,
    OrganisationPage,
    PilotProject,
    ProfileRevision,
    ProgressStatus,
    ProgressUpdate,
    published_recommendations,
)
from .permissions import can_see_private

COUNTED = ("total", "done", "in_progress", "not_started", "dropped", "overdue")


def stale_after_days() -> int:
    return settings.WORKSPACE_FOLLOWUP_STALE_DAYS


def decorate(commitments: list[Commitment], today: dt.date | None = None) -> list[Commitment]:
    """Give each commitment what its row shows: overdue, days since the last update, stale."""
    today = today or timezone.localdate()
    now = timezone.now()
    for c in commitments:
        c.overdue = c.is_overdue(today)
        c.days_quiet = c.days_since_update(now)
        c.stale = c.is_open and c.days_quiet > stale_after_days()
        c.update_pending = c.update_requested_at is not None and (
            c.last_update_at is None or c.last_update_at < c.update_requested_at
        )
    return commitments


def group_by_kind(commitments: list[Commitment]) -> list[dict[str, Any]]:
    """``[{"kind", "label", "items"}]`` in the order of the kinds of organisation."""
    groups: dict[str, list[Commitment]] = defaultdict(list)
    for c in commitments:
        groups[c.actor_kind].append(c)
    return [
        {"kind": kind, "label": KIND_PLURALS[kind], "items": groups[kind]}
        for kind in OrganisationKind.values
        if kind in groups
    ]


# --- the follow-up overview -----------------------------------------------------------------
def overview_numbers(today: dt.date | None = None) -> dict[str, Any]:
    """How many public commitments (on published texts) per kind of actor and per theme, how
    many done, in progress, not started, dropped, overdue: one query."""
    today = today or timezone.localdate()
    overdue = Q(status__in=OPEN_STATUSES, target_date__lt=today)
    rows = (
        Commitment.objects.public()
        .values("actor_kind", "recommendation__theme_id", "status")
        .annotate(n=Count("pk"), late=Count("pk", filter=overdue))
        .order_by()
    )
    totals = dict.fromkeys(COUNTED, 0)
    kinds: dict[str, dict[str, int]] = {}
    themes: dict[int, dict[str, int]] = {}
    for row in rows:
        for bucket in (
            totals,
            kinds.setdefault(row["actor_kind"], dict.fromkeys(COUNTED, 0)),
            themes.setdefault(row["recommendation__theme_id"], dict.fromkeys(COUNTED, 0)),
        ):
            bucket["total"] += row["n"]
            bucket[row["status"]] += row["n"]
            bucket["overdue"] += row["late"]
    theme_rows = Theme.objects.filter(pk__in=list(themes)).order_by("position", "name")
    return {
        "as_of": today.isoformat(),
        "totals": totals,
        "by_kind": [
            {"kind": kind, "label": str(KIND_PLURALS[kind]), **kinds[kind]}
            for kind in OrganisationKind.values
            if kind in kinds
        ],
        "by_theme": [{"theme": t.slug, "label": t.name, **themes[t.pk]} for t in theme_rows],
    }


def public_list(limit: int = 200) -> list[Commitment]:
    return decorate(list(Commitment.objects.public().for_list()[:limit]))


# --- a recommendation's commitments -----------------------------------------------------------
def recommendation_context(user, rec: Recommendation) -> dict[str, Any]:
    """What the commitments panel of a recommendation page needs (three queries at most)."""
    commitments = decorate(
        list(Commitment.objects.visible_to(user).filter(recommendation=rec).for_list())
    )
    commit_as = []
    open_for_commitments = rec.status in (Status.APPROVED, Status.FINAL)
    if is_active_user(user) and open_for_commitments:
        commit_as = list(Organisation.objects.represented_by(user).order_by("name"))
    represented = {o.pk for o in commit_as}
    from .services import needs_reconfirmation

    for c in commitments:
        c.recommendation = rec
        c.reconfirm = c.organisation_id in represented and needs_reconfirmation(c)
    return {
        "commitments": commitments,
        "commitment_groups": group_by_kind(commitments),
        "commit_as": commit_as,
        "commitments_open": open_for_commitments,
        "kinds": OrganisationKind.choices,
        "today": timezone.localdate().isoformat(),
    }


# --- an organisation's page -------------------------------------------------------------------
def organisation_context(user, organisation: Organisation) -> dict[str, Any]:
    private = can_see_private(user, organisation)
    page = OrganisationPage.objects.filter(organisation=organisation).first()
    if is_active_user(user):
        drafted = Recommendation.objects.visible_to(user)
    else:
        drafted = Recommendation.objects.filter(pk__in=published_recommendations())
    drafted = list(
        drafted.filter(Q(lead_organisation=organisation) | Q(co_drafters=organisation))
        .distinct()
        .select_related("theme")
        .order_by("theme__position", "title")
    )
    endorsements = Endorsement.objects.live().filter(organisation=organisation)
    if not is_active_user(user):
        endorsements = endorsements.filter(recommendation__in=published_recommendations())
    endorsements = list(endorsements.select_related("recommendation").order_by("-created_at"))
    commitments = decorate(
        list(Commitment.objects.visible_to(user).filter(organisation=organisation).for_list())
    )
    profile = ProfileRevision.objects.filter(organisation=organisation).latest_per_section(
        published_only=not private
    )
    pilots = PilotProject.objects.filter(organisation=organisation).select_related("theme")
    if not private:
        pilots = pilots.filter(is_published=True)
    return {
        "organisation": organisation,
        "page": page,
        "can_edit": represents(user, organisation),
        "can_invite": can_invite(user, organisation),
        "private": private,
        "drafted": drafted,
        "endorsements": endorsements,
        "commitments": commitments,
        "commitment_groups": group_by_kind(commitments),
        "requests": [c for c in commitments if c.update_pending],
        "profile": profile,
        "pilot": next(iter(pilots), None),
        "is_city": organisation.kind == OrganisationKind.CITY,
    }


def profile_history(user, organisation: Organisation, section: str) -> list[ProfileRevision]:
    revisions = ProfileRevision.objects.filter(organisation=organisation, section=section)
    if not can_see_private(user, organisation):
        revisions = revisions.filter(is_published=True)
    return list(revisions.select_related("author").order_by("-created_at", "-pk"))


def updates_of(commitment: Commitment) -> list[ProgressUpdate]:
    return list(
        commitment.updates.select_related("author", "verified_by").order_by("created_at", "pk")
    )


def changes_of(commitment: Commitment) -> list[dict[str, Any]]:
    """The recorded changes of a commitment (``commitment_changed`` activities), oldest first:
    what was changed, from what to what, when and by whom."""
    from core.models import Activity

    rows = (
        Activity.objects.filter(verb="commitment_changed", data__commitment=commitment.pk)
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    labels = {
        f.name: f.verbose_name for f in Commitment._meta.get_fields() if hasattr(f, "verbose_name")
    }
    return [
        {
            "at": row.created_at,
            "actor": row.actor,
            "fields": [
                {"label": labels.get(name, name), "old": _shown(old), "new": _shown(new)}
                for name, (old, new) in sorted(row.data.get("changes", {}).items())
            ],
        }
        for row in rows
    ]


def _shown(value: Any) -> Any:
    """A recorded value as the page shows it (visibility in words, not True/False)."""
    if isinstance(value, bool):
        return gettext("Public") if value else gettext("Private")
    return value


def chart_points(commitment: Commitment, updates: list[ProgressUpdate]) -> dict[str, Any] | None:
    """The progress-over-time chart of an indicator: SVG coordinates (0-100 on both axes) of
    each reported value, from the commitment's date to the last update, against the target."""
    values = [(u.created_at, u.current_value) for u in updates if u.current_value is not None]
    if not values or commitment.target_value in (None, 0):
        return None
    start = commitment.created_at
    end = max(values[-1][0], start + dt.timedelta(days=1))
    span = (end - start).total_seconds()
    top = max(commitment.target_value, max(v for _t, v in values))
    points = []
    for moment, value in values:
        x = round(100 * (moment - start).total_seconds() / span, 1)
        y = round(100 - float(100 * value / top), 1)
        points.append({"x": x, "y": y, "value": value, "date": moment})
    target_y = round(100 - float(100 * commitment.target_value / top), 1)
    return {
        "points": points,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in points),
        "target_y": target_y,
    }


def home_prompts(user, limit: int = 10) -> dict[str, Any]:
    """What a representative's home page asks about their organisations' commitments: those
    to re-confirm on a newly approved version (the endorsements' rule), and the open ones
    whose update the secretariat asked for or that have had none for too long."""
    if not is_active_user(user):
        return {}
    mine = (
        Commitment.objects.filter(organisation__in=Organisation.objects.represented_by(user))
        .select_related("organisation", "recommendation", "recommendation__theme")
        .order_by("target_date", "pk")
    )
    reconfirm = list(mine.filter(older_than_approved())[:limit])
    quiet_since = timezone.now() - dt.timedelta(days=stale_after_days())
    due = decorate(
        list(
            mine.filter(status__in=OPEN_STATUSES).filter(
                Q(update_requested_at__isnull=False)
                & (Q(last_update_at__isnull=True) | Q(last_update_at__lt=F("update_requested_at")))
                | Q(last_update_at__lt=quiet_since)
                | Q(last_update_at__isnull=True, created_at__lt=quiet_since)
            )[:limit]
        )
    )
    return {"commitments_to_reconfirm": reconfirm, "commitments_due": due}


def status_choices() -> list[tuple[str, str]]:
    return list(ProgressStatus.choices)
