from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from live.broadcast import notify_session_ended

        def close_sockets(sender, request, user, **kwargs) -> None:
            key = getattr(getattr(request, "session", None), "session_key", None)
            if key:
                notify_session_ended(key)

        user_logged_out.connect(close_sockets, weak=False, dispatch_uid="accounts.close_sockets")
