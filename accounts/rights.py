"""Whenever a person's rights change, their open sockets check again (and close if they lost
access), whatever made the change: a service, the admin, a shell, a migration.

Rights live in a few tables, and each change of one of them is caught here at the source:
- the user's row: deactivation, a new password (other sessions are logged out by Django's
  session hash; their sockets close too, and the person's API tokens are revoked), staff or
  superuser flags;
- the user's groups (workspace roles, organisation groups) and direct permissions;
- a group's permissions (every member is told);
- memberships (a representative who becomes a member may no longer act for the organisation);
- django-guardian's object permissions, of any model (drafting rights on a recommendation).
A right added tomorrow lives in one of these tables, so it is covered without socket code.
This is a transport-level invalidation, not business logic: it only asks sockets to re-check
(``live.broadcast.notify_access_changed``, sent after commit).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from live.broadcast import notify_access_changed

from .models import Membership, User

WATCHED_USER_FIELDS = ("is_active", "password", "is_staff", "is_superuser")


def _tell(user_ids: Any) -> None:
    for user_id in set(user_ids):
        notify_access_changed(user_id)


def _members_of(group_ids: Any) -> list[int]:
    return list(User.objects.filter(groups__in=list(group_ids)).values_list("pk", flat=True))


def _user_saving(sender: Any, instance: User, raw: bool = False, **kwargs: Any) -> None:
    if raw or instance.pk is None:
        return
    before = User.objects.filter(pk=instance.pk).values(*WATCHED_USER_FIELDS).first()
    if before is not None and any(before[f] != getattr(instance, f) for f in WATCHED_USER_FIELDS):
        notify_access_changed(instance.pk)
    if before is not None and (
        before["password"] != instance.password or (before["is_active"] and not instance.is_active)
    ):
        # A new password or a closed account ends the API tokens too, as it ends the sessions.
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user_id=instance.pk).delete()


def _user_groups_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if action == "pre_clear":
        # Who is about to lose every group (or every member): read before the rows go.
        instance._rights_clearing = (
            list(instance.user_set.values_list("pk", flat=True)) if reverse else [instance.pk]
        )
        return
    if action == "post_clear":
        _tell(getattr(instance, "_rights_clearing", []))
        return
    _tell((pk_set or []) if reverse else [instance.pk])


def _group_permissions_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    # reverse: permission.group_set changed (pk_set are groups); else group.permissions.
    groups = (pk_set or []) if reverse else [instance.pk]
    if action == "pre_clear":
        groups = list(instance.group_set.values_list("pk", flat=True)) if reverse else [instance.pk]
    _tell(_members_of(groups))


def _membership_changed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    if not kwargs.get("raw"):
        notify_access_changed(instance.user_id)


def _object_permission_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if isinstance(instance, UserObjectPermissionBase):
        notify_access_changed(instance.user_id)
    elif isinstance(instance, GroupObjectPermissionBase):
        _tell(_members_of([instance.group_id]))


def connect() -> None:
    pre_save.connect(_user_saving, sender=User, dispatch_uid="rights.user")
    m2m_changed.connect(
        _user_groups_changed, sender=User.groups.through, dispatch_uid="rights.groups"
    )
    m2m_changed.connect(
        _user_groups_changed, sender=User.user_permissions.through, dispatch_uid="rights.user_perms"
    )
    m2m_changed.connect(
        _group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="rights.group_perms",
    )
    post_save.connect(_membership_changed, sender=Membership, dispatch_uid="rights.membership")
    post_delete.connect(
        _membership_changed, sender=Membership, dispatch_uid="rights.membership_gone"
    )
    # Object permissions of any model (guardian's direct-FK subclasses and its generic ones).
    post_save.connect(_object_permission_changed, dispatch_uid="rights.object_perms")
    post_delete.connect(_object_permission_changed, dispatch_uid="rights.object_perms_gone")
