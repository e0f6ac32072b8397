"""Times are shown in the reader's zone (their own, else the conference's), in their language's
format, always with the zone named; the API and the published Markdown stay in UTC."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import timezone, translation

from accounts.models import User
from core.activity import record_activity
from core.times import moment_html, utc_offset
from publication.models import Edition
from tests.factories import make_recommendation
from tests.publication.helpers import final, publish

pytestmark = pytest.mark.django_db

# 7 November 2017, 12:30 UTC: 14:30 in Beirut (UTC+2), 13:30 in Tunis (UTC+1).
MOMENT = dt.datetime(2017, 11, 7, 12, 30, tzinfo=dt.UTC)


def _at_moment(rec) -> None:
    """Date every activity and version of ``rec`` at MOMENT (they were made just now)."""
    rec.activities.update(created_at=MOMENT)


def _page(client, url: str, language: str = "en") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


# --- the formats ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("language", "zone", "expected"),
    [
        ("en", "Asia/Beirut", '7 Nov 2017, 14:30 <span class="zone">(Beirut, UTC+2)</span>'),
        ("fr", "Africa/Tunis", '7 novembre 2017, 13:30 <span class="zone">(Tunis, UTC+1)</span>'),
        ("ar", "Asia/Beirut", '7 نوفمبر 2017، 14:30 <span class="zone">(بيروت، UTC+2)</span>'),
        ("fr", "UTC", '7 novembre 2017, 12:30 <span class="zone">(UTC)</span>'),
        ("en", "Asia/Kolkata", '7 Nov 2017, 18:00 <span class="zone">(Kolkata, UTC+5:30)</span>'),
        (
            "en",
            "America/Sao_Paulo",
            '7 Nov 2017, 10:30 <span class="zone">(São Paulo, UTC-2)</span>',
        ),
    ],
)
def test_a_moment_reads_in_the_language_and_zone_with_the_zone_named(language, zone, expected):
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
        html = str(moment_html(MOMENT))
    assert html == f'<time datetime="2017-11-07T12:30:00Z">{expected}</time>'


def test_summer_time_changes_the_offset_shown():
    july = dt.datetime(2017, 7, 7, 12, 30, tzinfo=dt.UTC)
    assert utc_offset(july.astimezone(zoneinfo.ZoneInfo("Asia/Beirut"))) == "UTC+3"
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Asia/Beirut")):
        assert '15:30 <span class="zone">(Beirut, UTC+3)</span>' in str(moment_html(july))


def test_a_date_alone_names_no_zone_but_is_the_readers_day():
    late = dt.datetime(2017, 11, 7, 23, 30, tzinfo=dt.UTC)  # already the 8th in Beirut
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("Asia/Beirut")):
        assert str(moment_html(late, "date")) == (
            '<time datetime="2017-11-07T23:30:00Z">8 Nov 2017</time>'
        )
    assert moment_html(None) == ""


# --- pages ----------------------------------------------------------------------------------
def test_a_person_without_a_zone_reads_the_conference_zone(client, drafter):
    rec = make_recommendation(drafter)
    _at_moment(rec)
    client.force_login(drafter)
    page = _page(client, rec.get_absolute_url())
    assert '<time datetime="2017-11-07T12:30:00Z">7 Nov 2017, 14:30' in page
    assert "(Beirut, UTC+2)" in page


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", '13:30 <span class="zone">(Tunis, UTC+1)'),
        ("ar", '13:30 <span class="zone">(تونس، UTC+1)'),
    ],
)
def test_a_person_reads_times_in_their_own_zone(client, drafter, language, shown):
    User.objects.filter(pk=drafter.pk).update(time_zone="Africa/Tunis")
    rec = make_recommendation(drafter)
    _at_moment(rec)
    client.force_login(drafter)
    page = _page(client, rec.get_absolute_url(), language)
    assert shown in page
    assert "14:30" not in page


def test_the_published_page_shows_the_readers_zone_and_the_markdown_stays_utc(
    client, drafter, moderator, secretariat, observer, settings
):
    final(drafter, moderator, secretariat, title="Welcome points")
    edition = publish(secretariat)
    Edition.objects.filter(pk=edition.pk).update(published_at=MOMENT)
    markdown = client.get(f"/published/editions/edition-{edition.number}.md")
    assert markdown.status_code == 200
    url = f"/published/editions/{edition.number}/"

    anonymous_page = _page(client, url, "fr")
    assert '7 novembre 2017, 14:30 <span class="zone">(Beyrouth, UTC+2)</span>' in anonymous_page
    tag = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")["ETag"]

    User.objects.filter(pk=observer.pk).update(time_zone="Europe/Paris")
    client.force_login(observer)
    page = _page(client, url, "fr")
    assert '7 novembre 2017, 13:30 <span class="zone">(Paris, UTC+1)</span>' in page
    # A cache that kept the Beirut page must not answer a Paris reader with it.
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="fr")["ETag"] != tag
    assert client.get(url, HTTP_IF_NONE_MATCH=tag, HTTP_ACCEPT_LANGUAGE="fr").status_code == 200
    # The Markdown's bytes do not depend on who reads them.
    again = client.get(f"/published/editions/edition-{edition.number}.md")
    assert b"".join(again) == b"".join(markdown)


def test_the_api_answers_in_utc_whatever_the_persons_zone(client, drafter):
    User.objects.filter(pk=drafter.pk).update(time_zone="Asia/Tokyo")
    rec = make_recommendation(drafter)
    client.force_login(drafter)
    data = client.get(f"/api/recommendations/{rec.pk}/").json()
    assert data["created_at"].endswith(("Z", "+00:00")), data["created_at"]


def test_the_audit_log_shows_seconds_and_the_zone(client, moderator):
    row = record_activity(None, actor=moderator, verb="signed_in", role="moderator")
    type(row).objects.filter(pk=row.pk).update(created_at=MOMENT)
    client.force_login(moderator)
    page = _page(client, "/audit/", "fr")
    assert '7 novembre 2017, 14:30:00 <span class="zone">(Beyrouth, UTC+2)</span>' in page


# --- the profile ----------------------------------------------------------------------------
def test_the_profile_offers_the_zones_grouped_and_saves_the_choice(client, observer):
    client.force_login(observer)
    page = _page(client, "/accounts/profile/", "fr")
    assert 'action="/accounts/profile/time-zone/"' in page
    assert '<optgroup label="Afrique">' in page
    assert '<option value="Asia/Beirut">Beyrouth (UTC+' in page
    assert "Fuseau horaire de la conférence" in page
    response = client.post("/accounts/profile/time-zone/", {"time_zone": "Africa/Tunis"})
    assert response.status_code == 302
    observer.refresh_from_db()
    assert observer.time_zone == "Africa/Tunis"
    page = _page(client, "/accounts/profile/", "fr")
    assert '<option value="Africa/Tunis" selected>Tunis (UTC+1)</option>' in page
    assert "(Tunis, UTC+1)" in page  # "now", on the profile itself
    # Back to the conference's zone.
    assert client.post("/accounts/profile/time-zone/", {"time_zone": ""}).status_code == 302
    observer.refresh_from_db()
    assert observer.time_zone == ""


@pytest.mark.parametrize("zone", ["Beirut", "Mars/Olympus", "x" * 500, "Asia/Beirut\x00"])
def test_the_profile_refuses_an_unknown_zone_in_the_persons_language(client, observer, zone):
    User.objects.filter(pk=observer.pk).update(time_zone="Europe/Madrid")
    client.force_login(observer)
    response = client.post(
        "/accounts/profile/time-zone/", {"time_zone": zone}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    observer.refresh_from_db()
    assert observer.time_zone == "Europe/Madrid"


def test_only_a_signed_in_person_sets_a_zone(client):
    response = client.post("/accounts/profile/time-zone/", {"time_zone": "Africa/Tunis"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert client.get("/accounts/profile/time-zone/").status_code in (302, 405)


def test_the_service_lets_only_the_person_choose_their_zone(drafter, observer):
    from django.core.exceptions import PermissionDenied, ValidationError

    from accounts import services

    with pytest.raises(PermissionDenied):
        services.set_time_zone(observer, "Africa/Tunis", actor=drafter)
    with pytest.raises(ValidationError):
        services.set_time_zone(observer, "Nowhere/Atall", actor=observer)
    assert services.set_time_zone(observer, " Africa/Tunis ", actor=observer) == "Africa/Tunis"
    observer.refresh_from_db()
    assert observer.time_zone == "Africa/Tunis"


def test_every_template_shows_times_through_the_when_filter():
    """|date and |time print a time without its zone: the pages use |when (core.times)."""
    from pathlib import Path

    from django.conf import settings

    from tests.helpers import project_template_dirs

    base = Path(settings.BASE_DIR).resolve()
    roots = project_template_dirs()
    found = [
        str(template.relative_to(base))
        for root in roots
        for template in root.rglob("*.html")
        if re.search(r"\|\s*(date|time)\b", template.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_list_offers_each_place_once_and_keeps_an_alias_someone_holds():
    from accounts.zones import zone_choices

    with translation.override("fr"):
        choices = zone_choices()
        names = [name for _group, entries in choices[2:] for name, _label in entries]
        assert len(names) == len(set(names)) > 300
        assert "America/Argentina/Buenos_Aires" in names
        assert "America/Buenos_Aires" not in names  # an old alias of the same zone
        assert choices[-1][1][0][0] != "America/Buenos_Aires"
        held = zone_choices("America/Buenos_Aires")
        assert held[-1] == ("America/Buenos_Aires", "America/Buenos_Aires")


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
@pytest.mark.parametrize("fmt", ["SHORT_DATETIME_FORMAT", "SHORT_DATETIME_SECONDS_FORMAT"])
def test_times_remembered_by_the_minute_read_as_django_writes_them(language, fmt):
    """``format_local`` remembers formatted minutes (a discussion lists hundreds of times): it
    must write what ``date_format`` writes, in each language and zone, for the same instant in
    two zones, across the hour that repeats when clocks go back, and to the second where the
    format shows seconds."""
    from django.utils.dateformat import format as date_format
    from django.utils.formats import get_format

    from core.times import format_local

    paris, beirut = zoneinfo.ZoneInfo("Europe/Paris"), zoneinfo.ZoneInfo("Asia/Beirut")
    # 29 October 2017: Paris goes from 03:00 back to 02:00; 00:30 and 01:30 UTC are both 02:30.
    instants = [
        MOMENT,
        MOMENT + dt.timedelta(seconds=17),
        dt.datetime(2017, 10, 29, 0, 30, 5, tzinfo=dt.UTC),
        dt.datetime(2017, 10, 29, 1, 30, 5, tzinfo=dt.UTC),
    ]
    with translation.override(language):
        pattern = get_format(fmt)
        for zone in (paris, beirut, dt.UTC):
            for instant in instants:
                local = timezone.localtime(instant, zone)
                assert format_local(local, pattern) == date_format(local, pattern)
                assert format_local(local, "j M Y, H:i O") == date_format(local, "j M Y, H:i O")
        in_paris = format_local(timezone.localtime(MOMENT, paris), "H:i")
        in_beirut = format_local(timezone.localtime(MOMENT, beirut), "H:i")
        assert (in_paris, in_beirut) == ("13:30", "14:30")
