"""Two-factor sign-in on every request (after django-otp's ``OTPMiddleware``).

- Makes the request reachable from services (``accounts.two_factor.current_request``), for the
  step-up rule of irreversible acts: views, API views and the admin need no change.
- A session that must still prove its second factor (``"verify"``) or set one up (``"setup"``,
  required by the person's role) reaches only the pages that do that, and logging out: other
  pages send it there, the API answers 403 with ``"code": "two_factor_required"``.
- WebSockets (``TwoFactorSocketGate``, in ``workspace.asgi``): such a session is anonymous.
- A page whose service asked for a fresh second factor (``StepUpRequired``) sends the person to
  the verify step, then back to the page (the API's error handler answers those itself).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.errors import StepUpRequired

from . import two_factor
from .zones import zone_for

# URL names a session may open before its second factor is proved, by state.
OPEN_ALWAYS = frozenset({"logout", "set_language", "healthz", "javascript-catalog"})
OPEN_TO_VERIFY = frozenset({"two_factor_verify", "passkey_auth_begin", "passkey_auth_complete"})
OPEN_TO_SETUP = frozenset(
    {"two_factor_setup", "passkey_register_begin", "passkey_register_complete"}
)


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = two_factor.current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            two_factor.current_request.reset(token)

    def process_view(
        self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if not hasattr(request, "session") or not request.user.is_authenticated:
            return None
        name = request.resolver_match.url_name if request.resolver_match else None
        if name in OPEN_ALWAYS:
            return None
        state = two_factor.state(request)
        if state == "ok":
            return None
        if state == "verify" and name in OPEN_TO_VERIFY:
            return None
        if state == "setup" and name in OPEN_TO_SETUP:
            return None
        if _is_api(request):
            return JsonResponse(
                {
                    "detail": _("Finish signing in with your second factor first."),
                    "code": "two_factor_required",
                },
                status=403,
            )
        target = "two_factor_verify" if state == "verify" else "two_factor_setup"
        next_url = request.get_full_path() if request.method == "GET" else reverse("home")
        return redirect(two_factor.url_with_next(target, next_url))

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, StepUpRequired) or _is_api(request):
            return None
        back = request.META.get("HTTP_REFERER", "")
        if request.method == "GET":
            back = request.get_full_path()
        elif not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("home")
        messages.warning(request, exception.message)
        return redirect(two_factor.url_with_next("two_factor_verify", back))


class TwoFactorSocketGate:
    """ASGI, inside channels' ``AuthMiddlewareStack``: a WebSocket whose session has not proved
    its person's second factor (or must still set one up) is anonymous, like its pages."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict, receive: Any, send: Any) -> Any:
        user = scope.get("user")
        session = scope.get("session")
        if (
            user is not None
            and session is not None
            and user.is_authenticated
            and not await database_sync_to_async(two_factor.socket_allowed)(session, user)
        ):
            scope = {**scope, "user": AnonymousUser()}
        return await self.inner(scope, receive, send)


class UserLanguageMiddleware:
    """After ``AuthenticationMiddleware`` (and Django's ``LocaleMiddleware``): a signed-in
    person who chose a language on their profile gets it, whatever the browser asks for. A
    person without one keeps what ``LocaleMiddleware`` found (the language cookie, then
    ``Accept-Language``). A page whose URL names its language (``/fr/published/``) still
    answers in that language: its view activates it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = ""
        # Without a session cookie nobody is signed in: leave the session (and Vary) alone.
        if user is not None and settings.SESSION_COOKIE_NAME in request.COOKIES:
            language = getattr(user, "language", "")
        if language in dict(settings.LANGUAGES) and user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """After ``AuthenticationMiddleware``: pages show times in the zone the signed-in person
    chose on their profile, otherwise in the conference's (``accounts.zones.zone_for``), for
    anonymous readers too. The API keeps answering in UTC (its ISO times are for machines,
    and its representation must not depend on who asks)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _is_api(request):
            timezone.activate(UTC)
        else:
            user = None
            # Without a session cookie nobody is signed in: leave the session (and Vary) alone.
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                user = getattr(request, "user", None)
            timezone.activate(
                zone_for(user if user is not None and user.is_authenticated else None)
            )
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
