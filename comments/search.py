"""The comments' part of full-text search (``recommendations.search``): each comment that
readers see is a document of its recommendation; a hidden comment is not found by anyone,
moderators included (they reach it through the moderation queue)."""

from __future__ import annotations

from collections.abc import Iterator

from recommendations.search import Document, Source
from text import plain_text

from .models import Comment
from .services import CREATED, UPDATED


def documents(rec_ids: list[int], keys: list[str] | None) -> Iterator[Document]:
    rows = Comment.objects.filter(recommendation_id__in=rec_ids, hidden=False)
    if keys is not None:
        rows = rows.filter(pk__in=[int(k) for k in keys if k.isdigit()])
    for pk, rec_id, language, body_html in rows.order_by("pk").values_list(
        "pk", "recommendation_id", "language", "body_html"
    ):
        yield Document(rec_id, str(pk), language, "", plain_text(body_html))


def changed_by(type_: str, data: dict) -> list[str]:
    if type_ not in (CREATED, UPDATED):
        return []
    comment_id = (data.get("comment") or {}).get("id")
    return [str(comment_id)] if comment_id else []


SOURCE = Source(documents, changed_by)
