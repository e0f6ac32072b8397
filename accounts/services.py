"""Writes on accounts: memberships keep the organisation's permission group in step."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from live.broadcast import notify_access_changed

from .models import WORKSPACE_ROLES, Membership, Organisation, User


@transaction.atomic
def set_membership(
    user: User, organisation: Organisation, *, role: str = Membership.Role.MEMBER
) -> Membership:
    """Make ``user`` a member (or representative) of ``organisation``."""
    if role not in Membership.Role.values:
        raise ValueError(f"unknown membership role {role!r}")
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    user.groups.add(organisation.group)
    return membership


@transaction.atomic
def remove_membership(user: User, organisation: Organisation) -> None:
    Membership.objects.filter(user=user, organisation=organisation).delete()
    user.groups.remove(organisation.group)
    notify_access_changed(user.pk)


def sync_membership_groups(user: User) -> None:
    """Make the user's organisation groups match their memberships (used after admin edits)."""
    wanted = set(
        Organisation.objects.filter(memberships__user=user).values_list("group_id", flat=True)
    )
    current = set(user.groups.filter(organisation__isnull=False).values_list("id", flat=True))
    if wanted - current:
        user.groups.add(*Group.objects.filter(id__in=wanted - current))
    if current - wanted:
        user.groups.remove(*Group.objects.filter(id__in=current - wanted))
        notify_access_changed(user.pk)


@transaction.atomic
def set_active(user: User, active: bool) -> None:
    """Activate or deactivate an account; a deactivated user's sockets close."""
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active
    if not active:
        notify_access_changed(user.pk)


@transaction.atomic
def grant_role(user: User, role: str) -> None:
    if role not in WORKSPACE_ROLES:
        raise ValueError(f"unknown workspace role {role!r}")
    user.groups.add(Group.objects.get(name=role))
    user.__dict__.pop("_role_cache", None)
