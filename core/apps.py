from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Workspace core")

    def ready(self) -> None:
        from django.core import checks

        from .activity import register_sentences

        checks.register(check_rate_limits)
        register_sentences({"refused": _("%(who)s was refused %(method)s %(path)s (%(status)s)")})


def check_rate_limits(app_configs, **kwargs) -> list:
    """Every configured rate must parse (``WORKSPACE_RATE_LIMITS``)."""
    from django.conf import settings
    from django.core import checks
    from django.core.exceptions import ImproperlyConfigured

    from .ratelimit import parse_rate

    errors = []
    for kind, rate in getattr(settings, "RATE_LIMITS", {}).items():
        try:
            parse_rate(rate)
        except ImproperlyConfigured as exc:
            errors.append(checks.Error(str(exc), obj=f"RATE_LIMITS[{kind!r}]", id="core.E001"))
    return errors
