from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from core.activity import register_sentences, register_value_labels
        from live.broadcast import notify_session_ended

        def close_sockets(sender, request, user, **kwargs) -> None:
            key = getattr(getattr(request, "session", None), "session_key", None)
            if key:
                notify_session_ended(key)

        user_logged_out.connect(close_sockets, weak=False, dispatch_uid="accounts.close_sockets")
        from . import audit

        audit.connect()

        def two_factor_start(sender, request, user, **kwargs) -> None:
            # A new login: nothing proved yet (the verify step proves it right after), and
            # whether this person has a second factor, kept for the pages' cheap check.
            from . import two_factor

            if getattr(request, "session", None) is not None:
                two_factor.forget(request)
                request.session[two_factor.SESSION_ENROLLED] = two_factor.has_second_factor(user)

        user_logged_in.connect(
            two_factor_start, weak=False, dispatch_uid="accounts.two_factor_start"
        )
        from . import rights

        rights.connect()
        register_sentences(ACTIVITY_SENTENCES)
        register_value_labels(ACTIVITY_VALUE_LABELS)


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
    "two_factor_added": _("%(who)s added a second factor (%(device_kind)s) to their account"),
    "two_factor_removed": _("%(who)s removed a second factor (%(device_kind)s) from their account"),
    "two_factor_disabled": _("%(who)s turned two-factor sign-in off for %(username)s"),
    "two_factor_failed": _("%(who)s entered a wrong code (%(device_kind)s)"),
    "recovery_codes_regenerated": _("%(who)s made new recovery codes"),
    "api_token_created": _("%(who)s created an API token"),
    "api_token_revoked": _("%(who)s revoked the API token of %(username)s"),
}

# The codes these sentences insert, as words of the reader's language.
ACTIVITY_VALUE_LABELS = {
    # The role an audit row's actor acted in (core.models.Activity.role_label).
    "role": {
        "moderator": _("moderator"),
        "secretariat": _("secretariat"),
        "drafter": _("drafter"),
        "participant": _("participant"),
        "member": _("member"),
        "representative": _("representative"),
        "staff": _("administrator"),
        "system": _("the workspace"),
        "account": _("account holder"),
        "anonymous": _("not signed in"),
    },
    "membership_role": {"member": _("member"), "representative": _("representative")},
    "workspace_role": {"moderator": _("moderator"), "secretariat": _("secretariat")},
    "device_kind": {
        "totp": _("authenticator app"),
        "passkey": _("passkey"),
        "recovery": _("recovery code"),
    },
}
