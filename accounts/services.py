"""Every write on accounts: memberships (which keep the organisation's permission group in
step), activation and workspace roles.

Each function takes the acting user as the keyword-only ``actor``: a person (checked: active
staff holding the model permission, or a superuser) or ``None`` for the system itself (the
demo seed, a shell session, a migration), which is recorded as such. Each records an activity
row; ``accounts.rights`` tells the open sockets of anyone whose rights changed to check again.
The admin (single and bulk actions alike) calls these; nothing else writes memberships.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.activity import record_activity

from .models import WORKSPACE_ROLES, Membership, Organisation, User


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
    if role not in WORKSPACE_ROLES:
        raise ValueError(f"unknown workspace role {role!r}")
    user.groups.add(Group.objects.get(name=role))
    user.__dict__.pop("_role_cache", None)
    _record(actor, "role_granted", username=user.username, workspace_role=role)


@transaction.atomic
def revoke_role(user: User, role: str, *, actor: Any) -> None:
    """Take a workspace role away; the user's open sockets check their access again."""
    _require(actor, "auth.change_group")
    if role not in WORKSPACE_ROLES:
        raise ValueError(f"unknown workspace role {role!r}")
    user.groups.remove(Group.objects.get(name=role))
    user.__dict__.pop("_role_cache", None)
    _record(actor, "role_revoked", username=user.username, workspace_role=role)
