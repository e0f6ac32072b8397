"""Demo data of the conference: Beirut, 7-8 November 2017, hosted by the mayor of Beirut; the
seven themes' peer-learning meetings; the programme's sessions. The deadlines are set relative
to the day ``seed_demo`` runs (drafting open three weeks, endorsing five), so every action of
the demo stays possible. Idempotent; everything goes through the services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import SECRETARIAT, Organisation, User
from recommendations.models import Recommendation, Theme

from . import services
from .models import Conference, Session

NAME = "Mediterranean City-to-City Migration conference"
PLACE = "Beirut, Lebanon"
HOST = "The Mayor of Beirut"
STARTS_ON = date(2017, 11, 7)
ENDS_ON = date(2017, 11, 8)

# Each theme's peer-learning meeting: (theme slug, city, date). The cities are the project's;
# the dates place each meeting in the project's first phase (2015-2017).
MEETINGS = [
    ("social-inclusion", "Lisbon", date(2016, 3, 17)),
    ("employment", "Madrid", date(2016, 6, 9)),
    ("human-rights-basic-services", "Tangier", date(2016, 10, 20)),
    ("refugee-accommodation", "Vienna", date(2016, 12, 1)),
    ("social-housing-urbanisation", "Amman", date(2017, 2, 23)),
    ("education", "Turin", date(2017, 4, 27)),
    ("inter-institutional-coordination", "Lyon", date(2017, 6, 15)),
]

# (day, start, end, title, room, theme slug, speakers, organisation slugs, recommendations)
SESSIONS = [
    (
        STARTS_ON,
        time(9, 0),
        time(10, 0),
        "Opening: cities at the centre of migration governance",
        "Plenary hall",
        None,
        "The Mayor of Beirut\nUCLG Secretary General",
        ["beirut", "uclg"],
        [],
    ),
    (
        STARTS_ON,
        time(10, 30),
        time(12, 0),
        "Social inclusion and access to basic services",
        "Plenary hall",
        "social-inclusion",
        "",
        ["lisbon", "tangier"],
        [
            "Give newcomers one front door to local services",
            "Access to basic services regardless of status",
        ],
    ),
    (
        STARTS_ON,
        time(14, 0),
        time(15, 30),
        "Employment and recognition of skills",
        "Room Phoenicia",
        "employment",
        "",
        ["madrid", "demo-civil-society"],
        [
            "Recognise foreign qualifications within three months",
            "Open municipal job-matching to refugees from day one",
        ],
    ),
    (
        STARTS_ON,
        time(16, 0),
        time(17, 30),
        "Refugee accommodation and social housing",
        "Room Phoenicia",
        "refugee-accommodation",
        "",
        ["vienna", "amman"],
        [
            "Small-scale accommodation before large reception centres",
            "Plan social housing with the people who will live in it",
        ],
    ),
    (
        ENDS_ON,
        time(9, 30),
        time(11, 0),
        "Education: schools and adult learning",
        "Room Byblos",
        "education",
        "",
        ["turin"],
        ["Language support in every school that receives newcomers"],
    ),
    (
        ENDS_ON,
        time(11, 30),
        time(13, 0),
        "Cities, states and funders: coordinating the response",
        "Plenary hall",
        "inter-institutional-coordination",
        "",
        ["lyon", "demo-state", "demo-donor"],
        ["A standing city-state migration dialogue", "Direct access to funding for cities"],
    ),
    (
        ENDS_ON,
        time(15, 0),
        time(16, 30),
        "Adoption of the recommendations and closing",
        "Plenary hall",
        None,
        "The conference secretariat",
        ["beirut"],
        [],
    ),
]


def _deadline(days: int, zone) -> datetime:
    """18:00 in the conference's zone, ``days`` after today."""
    day = timezone.now().astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(day, time(18, 0), tzinfo=zone)


def seed_conference() -> Conference:
    """The conference and its themes' meetings; deadlines reset relative to today."""
    secretariat = User.objects.get(username=SECRETARIAT)
    conference = Conference.objects.current()
    values = {
        "name": NAME,
        "place": PLACE,
        "host": HOST,
        "starts_on": STARTS_ON,
        "ends_on": ENDS_ON,
    }
    zone = conference.zone if conference is not None else None
    if zone is None:
        conference = services.save_conference(None, actor=secretariat, **values)
        zone = conference.zone
    services.set_deadlines(
        conference,
        actor=secretariat,
        drafting_closes_at=_deadline(21, zone),
        endorsement_closes_at=_deadline(35, zone),
    )
    for slug, city, held_on in MEETINGS:
        theme = Theme.objects.filter(slug=slug).first()
        if theme is not None:
            services.save_meeting(
                conference, actor=secretariat, theme=theme, city=city, held_on=held_on
            )
    return conference


def seed_programme(conference: Conference) -> int:
    """The sessions (once: a session that exists keeps its UID and SEQUENCE)."""
    secretariat = User.objects.get(username=SECRETARIAT)
    made = 0
    zone = conference.zone
    for day, start, end, title, room, theme, speakers, orgs, recs in SESSIONS:
        if Session.objects.filter(conference=conference, title=title).exists():
            continue
        services.save_session(
            None,
            actor=secretariat,
            conference=conference,
            title=title,
            starts_at=datetime.combine(day, start, tzinfo=zone),
            ends_at=datetime.combine(day, end, tzinfo=zone),
            room=room,
            theme=Theme.objects.filter(slug=theme).first() if theme else None,
            speakers=speakers,
            organisations=Organisation.objects.filter(slug__in=orgs),
            recommendations=Recommendation.objects.filter(title__in=recs).exclude(
                status__in=["draft", "withdrawn", "rejected"]
            ),
        )
        made += 1
    return made
