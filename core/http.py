"""HTTP helpers shared by every app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
