"""Who can be mentioned while typing (``@ly`` -> Lyon, @lyon.officer), and whether each can
see the text: mentioning someone who cannot is flagged to the author before posting."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.models import Organisation
from recommendations.models import Recommendation

from .access import accessible
from .models import Notification

QUERY_RE = re.compile(r"^[A-Za-z0-9_.-]{0,80}$")
LIMIT = 8


def _can_see(user: Any, rec: Recommendation) -> bool:
    """The one access check, asked about a notification this person would get."""
    kept, _left_out = accessible(user, [Notification(recipient=user, recommendation=rec)])
    return bool(kept)


def candidates(rec: Recommendation, query: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    orgs = Organisation.objects.filter(Q(slug__istartswith=query) | Q(name__istartswith=query))
    for org in orgs.order_by("slug")[:LIMIT]:
        members = list(
            get_user_model().objects.filter(memberships__organisation=org, is_active=True)[:20]
        )
        out.append(
            {
                "name": org.slug,
                "label": org.name,
                "type": "organisation",
                "can_see": any(_can_see(m, rec) for m in members),
            }
        )
    if query:
        people = get_user_model().objects.filter(
            Q(username__istartswith=query) | Q(display_name__istartswith=query), is_active=True
        )
        slugs = {o["name"] for o in out}
        for person in people.order_by("username")[: LIMIT - len(out) if len(out) < LIMIT else 0]:
            if person.username.lower() in slugs:
                continue  # the organisation takes the name
            out.append(
                {
                    "name": person.username,
                    "label": str(person),
                    "type": "person",
                    "can_see": _can_see(person, rec),
                }
            )
    return out
