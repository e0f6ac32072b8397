"""Times as people read them: in the zone activated for the request (the person's own, else the
conference's: ``accounts.middleware.UserTimeZoneMiddleware``), in the active language's format
(``workspace/formats``), and always with the zone named, so that a time read in Tunis and one
read in Beirut are never confused.

The zone is named by its city in the reader's language (CLDR's names, through Babel:
"Beyrouth", "بيروت") and its offset from UTC at that moment ("UTC+2"); the machine-readable
instant stays in ``<time datetime="...Z">`` in UTC.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import get_timezone_location
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# style -> (the format's name in workspace/formats, whether the time of day is shown)
STYLES: dict[str, tuple[str, bool]] = {
    "short": ("SHORT_DATETIME_FORMAT", True),
    "long": ("DATETIME_FORMAT", True),
    "seconds": ("SHORT_DATETIME_SECONDS_FORMAT", True),  # defined in every workspace/formats
    "date": ("SHORT_DATE_FORMAT", False),
    "longdate": ("DATE_FORMAT", False),
}


def _babel_locale(language: str | None) -> Locale:
    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@lru_cache(maxsize=2048)
def zone_city(zone: str, language: str | None) -> str:
    """The place a zone is named for, in ``language``: "Beyrouth" for Asia/Beirut in French,
    "بيروت" in Arabic; a zone without a city (UTC, Etc/GMT+3) keeps its own name."""
    if zone in ("UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "GMT", "Etc/GMT"):
        return "UTC"
    try:
        return get_timezone_location(zone, locale=_babel_locale(language), return_city=True)
    except (LookupError, ValueError, zoneinfo.ZoneInfoNotFoundError):
        return zone.rsplit("/", 1)[-1].replace("_", " ")


def utc_offset(moment: dt.datetime) -> str:
    """ "UTC+2", "UTC+5:30", "UTC-3", "UTC" for the aware ``moment``."""
    offset = moment.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def zone_label(moment: dt.datetime, zone: zoneinfo.ZoneInfo | dt.tzinfo) -> str:
    """ "Beyrouth, UTC+2": the city of the zone and its offset at that moment."""
    name = getattr(zone, "key", None) or str(zone)
    city = zone_city(name, get_language())
    offset = utc_offset(moment)
    if city == "UTC" or city == offset:
        return offset
    return _("%(city)s, %(offset)s") % {"city": city, "offset": offset}


# Format characters whose output changes within a minute (seconds, microseconds, the epoch,
# ISO 8601 and RFC 5322 stamps): a format using one is not remembered by the minute.
_FINER_THAN_MINUTES = frozenset("sucrUv")


@lru_cache(maxsize=4096)
def _format_minute(
    language: str | None, fmt: str, minute: dt.datetime, fold: int, zone: dt.tzinfo | None
) -> str:
    return date_format(minute.replace(tzinfo=zone, fold=fold), fmt)


def format_local(local: dt.datetime, fmt: str) -> str:
    """``date_format(local, fmt)``, remembered per language, format, minute and zone.

    Django's ``dateformat`` costs some 30 µs a call (docs/performance.md); a page lists
    hundreds of times, many within the same minutes. ``local`` is in the reader's zone already.
    The key holds the wall-clock minute, its fold (the repeated hour when clocks go back) and
    the zone apart: aware datetimes compare by instant, so the same instant in two zones would
    otherwise share one entry."""
    if _FINER_THAN_MINUTES.intersection(fmt):
        return date_format(local, fmt)
    minute = local.replace(second=0, microsecond=0, tzinfo=None, fold=0)
    return _format_minute(get_language(), fmt, minute, local.fold, local.tzinfo)


def moment_html(value: dt.datetime | None, style: str = "short") -> SafeString | str:
    """``value`` as a ``<time>`` element: the date (and time of day, with the zone) in the
    reader's zone and language; its ``datetime`` attribute the instant in UTC."""
    if value is None:
        return ""
    format_name, with_time = STYLES.get(style, STYLES["short"])
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    zone = timezone.get_current_timezone()
    local = timezone.localtime(value, zone)
    machine = value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = format_local(local, get_format(format_name))
    if not with_time:
        return format_html('<time datetime="{}">{}</time>', machine, text)
    return format_html(
        '<time datetime="{}">{} <span class="zone">({})</span></time>',
        machine,
        text,
        zone_label(local, zone),
    )


def day_html(value: dt.date | None) -> SafeString | str:
    """A calendar day as a ``<time>`` element, in the reader's language (no zone: a day)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return moment_html(value, "date")
    return format_html(
        '<time datetime="{}">{}</time>',
        value.isoformat(),
        date_format(value, get_format("SHORT_DATE_FORMAT")),
    )
