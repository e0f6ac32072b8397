"""Helpers for migrations that move models between apps without copying their rows."""

from __future__ import annotations

from typing import Any


def relabel_content_types(apps: Any, old_app: str, new_app: str, models: list[str]) -> None:
    """Point the content types (and so the permissions and object permissions) of moved models
    at their new app. Where the new app's content type exists already (a ``migrate`` that ran
    its post-migrate step in between), the old one's permissions are merged into it: groups
    keep every permission they had, under the new label."""
    content_type = apps.get_model("contenttypes", "ContentType")
    permission = apps.get_model("auth", "Permission")
    for model in models:
        old = content_type.objects.filter(app_label=old_app, model=model).first()
        if old is None:
            continue
        new = content_type.objects.filter(app_label=new_app, model=model).first()
        if new is None:
            old.app_label = new_app
            old.save(update_fields=["app_label"])
            continue
        for perm in permission.objects.filter(content_type=old):
            target = permission.objects.filter(content_type=new, codename=perm.codename).first()
            if target is None:
                perm.content_type = new
                perm.save(update_fields=["content_type"])
                continue
            for group in perm.group_set.all():
                group.permissions.add(target)
            for user in perm.user_set.all():
                user.user_permissions.add(target)
            perm.delete()
        old.delete()
