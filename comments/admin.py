"""Read-only admin: every change goes through comments/services.py (and its checks)."""

from __future__ import annotations

from django.contrib import admin

from .models import Comment, CommentReport, CommentResponse, CommentRevision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("pk", "recommendation", "author", "organisation", "version", "status", "hidden")
    list_filter = ("status", "hidden")
    search_fields = ("body", "author__username")
    list_select_related = ("recommendation", "author", "organisation")


@admin.register(CommentReport)
class CommentReportAdmin(ReadOnlyAdmin):
    list_display = ("pk", "comment", "reporter", "created_at", "outcome")
    list_select_related = ("comment", "reporter")


@admin.register(CommentResponse)
class CommentResponseAdmin(ReadOnlyAdmin):
    list_display = ("pk", "comment", "status", "version", "organisation")
    list_select_related = ("comment", "organisation")


@admin.register(CommentRevision)
class CommentRevisionAdmin(ReadOnlyAdmin):
    list_display = ("pk", "comment", "written_at", "replaced_at")
