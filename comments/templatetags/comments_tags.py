"""Template tags that put comments on the recommendation page without the recommendations app
knowing about comments: ``{% comments_section %}`` computes everything in a fixed number of
queries and renders ``comments/_section.html``."""

from __future__ import annotations

from django import template
from django.core.exceptions import ValidationError

from core.cleaning import non_negative_int

from ..anchors import plain_text as _plain_text
from ..display import Node, section_context
from ..models import comment_link
from ..rendering import Labels, render_nodes

register = template.Library()


@register.inclusion_tag("comments/_section.html", takes_context=True)
def comments_section(context: template.Context, rec=None, user=None) -> dict:
    request = context.get("request")
    rec = rec if rec is not None else context["rec"]
    if user is None:
        user = getattr(request, "user", None) or context.get("user")
    query = request.GET if request is not None else {}
    wanted = query.get("comments", "all")
    data = section_context(
        rec,
        user,
        context.get("paragraphs"),
        wanted,
        show=_comment_id(query.get("comment")),
        all_replies=query.get("replies") == "all",
    )
    data["request"] = request
    data["labels"] = Labels(wanted=data["filter"])
    return data


def _comment_id(value: str | None) -> int | None:
    """``?comment=N``, the comment a link points to; anything else is no comment."""
    try:
        return non_negative_int(value, "comment")
    except ValidationError:
        return None


@register.simple_tag
def comment_items(nodes: list[Node] | Node, labels: Labels | None = None) -> str:
    """The ``<li>`` of each comment and its replies (``comments.rendering``)."""
    return render_nodes(nodes if isinstance(nodes, list) else [nodes], labels)


@register.simple_tag
def comment_url(rec, pk: int) -> str:
    """``{% comment_url rec pk %}``: the comment on its recommendation's page."""
    return comment_link(rec.get_absolute_url(), pk)


@register.filter
def excerpt_of(text: str, limit: int = 160) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@register.filter
def plain_text(html: str) -> str:
    """The visible text of sanitised HTML (escaped again when printed)."""
    return _plain_text(html)
