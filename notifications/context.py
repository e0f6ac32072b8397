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


def header(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_header": Header(user)}
