from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        # The recommendation's activity list describes our verbs too (recommendations does not
        # import comments, so the sentences are registered from here).
        from recommendations.models import ACTIVITY_SENTENCES

        ACTIVITY_SENTENCES.update(ACTIVITY)

        # Replayed events lose the text of comments hidden since (where the hook exists).
        from recommendations import events

        from .redaction import redact_hidden_comments

        redactors = getattr(events, "REDACTORS", None)
        if redactors is not None and redact_hidden_comments not in redactors:
            redactors.append(redact_hidden_comments)


ACTIVITY = {
    "commented": _("%(who)s commented on version %(version)s"),
    "comment_replied": _("%(who)s replied to a comment"),
    "comment_edited": _("%(who)s edited a comment"),
    "comment_resolved": _("%(who)s resolved a comment thread"),
    "comment_reopened": _("%(who)s reopened a comment thread"),
    "comment_responded": _("%(who)s responded to a comment on version %(version)s"),
    "comment_hidden": _("%(who)s hid a comment"),
    "comment_restored": _("%(who)s restored a hidden comment"),
    "comment_reported": _("%(who)s reported a comment"),
    "comment_reports_dismissed": _("%(who)s dismissed the reports on a comment"),
}
