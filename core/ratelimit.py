"""Abuse limits: so many actions of one kind per person (or, for anonymous requests only, per
address) in a window, counted in the cache (shared by every process when Redis is configured).

Rates come from ``settings.RATE_LIMITS`` (``{"comment": "20/10m", ...}``, set from the
environment variable ``WORKSPACE_RATE_LIMITS``); a kind without a rate is not limited. Going
over raises ``RateLimited``: pages answer 429 with a page in the person's language, the API a
JSON ``detail``, both with ``Retry-After``. A limit is an abuse brake, not a security control:
permissions are checked as always, before and after.
"""

from __future__ import annotations

import logging
import math
import re
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


class RateLimited(Exception):
    """Too many actions of one kind; try again in ``retry_after`` seconds (HTTP 429)."""

    def __init__(self, kind: str, retry_after: int) -> None:
        self.kind = kind
        self.retry_after = max(1, int(retry_after))
        super().__init__(self.message)

    @property
    def message(self) -> str:
        minutes = math.ceil(self.retry_after / 60)
        if self.retry_after < 60:
            return _("Too many requests. Try again in %(n)s seconds.") % {"n": self.retry_after}
        return _("Too many requests. Try again in %(n)s minutes.") % {"n": minutes}


def parse_rate(value: str) -> Rate:
    """``"20/10m"`` -> 20 in 600 seconds (units s, m, h, d; the number is optional)."""
    match = _RATE_RE.match(value)
    if match is None:
        raise ImproperlyConfigured(f"bad rate {value!r}: write it as 20/10m, 5/h, 100/d")
    count, number, unit = match.groups()
    return Rate(int(count), int(number or 1) * UNITS[unit])


def rate_for(kind: str) -> Rate | None:
    value = getattr(settings, "RATE_LIMITS", {}).get(kind)
    return parse_rate(value) if value else None


def hit(kind: str, who: Any) -> None:
    """Count one action of ``kind`` by ``who`` (a user's pk or an address); raise
    ``RateLimited`` once the window's count is used up. Fixed windows: cheap, one cache
    round-trip, and at most twice the rate across a window's edge."""
    rate = rate_for(kind)
    if rate is None or who is None:
        return
    now = time.time()
    window = int(now // rate.seconds)
    key = f"ratelimit:{kind}:{who}:{window}"
    cache = caches[getattr(settings, "RATE_LIMIT_CACHE", "default")]
    try:
        cache.add(key, 0, timeout=rate.seconds + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=rate.seconds + 5)
            count = 1
    except Exception:  # the cache (Redis) is gone: an abuse brake must not stop the workspace
        logger.warning("rate limit %s not counted: the cache is unavailable", kind, exc_info=True)
        return
    if count > rate.count:
        raise RateLimited(kind, (window + 1) * rate.seconds - now)


def hit_by_person(kind: str, user: Any) -> None:
    """Count one action of a signed-in person (anonymous callers are limited by address)."""
    if getattr(user, "is_authenticated", False):
        hit(kind, f"user:{user.pk}")
