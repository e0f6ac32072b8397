"""The demo holds the real conference: Beirut, 7-8 November 2017, hosted by the mayor of
Beirut, its seven themes' meetings, its programme, deadlines open for weeks after the day
seed_demo runs (so the demo's actions stay possible), and an edition that names it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from conference.models import Conference, Session, ThemeMeeting
from publication.models import Edition

pytestmark = pytest.mark.django_db


def test_the_demo_conference_its_programme_and_the_edition_that_names_it():
    call_command("seed_demo")
    conference = Conference.objects.get()
    assert (conference.place, conference.host) == ("Beirut, Lebanon", "The Mayor of Beirut")
    assert (conference.starts_on, conference.ends_on) == (date(2017, 11, 7), date(2017, 11, 8))
    assert conference.zone.key == "Asia/Beirut"
    now = timezone.now()
    assert now + timedelta(days=14) < conference.drafting_closes_at
    assert conference.drafting_closes_at < conference.endorsement_closes_at
    assert {m.city for m in ThemeMeeting.objects.all()} == {
        "Lisbon",
        "Madrid",
        "Tangier",
        "Vienna",
        "Amman",
        "Turin",
        "Lyon",
    }
    sessions = list(Session.objects.all())
    assert len(sessions) == 7
    assert all(
        s.starts_at.astimezone(conference.zone).date() in (date(2017, 11, 7), date(2017, 11, 8))
        for s in sessions
    )
    assert any(s.recommendations.exists() for s in sessions)
    edition = Edition.objects.published().get()
    assert edition.markdown.startswith(
        '---\nconference: "Mediterranean City-to-City Migration conference"\n'
        'place: "Beirut, Lebanon"\nhost: "The Mayor of Beirut"\ndates: 2017-11-07/2017-11-08\n'
        "edition: 1\nadopted: 2017-11-08\n"
    )
    assert edition.pdf.startswith(b"%PDF-")

    # Again: nothing doubles, sessions keep their calendar identity.
    uids = {s.pk: (s.uid, s.sequence) for s in sessions}
    call_command("seed_demo")
    assert Conference.objects.count() == 1 and Session.objects.count() == 7
    assert {s.pk: (s.uid, s.sequence) for s in Session.objects.all()} == uids
