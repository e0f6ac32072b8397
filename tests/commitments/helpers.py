"""Helpers of the commitment tests: a commitment made through the service, dates."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from commitments import services


def later(days: int = 200) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def commit(rec, org, rep, **kwargs):
    values = {
        "action": "Open a welcome desk in every district.",
        "target_date": later(),
        "indicator": "Desks open",
        "indicator_unit": "desks",
        "target_value": "10",
    }
    values.update(kwargs)
    return services.make_commitment(rec, organisation=org, actor=rep, **values)
