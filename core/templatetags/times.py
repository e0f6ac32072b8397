"""``{{ value|when }}``, ``{{ value|when:"long" }}``, ``{{ value|when:"date" }}``: a moment in
the reader's zone and language, with the zone named (``core.times``)."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import date_format, get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..times import day_html, moment_html

register = template.Library()


@register.filter
def when(value: dt.datetime | None, style: str = "short") -> SafeString | str:
    return moment_html(value, style)


@register.filter
def day(value: dt.date | None) -> SafeString | str:
    """A calendar day (a target date, a deadline day): no time of day, so no zone; in the
    reader's language."""
    return day_html(value)


@register.filter
def month(value: dt.date | None) -> SafeString | str:
    """A month of a year ("November 2017", a meeting's month): no day, no zone; in the
    reader's language."""
    if value is None:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>',
        f"{value.year:04d}-{value.month:02d}",
        date_format(value, get_format("YEAR_MONTH_FORMAT")),
    )
