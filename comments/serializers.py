"""Comments as data: the public form every viewer may receive, the viewer's own form, and the
API's input validation (with schema)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from .models import MAX_BODY, MAX_QUOTE, MAX_REASON, Comment, CommentResponse, ResponseStatus


def response_data(response: CommentResponse | None) -> dict[str, Any] | None:
    if response is None:
        return None
    return {
        "status": response.status,
        "status_label": str(response.get_status_display()),
        "reason": response.reason,
        "version": response.version,
        "organisation": response.organisation.name if response.organisation_id else None,
        "created_at": response.created_at.isoformat(),
        "updated_at": response.updated_at.isoformat(),
    }


def response_of(comment: Comment) -> CommentResponse | None:
    try:
        return comment.response
    except CommentResponse.DoesNotExist:
        return None


def is_outdated(comment: Comment, keys: set[str]) -> bool:
    """Anchored to a paragraph that is no longer in the text."""
    return bool(comment.anchor) and comment.anchor not in keys


def public_data(comment: Comment, keys: set[str]) -> dict[str, Any]:
    """What every viewer of the recommendation may see: a hidden comment's text never."""
    shown = not comment.hidden
    return {
        "id": comment.pk,
        "recommendation": comment.recommendation_id,
        "parent": comment.parent_id,
        "author": str(comment.author),
        "author_id": comment.author_id,
        "organisation": comment.organisation.name if comment.organisation_id else None,
        "body": comment.body if shown else "",
        "body_html": comment.body_html if shown else "",
        "anchor": comment.anchor or None,
        "quote": comment.quote,
        "language": comment.language,
        "version": comment.version,
        "status": comment.status,
        "outdated": is_outdated(comment, keys),
        "hidden": comment.hidden,
        "hidden_reason": "",
        "edited": comment.edited_at is not None,
        "response": response_data(response_of(comment)),
        "created_at": comment.created_at.isoformat(),
        "updated_at": comment.updated_at.isoformat(),
    }


def viewer_data(comment: Comment, keys: set[str], viewer) -> dict[str, Any]:
    """The comment as ``viewer`` may see it: moderators and the author also get a hidden
    comment's text and the reason it was hidden."""
    data = public_data(comment, keys)
    if comment.hidden and comment.body_visible_to(viewer):
        data.update(
            body=comment.body, body_html=comment.body_html, hidden_reason=comment.hidden_reason
        )
    return data


# --- API input -------------------------------------------------------------------------------
class CommentInput(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_BODY)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    anchor = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    quote = serializers.CharField(
        max_length=MAX_QUOTE, required=False, allow_blank=True, default="", trim_whitespace=True
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)


class CommentEditInput(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_BODY)


class CommentReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=MAX_REASON)


class CommentRespondInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ResponseStatus.choices)
    reason = serializers.CharField(max_length=MAX_REASON)


# --- API output (for the schema; the views build the dicts above) ----------------------------
class CommentResponseOut(serializers.Serializer):
    # Plain strings in the output: one enum per field name keeps the schema's names stable.
    status = serializers.CharField(help_text="accepted, partly_accepted or not_accepted")
    status_label = serializers.CharField()
    reason = serializers.CharField()
    version = serializers.IntegerField()
    organisation = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CommentOut(serializers.Serializer):
    id = serializers.IntegerField()
    recommendation = serializers.IntegerField()
    parent = serializers.IntegerField(allow_null=True)
    author = serializers.CharField()
    author_id = serializers.IntegerField()
    organisation = serializers.CharField(allow_null=True)
    body = serializers.CharField(
        help_text='"" for a hidden comment, except to moderators and its author'
    )
    body_html = serializers.CharField()
    anchor = serializers.CharField(allow_null=True, help_text="paragraph key, or null")
    quote = serializers.CharField()
    language = serializers.CharField(help_text="the language the comment is written in")
    version = serializers.IntegerField()
    status = serializers.CharField(help_text="open or resolved (of the thread)")
    outdated = serializers.BooleanField()
    hidden = serializers.BooleanField()
    hidden_reason = serializers.CharField()
    edited = serializers.BooleanField()
    response = CommentResponseOut(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class CommentReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    comment = serializers.IntegerField()
    detail = serializers.CharField()
