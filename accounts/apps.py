from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from core.activity import register_sentences
        from live.broadcast import notify_session_ended

        def close_sockets(sender, request, user, **kwargs) -> None:
            key = getattr(getattr(request, "session", None), "session_key", None)
            if key:
                notify_session_ended(key)

        user_logged_out.connect(close_sockets, weak=False, dispatch_uid="accounts.close_sockets")
        from . import audit

        audit.connect()
        from . import rights

        rights.connect()
        register_sentences(ACTIVITY_SENTENCES)


ACTIVITY_SENTENCES = {
    "membership_set": _("%(who)s made %(username)s a %(membership_role)s of %(organisation_name)s"),
    "membership_removed": _("%(who)s removed %(username)s from %(organisation_name)s"),
    "account_activated": _("%(who)s activated the account of %(username)s"),
    "account_deactivated": _("%(who)s deactivated the account of %(username)s"),
    "role_granted": _("%(who)s gave %(username)s the role %(workspace_role)s"),
    "role_revoked": _("%(who)s took the role %(workspace_role)s from %(username)s"),
    "signed_in": _("%(who)s signed in"),
    "sign_in_failed": _("A sign-in as %(username)s failed"),
    "locked_out": _("Sign-ins as %(username)s are locked for a while after repeated failures"),
}
