from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publication"
    verbose_name = _("Endorsements and editions")

    def ready(self) -> None:
        from core import panels
        from core.activity import register_sentences
        from recommendations import listing

        from . import selectors

        register_sentences(ACTIVITY_SENTENCES)
        panels.register(
            "publication.endorsements",
            panels.Panel(
                slot="recommendation.aside",
                template="publication/endorsements_panel.html",
                order=10,
                context=lambda request, context: selectors.detail_context(
                    getattr(request, "user", None), context["rec"]
                ),
            ),
        )
        listing.sorts.register(
            "supported", listing.Sort(_("Most supported"), selectors.most_supported, position=20)
        )
        panels.register(
            "publication.list_support",
            panels.Panel(
                slot="recommendation.list_row",
                template="publication/list_support.html",
                prepare=lambda request, recommendations: selectors.attach_support(recommendations),
            ),
        )


ACTIVITY_SENTENCES = {
    "endorsed": _("%(who)s endorsed version %(version)s"),
    "endorsement_withdrawn": _("%(who)s withdrew its endorsement of version %(version)s"),
    "reconfirmed": _(
        "%(who)s re-confirmed its endorsement on version %(version)s "
        "(it had endorsed version %(previous_version)s)"
    ),
    "published": _("%(who)s published version %(version)s in edition %(number)s"),
    "edition_created": _("%(who)s composed a new edition: %(title)s"),
    "edition_published": _("%(who)s published edition %(number)s: %(title)s"),
}
