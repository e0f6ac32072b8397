"""The admin of accounts. Every change of a membership, of activation and of the workspace
roles goes through ``accounts.services`` (single edits, inline edits and bulk deletions
alike), so that permission groups follow and open sockets of people who lost rights close."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import WORKSPACE_ROLES

from . import services
from .models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


def _save_membership(request: HttpRequest, membership: Membership, previous: Any) -> None:
    """A membership added or edited in the admin: the old pair ends, the new one is set."""
    if previous is not None and (
        previous.user_id != membership.user_id
        or previous.organisation_id != membership.organisation_id
    ):
        services.remove_membership(previous.user, previous.organisation, actor=request.user)
    services.set_membership(
        membership.user, membership.organisation, role=membership.role, actor=request.user
    )


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Workspace", {"fields": ("display_name",)}))
    inlines = [MembershipInline]
    list_display = ("username", "display_name", "email", "is_active", "is_staff")

    def save_model(self, request, obj, form, change):
        if change and "is_active" in form.changed_data:
            # The flag is written by the service (which closes the sockets of a deactivated
            # account); everything else on the form is saved as usual.
            active = obj.is_active
            obj.is_active = User.objects.values_list("is_active", flat=True).get(pk=obj.pk)
            super().save_model(request, obj, form, change)
            services.set_active(obj, active, actor=request.user)
        else:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        user = form.instance
        roles_before = set(
            user.groups.filter(name__in=WORKSPACE_ROLES).values_list("name", flat=True)
        )
        form.save_m2m()  # the group list; memberships are saved below, through the services
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        roles_after = set(
            user.groups.filter(name__in=WORKSPACE_ROLES).values_list("name", flat=True)
        )
        # Roles ticked in the group list: recorded and, when taken away, sockets re-checked.
        for role in roles_after - roles_before:
            services.grant_role(user, role, actor=request.user)
        for role in roles_before - roles_after:
            services.revoke_role(user, role, actor=request.user)
        services.sync_membership_groups(user, actor=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        previous = {m.pk: m for m in Membership.objects.filter(user=form.instance)}
        for membership in formset.save(commit=False):
            _save_membership(request, membership, previous.get(membership.pk))
        for membership in formset.deleted_objects:
            services.remove_membership(membership.user, membership.organisation, actor=request.user)
        return None


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "country", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("name", "slug", "country")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation__kind")
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]

    def save_model(self, request, obj, form, change):
        previous = Membership.objects.filter(pk=obj.pk).first() if change else None
        _save_membership(request, obj, previous)
        # The admin logs and redirects with the saved row.
        obj.pk = Membership.objects.get(user=obj.user, organisation=obj.organisation).pk

    def delete_model(self, request, obj):
        services.remove_membership(obj.user, obj.organisation, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        """The bulk action "Delete selected memberships": one service call each, so that every
        removed person loses the organisation's rights (not only its row)."""
        for membership in queryset.select_related("user", "organisation"):
            services.remove_membership(membership.user, membership.organisation, actor=request.user)
