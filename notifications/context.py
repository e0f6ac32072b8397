"""The header's numbers on every page (the bell's unread count, the moderation queue's count),
worked out only when a template reads them."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import cached_property

from comments.models import Comment

from . import selectors


class Header:
    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def unread(self) -> int:
        return selectors.unread_count(self.user)

    @cached_property
    def reports(self) -> int:
        """Comments waiting in the moderation queue (reported, not yet handled)."""
        if not self.user.is_moderator:
            return 0
        return Comment.objects.reported().count()


def header_for(user: Any) -> Header:
    """The one ``Header`` of this request's user: the home page's "Needs your attention" and
    the header read the same counts, counted once. It lives on the user object, which lives
    as long as the request."""
    found = getattr(user, "_notifications_header", None)
    if found is None:
        found = Header(user)
        user._notifications_header = found
    return found


def header(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_header": header_for(user)}
