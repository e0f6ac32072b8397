"""The conference in the admin: every save goes through ``conference.services`` (validation,
activity, the sessions' calendar SEQUENCE, the overview told)."""

from __future__ import annotations

from django.contrib import admin

from .models import Conference, Session, ThemeMeeting
from .services import save_conference, save_meeting, save_session


class ThemeMeetingInline(admin.TabularInline):
    model = ThemeMeeting
    extra = 0


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "place",
        "starts_on",
        "ends_on",
        "drafting_closes_at",
        "endorsement_closes_at",
    ]
    inlines = [ThemeMeetingInline]
    fields = [
        "name",
        "place",
        "host",
        "starts_on",
        "ends_on",
        "time_zone",
        "drafting_closes_at",
        "endorsement_closes_at",
    ]

    def save_model(self, request, obj, form, change) -> None:
        data = {name: form.cleaned_data.get(name) for name in self.fields}
        saved = save_conference(obj if change else None, actor=request.user, **data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change) -> None:
        for item in formset.save(commit=False):
            save_meeting(
                form.instance,
                actor=request.user,
                theme=item.theme,
                city=item.city,
                held_on=item.held_on,
            )
        for item in formset.deleted_objects:
            item.delete()


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "ends_at", "room", "theme", "sequence"]
    list_filter = ["theme"]
    readonly_fields = ["uid", "sequence"]
    filter_horizontal = ["organisations", "recommendations"]
    fields = [
        "conference",
        "title",
        "description",
        "starts_at",
        "ends_at",
        "room",
        "theme",
        "speakers",
        "organisations",
        "recommendations",
        "uid",
        "sequence",
    ]

    def save_model(self, request, obj, form, change) -> None:
        data = {
            name: form.cleaned_data.get(name)
            for name in self.fields
            if name not in ("uid", "sequence")
        }
        data["organisations"] = data["organisations"] or []
        data["recommendations"] = data["recommendations"] or []
        saved = save_session(obj if change else None, actor=request.user, **data)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change) -> None:
        """The service set the organisations and recommendations already."""
