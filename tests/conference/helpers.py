"""The conference of the tests, made through the services (Beirut, 7-8 November 2017)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from conference import services
from conference.models import Conference


def make_conference(secretariat, *, drafting_in=None, endorsement_in=None) -> Conference:
    """The conference; ``*_in``: a timedelta from now to each deadline (None: no deadline)."""
    now = timezone.now()
    return services.save_conference(
        None,
        actor=secretariat,
        name="MC2CM conference",
        place="Beirut, Lebanon",
        host="The Mayor of Beirut",
        starts_on=date(2017, 11, 7),
        ends_on=date(2017, 11, 8),
        drafting_closes_at=now + drafting_in if drafting_in is not None else None,
        endorsement_closes_at=now + endorsement_in if endorsement_in is not None else None,
    )


def close(conference: Conference, secretariat, which: str) -> Conference:
    """Move the ``which`` deadline ("drafting" or "endorsement") a minute into the past."""
    past = timezone.now() - timedelta(minutes=1)
    drafting = conference.drafting_closes_at
    endorsement = conference.endorsement_closes_at
    if which == "drafting":
        drafting = past
        endorsement = max(endorsement or past, past)
    else:
        endorsement = past
        drafting = min(drafting or past, past)
    return services.set_deadlines(
        conference,
        actor=secretariat,
        drafting_closes_at=drafting,
        endorsement_closes_at=endorsement,
    )
