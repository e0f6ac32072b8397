"""The undo a message offers after a step that can be taken back: "Thread resolved. [Reopen]".

A view that has just taken such a step calls ``offer_undo`` instead of ``messages.success``,
with where the undo posts to (an ordinary POST view of the app: reopen, restore, endorse), the
button's label in the person's language and the form's hidden fields. The message goes the
usual way (``django.contrib.messages``, shown once); what the button posts is kept in the
session under a random key named in the message's ``extra_tags``. ``base.html`` renders, next
to the message, ``{% undo_form message %}`` (``core.templatetags.undo``): a small POST form
with the CSRF token, the hidden fields and the button, taken out of the session as it is shown.

The session only remembers what to draw. The undo is a request like any other: the target
view checks the permission and the state again and refuses what is no longer possible. The
caller offers the undo only to a person allowed to take it now (the same ``can_*`` check the
target uses); where it cannot be undone, it adds a plain message.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

SESSION_KEY = "undo"
TAG_PREFIX = "undo-"
# Offers whose message was never shown (a page without the messages block) are dropped once
# there are more than this many.
KEEP = 5


def offer_undo(
    request: HttpRequest,
    message: str,
    *,
    url: str,
    label: str,
    fields: Mapping[str, Any] | None = None,
    level: int = messages.SUCCESS,
) -> None:
    """Add ``message`` with a button ``label`` that posts ``fields`` to ``url``."""
    key = secrets.token_urlsafe(9)
    offers = dict(request.session.get(SESSION_KEY) or {})
    offers[key] = {
        "url": str(url),
        "label": str(label),
        "fields": {str(name): str(value) for name, value in (fields or {}).items()},
    }
    request.session[SESSION_KEY] = dict(list(offers.items())[-KEEP:])
    messages.add_message(request, level, message, extra_tags=f"{TAG_PREFIX}{key}")


def _key_of(message: Any) -> str | None:
    for tag in (getattr(message, "extra_tags", "") or "").split():
        if tag.startswith(TAG_PREFIX):
            return tag.removeprefix(TAG_PREFIX)
    return None


def take_undo(request: HttpRequest, message: Any) -> dict[str, Any] | None:
    """The undo offered with ``message`` (``url``, ``label``, ``fields``), removed from the
    session: it is drawn once, with its message. None: the message offers none."""
    key = _key_of(message)
    session = getattr(request, "session", None)
    if key is None or session is None:
        return None
    offers = dict(session.get(SESSION_KEY) or {})
    offer = offers.pop(key, None)
    if offer is None:
        return None
    if offers:
        session[SESSION_KEY] = offers
    else:
        session.pop(SESSION_KEY, None)
    return offer
