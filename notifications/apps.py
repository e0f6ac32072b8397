from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from core import panels
        from core.activity import listeners, register_sentences
        from live.registry import PersonalTopic, topics

        from . import fanout, live

        listeners.register("notifications", fanout.notify)
        topics.register(
            live.TOPIC,
            PersonalTopic(name=live.TOPIC, route="ws/notifications/", subscribe=live.subscribe),
        )
        panels.register(
            "notifications.follow",
            panels.Panel(
                slot="recommendation.aside",
                template="notifications/follow_panel.html",
                order=5,
                context=lambda request, context: {
                    "following": fanout.is_following(getattr(request, "user", None), context["rec"])
                },
            ),
        )
        register_sentences(ACTIVITY_SENTENCES)


ACTIVITY_SENTENCES = {
    "invitation_sent": _("%(who)s invited someone to join"),
    "invitation_revoked": _("%(who)s withdrew an invitation"),
    "invitation_accepted": _("%(who)s accepted an invitation"),
}
