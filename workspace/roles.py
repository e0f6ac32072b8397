"""Workspace-wide roles: Django groups holding model permissions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from accounts.models import MODERATOR, SECRETARIAT

# app_label.codename; a permission that does not exist (yet) is skipped, not an error, so the
# roles can be set up before every app has migrated.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    MODERATOR: [
        "recommendations.view_recommendation",
        "recommendations.moderate_recommendation",
        "comments.moderate_comment",
    ],
    SECRETARIAT: [
        "recommendations.view_recommendation",
        "recommendations.finalise_recommendation",
        "publication.add_edition",
        "publication.publish_edition",
    ],
}


def ensure_roles() -> dict[str, Group]:
    """Create the role groups and give them exactly their permissions. Idempotent."""
    groups: dict[str, Group] = {}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.set(wanted)
        groups[role] = group
    return groups


def ensure_roles_after_migrate(sender: Any, **kwargs: Any) -> None:
    if getattr(sender, "name", None) == "workspace":
        ensure_roles()
