"""Large data sets for the benchmarks and the query-count tests (docs/performance.md).

``build_discussion`` gives one recommendation a conference-sized discussion: N comments of
about 200 characters in T threads, on its paragraphs and on the whole text, some answered by
the drafting organisations, some resolved. Rows are written with ``bulk_create`` (no service,
no signal, no activity row, no live event): this is a load for measuring pages, not a
history of things people did.
"""

from __future__ import annotations

import random

from django.db import transaction

import text
from accounts.models import Membership, User
from comments.models import Comment, CommentResponse, CommentStatus, ResponseStatus
from recommendations.models import Recommendation

# About 200 characters each, in the three languages of the conference.
SENTENCES = [
    "The welcome point should open in the evening as well: most newcomers work during the day "
    "and cannot come before six. Our pilot in the old port doubled its visits that way.",
    "Nous proposons d'ajouter un guichet mobile pour les quartiers éloignés : les familles "
    "arrivées récemment n'ont souvent ni le temps ni l'argent pour traverser la ville.",
    "نقترح أن تشمل نقطة الاستقبال الواحدة خدمة الترجمة الفورية باللغات الرئيسية، وأن تتعاون "
    "البلديات مع الجمعيات المحلية لتدريب الوسطاء الثقافيين في الأحياء.",
    "Funding for five years is short for a service people will rely on. Could the text ask "
    "for a review after five years, with the cities' own figures, instead of an end date?",
    "La coordination avec les services de l'État reste le point faible : sans un accord écrit "
    "sur l'échange des dossiers, le guichet unique renverra les gens d'un bureau à l'autre.",
]


def _body(index: int) -> str:
    return f"{SENTENCES[index % len(SENTENCES)]} (#{index + 1})"


@transaction.atomic
def build_discussion(
    rec: Recommendation, *, comments: int = 300, threads: int = 60, seed: int = 15
) -> int:
    """Add ``comments`` comments in ``threads`` threads to ``rec``; returns how many."""
    threads = max(1, min(threads, comments))
    rng = random.Random(seed)
    members = list(
        Membership.objects.select_related("user", "organisation")
        .filter(user__is_active=True)
        .order_by("pk")
    )
    if not members:
        raise ValueError("build_discussion needs people in organisations (run seed_demo first)")
    drafting = {rec.lead_organisation_id, *rec.co_drafters.values_list("pk", flat=True)}
    responders = [m for m in members if m.organisation_id in drafting] or members
    keys = [p["key"] for p in rec.paragraphs] or [""]
    roots: list[Comment] = []
    for t in range(threads):
        member = members[rng.randrange(len(members))]
        roots.append(
            Comment(
                recommendation=rec,
                author=member.user,
                organisation=member.organisation,
                body=_body(t),
                body_html=text.render_markdown(_body(t)),
                anchor="" if t % 4 == 3 else keys[t % len(keys)],
                version=rec.version,
                status=CommentStatus.RESOLVED if t % 5 == 4 else CommentStatus.OPEN,
            )
        )
    Comment.objects.bulk_create(roots)
    if not all(root.pk for root in roots):  # backends that do not return ids (none of ours)
        roots = list(Comment.objects.of(rec).filter(parent=None).order_by("-pk")[:threads])[::-1]
    # Replies in rounds of one per thread, so that a reply can answer the previous round's
    # reply of its thread (saved, so with an id): threads of several levels.
    previous = list(roots)
    made = threads
    rounds = 0
    while made < comments:
        batch: list[Comment] = []
        for t, root in enumerate(roots):
            if made >= comments:
                break
            member = members[rng.randrange(len(members))]
            batch.append(
                Comment(
                    recommendation=rec,
                    parent=previous[t] if (t + rounds) % 3 == 0 else root,
                    author=member.user,
                    organisation=member.organisation,
                    body=_body(made),
                    body_html=text.render_markdown(_body(made)),
                    anchor=root.anchor,
                    version=rec.version,
                )
            )
            made += 1
        Comment.objects.bulk_create(batch)
        previous[: len(batch)] = batch
        rounds += 1
    answers = []
    for t, root in enumerate(roots):
        if t % 6 == 1:
            member = responders[t % len(responders)]
            answers.append(
                CommentResponse(
                    comment=root,
                    status=ResponseStatus.values[t % len(ResponseStatus.values)],
                    reason="Taken into account in the next version of the text.",
                    version=rec.version,
                    author=member.user,
                    organisation=member.organisation,
                )
            )
    CommentResponse.objects.bulk_create(answers)
    return comments


def people(limit: int | None = None) -> list[User]:
    """Active users, oldest first (the benchmark signs each of them in)."""
    users = User.objects.filter(is_active=True).order_by("pk")
    return list(users[:limit] if limit else users)
