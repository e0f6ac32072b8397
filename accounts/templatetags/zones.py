"""Times as a person reads them: in the conference's zone, and in their own when it differs
(``{% both_zones moment %}``), so "18:00 Beirut" is never misread in Lisbon."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import Any

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from accounts.zones import conference_zone, zone_for

register = template.Library()


def _format(moment: datetime, zone: zoneinfo.ZoneInfo) -> str:
    return formats.date_format(moment.astimezone(zone), "DATETIME_FORMAT")


@register.simple_tag(takes_context=True)
def both_zones(context: dict[str, Any], moment: datetime | None, zone_name: str = "") -> SafeString:
    """``8 November 2017, 18:00 (Asia/Beirut)`` and, for a reader elsewhere, ``· 17:00 your
    time (Europe/Paris)``; ``zone_name`` is the conference's zone (default: the setting)."""
    if moment is None:
        return SafeString("")
    home = zoneinfo.ZoneInfo(zone_name) if zone_name else conference_zone()
    request = context.get("request")
    mine = zone_for(getattr(request, "user", None))
    html = format_html(
        '<time datetime="{}" data-zone="{}">{}</time> ({})',
        moment.isoformat(),
        home.key,
        _format(moment, home),
        home.key,
    )
    if (
        mine.key != home.key
        and moment.astimezone(mine).utcoffset() != moment.astimezone(home).utcoffset()
    ):
        html += format_html(
            ' <span class="meta" data-zone="{}">· {}</span>',
            mine.key,
            _("%(time)s your time (%(zone)s)") % {"time": _format(moment, mine), "zone": mine.key},
        )
    return html
