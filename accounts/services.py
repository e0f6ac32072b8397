"""Writes on accounts: memberships keep the organisation's permission group in step."""

from __future__ import annotations

import hashlib
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import Group
from django.db import transaction

from .models import WORKSPACE_ROLES, Membership, Organisation, User

logger = logging.getLogger(__name__)


def _send(group: str, message: dict) -> None:
    try:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group, message)
    except Exception:  # a channel layer that is down must not fail the change itself
        logger.warning("could not notify %s", group, exc_info=True)


def notify_access_changed(user_id: int) -> None:
    """After commit, ask the user's open sockets to check their rights again (and close if
    they lost them). Sockets join the group ``user.<id>``."""
    transaction.on_commit(lambda: _send(f"user.{int(user_id)}", {"type": "access.changed"}))


def notify_session_ended(session_key: str) -> None:
    """Close the sockets opened with this session (called at logout)."""
    group = "session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]
    _send(group, {"type": "session.ended"})


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
