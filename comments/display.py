"""What a page shows of a recommendation's comments, for one viewer, in a fixed number of
queries: threads grouped by paragraph, general threads, outdated threads, responses."""

from __future__ import annotations

from dataclasses import dataclass, field

from recommendations import permissions as rec_perms
from recommendations.models import Recommendation

from . import anchors
from . import permissions as perms
from .models import Comment, CommentReport, CommentResponse
from .serializers import is_outdated, response_of

FILTERS = ("all", "open", "resolved", "outdated")


@dataclass
class Viewer:
    """Everything about the viewer the page needs, worked out once per page."""

    user: object
    rec: Recommendation
    is_drafter: bool
    is_moderator: bool
    can_comment: bool
    open_for_discussion: bool
    reported: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, user, rec: Recommendation, *, load_reports: bool = True) -> Viewer:
        authenticated = bool(getattr(user, "is_authenticated", False))
        reported: set[int] = set()
        if load_reports and authenticated:
            reported = set(
                CommentReport.objects.filter(
                    comment__recommendation=rec, reporter=user, resolved_at__isnull=True
                ).values_list("comment_id", flat=True)
            )
        return cls(
            user=user,
            rec=rec,
            is_drafter=rec_perms.is_drafter(user, rec),
            is_moderator=perms.is_moderator(user),
            can_comment=perms.can_comment(user, rec),
            open_for_discussion=perms.is_open_for_discussion(rec),
            reported=reported,
        )

    @property
    def pk(self):
        return getattr(self.user, "pk", None)


@dataclass
class Node:
    """One comment with what this viewer may see and do, and its replies."""

    comment: Comment
    outdated: bool
    thread_status: str
    show_body: bool
    show_reason: bool
    is_mine: bool
    can_reply: bool
    can_edit: bool
    can_resolve: bool
    can_reopen: bool
    can_respond: bool
    can_report: bool
    already_reported: bool
    can_moderate: bool
    response: CommentResponse | None
    children: list[Node] = field(default_factory=list)

    @property
    def id(self) -> int:
        return self.comment.pk

    @property
    def size(self) -> int:
        return 1 + sum(child.size for child in self.children)

    def matches(self, wanted: str) -> bool:
        if wanted == "open":
            return self.thread_status == "open"
        if wanted == "resolved":
            return self.thread_status == "resolved"
        if wanted == "outdated":
            return self.outdated
        return True


def node_for(comment: Comment, viewer: Viewer, keys: set[str], thread_status: str) -> Node:
    mine = viewer.pk is not None and comment.author_id == viewer.pk
    is_root = comment.parent_id is None
    discussing = viewer.open_for_discussion
    may_resolve = mine or viewer.is_drafter
    visible = not comment.hidden or mine or viewer.is_moderator
    return Node(
        comment=comment,
        outdated=is_outdated(comment, keys),
        thread_status=thread_status,
        show_body=visible,
        show_reason=comment.hidden and visible,
        is_mine=mine,
        can_reply=viewer.can_comment and not comment.hidden,
        can_edit=discussing and mine and not comment.hidden,
        can_resolve=discussing and is_root and may_resolve and not comment.is_resolved,
        can_reopen=discussing and is_root and may_resolve and comment.is_resolved,
        can_respond=discussing and viewer.is_drafter and not comment.hidden,
        can_report=not mine and not comment.hidden and comment.pk not in viewer.reported,
        already_reported=comment.pk in viewer.reported,
        can_moderate=viewer.is_moderator,
        response=response_of(comment),
    )


@dataclass
class Group:
    key: str
    number: int
    excerpt: str
    threads: list[Node]

    @property
    def count(self) -> int:
        return sum(node.size for node in self.threads)


def build_threads(comments: list[Comment], viewer: Viewer, keys: set[str]) -> list[Node]:
    """Roots in order, each with its replies nested under the comment they answer."""
    by_parent: dict[int | None, list[Comment]] = {}
    for comment in comments:
        by_parent.setdefault(comment.parent_id, []).append(comment)
    known = {c.pk for c in comments}

    def grow(comment: Comment, thread_status: str) -> Node:
        node = node_for(comment, viewer, keys, thread_status)
        node.children = [grow(child, thread_status) for child in by_parent.get(comment.pk, [])]
        return node

    roots = [c for c in comments if c.parent_id is None or c.parent_id not in known]
    return [grow(root, root.status) for root in roots]


def section_context(
    rec: Recommendation, user, paragraphs: list[dict] | None = None, wanted: str = "all"
) -> dict:
    """Everything the comments section of the recommendation page shows."""
    if paragraphs is None:
        paragraphs = anchors.current_paragraphs(rec)
    keys = anchors.paragraph_keys(paragraphs)
    viewer = Viewer.of(user, rec)
    comments = list(Comment.objects.of(rec).for_display())
    threads = build_threads(comments, viewer, keys)
    wanted = wanted if wanted in FILTERS else "all"
    by_anchor: dict[str, list[Node]] = {}
    general: list[Node] = []
    outdated: list[Node] = []
    for node in threads:
        node.filtered_out = not node.matches(wanted)  # type: ignore[attr-defined]
        if node.outdated:
            outdated.append(node)
        elif node.comment.anchor:
            by_anchor.setdefault(node.comment.anchor, []).append(node)
        else:
            general.append(node)
    groups = [
        Group(
            key=p["key"],
            number=number,
            excerpt=anchors.excerpt(p["html"]),
            threads=by_anchor.get(p["key"], []),
        )
        for number, p in enumerate(paragraphs, start=1)
    ]
    responses = sorted(
        (c for c in comments if response_of(c) is not None),
        key=lambda c: (c.response.created_at, c.pk),
    )
    return {
        "rec": rec,
        "viewer": viewer,
        "groups": groups,
        "general": general,
        "general_count": sum(node.size for node in general),
        "outdated": outdated,
        "total": len(comments),
        "responses": [node_for(c, viewer, keys, c.status) for c in responses],
        "paragraph_choices": [(g.key, g.number, g.excerpt) for g in groups],
        "filter": wanted,
        "filters": FILTERS,
        "can_export": viewer.is_moderator or viewer.is_drafter,
    }
