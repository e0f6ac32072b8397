"""Admin: themes are reference data; recommendations are read-only, with their version history.

Every change of a recommendation goes through recommendations/services.py (permission checks,
activity, live events), so the admin neither adds, changes, deletes nor reverts them. The
history is django-reversion's (``VersionAdmin``), one revision per text version; reverting
and recovering from the admin are switched off: restoring an old version is
``services.restore_version``, which checks the drafter's object permission.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import Http404, HttpResponseForbidden
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from .models import VERSIONED_FIELDS, Recommendation, Theme, VersionMeta


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "event_city", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug", "event_city")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Recommendation)
class RecommendationAdmin(VersionAdmin):
    list_display = ("title", "theme", "status", "version", "approved_version", "lead_organisation")
    list_filter = ("status", "theme")
    search_fields = ("title", "summary", "body")
    list_select_related = ("theme", "lead_organisation")
    fields = (
        *VERSIONED_FIELDS,
        "created_by",
        "created_at",
        "submitted_at",
        "approved_at",
        "finalised_at",
    )
    readonly_fields = ("created_at",)
    actions = None
    # The plain admin list: reversion's adds a "Recover deleted" link, switched off below.
    change_list_template = "admin/change_list.html"
    object_history_template = "admin/recommendations/recommendation/object_history.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def history_view(self, request, object_id, extra_context=None):
        """Reversion's history, each revision with its version number and author, linked to the
        site's comparison with the version before (not to the switched-off revert form)."""
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None) or {}
        if "object" in context:
            metas = {
                meta.revision_id: meta
                for meta in VersionMeta.objects.filter(recommendation=context["object"])
                .select_related("author", "organisation")
                .defer("body_html", "paragraphs", "footnotes_html")
            }
            history = reverse("recommendations:history", args=[context["object"].pk])
            compare = reverse("recommendations:compare", args=[context["object"].pk])
            for action in context["action_list"]:
                meta = action["version"] = metas.get(action["revision"].pk)
                if meta is None:
                    action["url"] = ""
                elif meta.number == 1:
                    action["url"] = history
                else:
                    action["url"] = f"{compare}?from={meta.number - 1}&to={meta.number}"
        return response

    def revision_view(self, request, object_id, version_id, extra_context=None):
        return HttpResponseForbidden(
            _("Old versions are restored from the recommendation's history page.")
        )

    def recover_view(self, request, version_id, extra_context=None):
        raise Http404(_("Deleted recommendations cannot be recovered here."))

    def recoverlist_view(self, request, extra_context=None):
        raise Http404(_("Deleted recommendations cannot be recovered here."))
