"""Two-factor sign-in: the policy, the session's state and the step-up rule, in one place.

- **Who must**: moderators, the secretariat and staff, when ``TWO_FACTOR_REQUIRED_FOR_ROLES``
  is on (``WORKSPACE_TWO_FACTOR_REQUIRED``; on by default in production, off in the embedded
  demo). Everyone else may set it up: once they have, their logins ask for it too.
- **What counts as a second factor**: a confirmed authenticator app (TOTP) or a passkey.
  Recovery codes stand in for them when they are lost, but are not a factor of their own.
- **The session**: after a correct password, a person with a factor is not logged in yet: the
  session holds a *pending* login until the code (``accounts.views.verify``). A session is
  *verified* once django-otp knows its device (``user.is_verified()``); it also keeps the time
  of the last proof (``SESSION_VERIFIED_AT``), which the step-up rule reads.
- **Step-up**: irreversible acts (approving a version, publishing an edition, changing someone's
  role) call ``require_recent_second_factor(actor)``. ``accounts.middleware`` puts the current
  request into ``current_request`` so that services need no request argument; with no request
  (shell, seed, tests calling services) no proof is asked.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from core.errors import StepUpRequired

SESSION_VERIFIED_AT = "two_factor_verified_at"
SESSION_ENROLLED = "two_factor_enrolled"
SESSION_PENDING = "two_factor_pending"
PENDING_SECONDS = 10 * 60
RECOVERY_CODES = 10

# The request being served, for the step-up rule (set by accounts.middleware).
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)


# --- the policy -----------------------------------------------------------------------------
def is_required(user: Any) -> bool:
    """Must this person use a second factor? Roles that can do irreversible things must,
    where the deployment says so; nobody in the embedded demo."""
    if not settings.TWO_FACTOR_REQUIRED_FOR_ROLES:
        return False
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_staff or user.is_superuser or user.is_moderator or user.is_secretariat)


def totp_devices(user: Any):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


def passkeys(user: Any):
    return WebAuthnCredential.objects.devices_for_user(user, confirmed=True)


def has_second_factor(user: Any) -> bool:
    """A confirmed authenticator app or passkey (recovery codes alone are not one)."""
    if getattr(user, "pk", None) is None:
        return False
    return totp_devices(user).exists() or passkeys(user).exists()


def all_factors(user: Any) -> list[Any]:
    return [*totp_devices(user), *passkeys(user)]


def recovery_device(user: Any) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user: Any) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device else 0


# --- the session ----------------------------------------------------------------------------
def is_verified(request: HttpRequest) -> bool:
    """Has this session proved a second factor (django-otp's device is still valid)?"""
    if DEVICE_ID_SESSION_KEY not in request.session:
        return False  # no query: most sessions
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def enrolled(request: HttpRequest) -> bool:
    """Does the session's user have a second factor? Kept in the session (set at login and on
    every change made in it) so that ordinary pages cost no query."""
    known = request.session.get(SESSION_ENROLLED)
    if known is None or (not known and is_required(request.user)):
        known = has_second_factor(request.user)
        request.session[SESSION_ENROLLED] = known
    return known


def state(request: HttpRequest) -> str:
    """``"ok"``, ``"verify"`` (has a factor, must prove it) or ``"setup"`` (required, has none)."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return "ok"
    if enrolled(request):
        return "verify"
    if is_required(user):
        return "setup"
    return "ok"


def socket_allowed(session: Any, user: Any) -> bool:
    """The WebSocket twin of ``state(request) == "ok"`` (no django-otp middleware there)."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if persistent_id:
        device = Device.from_persistent_id(persistent_id)
        if device is not None and device.user_id == user.pk and device.confirmed:
            return True
    known = session.get(SESSION_ENROLLED)
    if known is None:
        known = has_second_factor(user)
    return not known and not is_required(user)


def mark_verified(request: HttpRequest, device: Any) -> None:
    """The session's user just proved ``device``: the session is verified, and fresh."""
    otp_login(request, device)
    request.session[SESSION_VERIFIED_AT] = int(time.time())
    request.session[SESSION_ENROLLED] = True


def forget(request: HttpRequest) -> None:
    """A new login by password: nothing proved yet."""
    for key in (SESSION_VERIFIED_AT, DEVICE_ID_SESSION_KEY, SESSION_PENDING):
        request.session.pop(key, None)


def begin_pending_login(request: HttpRequest, user: Any, next_url: str) -> None:
    """The password was right; the login completes after the second factor."""
    forget(request)
    request.session.cycle_key()
    request.session[SESSION_PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "at": int(time.time()),
        "next": next_url,
    }


def pending_login(request: HttpRequest) -> tuple[Any, dict] | None:
    """The user whose password was right a moment ago, or None (none, or too old)."""
    from .models import User

    pending = request.session.get(SESSION_PENDING)
    if not pending:
        return None
    if time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(SESSION_PENDING, None)
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    return (user, pending) if user else None


def url_with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def safe_next(request: HttpRequest, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


def seconds_since_proof(request: HttpRequest | None, user: Any) -> float | None:
    """How long ago this request's session proved a second factor for ``user`` (None: never,
    or the request is not that user's session, e.g. an API token)."""
    if request is None or not hasattr(request, "session"):
        return None
    if str(request.session.get(SESSION_KEY)) != str(getattr(user, "pk", None)):
        return None
    if DEVICE_ID_SESSION_KEY not in request.session:
        return None
    at = request.session.get(SESSION_VERIFIED_AT)
    return None if at is None else time.time() - at


def has_recent_proof(request: HttpRequest | None, user: Any) -> bool:
    elapsed = seconds_since_proof(request, user)
    return elapsed is not None and elapsed <= settings.TWO_FACTOR_STEP_UP_SECONDS


# --- step-up --------------------------------------------------------------------------------
def require_recent_second_factor(actor: Any) -> None:
    """Irreversible acts: where 2FA is required of ``actor``, their session must have proved
    a second factor in the last ``TWO_FACTOR_STEP_UP_SECONDS``. Raises ``StepUpRequired``
    (403; pages send the person to the verify step, the API answers with its ``code``)."""
    request = current_request.get()
    if request is None or actor is None or not is_required(actor):
        return
    if has_recent_proof(request, actor):
        return
    minutes = max(1, settings.TWO_FACTOR_STEP_UP_SECONDS // 60)
    raise StepUpRequired(
        _(
            "This cannot be undone: confirm it is you with your authenticator or passkey "
            "(a second factor proved in the last %(minutes)s minutes), then try again."
        )
        % {"minutes": minutes},
        verify_url=reverse("two_factor_verify"),
    )
