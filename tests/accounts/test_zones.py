"""A person's time zone: validated against the zones the system knows, the conference's zone
when they chose none."""

from __future__ import annotations

import zoneinfo

import pytest
from django.core.exceptions import ValidationError

from accounts.zones import conference_zone, validate_zone, zone_for


def test_the_conference_zone_is_beirut_by_default():
    assert conference_zone() == zoneinfo.ZoneInfo("Asia/Beirut")


def test_a_person_without_a_zone_reads_the_conference_zone(settings):
    settings.WORKSPACE_TIME_ZONE = "Europe/Paris"

    class Person:
        time_zone = ""

    assert zone_for(Person()) == zoneinfo.ZoneInfo("Europe/Paris")
    Person.time_zone = "Africa/Tunis"
    assert zone_for(Person()) == zoneinfo.ZoneInfo("Africa/Tunis")
    Person.time_zone = "Mars/Olympus"
    assert zone_for(Person()) == zoneinfo.ZoneInfo("Europe/Paris")
    assert zone_for(None) == zoneinfo.ZoneInfo("Europe/Paris")


def test_an_unknown_zone_is_refused_with_a_clear_message():
    assert validate_zone(" Asia/Beirut ") == "Asia/Beirut"
    assert validate_zone("") == ""
    with pytest.raises(ValidationError, match="is not a time zone"):
        validate_zone("Beirut")
