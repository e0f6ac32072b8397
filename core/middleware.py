"""Request-wide plumbing: who is asking from where (for the audit rows written deeper down),
the per-address limit on anonymous requests, 429 pages for limits hit anywhere, and no caching
of what a signed-in person sees."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .http import client_address
from .ratelimit import RateLimited, hit

# The address of the request being served (None outside a request: shell, seed, tasks).
current_address: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "current_address", default=None
)


def too_many_requests(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = render(request, "429.html", {"message": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def _record_refusal(request: HttpRequest, user: object, status: int) -> None:
    """A signed-in person refused (403) or answered "not found" (404, which is also how a hidden
    object answers): an audit row, written after the view's own transaction has ended."""
    from .activity import record_activity  # the model, once apps are ready

    token = current_address.set(client_address(request))
    try:
        record_activity(
            None,
            actor=user,
            verb="refused",
            role="participant",
            status=status,
            method=request.method[:10],
            path=request.path[:300],
        )
    finally:
        current_address.reset(token)


class RequestContextMiddleware:
    """Remembers the caller's address for the request and limits anonymous callers by address
    (signed-in people are limited per person where they act, never by a shared address: a
    conference venue sends everyone from one). Static files are not counted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = client_address(request)
        token = current_address.set(address)
        try:
            user = getattr(request, "user", None)
            if not getattr(user, "is_authenticated", False) and not request.path.startswith(
                "/static/"
            ):
                try:
                    hit("anonymous", f"address:{address}")
                except RateLimited as exc:
                    return too_many_requests(request, exc)
            response = self.get_response(request)
        finally:
            current_address.reset(token)
        if getattr(user, "is_authenticated", False) and response.status_code in (403, 404):
            _record_refusal(request, user, response.status_code)
        if getattr(user, "is_authenticated", False) and not response.has_header("Cache-Control"):
            # A page for a signed-in person stays out of every cache, the browser's included
            # (a shared computer at the venue must not show a draft after logout).
            add_never_cache_headers(response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return too_many_requests(request, exception)
        return None
