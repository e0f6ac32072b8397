"""Time zones: times are stored in UTC and read in the conference's zone (``core.zones``: the
current conference's, else ``settings.WORKSPACE_TIME_ZONE``, Asia/Beirut by default) or in the
zone a person chose."""

from __future__ import annotations

import contextlib
import datetime
import unicodedata
import zoneinfo
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.times import utc_offset, zone_city
from core.zones import workspace_zone, workspace_zone_name


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
    return workspace_zone()


def zone_for(user) -> zoneinfo.ZoneInfo:
    """The zone ``user`` reads times in: their own choice, else the conference's."""
    name = getattr(user, "time_zone", "") or ""
    if name and name in known_zones():
        return zoneinfo.ZoneInfo(name)
    return conference_zone()


@cache
def listed_zones() -> frozenset[str]:
    """The zones the profile offers: the ones ``zone.tab`` lists for each country (no old
    aliases such as America/Buenos_Aires beside America/Argentina/Buenos_Aires), from the
    system's zone files or the ``tzdata`` package; every known zone if neither has the table."""
    sources = [Path(root) / "zone.tab" for root in zoneinfo.TZPATH]
    with contextlib.suppress(ModuleNotFoundError, TypeError):
        sources.append(Path(str(resources.files("tzdata").joinpath("zoneinfo", "zone.tab"))))
    for source in sources:
        if source.is_file():
            names = {
                line.split("\t")[2].strip()
                for line in source.read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#") and line.count("\t") >= 2
            }
            return frozenset(names & known_zones())
    return known_zones()


# The continents and oceans of the IANA names, as the profile's list groups them.
AREAS = {
    "Africa": gettext_lazy("Africa"),
    "America": gettext_lazy("Americas"),
    "Antarctica": gettext_lazy("Antarctica"),
    "Asia": gettext_lazy("Asia"),
    "Atlantic": gettext_lazy("Atlantic Ocean"),
    "Australia": gettext_lazy("Australia"),
    "Europe": gettext_lazy("Europe"),
    "Indian": gettext_lazy("Indian Ocean"),
    "Pacific": gettext_lazy("Pacific Ocean"),
}


def _sort_key(label: str) -> str:
    """Alphabetical in any of our languages: accents and case do not move a name."""
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=8)
def _zone_groups(
    language: str, today: datetime.date
) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Built once a day per language (offsets change with summer time)."""
    now = datetime.datetime.combine(today, datetime.time(12), datetime.UTC)
    groups: dict[str, list[tuple[str, str]]] = {area: [] for area in AREAS}
    for name in listed_zones():
        area = name.split("/", 1)[0]
        if area not in groups or "/" not in name:
            continue
        groups[area].append((name, zone_city(name, language)))
    result = []
    for area, zones in groups.items():
        entries = tuple(
            (name, f"{city} ({utc_offset(now.astimezone(zoneinfo.ZoneInfo(name)))})")
            for name, city in sorted(zones, key=lambda z: (_sort_key(z[1]), z[0]))
        )
        result.append((area, entries))
    return tuple(result)


def zone_choices(current: str = "") -> list:
    """The choices of the profile's zone list, in the active language: first the conference's
    zone (blank), then UTC, then every zone grouped by continent or ocean, each named by its
    city and its offset today ("Beyrouth (UTC+2)"). A zone someone holds that the list does
    not show (an old alias) is offered too, so that saving the form keeps it."""
    language = get_language() or settings.LANGUAGE_CODE
    conference = workspace_zone_name()
    choices: list = [
        ("", _("The conference's time zone: %(zone)s") % {"zone": zone_city(conference, language)}),
        ("UTC", "UTC"),
    ]
    listed = {"", "UTC"}
    for area, entries in _zone_groups(language, timezone.now().date()):
        choices.append((str(AREAS[area]), list(entries)))
        listed.update(name for name, _label in entries)
    if current and current not in listed and current in known_zones():
        choices.append((current, current))
    return choices
