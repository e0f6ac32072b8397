"""Passkeys as a second factor (django-otp-webauthn), never as a login of their own.

A passkey is bound to a host *name* (WebAuthn's relying party): the name the site was opened
at, which Django has already checked against ``ALLOWED_HOSTS``. An IP address cannot be one,
so on ``http://127.0.0.1:8000`` the profile says to open the site as ``localhost`` instead.
The library's four JSON views are used through small subclasses that know the *pending* login
(the password was right, the second factor not yet proved), record the activity, and mark the
session's proof fresh for the step-up rule.
"""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from django.contrib.auth import login as auth_login
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn import exceptions, views
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from . import services, two_factor


def host_name(request: HttpRequest) -> str:
    """The host name the site was opened at, without the port (already in ALLOWED_HOSTS)."""
    host = request.get_host()
    if host.startswith("["):
        return host[1 : host.index("]")]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def available(request: HttpRequest) -> bool:
    """Passkeys need a host name: not an IP address."""
    try:
        ipaddress.ip_address(host_name(request))
    except ValueError:
        return True
    return False


def relying_party_id(request: HttpRequest) -> str:
    return host_name(request)


class PasskeyHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        """This very origin (scheme, allowed host and port) and any configured one."""
        own = f"{self.request.scheme}://{self.request.get_host()}"
        return [own, *super().get_allowed_origins()]


class NoHostName(exceptions.OTPWebAuthnApiError):
    status_code = 400
    default_code = "passkeys_need_host_name"
    default_detail = _("Passkeys work only when the site is opened by its name, not by an address.")


class _HostNameRequired:
    def initial(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        if not available(request):
            raise NoHostName()
        super().initial(request, *args, **kwargs)


class RegisterBegin(_HostNameRequired, views.BeginCredentialRegistrationView):
    pass


class RegisterComplete(_HostNameRequired, views.CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        was_verified = two_factor.is_verified(self.request)
        response = super().post(*args, **kwargs)
        device = WebAuthnCredential.objects.get(pk=json.loads(response.content)["id"])
        services.passkey_added(device, actor=self.request.user)
        if not was_verified:
            two_factor.mark_verified(self.request, device)
        self.request.session[two_factor.SESSION_ENROLLED] = True
        return response


class _PendingUser:
    """The user is the logged-in one or, during a login, the one whose password was right."""

    def get_user(self):
        if self.request.user.is_authenticated:
            return self.request.user
        pending = two_factor.pending_login(self.request)
        return pending[0] if pending else None


class AuthenticateBegin(_HostNameRequired, _PendingUser, views.BeginCredentialAuthenticationView):
    pass


class AuthenticateComplete(
    _HostNameRequired, _PendingUser, views.CompleteCredentialAuthenticationView
):
    def complete_auth(self, device: WebAuthnCredential) -> None:
        if not self.request.user.is_authenticated:
            pending = two_factor.pending_login(self.request)
            if pending is None or pending[0].pk != device.user_id:
                raise exceptions.CredentialUserMismatch()
            user, data = pending
            self._next = data.get("next")
            auth_login(self.request, user, backend=data["backend"])
        two_factor.mark_verified(self.request, device)

    def get_success_url(self) -> str:
        return two_factor.safe_next(
            self.request, getattr(self, "_next", None) or self.get_redirect_url()
        )
