"""Who may do what with comments: one place, used by services, pages, API and the tag.

Built on the recommendation's rules (``recommendations.permissions``): whoever may not view
the recommendation gets 404 for its comments too, exactly as if they did not exist.
"""

from __future__ import annotations

from django.http import Http404

from recommendations import permissions as rec_perms
from recommendations.models import Recommendation, Status

from .models import Comment

# States in which a text is open for discussion. A draft only among its drafters.
DISCUSSION_STATES = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_moderator(user) -> bool:
    return _active(user) and user.is_moderator


def is_open_for_discussion(rec: Recommendation) -> bool:
    return rec.status in DISCUSSION_STATES


def may_take_part(user, rec: Recommendation) -> bool:
    """The role part of "may comment": drafters on a draft, every viewer afterwards."""
    if not rec_perms.can_view(user, rec):
        return False
    if rec.status == Status.DRAFT:
        return rec_perms.is_drafter(user, rec)
    return True


def can_comment(user, rec: Recommendation) -> bool:
    return is_open_for_discussion(rec) and may_take_part(user, rec)


def is_author(user, comment: Comment) -> bool:
    return _active(user) and comment.author_id == user.pk


def may_resolve(user, comment: Comment, rec: Recommendation) -> bool:
    """Resolving and reopening: the drafting organisations and the comment's author."""
    return is_author(user, comment) or rec_perms.is_drafter(user, rec)


def can_resolve(user, comment: Comment, rec: Recommendation) -> bool:
    return (
        is_open_for_discussion(rec)
        and comment.parent_id is None
        and not comment.is_resolved
        and may_resolve(user, comment, rec)
    )


def can_reopen(user, comment: Comment, rec: Recommendation) -> bool:
    return (
        is_open_for_discussion(rec)
        and comment.parent_id is None
        and comment.is_resolved
        and may_resolve(user, comment, rec)
    )


def can_edit(user, comment: Comment, rec: Recommendation) -> bool:
    return is_open_for_discussion(rec) and not comment.hidden and is_author(user, comment)


def can_reply(user, comment: Comment, rec: Recommendation) -> bool:
    return not comment.hidden and can_comment(user, rec)


def may_respond(user, rec: Recommendation) -> bool:
    return rec_perms.is_drafter(user, rec)


def can_respond(user, comment: Comment, rec: Recommendation) -> bool:
    return is_open_for_discussion(rec) and not comment.hidden and may_respond(user, rec)


def can_report(user, comment: Comment, rec: Recommendation) -> bool:
    return rec_perms.can_view(user, rec) and not comment.hidden and not is_author(user, comment)


def can_moderate(user) -> bool:
    return is_moderator(user)


def can_export(user, rec: Recommendation) -> bool:
    return rec_perms.can_view(user, rec) and (is_moderator(user) or rec_perms.is_drafter(user, rec))


def get_comment_for(user, pk: int | str) -> Comment:
    """The comment if ``user`` may see its recommendation; otherwise 404, as if it did not
    exist. (Seeing a hidden comment's *text* is decided separately: ``body_visible_to``.)"""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such comment") from None
    comment = (
        Comment.objects.filter(pk=pk)
        .select_related("recommendation", "recommendation__lead_organisation")
        .first()
    )
    if comment is None or not rec_perms.can_view(user, comment.recommendation):
        raise Http404("No such comment")
    return comment
