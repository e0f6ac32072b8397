"""The workspace's time zone: the one times are read in by whoever has not chosen their own.

It is the current conference's zone (Asia/Beirut for the Beirut conference): the conference
app, above the apps that show times, registers where to read it (``register_source``).
Without a conference, or before the app is there, it is ``settings.WORKSPACE_TIME_ZONE``.

Asked for on every page (``accounts.middleware.UserTimeZoneMiddleware``), so the answer is
kept for ``KEEP_SECONDS`` in each process and forgotten at once when the conference is saved
here (``forget``); another process reads the new zone within those seconds.
"""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.core.signals import setting_changed

from .registry import Registry

KEEP_SECONDS = 30

sources: Registry[Callable[[], str]] = Registry("workspace zone")
_kept: tuple[float, str] | None = None


@cache
def _known() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def register_source(key: str, source: Callable[[], str]) -> None:
    """``source()`` returns a zone name, or "" to let the next source (or the setting) say."""
    sources.register(key, source)
    forget()


def forget(assume: str = "") -> None:
    """Read the zone again at the next ask; or, with ``assume``, take that name until the
    conference is saved (the tests start each from the setting, without a query)."""
    global _kept
    _kept = (time.monotonic() + KEEP_SECONDS, assume) if assume else None


def workspace_zone_name() -> str:
    global _kept
    now = time.monotonic()
    kept = _kept
    if kept is not None and kept[0] > now:
        return kept[1]
    name = ""
    for source in sources:
        candidate = source() or ""
        if candidate in _known():
            name = candidate
            break
    name = name or settings.WORKSPACE_TIME_ZONE
    _kept = (now + KEEP_SECONDS, name)
    return name


def workspace_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(workspace_zone_name())


def _setting_changed(*, setting: str, **kwargs) -> None:
    if setting == "WORKSPACE_TIME_ZONE":
        forget()


setting_changed.connect(_setting_changed, dispatch_uid="core.zones")
