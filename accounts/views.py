"""The profile page, the second step of the login, and the person's own security settings:
two-factor sign-in (authenticator app, passkeys, recovery codes) and their API token."""

from __future__ import annotations

from typing import Any

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from rest_framework.authtoken.models import Token

from . import passkeys, services, two_factor
from .forms import (
    LanguageForm,
    OneTimeCodeForm,
    PasswordConfirmForm,
    RecoveryCodeForm,
    TimeZoneForm,
)
from .models import WORKSPACE_ROLES, Membership, User
from .summary import what_you_can_do


class LoginView(auth_views.LoginView):
    """Django's login at ``/accounts/login/``; a person with a second factor is not logged in
    until they prove it at ``/accounts/login/verify/``, and a person required to have one
    sets it up right after the password."""

    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if two_factor.has_second_factor(user):
            two_factor.begin_pending_login(self.request, user, self.get_success_url())
            return redirect("two_factor_verify")
        response = super().form_valid(form)
        if two_factor.is_required(user):
            # The set-up page says why (one notice, not a message beside it saying the same).
            return redirect(two_factor.url_with_next("two_factor_setup", self.get_success_url()))
        return response


def _throttled(device: Any) -> bool:
    """django-otp's own throttle: after n wrong codes, the next waits 2^(n-1) seconds."""
    return device is not None and not device.verify_is_allowed()[0]


def _code_refused(request: HttpRequest, user: Any, kind: str, throttled: bool) -> str:
    """Count a wrong code (django-axes and the activity log) and say why in words."""
    services.record_failed_code(user, kind=kind)
    user_login_failed.send(
        sender=__name__, credentials={"username": user.get_username()}, request=request
    )
    if throttled:
        return _("Too many wrong codes. Wait a few seconds, then try again.")
    if kind == "recovery":
        return _("That recovery code is not valid, or was used already.")
    return _("That code is not valid. Check the time on your phone and try the newest code.")


def _finish(request: HttpRequest, user: Any, device: Any, pending: dict | None) -> HttpResponse:
    next_url = request.GET.get("next") or request.POST.get("next")
    if pending is not None:
        next_url = next_url or pending.get("next")
        auth_login(request, user, backend=pending["backend"])
    two_factor.mark_verified(request, device)
    return HttpResponseRedirect(two_factor.safe_next(request, next_url))


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Prove a second factor: after the password (a pending login), or again before an
    irreversible act (step-up). An authenticator code, a passkey, or a recovery code."""
    pending = None
    if request.user.is_authenticated:
        user = request.user
    else:
        found = two_factor.pending_login(request)
        if found is None:
            messages.info(request, _("Log in again, please: that took too long."))
            return redirect("login")
        user, pending = found
    if not two_factor.has_second_factor(user):
        return redirect("two_factor_setup" if two_factor.is_required(user) else "profile")
    credentials = {"username": user.get_username()}
    if request.method == "POST" and AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, None, credentials)

    totp = two_factor.totp_devices(user).first()
    code_form = OneTimeCodeForm(prefix="totp")
    recovery_form = RecoveryCodeForm(prefix="recovery")
    if request.method == "POST" and "recovery-recovery_code" in request.POST:
        recovery_form = RecoveryCodeForm(request.POST, prefix="recovery")
        device = two_factor.recovery_device(user)
        throttled = _throttled(device)
        if recovery_form.is_valid() and device is not None:
            verified = verify_token(
                user, device.persistent_id, recovery_form.cleaned_data["recovery_code"]
            )
            if verified:
                left = two_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    _("You used a recovery code; %(n)s are left. Make new ones on your profile.")
                    % {"n": left},
                )
                return _finish(request, user, verified, pending)
        recovery_form.add_error(
            "recovery_code", _code_refused(request, user, "recovery", throttled)
        )
    elif request.method == "POST" and totp is not None:
        code_form = OneTimeCodeForm(request.POST, prefix="totp")
        throttled = _throttled(totp)
        if code_form.is_valid():
            verified = verify_token(user, totp.persistent_id, code_form.cleaned_data["code"])
            if verified:
                return _finish(request, user, verified, pending)
            code_form.add_error("code", _code_refused(request, user, "totp", throttled))
    return render(
        request,
        "registration/verify.html",
        {
            "code_form": code_form if totp else None,
            "recovery_form": recovery_form if two_factor.recovery_codes_left(user) else None,
            "has_passkeys": two_factor.passkeys(user).exists(),
            "passkeys_available": passkeys.available(request),
            "step_up": pending is None and two_factor.is_verified(request),
            "next": request.GET.get("next", ""),
        },
        status=400 if request.method == "POST" else 200,
    )


def _qr_svg(device: TOTPDevice) -> str:
    """The setup QR code as an inline SVG element (no script, no style: the CSP holds)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, light="#fff", title=_("QR code for your authenticator app")
    )


def _secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), confirm with a code.
    The first factor also makes the ten recovery codes, shown once."""
    user = request.user
    if two_factor.has_second_factor(user) and not two_factor.is_verified(request):
        return redirect(two_factor.url_with_next("two_factor_verify", request.get_full_path()))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = OneTimeCodeForm(request.POST or None, prefix="totp")
    if request.method == "POST" and form.is_valid():
        throttled = _throttled(device)
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                first = not two_factor.has_second_factor(user)
                services.confirm_totp_device(device, actor=user)
                two_factor.mark_verified(request, device)
                codes = None
                if first or not two_factor.recovery_codes_left(user):
                    codes = services.regenerate_recovery_codes(user, actor=user)
            messages.success(request, _("Two-factor sign-in is on."))
            if codes:
                return _show_recovery_codes(request, codes, request.GET.get("next"))
            return HttpResponseRedirect(two_factor.safe_next(request, request.GET.get("next")))
        form.add_error("code", _code_refused(request, user, "totp", throttled))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device),
            "secret": _secret(device),
            "required": two_factor.is_required(user),
            "passkeys_available": passkeys.available(request),
            "next": request.GET.get("next", ""),
        },
        status=400 if request.method == "POST" else 200,
    )


def _show_recovery_codes(request: HttpRequest, codes: list[str], next_url: str | None):
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": two_factor.safe_next(request, next_url or reverse("profile"))},
    )


def _verified_or_redirect(request: HttpRequest) -> HttpResponse | None:
    """Changing two-factor settings needs the session to have proved a factor, if any."""
    if two_factor.has_second_factor(request.user) and not two_factor.is_verified(request):
        return redirect(two_factor.url_with_next("two_factor_verify", reverse("profile")))
    return None


@never_cache
@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if (refused := _verified_or_redirect(request)) is not None:
        return refused
    if not two_factor.has_second_factor(request.user):
        messages.error(request, _("Set up an authenticator app or a passkey first."))
        return redirect("profile")
    codes = services.regenerate_recovery_codes(request.user, actor=request.user)
    return _show_recovery_codes(request, codes, reverse("profile"))


@require_POST
@login_required
def remove_device(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if (refused := _verified_or_redirect(request)) is not None:
        return refused
    model = {"passkey": WebAuthnCredential, "totp": TOTPDevice}.get(kind)
    if model is None:
        raise Http404
    device = get_object_or_404(model, pk=pk, user=request.user, confirmed=True)
    try:
        services.remove_two_factor_device(device, actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        request.session[two_factor.SESSION_ENROLLED] = two_factor.has_second_factor(request.user)
        messages.success(request, _("Removed."))
    return redirect("profile")


@require_POST
@login_required
def disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off, with the password."""
    if (refused := _verified_or_redirect(request)) is not None:
        return refused
    form = PasswordConfirmForm(request, request.POST)
    if not form.is_valid():
        return _profile(request, disable_form=form, status=400)
    try:
        services.disable_two_factor(request.user, actor=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("profile")
    two_factor.forget(request)
    request.session[two_factor.SESSION_ENROLLED] = False
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("profile")


@never_cache
@require_POST
@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """Create (or replace) the person's API token, shown once; or revoke it."""
    if request.POST.get("action") == "revoke":
        if services.revoke_api_token(request.user, actor=request.user):
            messages.success(request, _("Your API token was revoked: it no longer works."))
        return redirect("profile")
    token = services.create_api_token(request.user, actor=request.user)
    return _profile(request, new_token=token.key)


def _profile(request: HttpRequest, status: int = 200, **extra: Any) -> HttpResponse:
    user = request.user
    memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
    roles = [r for r in WORKSPACE_ROLES if user.has_role(r)]
    token = Token.objects.filter(user=user).only("created").first()
    context = {
        "memberships": memberships,
        "what_you_can_do": what_you_can_do(user, memberships),
        "roles": roles,
        "totp_devices": list(two_factor.totp_devices(user)),
        "passkey_list": list(two_factor.passkeys(user)),
        "passkeys_available": passkeys.available(request),
        "recovery_left": two_factor.recovery_codes_left(user),
        "two_factor_required": two_factor.is_required(user),
        "token": token,
        "disable_form": PasswordConfirmForm(request, prefix=None),
        "language_form": LanguageForm(instance=user),
        "zone_form": TimeZoneForm(user=user),
        "now": timezone.now(),
        **extra,
    }
    context["two_factor_on"] = bool(context["totp_devices"] or context["passkey_list"])
    return render(request, "accounts/profile.html", context, status=status)


@never_cache
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return _profile(request)


@require_POST
@login_required
def profile_time_zone(request: HttpRequest) -> HttpResponse:
    """Keep the zone the person reads times in; blank: the conference's."""
    form = TimeZoneForm(request.POST, user=request.user)
    if not form.is_valid():
        return _profile(request, status=400, zone_form=form)
    services.set_time_zone(request.user, form.cleaned_data["time_zone"], actor=request.user)
    messages.success(request, _("Your time zone is saved."))
    return redirect("profile")


@require_POST
@login_required
def profile_language(request: HttpRequest) -> HttpResponse:
    """Keep the person's interface language on their profile; it wins over the browser's.
    Blank follows the browser again (and forgets the language cookie)."""
    form = LanguageForm(request.POST, instance=request.user)
    if not form.is_valid():
        return _profile(request, status=400, language_form=form)
    form.save()
    language = form.cleaned_data["language"]
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language
    messages.success(request, _("Your language is saved."))
    response = redirect("profile")
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language`` (the language chooser of every page: a cookie), which also
    keeps the choice on the profile of a signed-in person. An unknown code changes nothing."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if (
        request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and translation.check_for_language(language)
    ):
        User.objects.filter(pk=request.user.pk).update(language=language)
        request.user.language = language
    return response
