"""The conference's time zone is the workspace's: whoever has not chosen a zone reads times in
it, on pages and in the profile's list, and a change to the conference takes effect at once."""

from __future__ import annotations

import zoneinfo
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from accounts.zones import conference_zone, zone_choices, zone_for
from conference import services

from .helpers import make_conference

pytestmark = pytest.mark.django_db


def _move(conference, secretariat, zone: str):
    return services.save_conference(
        conference,
        actor=secretariat,
        name=conference.name,
        place=conference.place,
        host=conference.host,
        starts_on=conference.starts_on,
        ends_on=conference.ends_on,
        time_zone=zone,
        drafting_closes_at=conference.drafting_closes_at,
        endorsement_closes_at=conference.endorsement_closes_at,
    )


def test_without_a_conference_the_setting_says(settings):
    settings.WORKSPACE_TIME_ZONE = "Europe/Paris"
    assert conference_zone() == zoneinfo.ZoneInfo("Europe/Paris")


def test_the_conference_zone_is_the_default_zone_and_a_change_applies_at_once(secretariat):
    conference = make_conference(secretariat)
    assert conference_zone() == zoneinfo.ZoneInfo("Asia/Beirut")
    _move(conference, secretariat, "Africa/Tunis")  # a follow-up meeting in Tunis
    assert conference_zone() == zoneinfo.ZoneInfo("Africa/Tunis")
    assert zone_for(None) == zoneinfo.ZoneInfo("Africa/Tunis")

    class Traveller:
        time_zone = "Europe/Madrid"  # a person's own choice still wins

    assert zone_for(Traveller()) == zoneinfo.ZoneInfo("Europe/Madrid")
    first = zone_choices()[0]
    assert first[0] == "" and "Tunis" in str(first[1])


def test_the_latest_conference_gives_the_zone(secretariat):
    make_conference(secretariat)
    later = services.save_conference(
        None,
        actor=secretariat,
        name="Follow-up meeting",
        place="Tunis",
        starts_on=date(2018, 6, 1),
        ends_on=date(2018, 6, 2),
        time_zone="Africa/Tunis",
    )
    assert later.zone == conference_zone() == zoneinfo.ZoneInfo("Africa/Tunis")


def test_an_anonymous_reader_sees_the_programme_in_the_conference_zone(secretariat):
    conference = make_conference(secretariat)
    _move(conference, secretariat, "Africa/Tunis")
    page = Client().get(reverse("conference:programme")).content.decode()
    assert "Tunis" in page
