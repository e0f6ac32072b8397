"""Time zones: times are stored in UTC and read in the conference's zone
(``settings.WORKSPACE_TIME_ZONE``, Asia/Beirut by default) or in the zone a person chose."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_zone(name: str) -> str:
    """``name`` if it is a zone the system knows (blank allowed: the conference's zone)."""
    name = (name or "").strip()
    if name and name not in known_zones():
        raise ValidationError(
            _("“%(zone)s” is not a time zone; choose one from the list (for example Asia/Beirut).")
            % {"zone": name[:64]},
            code="invalid_time_zone",
        )
    return name


def conference_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.WORKSPACE_TIME_ZONE)


def zone_for(user) -> zoneinfo.ZoneInfo:
    """The zone ``user`` reads times in: their own choice, else the conference's."""
    name = getattr(user, "time_zone", "") or ""
    if name and name in known_zones():
        return zoneinfo.ZoneInfo(name)
    return conference_zone()
