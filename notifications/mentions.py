"""Who can be mentioned while typing (``@ly`` -> Lyon, @lyon.officer), and whether each can
see the text: mentioning someone who cannot is flagged to the author before posting."""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import chain
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from accounts.models import Membership, Organisation
from recommendations import permissions as perms
from recommendations.models import Recommendation

QUERY_RE = re.compile(r"^[A-Za-z0-9_.-]{0,80}$")
LIMIT = 8
MEMBERS_ASKED = 20  # an organisation can see the text if one of these can


def candidates(rec: Recommendation, query: str) -> list[dict[str, Any]]:
    """Organisations and people whose name starts with ``query``, each saying whether it can
    see ``rec`` (an organisation can if one of its first members can): a fixed number of
    queries, however many match (the rights of everyone listed are read at once)."""
    orgs = list(
        Organisation.objects.filter(
            Q(slug__istartswith=query) | Q(name__istartswith=query)
        ).order_by("slug")[:LIMIT]
    )
    members: dict[int, list[Any]] = defaultdict(list)
    for membership in (
        Membership.objects.filter(organisation__in=orgs, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ):
        if len(members[membership.organisation_id]) < MEMBERS_ASKED:
            members[membership.organisation_id].append(membership.user)
    people: list[Any] = []
    if query and len(orgs) < LIMIT:
        people = list(
            get_user_model()
            .objects.filter(
                Q(username__istartswith=query) | Q(display_name__istartswith=query),
                is_active=True,
            )
            .order_by("username")[: LIMIT - len(orgs)]
        )
    perms.prefetch_view_rights(rec, [*chain.from_iterable(members.values()), *people])
    out: list[dict[str, Any]] = [
        {
            "name": org.slug,
            "label": org.name,
            "type": "organisation",
            "can_see": any(perms.can_view(m, rec) for m in members[org.pk]),
        }
        for org in orgs
    ]
    slugs = {o["name"] for o in out}
    for person in people:
        if person.username.lower() in slugs:
            continue  # the organisation takes the name
        out.append(
            {
                "name": person.username,
                "label": str(person),
                "type": "person",
                "can_see": perms.can_view(person, rec),
            }
        )
    return out
