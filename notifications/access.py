"""The one access check at sending time, shared by the bell, the notifications page, the
immediate e-mail and the digest: may this person still see what a notification is about?

A notification about a recommendation the reader can no longer see (a draft their
organisation stopped drafting), or about a comment a moderator hid since, is left out (and
counted), never shown. Written for a whole list at once, so that a page of notifications
costs a fixed number of queries: the rule is the recommendations app's ``visible_to`` (one
query for every recommendation named) and ``Comment.body_visible_to``
(a hidden comment's text is for moderators and its author).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Q, QuerySet

from comments.models import Comment
from recommendations.models import Recommendation

from .models import Notification


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_active", False))


def accessible(user: Any, notifications: Iterable[Notification]) -> tuple[list[Notification], int]:
    """The notifications ``user`` may still see, in order, and how many were left out."""
    items: Sequence[Notification] = list(notifications)
    if not items:
        return [], 0
    if not _active(user):
        return [], len(items)
    rec_ids = {n.recommendation_id for n in items if n.recommendation_id is not None}
    visible: set[int] = set()
    if rec_ids:
        visible = set(
            Recommendation.objects.visible_to(user)
            .filter(pk__in=rec_ids)
            .values_list("pk", flat=True)
        )
    comment_ids = {n.comment_id for n in items if n.comment_id is not None}
    hidden: set[int] = set()
    if comment_ids:
        hidden = {
            comment.pk
            for comment in Comment.objects.filter(pk__in=comment_ids, hidden=True).only(
                "pk", "hidden", "author_id"
            )
            if not comment.body_visible_to(user)
        }
    kept = [
        n
        for n in items
        if (n.recommendation_id is None or n.recommendation_id in visible)
        and (n.comment_id is None or n.comment_id not in hidden)
    ]
    return kept, len(items) - len(kept)


def visible(user: Any, notifications: QuerySet[Notification]) -> QuerySet[Notification]:
    """``accessible`` as a filter, for what is counted in the database (the bell): the same
    two rules, the recommendations app's ``visible_to`` and the comments app's
    ``body_visible_to``, as subqueries of one query (tested to agree with ``accessible``)."""
    if not _active(user):
        return notifications.none()
    texts = Recommendation.objects.visible_to(user).values("pk")
    readable = Comment.objects.body_visible_to(user).values("pk")
    return notifications.filter(
        Q(recommendation__isnull=True) | Q(recommendation__in=texts),
        Q(comment__isnull=True) | Q(comment__in=readable),
    )


def may_see(user: Any, notification: Notification) -> bool:
    kept, _left_out = accessible(user, [notification])
    return bool(kept)
