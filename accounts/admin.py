from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from live.broadcast import notify_access_changed

from .models import Membership, Organisation, User
from .services import sync_membership_groups


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Workspace", {"fields": ("display_name",)}))
    inlines = [MembershipInline]
    list_display = ("username", "display_name", "email", "is_active", "is_staff")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            notify_access_changed(obj.pk)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_membership_groups(form.instance)


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
        previous_user_id = Membership.objects.filter(pk=obj.pk).values_list("user_id", flat=True)
        previous = previous_user_id.first() if change else None
        super().save_model(request, obj, form, change)
        sync_membership_groups(obj.user)
        if previous and previous != obj.user_id:
            sync_membership_groups(User.objects.get(pk=previous))

    def delete_model(self, request, obj):
        user = obj.user
        super().delete_model(request, obj)
        sync_membership_groups(user)
