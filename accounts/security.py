"""Client address for login throttling: REMOTE_ADDR unless trusted proxies are configured."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address; only the configured number of proxy hops is trusted.

    With ``WORKSPACE_TRUSTED_PROXIES = n``, the n-th address from the right of
    X-Forwarded-For is the client (what our own proxies appended); anything further left was
    written by the client and is ignored, so nobody can reset their counter with a header.
    """
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    hops = settings.WORKSPACE_TRUSTED_PROXIES
    if hops <= 0:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [p for p in forwarded if p]
    if len(forwarded) < hops:
        return remote
    return _valid(forwarded[-hops]) or remote
