"""HTTP helpers shared by every app."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase
from django.urls import reverse


class HttpResponsePermanentRedirectKeepingMethod(HttpResponseRedirectBase):
    """308: moved for good, and the client repeats the same method and body (a POST stays a
    POST, which a 301 does not promise)."""

    status_code = 308


def moved_permanently(pattern_name: str) -> Callable[..., HttpResponse]:
    """A view that answers 308 to the URL ``pattern_name`` resolves to with the same
    arguments, keeping the query string (for pages whose URL changed)."""

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        url = reverse(pattern_name, args=args, kwargs=kwargs)
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirectKeepingMethod(f"{url}?{query}" if query else url)

    return view


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
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
