from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WorkspaceConfig(AppConfig):
    """The project package is an app too: it holds what spans every app (roles, seed, home)."""

    name = "workspace"
    verbose_name = "Workspace"

    def ready(self) -> None:
        from .roles import ensure_roles_after_migrate

        post_migrate.connect(ensure_roles_after_migrate, dispatch_uid="workspace.roles")
