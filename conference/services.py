"""Writes of the conference: its facts and deadlines, and the programme's sessions.

Each function takes the acting user as ``actor`` (the secretariat), validates everything
before saving anything (400), records the activity and tells the overview after commit. A
session's calendar ``sequence`` grows with every change, so calendar programs replace their
copy instead of keeping both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from accounts.zones import validate_zone
from core.activity import record_activity
from core.cleaning import clean_text
from core.errors import Conflict
from live.broadcast import send_event_on_commit
from live.groups import OVERVIEW_GROUP
from recommendations.models import Recommendation, Status, Theme

from .models import (
    Conference,
    Session,
    ThemeMeeting,
    validate_days,
    validate_deadlines,
    validate_times,
)
from .permissions import require_secretariat


def _aware(value: datetime | None, zone, field: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        raise ValidationError({field: [_("Enter a date and time.")]})
    if timezone.is_naive(value):
        value = value.replace(tzinfo=zone)
    return value


def _announce(kind: str, data: dict[str, Any]) -> None:
    send_event_on_commit([(OVERVIEW_GROUP, {"type": kind, "recommendation": None, "data": data})])


@transaction.atomic
def save_conference(
    conference: Conference | None,
    *,
    actor,
    name: str,
    place: str,
    host: str = "",
    starts_on: date,
    ends_on: date,
    time_zone: str = "",
    drafting_closes_at: datetime | None = None,
    endorsement_closes_at: datetime | None = None,
) -> Conference:
    """Create or change the conference (the admin and the demo call this)."""
    require_secretariat(actor, _("Only the conference secretariat sets up the conference."))
    if conference is not None:
        conference = Conference.objects.select_for_update().get(pk=conference.pk)
    else:
        conference = Conference()
    conference.name = clean_text(name, "name", required=True, limit=200)
    conference.place = clean_text(place, "place", required=True, limit=200)
    conference.host = clean_text(host, "host", required=False, limit=200)
    if starts_on is None or ends_on is None:
        raise ValidationError({"starts_on": [_("Enter the first and last day.")]})
    validate_days(starts_on, ends_on)
    conference.starts_on, conference.ends_on = starts_on, ends_on
    conference.time_zone = validate_zone(time_zone) or conference.time_zone
    zone = conference.zone
    drafting = _aware(drafting_closes_at, zone, "drafting_closes_at")
    endorsement = _aware(endorsement_closes_at, zone, "endorsement_closes_at")
    validate_deadlines(drafting, endorsement)
    conference.drafting_closes_at, conference.endorsement_closes_at = drafting, endorsement
    conference.save()
    record_activity(
        None, actor=actor, verb="conference_saved", role="secretariat", name=conference.name
    )
    _announce("conference.updated", {"name": conference.name})
    return conference


@transaction.atomic
def set_deadlines(
    conference: Conference,
    *,
    actor,
    drafting_closes_at: datetime | None,
    endorsement_closes_at: datetime | None,
) -> Conference:
    """Set, move or extend the deadlines (a closed one reopens when moved later)."""
    require_secretariat(actor, _("Only the conference secretariat sets the deadlines."))
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    zone = conference.zone
    drafting = _aware(drafting_closes_at, zone, "drafting_closes_at")
    endorsement = _aware(endorsement_closes_at, zone, "endorsement_closes_at")
    validate_deadlines(drafting, endorsement)
    conference.drafting_closes_at, conference.endorsement_closes_at = drafting, endorsement
    conference.save(update_fields=["drafting_closes_at", "endorsement_closes_at", "updated_at"])
    record_activity(
        None,
        actor=actor,
        verb="deadlines_set",
        role="secretariat",
        drafting=drafting.isoformat() if drafting else None,
        endorsement=endorsement.isoformat() if endorsement else None,
    )
    _announce(
        "conference.deadlines",
        {
            "drafting_closes_at": drafting.isoformat() if drafting else None,
            "endorsement_closes_at": endorsement.isoformat() if endorsement else None,
        },
    )
    return conference


@transaction.atomic
def save_meeting(
    conference: Conference, *, actor, theme: Theme, city: str, held_on: date
) -> ThemeMeeting:
    require_secretariat(actor, _("Only the conference secretariat sets up the conference."))
    meeting, _created = ThemeMeeting.objects.update_or_create(
        conference=conference,
        theme=theme,
        defaults={"city": clean_text(city, "city", required=True, limit=100), "held_on": held_on},
    )
    return meeting


def _clean_recommendations(recommendations: Iterable[Recommendation]) -> list[Recommendation]:
    recs = list(recommendations)
    shown = [r for r in recs if r.status in (Status.DRAFT, Status.WITHDRAWN, Status.REJECTED)]
    if shown:
        raise ValidationError(
            {
                "recommendations": [
                    _("A session discusses recommendations in review or later, not “%(title)s”.")
                    % {"title": shown[0].title}
                ]
            }
        )
    return recs


@transaction.atomic
def save_session(
    session: Session | None,
    *,
    actor,
    conference: Conference,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    room: str = "",
    theme: Theme | None = None,
    speakers: str = "",
    description: str = "",
    organisations: Iterable[Organisation] = (),
    recommendations: Iterable[Recommendation] = (),
) -> Session:
    """Create or change a session; each change raises its calendar SEQUENCE by one."""
    require_secretariat(actor, _("Only the conference secretariat plans the programme."))
    zone = conference.zone
    starts_at = _aware(starts_at, zone, "starts_at")
    ends_at = _aware(ends_at, zone, "ends_at")
    if starts_at is None or ends_at is None:
        raise ValidationError({"starts_at": [_("Enter when the session starts and ends.")]})
    validate_times(starts_at, ends_at)
    values = {
        "title": clean_text(title, "title", required=True, limit=200),
        "description": clean_text(description, "description", required=False, limit=5000),
        "room": clean_text(room, "room", required=False, limit=100),
        "speakers": clean_text(speakers, "speakers", required=False, limit=2000),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "theme": theme,
        "conference": conference,
    }
    recs = _clean_recommendations(recommendations)
    if session is None:
        session = Session.objects.create(**values)
        verb = "session_created"
    else:
        session = Session.objects.select_for_update().get(pk=session.pk)
        for name, value in values.items():
            setattr(session, name, value)
        session.sequence = F("sequence") + 1
        session.save()
        session.refresh_from_db()
        verb = "session_changed"
    session.organisations.set(list(organisations))
    session.recommendations.set(recs)
    record_activity(None, actor=actor, verb=verb, role="secretariat", title=session.title)
    _announce("session.changed", {"session": session.pk, "sequence": session.sequence})
    return session


@transaction.atomic
def delete_session(session: Session, *, actor) -> None:
    require_secretariat(actor, _("Only the conference secretariat plans the programme."))
    title = session.title
    if not Session.objects.filter(pk=session.pk).exists():
        raise Conflict(_("This session was already removed."))
    session.delete()
    record_activity(None, actor=actor, verb="session_removed", role="secretariat", title=title)
