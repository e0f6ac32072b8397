"""Stored live events replayed to a client (the events endpoint) lose what the asking user may
no longer see: the text of a comment that was hidden after the event was sent."""

from __future__ import annotations

import copy

from .models import Comment

TYPES = ("comment.created", "comment.updated")


def redact_hidden_comments(user, rec, messages: list[dict]) -> list[dict]:
    ids = {
        m["data"]["comment"]["id"]
        for m in messages
        if m.get("type") in TYPES and isinstance(m.get("data", {}).get("comment"), dict)
    }
    if not ids:
        return messages
    hidden = dict(Comment.objects.filter(pk__in=ids, hidden=True).values_list("pk", "author_id"))
    if not hidden:
        return messages
    moderator = bool(getattr(user, "is_authenticated", False) and user.is_moderator)
    result = []
    for message in messages:
        comment = message.get("data", {}).get("comment") if message.get("type") in TYPES else None
        if (
            isinstance(comment, dict)
            and comment.get("id") in hidden
            and not moderator
            and hidden[comment["id"]] != getattr(user, "pk", None)
        ):
            message = copy.deepcopy(message)
            message["data"]["comment"].update(body="", body_html="", hidden=True)
        result.append(message)
    return result
