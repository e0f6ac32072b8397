"""Who may do what with comments: one place, used by services, pages, API and the tag.

Built on the recommendation's rules (``recommendations.permissions``): whoever may not view
the recommendation gets 404 for its comments too, exactly as if they did not exist.

``can_*`` answer "may this user do this now" (role and state: what a page offers); ``may_*``
answer the role part alone, which the services require (403) before they check the state
(409). A page asks ``can_*`` once per comment, so these take what it worked out once per page
as keyword arguments (``drafter``: ``is_drafter``; ``moderator``: ``can_moderate``;
``may_comment``: ``can_comment``; ``may_view``: ``can_view``; ``reported``: ``has_reported``);
left out, they are worked out here.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from core.cleaning import non_negative_int
from recommendations import permissions as rec_perms
from recommendations.models import Recommendation, Status

from .models import Comment, CommentReport

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


def _drafts(user, rec: Recommendation, drafter: bool | None) -> bool:
    return rec_perms.is_drafter(user, rec) if drafter is None else drafter


def may_resolve(
    user, comment: Comment, rec: Recommendation, *, drafter: bool | None = None
) -> bool:
    """Resolving and reopening: the drafting organisations and the comment's author."""
    return is_author(user, comment) or _drafts(user, rec, drafter)


def can_resolve(
    user, comment: Comment, rec: Recommendation, *, drafter: bool | None = None
) -> bool:
    return (
        is_open_for_discussion(rec)
        and comment.parent_id is None
        and not comment.is_resolved
        and may_resolve(user, comment, rec, drafter=drafter)
    )


def can_reopen(user, comment: Comment, rec: Recommendation, *, drafter: bool | None = None) -> bool:
    return (
        is_open_for_discussion(rec)
        and comment.parent_id is None
        and comment.is_resolved
        and may_resolve(user, comment, rec, drafter=drafter)
    )


def can_edit(user, comment: Comment, rec: Recommendation) -> bool:
    return is_open_for_discussion(rec) and not comment.hidden and is_author(user, comment)


def can_reply(
    user, comment: Comment, rec: Recommendation, *, may_comment: bool | None = None
) -> bool:
    if comment.hidden:
        return False
    return can_comment(user, rec) if may_comment is None else may_comment


def may_respond(user, rec: Recommendation, *, drafter: bool | None = None) -> bool:
    return _drafts(user, rec, drafter)


def can_respond(
    user, comment: Comment, rec: Recommendation, *, drafter: bool | None = None
) -> bool:
    return (
        is_open_for_discussion(rec)
        and not comment.hidden
        and may_respond(user, rec, drafter=drafter)
    )


def may_report(user, comment: Comment) -> bool:
    """Anyone but its author (who may edit it instead)."""
    return not is_author(user, comment)


def _open_reports(user):
    return CommentReport.objects.filter(reporter=user, resolved_at__isnull=True)


def has_reported(user, comment: Comment) -> bool:
    """``user`` has a report on ``comment`` that no moderator has handled yet."""
    return _active(user) and _open_reports(user).filter(comment=comment).exists()


def reported_by(user, rec: Recommendation) -> set[int]:
    """``has_reported`` for every comment of ``rec`` at once: the ids, in one query."""
    if not _active(user):
        return set()
    return set(
        _open_reports(user).filter(comment__recommendation=rec).values_list("comment_id", flat=True)
    )


def can_report(
    user,
    comment: Comment,
    rec: Recommendation,
    *,
    may_view: bool | None = None,
    reported: bool | None = None,
) -> bool:
    if comment.hidden or not may_report(user, comment):
        return False
    if not (rec_perms.can_view(user, rec) if may_view is None else may_view):
        return False
    return not (has_reported(user, comment) if reported is None else reported)


def can_moderate(user) -> bool:
    return is_moderator(user)


def can_hide(user, comment: Comment, *, moderator: bool | None = None) -> bool:
    return not comment.hidden and (can_moderate(user) if moderator is None else moderator)


def can_restore(user, comment: Comment, *, moderator: bool | None = None) -> bool:
    return comment.hidden and (can_moderate(user) if moderator is None else moderator)


def can_export(user, rec: Recommendation, *, drafter: bool | None = None) -> bool:
    return rec_perms.can_view(user, rec) and (is_moderator(user) or _drafts(user, rec, drafter))


def get_comment_for(user, pk: int | str) -> Comment:
    """The comment if ``user`` may see its recommendation; otherwise 404, as if it did not
    exist. (Seeing a hidden comment's *text* is decided separately: ``body_visible_to``.)"""
    try:
        pk = non_negative_int(pk, "pk")
    except ValidationError:
        raise Http404("No such comment") from None
    comment = (
        Comment.objects.filter(pk=pk)
        .select_related("recommendation", "recommendation__lead_organisation")
        .first()
    )
    if comment is None or not rec_perms.can_view(user, comment.recommendation):
        raise Http404("No such comment")
    return comment
