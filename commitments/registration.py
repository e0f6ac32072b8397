"""What this app adds to the lower apps at start-up (``CommitmentsConfig.ready``): activity
sentences, the commitments panel of a recommendation page, the edition's commitments section
and the live topics of the organisation pages and the follow-up overview."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ACTIVITY_SENTENCES = {
    "committed": _("%(who)s made a commitment on version %(version)s"),
    "commitment_changed": _("%(who)s changed a commitment (%(fields)s)"),
    "commitment_reconfirmed": _(
        "%(who)s re-confirmed a commitment on version %(version)s "
        "(it was made on version %(previous_version)s)"
    ),
    "progress_reported": _("%(who)s reported progress on a commitment: %(status_label)s"),
    "progress_verified": _("%(who)s verified a progress update of %(organisation_name)s"),
    "update_requested": _("%(who)s asked %(organisation_name)s for a progress update"),
    "organisation_page_changed": _("%(who)s changed the page of %(organisation_name)s"),
    "profile_revised": _("%(who)s revised the migration profile of %(organisation_name)s"),
    "pilot_saved": _("%(who)s saved the pilot project of %(organisation_name)s: %(title)s"),
}


def register_all() -> None:
    from core import documents, panels
    from core.activity import register_sentences
    from live.registry import ListTopic, ObjectTopic, topics

    from . import edition, events, selectors, subscriptions

    register_sentences(ACTIVITY_SENTENCES)
    panels.register(
        "commitments.recommendation",
        panels.Panel(
            slot="recommendation.below_text",
            template="commitments/panel.html",
            order=5,
            context=lambda request, context: selectors.recommendation_context(
                getattr(request, "user", None), context["rec"]
            ),
        ),
    )
    documents.register(
        edition.KEY,
        documents.EditionSection(
            place="after_recommendations",
            snapshot=edition.snapshot,
            markdown=edition.markdown,
            template="commitments/edition_section.html",
        ),
    )
    topics.register(
        events.ORGANISATION_TOPIC,
        ObjectTopic(
            name=events.ORGANISATION_TOPIC,
            route="ws/organisations/<int:pk>/",
            subscribe=subscriptions.follow_organisation,
            presence=False,
        ),
    )
    topics.register(
        events.FOLLOWUP_GROUP,
        ListTopic(
            name=events.FOLLOWUP_GROUP,
            route="ws/followup/",
            subscribe=subscriptions.follow_followup,
            admits=subscriptions.followup_admits,
        ),
    )
