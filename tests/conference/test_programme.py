"""The programme: sessions validated before anything is saved, a public page, and .ics files
with the Asia/Beirut zone embedded, a stable UID, a SEQUENCE raised on every change, links
back, the subscriber's language, and no title of a text the requester may not read."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conference import services
from conference.models import Session
from tests.factories import ThemeFactory, make_recommendation

from .helpers import make_conference

pytestmark = pytest.mark.django_db

START = datetime(2017, 11, 7, 8, 30, tzinfo=UTC)  # 10:30 in Beirut
END = datetime(2017, 11, 7, 10, 0, tzinfo=UTC)


@pytest.fixture
def conference(secretariat):
    return make_conference(secretariat)


@pytest.fixture
def session(conference, secretariat, drafter, moderator):
    rec = make_recommendation(drafter, status="in_review", title="One front door")
    return services.save_session(
        None,
        actor=secretariat,
        conference=conference,
        title="Social inclusion",
        starts_at=START,
        ends_at=END,
        room="Plenary hall",
        theme=rec.theme,
        speakers="The Mayor of Beirut\n\n  Lisbon's deputy mayor ",
        recommendations=[rec],
    )


def _events(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    return calendar, list(calendar.walk("VEVENT"))


def test_a_session_that_ends_before_it_starts_is_refused_and_nothing_saved(conference, secretariat):
    with pytest.raises(ValidationError) as caught:
        services.save_session(
            None,
            actor=secretariat,
            conference=conference,
            title="Backwards",
            starts_at=END,
            ends_at=START,
        )
    assert "ends_at" in caught.value.message_dict
    assert not Session.objects.exists()


def test_a_draft_cannot_be_discussed_in_a_session(conference, secretariat, drafter):
    draft = make_recommendation(drafter, title="Still a draft")
    with pytest.raises(ValidationError, match="Still a draft"):
        services.save_session(
            None,
            actor=secretariat,
            conference=conference,
            title="Too early",
            starts_at=START,
            ends_at=END,
            recommendations=[draft],
        )
    assert not Session.objects.exists()


@pytest.mark.parametrize("role", ["drafter", "moderator", "observer"])
def test_only_the_secretariat_plans_sessions(conference, request, role):
    with pytest.raises(PermissionDenied):
        services.save_session(
            None,
            actor=request.getfixturevalue(role),
            conference=conference,
            title="X",
            starts_at=START,
            ends_at=END,
        )


def test_the_calendar_embeds_the_beirut_zone_and_links_back(session):
    response = Client().get(reverse("conference:session-ics", args=[session.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, (event,) = _events(response.content)
    zones = [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")]
    assert zones == ["Asia/Beirut"]
    assert event["DTSTART"].params["TZID"] == "Asia/Beirut"
    assert event.decoded("DTSTART").replace(tzinfo=None) == datetime(2017, 11, 7, 10, 30)
    assert event.decoded("DTSTART").astimezone(UTC) == START
    assert str(event["URL"]) == f"http://testserver/programme/{session.pk}/"
    assert str(event["UID"]) == f"{session.uid}@mc2cm-workspace"
    assert int(event["SEQUENCE"]) == 0
    assert "LOCATION" in event and "Plenary hall" in str(event["LOCATION"])


def test_the_public_calendar_counts_texts_in_discussion_without_naming_them(session, drafter):
    _cal, (event,) = _events(Client().get(reverse("conference:programme-ics")).content)
    description = str(event["DESCRIPTION"])
    assert "One front door" not in description
    assert "1 recommendation in discussion" in description
    client = Client()
    client.force_login(drafter)
    _cal, (event,) = _events(client.get(reverse("conference:programme-ics")).content)
    rec = session.recommendations.get()
    assert f"One front door: http://testserver{rec.get_absolute_url()}" in str(event["DESCRIPTION"])


def test_every_change_raises_the_sequence_and_keeps_the_uid(session, conference, secretariat):
    uid = session.uid
    for expected in (1, 2):
        session = services.save_session(
            session,
            actor=secretariat,
            conference=conference,
            title=f"Social inclusion ({expected})",
            starts_at=START,
            ends_at=END,
        )
        assert (session.uid, session.sequence) == (uid, expected)
    _cal, (event,) = _events(Client().get(reverse("conference:programme-ics")).content)
    assert int(event["SEQUENCE"]) == 2 and str(event["UID"]) == f"{uid}@mc2cm-workspace"


def test_the_calendar_speaks_the_subscribers_language(session):
    response = Client().get(
        reverse("conference:session-ics", args=[session.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    _cal, (event,) = _events(response.content)
    assert event["SUMMARY"].params["LANGUAGE"] == "fr"
    assert response["Content-Language"] == "fr"
    assert "Thème" in str(event["DESCRIPTION"])


def test_the_programme_page_shows_beirut_time_and_the_readers_when_they_differ(session, drafter):
    page = Client().get(reverse("conference:programme")).content.decode()
    assert "Social inclusion" in page and "(Asia/Beirut)" in page
    assert "One front door" not in page
    drafter.time_zone = "Europe/Lisbon"
    drafter.save(update_fields=["time_zone"])
    client = Client()
    client.force_login(drafter)
    page = client.get(reverse("conference:programme")).content.decode()
    assert "your time (Europe/Lisbon)" in page and "One front door" in page


def test_a_session_that_does_not_exist_answers_404(conference):
    assert Client().get(reverse("conference:session", args=[999])).status_code == 404
    assert Client().get(reverse("conference:session-ics", args=[999])).status_code == 404


def test_without_a_conference_the_pages_answer_404(db):
    assert Client().get(reverse("conference:programme")).status_code == 404
    assert Client().get(reverse("conf-api-conference")).status_code == 404


def test_the_programme_api_lists_the_sessions(session):
    data = Client().get(reverse("conf-api-programme")).json()
    assert data["time_zone"] == "Asia/Beirut"
    (item,) = data["sessions"]
    assert item["uid"] == str(session.uid) and item["sequence"] == 0
    assert item["speakers"] == ["The Mayor of Beirut", "Lisbon's deputy mayor"]
    assert item["recommendations"] == []  # not readable by the public
    assert item["starts_at"] == "2017-11-07T08:30:00Z"


def test_the_conference_api_has_dates_deadlines_and_themes(conference, secretariat):
    theme = ThemeFactory(slug="education", name="Education")
    services.save_meeting(
        conference,
        actor=secretariat,
        theme=theme,
        city="Turin",
        held_on=datetime(2017, 4, 27).date(),
    )
    data = Client().get(reverse("conf-api-conference")).json()
    assert (data["name"], data["place"], data["starts_on"], data["ends_on"]) == (
        "MC2CM conference",
        "Beirut, Lebanon",
        "2017-11-07",
        "2017-11-08",
    )
    assert data["deadlines"]["drafting"] == {"closes_at": None, "closed": False}
    (education,) = [t for t in data["themes"] if t["slug"] == "education"]
    assert (education["meeting_city"], education["meeting_date"]) == ("Turin", "2017-04-27")


def test_the_api_schema_names_the_three_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ("/api/conference/", "/api/programme/", "/api/overview/"):
        assert "get" in paths[path], path


@pytest.mark.parametrize("size", [1, 5])
def test_the_programme_page_costs_the_same_queries_whatever_its_length(
    size, conference, secretariat, drafter, lead_org, django_assert_num_queries
):
    rec = make_recommendation(drafter, status="in_review", title="Discussed")
    for i in range(size):
        services.save_session(
            None,
            actor=secretariat,
            conference=conference,
            title=f"Session {i}",
            starts_at=START,
            ends_at=END,
            speakers="A\nB",
            organisations=[lead_org],
            recommendations=[rec],
        )
    client = Client()
    client.force_login(drafter)
    client.get(reverse("conference:programme"))
    with django_assert_num_queries(PROGRAMME_QUERIES):
        page = client.get(reverse("conference:programme"))
    assert page.content.decode().count('class="card session"') == size


PROGRAMME_QUERIES = 9  # 8 + the layout's notification bell (notifications)
