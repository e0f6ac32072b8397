from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conference"
    verbose_name = _("Conference")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from core import zones
        from core.activity import register_sentences

        from . import deadlines, edition
        from .models import Conference, current_zone_name

        deadlines.register()
        edition.register()
        register_sentences(ACTIVITY_SENTENCES)
        # The conference's zone is the workspace's (core.zones), read again once it changes.
        zones.register_source("conference", current_zone_name)
        for signal in (post_save, post_delete):
            signal.connect(_forget_zone, sender=Conference, dispatch_uid=f"zone-{signal}")


def _forget_zone(**kwargs) -> None:
    from core import zones

    zones.forget()


ACTIVITY_SENTENCES = {
    "conference_saved": _("%(who)s saved the conference %(name)s"),
    "deadlines_set": _("%(who)s set the conference's deadlines"),
    "session_created": _("%(who)s added the session %(title)s to the programme"),
    "session_changed": _("%(who)s changed the session %(title)s"),
    "session_removed": _("%(who)s removed the session %(title)s from the programme"),
}
