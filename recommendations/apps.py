from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RecommendationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recommendations"
    verbose_name = _("Recommendations")

    def ready(self) -> None:
        from core.activity import register_sentences
        from live.groups import OVERVIEW_GROUP
        from live.registry import CoeditDocument, ListTopic, ObjectTopic, documents, topics

        from . import subscriptions
        from .translations import ACTIVITY_SENTENCES as TRANSLATION_SENTENCES

        post_migrate.connect(index_after_migrate, sender=self)
        register_sentences(ACTIVITY_SENTENCES)
        register_sentences(TRANSLATION_SENTENCES)
        topics.register(
            "recommendation",
            ObjectTopic(
                name="recommendation",
                route="ws/recommendations/<int:pk>/",
                subscribe=subscriptions.follow_recommendation,
                recheck_on=frozenset({"recommendation.drafters"}),
            ),
        )
        documents.register(
            "recommendation",
            CoeditDocument(
                name="recommendation",
                route="ws/recommendations/<int:pk>/text/",
                access=subscriptions.coedit_text,
                initial_text=subscriptions.live_text_source,
                recheck_on=frozenset({"recommendation.status", "recommendation.drafters"}),
            ),
        )
        topics.register(
            OVERVIEW_GROUP,
            ListTopic(
                name=OVERVIEW_GROUP,
                route="ws/overview/",
                subscribe=subscriptions.follow_overview,
                admits=subscriptions.overview_admits,
                refresh_on=frozenset({"recommendation.created", "recommendation.drafters"}),
            ),
        )


def index_after_migrate(using: str = "default", **kwargs) -> None:
    """A database made before search existed gets its index once, after the migration that
    adds it (later migrations find documents and do nothing)."""
    from .models import Recommendation, SearchDocument
    from .search import rebuild

    if (
        not SearchDocument.objects.using(using).exists()
        and Recommendation.objects.using(using).exists()
    ):
        rebuild()


ACTIVITY_SENTENCES = {
    "created": _("%(who)s created version 1"),
    "edited": _("%(who)s saved version %(version)s"),
    "merged": _("%(who)s saved version %(version)s, merged with version %(merged_with)s"),
    "restored": _("%(who)s restored version %(restored_from)s as version %(version)s"),
    "submitted": _("%(who)s submitted this for review"),
    "approved": _("%(who)s approved version %(version)s"),
    "rejected": _("%(who)s rejected this: %(reason)s"),
    "withdrawn": _("%(who)s withdrew this: %(reason)s"),
    "finalised": _("%(who)s finalised version %(version)s"),
    "drafter_added": _("%(who)s invited %(organisation_name)s to co-draft"),
    "drafter_removed": _("%(who)s removed %(organisation_name)s from the drafters"),
}
