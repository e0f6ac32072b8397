"""The conference's deadlines as the rules that ``recommendations`` and ``publication`` ask
for by name (``core.rules``): after drafting closes, nobody creates, edits, restores or
submits a text; after endorsement closes, nobody endorses or re-confirms. The services answer
409 with the date in the conference's zone; the secretariat can move a deadline later."""

from __future__ import annotations

from datetime import datetime

from django.utils import formats
from django.utils.translation import gettext as _

from core import rules
from core.errors import Conflict

from .models import Conference

FIELDS = {"drafting": "drafting_closes_at", "endorsement": "endorsement_closes_at"}


def local_text(moment: datetime, conference: Conference) -> str:
    """``8 November 2017, 18:00 (Asia/Beirut)``, in the language of the request."""
    local = moment.astimezone(conference.zone)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({conference.zone.key})"


def deadline(name: str) -> rules.Deadline | None:
    conference = Conference.objects.current()
    if conference is None:
        return None
    closes_at = getattr(conference, FIELDS[name])
    if closes_at is None:
        return None
    return rules.Deadline(closes_at=closes_at, time_zone=conference.zone.key)


def _refuse_after(name: str, message: str) -> None:
    conference = Conference.objects.current()
    closes_at = getattr(conference, FIELDS[name]) if conference is not None else None
    if closes_at is None or not rules.Deadline(closes_at).closed:
        return
    raise Conflict(
        message % {"date": local_text(closes_at, conference)},
        deadline=name,
        closed_at=closes_at.isoformat(),
    )


def check_drafting(**context) -> None:
    _refuse_after(
        "drafting",
        _(
            "Drafting closed on %(date)s: texts can no longer be created, edited or submitted. "
            "The conference secretariat can extend the deadline."
        ),
    )


def check_endorsement(**context) -> None:
    _refuse_after(
        "endorsement",
        _(
            "Endorsement closed on %(date)s: organisations can no longer endorse. "
            "The conference secretariat can extend the deadline."
        ),
    )


def drafting_deadline() -> rules.Deadline | None:
    return deadline("drafting")


def endorsement_deadline() -> rules.Deadline | None:
    return deadline("endorsement")


DRAFTING = rules.Rule(check=check_drafting, deadline=drafting_deadline)
ENDORSEMENT = rules.Rule(check=check_endorsement, deadline=endorsement_deadline)


def register() -> None:
    rules.register("drafting", "conference", DRAFTING)
    rules.register("endorsement", "conference", ENDORSEMENT)
