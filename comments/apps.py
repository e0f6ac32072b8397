from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from core import panels
        from core.activity import register_sentences
        from live.registry import redactors
        from recommendations import listing, search

        from .display import attach_comment_counts, most_discussed
        from .redaction import redact_hidden_comments
        from .search import SOURCE

        register_sentences(ACTIVITY)
        panels.register(
            "comments.section",
            panels.Panel(slot="recommendation.below_text", template="comments/section.html"),
        )
        # The list: each row's number of comments, and "Most discussed" first.
        panels.register(
            "comments.list_count",
            panels.Panel(
                slot="recommendation.list_row",
                template="comments/list_count.html",
                order=5,
                prepare=lambda request, recommendations: attach_comment_counts(recommendations),
            ),
        )
        listing.sorts.register(
            "discussed", listing.Sort(_("Most discussed"), most_discussed, position=30)
        )
        # Comments are found by full-text search, as the recommendation's own text is.
        search.sources.register("comment", SOURCE)
        # Replayed events lose the text of comments hidden since.
        redactors.register("comments.hidden", redact_hidden_comments)


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
