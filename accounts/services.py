"""Every write on accounts: memberships (which keep the organisation's permission group in
step), activation and workspace roles.

Each function takes the acting user as the keyword-only ``actor``: a person (checked: active
staff holding the model permission, or a superuser) or ``None`` for the system itself (the
demo seed, a shell session, a migration), which is recorded as such. Each records an activity
row; ``accounts.rights`` tells the open sockets of anyone whose rights changed to check again.
The admin (single and bulk actions alike) calls these; nothing else writes memberships.
Changing a role is irreversible enough to need a fresh second factor where two-factor sign-in
is required (``accounts.two_factor``). At the end: the person's own two-factor devices,
recovery codes and API token.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from rest_framework.authtoken.models import Token

from core.activity import record_activity

from . import two_factor
from .models import WORKSPACE_ROLES, Membership, Organisation, User
from .zones import validate_zone


def _require(actor: Any, permission: str) -> None:
    """The system (None) may; a person must be active staff with ``permission``."""
    if actor is None:
        return
    allowed = (
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and (actor.is_superuser or (actor.is_staff and actor.has_perm(permission)))
    )
    if not allowed:
        raise PermissionDenied(_("Only the workspace's administrators manage accounts."))


def _record(actor: Any, verb: str, **data: Any) -> None:
    record_activity(None, actor=actor, verb=verb, role="staff" if actor else "system", **data)


@transaction.atomic
def set_membership(
    user: User, organisation: Organisation, *, role: str = Membership.Role.MEMBER, actor: Any
) -> Membership:
    """Make ``user`` a member (or representative) of ``organisation``, or change their role."""
    _require(actor, "accounts.change_membership")
    if role not in Membership.Role.values:
        raise ValueError(f"unknown membership role {role!r}")
    previous = Membership.objects.filter(user=user, organisation=organisation).first()
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    user.groups.add(organisation.group)
    if previous is None or previous.role != role:
        _record(
            actor,
            "membership_set",
            username=user.username,
            organisation_name=organisation.name,
            membership_role=role,
            previous_role=previous.role if previous else None,
        )
    return membership


@transaction.atomic
def remove_membership(user: User, organisation: Organisation, *, actor: Any) -> bool:
    """End ``user``'s membership of ``organisation``; their access through it ends now (their
    open sockets check again and close where they lost it). False if there was none."""
    _require(actor, "accounts.delete_membership")
    deleted, _by_model = Membership.objects.filter(user=user, organisation=organisation).delete()
    user.groups.remove(organisation.group)
    if deleted:
        _record(
            actor,
            "membership_removed",
            username=user.username,
            organisation_name=organisation.name,
        )
    return bool(deleted)


@transaction.atomic
def sync_membership_groups(user: User, *, actor: Any) -> None:
    """Make the user's organisation groups match their memberships (memberships are the truth:
    a group added or removed by hand in the admin's group list is put right)."""
    _require(actor, "accounts.change_user")
    wanted = set(
        Organisation.objects.filter(memberships__user=user).values_list("group_id", flat=True)
    )
    current = set(user.groups.filter(organisation__isnull=False).values_list("id", flat=True))
    if wanted - current:
        user.groups.add(*Group.objects.filter(id__in=wanted - current))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(id__in=current - wanted))


@transaction.atomic
def set_active(user: User, active: bool, *, actor: Any) -> None:
    """Activate or deactivate an account; a deactivated user's sockets close."""
    _require(actor, "accounts.change_user")
    changed = User.objects.filter(pk=user.pk).exclude(is_active=active).exists()
    user.is_active = active
    user.save(update_fields=["is_active"])
    if changed:
        _record(
            actor, "account_activated" if active else "account_deactivated", username=user.username
        )


@transaction.atomic
def grant_role(user: User, role: str, *, actor: Any) -> None:
    """Give ``user`` a workspace role (moderator, secretariat)."""
    _require(actor, "auth.change_group")
    two_factor.require_recent_second_factor(actor)
    if role not in WORKSPACE_ROLES:
        raise ValueError(f"unknown workspace role {role!r}")
    user.groups.add(Group.objects.get(name=role))
    user.__dict__.pop("_role_cache", None)
    _record(actor, "role_granted", username=user.username, workspace_role=role)


@transaction.atomic
def revoke_role(user: User, role: str, *, actor: Any) -> None:
    """Take a workspace role away; the user's open sockets check their access again."""
    _require(actor, "auth.change_group")
    two_factor.require_recent_second_factor(actor)
    if role not in WORKSPACE_ROLES:
        raise ValueError(f"unknown workspace role {role!r}")
    user.groups.remove(Group.objects.get(name=role))
    user.__dict__.pop("_role_cache", None)
    _record(actor, "role_revoked", username=user.username, workspace_role=role)


# --- Self-service: two-factor sign-in and API tokens ----------------------------------------
# The person acts on their own account (``actor`` is ``user``); staff may also revoke. Each
# change is recorded; the policy (who must, fresh proof) is ``accounts.two_factor``.
def _require_self(user: User, actor: Any, permission: str | None = None) -> None:
    if actor is not None and actor.pk == user.pk:
        return
    if permission is None:
        raise PermissionDenied(_("Only the owner of the account can do this."))
    _require(actor, permission)


def _record_self(actor: Any, verb: str, **data: Any) -> None:
    record_activity(None, actor=actor, verb=verb, role="account", **data)


def set_time_zone(user: User, zone: str, *, actor: Any) -> str:
    """The zone ``user`` reads times in (blank: the conference's); only they choose it."""
    _require_self(user, actor)
    zone = validate_zone(zone)
    if user.time_zone != zone:
        user.time_zone = zone
        user.save(update_fields=["time_zone"])
    return zone


def _refuse_last_factor(user: User, leaving: Any) -> None:
    """Someone whose role requires two-factor sign-in keeps at least one factor."""
    if not two_factor.is_required(user):
        return
    others = [d for d in two_factor.all_factors(user) if d != leaving]
    if not others:
        raise PermissionDenied(
            _("Your role requires two-factor sign-in: add another authenticator or passkey first.")
        )


@transaction.atomic
def confirm_totp_device(device: TOTPDevice, *, actor: Any) -> TOTPDevice:
    """The person typed a right code from a new authenticator app: it now counts."""
    _require_self(device.user, actor)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _record_self(actor, "two_factor_added", device_kind="totp", device_name=device.name)
    return device


@transaction.atomic
def passkey_added(device: Any, *, actor: Any) -> None:
    """Record a passkey registered through django-otp-webauthn's ceremony."""
    _require_self(device.user, actor)
    _record_self(actor, "two_factor_added", device_kind="passkey", device_name=device.name)


@transaction.atomic
def remove_two_factor_device(device: Any, *, actor: Any) -> None:
    """Remove one authenticator app or passkey (not the last one of whom it is required)."""
    _require_self(device.user, actor, "otp_totp.delete_totpdevice")
    _refuse_last_factor(device.user, device)
    kind = "passkey" if isinstance(device, WebAuthnCredential) else "totp"
    device.delete()
    _record_self(
        actor,
        "two_factor_removed",
        username=device.user.username,
        device_kind=kind,
        device_name=device.name,
    )


@transaction.atomic
def disable_two_factor(user: User, *, actor: Any) -> None:
    """Remove every second factor and the recovery codes (refused where it is required)."""
    _require_self(user, actor, "otp_totp.delete_totpdevice")
    if two_factor.is_required(user):
        raise PermissionDenied(_("Your role requires two-factor sign-in: it cannot be removed."))
    for model in (TOTPDevice, WebAuthnCredential, StaticDevice):
        model.objects.filter(user=user).delete()
    _record_self(actor, "two_factor_disabled", username=user.username)


@transaction.atomic
def regenerate_recovery_codes(user: User, *, actor: Any) -> list[str]:
    """Ten new single-use recovery codes (the old ones stop working); shown once."""
    _require_self(user, actor)
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(two_factor.RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    device.throttle_reset()
    _record_self(actor, "recovery_codes_regenerated")
    return codes


def record_failed_code(user: User, *, kind: str) -> None:
    """A wrong one-time or recovery code (the person may not be logged in yet)."""
    _record_self(user, "two_factor_failed", device_kind=kind)


@transaction.atomic
def create_api_token(user: User, *, actor: Any) -> Token:
    """A new API token for ``user`` (any previous one stops working); its key is shown once.
    Where two-factor sign-in is required, a second factor proved a moment ago is needed."""
    _require_self(user, actor)
    two_factor.require_recent_second_factor(actor)
    replaced = Token.objects.filter(user=user).delete()[0] > 0
    token = Token.objects.create(user=user)
    _record_self(actor, "api_token_created", username=user.username, replaced=replaced)
    return token


@transaction.atomic
def revoke_api_token(user: User, *, actor: Any) -> bool:
    """The API token of ``user`` stops working now. False if there was none."""
    _require_self(user, actor, "authtoken.delete_token")
    deleted = Token.objects.filter(user=user).delete()[0] > 0
    if deleted:
        _record_self(actor, "api_token_revoked", username=user.username)
    return deleted
