"""What a page shows of a recommendation's comments, for one viewer, in a fixed number of
queries: threads grouped by paragraph, general threads, outdated threads, responses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, QuerySet
from django.utils.translation import ngettext

from core.plurals import plural_phrases
from core.users import unwrapped
from recommendations import permissions as rec_perms
from recommendations.models import Recommendation
from text.render import number_paragraphs

from . import anchors
from . import permissions as perms
from .models import Comment, CommentResponse
from .serializers import is_outdated, response_of

FILTERS = ("all", "open", "resolved", "outdated")
# A discussion of more comments than this shows each thread's first comment and folds its
# replies behind "Show N replies" (fetched in place by the page's script; a link to the page
# with that thread open without it). 300 comments in 60 threads were 330 KB of HTML unfolded.
FOLD_ABOVE = 40
TOOLS = ("resolve", "reopen", "restore", "reply", "edit", "respond", "hide", "report")


@dataclass
class Viewer:
    """Everything about the viewer the page needs, worked out once per page."""

    user: object
    rec: Recommendation
    is_drafter: bool
    is_moderator: bool
    can_view: bool
    can_comment: bool
    open_for_discussion: bool
    reported: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, user, rec: Recommendation, *, load_reports: bool = True) -> Viewer:
        user = unwrapped(user)
        return cls(
            user=user,
            rec=rec,
            is_drafter=rec_perms.is_drafter(user, rec),
            is_moderator=perms.is_moderator(user),
            can_view=rec_perms.can_view(user, rec),
            can_comment=perms.can_comment(user, rec),
            open_for_discussion=perms.is_open_for_discussion(rec),
            reported=perms.reported_by(user, rec) if load_reports else set(),
        )


@dataclass
class Node:
    """One comment with what this viewer may see and do, and its replies."""

    comment: Comment
    outdated: bool
    thread_status: str
    show_body: bool
    show_reason: bool
    can_reply: bool
    can_edit: bool
    can_resolve: bool
    can_reopen: bool
    can_respond: bool
    can_report: bool
    already_reported: bool
    can_hide: bool
    can_restore: bool
    response: CommentResponse | None
    children: list[Node] = field(default_factory=list)
    # A thread's root whose replies are not rendered, only "Show N replies": their ids.
    folded: list[int] = field(default_factory=list)
    # A reply inside a folded thread (the responses list links to it through the server).
    in_fold: bool = False

    @cached_property
    def tools(self) -> str:
        """The tools this viewer may use on the comment, in the order the page shows them
        (``data-tools``: the page's script builds them from one ``<template>``)."""
        allowed = (
            ("resolve", self.can_resolve),
            ("reopen", self.can_reopen),
            ("restore", self.can_restore),
            ("reply", self.can_reply),
            ("edit", self.can_edit),
            ("respond", self.can_respond),
            ("hide", self.can_hide),
            ("report", self.can_report),
        )
        return " ".join(name for name, may in allowed if may)

    @property
    def id(self) -> int:
        return self.comment.pk

    @property
    def size(self) -> int:
        return 1 + sum(child.size for child in self.children)

    def reply_ids(self) -> list[int]:
        """The ids of every reply under this comment, in the order the page shows them."""
        found: list[int] = []
        stack = list(reversed(self.children))
        while stack:
            node = stack.pop()
            found.append(node.comment.pk)
            stack.extend(reversed(node.children))
        return found

    def matches(self, wanted: str) -> bool:
        if wanted == "open":
            return self.thread_status == "open"
        if wanted == "resolved":
            return self.thread_status == "resolved"
        if wanted == "outdated":
            return self.outdated
        return True


def node_for(comment: Comment, viewer: Viewer, keys: set[str], thread_status: str) -> Node:
    """Every right is asked of ``comments.permissions``; what the rules need about the viewer
    comes from ``viewer`` (worked out once per page), so a comment costs no query."""
    user, rec, drafter = viewer.user, viewer.rec, viewer.is_drafter
    reported = comment.pk in viewer.reported
    visible = comment.body_visible_to(user)
    return Node(
        comment=comment,
        outdated=is_outdated(comment, keys),
        thread_status=thread_status,
        show_body=visible,
        show_reason=comment.hidden and visible,
        can_reply=perms.can_reply(user, comment, rec, may_comment=viewer.can_comment),
        can_edit=perms.can_edit(user, comment, rec),
        can_resolve=perms.can_resolve(user, comment, rec, drafter=drafter),
        can_reopen=perms.can_reopen(user, comment, rec, drafter=drafter),
        can_respond=perms.can_respond(user, comment, rec, drafter=drafter),
        can_report=perms.can_report(
            user, comment, rec, may_view=viewer.can_view, reported=reported
        ),
        already_reported=reported,
        can_hide=perms.can_hide(user, comment, moderator=viewer.is_moderator),
        can_restore=perms.can_restore(user, comment, moderator=viewer.is_moderator),
        response=response_of(comment),
    )


@dataclass
class Group:
    key: str
    number: int | None  # None: a heading (comments on it were made before headings closed)
    excerpt: str
    threads: list[Node]

    @property
    def count(self) -> int:
        return sum(node.size for node in self.threads)


def build_threads(
    comments: list[Comment], viewer: Viewer, keys: set[str], *, root_status: str | None = None
) -> list[Node]:
    """Roots in order, each with its replies nested under the comment they answer.
    ``root_status``: the thread's status, when the first of ``comments`` is a reply."""
    by_parent: dict[int | None, list[Comment]] = {}
    for comment in comments:
        by_parent.setdefault(comment.parent_id, []).append(comment)
    known = {c.pk for c in comments}

    def grow(comment: Comment, thread_status: str) -> Node:
        node = node_for(comment, viewer, keys, thread_status)
        node.children = [grow(child, thread_status) for child in by_parent.get(comment.pk, [])]
        return node

    roots = [c for c in comments if c.parent_id is None or c.parent_id not in known]
    return [grow(root, root_status or root.status) for root in roots]


def show_replies(n: int, shown: object = None) -> str:
    """The link of a folded thread of ``n`` replies (``shown``: what is written for ``n``)."""
    return ngettext("Show %(n)s reply", "Show %(n)s replies", n) % {
        "n": n if shown is None else shown
    }


def fold_threads(threads: list[Node], *, show: int | None = None) -> set[int]:
    """Fold the replies of every thread that has some, but the thread holding the comment
    ``show`` (the one a link points to). Returns the ids of the folded replies."""
    folded: set[int] = set()
    for node in threads:
        replies = node.reply_ids()
        if not replies or show == node.comment.pk or show in replies:
            continue
        node.folded = replies
        folded.update(replies)
    return folded


def tools_used(nodes: list[Node]) -> list[str]:
    """The tools any of these comments offers this viewer: the forms the page carries once."""
    used: set[str] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        used.update(node.tools.split())
        stack.extend(node.children)
    return [name for name in TOOLS if name in used]


def page_tools(viewer: Viewer, threads: list[Node]) -> list[str]:
    """The forms the page carries: the tools its comments offer, and those a comment arriving
    live may offer (every tool to who takes part; hiding, restoring and reporting to a
    moderator who does not)."""
    offered = set(tools_used(threads))
    if viewer.can_comment:
        offered.update(TOOLS)
    elif viewer.is_moderator:
        offered.update(("hide", "restore", "report"))
    return [name for name in TOOLS if name in offered]


def section_context(
    rec: Recommendation,
    user,
    paragraphs: list[dict] | None = None,
    wanted: str = "all",
    *,
    show: int | None = None,
    all_replies: bool = False,
) -> dict:
    """Everything the comments section of the recommendation page shows. Above
    ``FOLD_ABOVE`` comments, threads fold their replies (``fold_threads``), but the one holding
    the comment ``show``, unless ``all_replies``."""
    if paragraphs is None:
        paragraphs = anchors.current_paragraphs(rec)
    keys = anchors.paragraph_keys(paragraphs)
    viewer = Viewer.of(user, rec)
    comments = Comment.objects.of(rec).list_for_display()
    threads = build_threads(comments, viewer, keys)
    folded = (
        fold_threads(threads, show=show)
        if len(comments) > FOLD_ABOVE and not all_replies
        else set()
    )
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
    # Headings are not commented on; one keeps its group only for comments made before.
    groups = [
        Group(
            key=p["key"],
            number=p["number"],
            excerpt=anchors.excerpt(p["html"]),
            threads=by_anchor.get(p["key"], []),
        )
        for p in number_paragraphs(paragraphs)
        if p["number"] is not None or p["key"] in by_anchor
    ]
    responses = sorted(
        (c for c in comments if response_of(c) is not None),
        key=lambda c: (c.response.created_at, c.pk),
    )
    answered = [node_for(c, viewer, keys, c.status) for c in responses]
    for node in answered:
        node.in_fold = node.comment.pk in folded
    return {
        "rec": rec,
        "viewer": viewer,
        "groups": groups,
        "general": general,
        "general_count": sum(node.size for node in general),
        "outdated": outdated,
        "total": len(comments),
        "responses": answered,
        "folded": len(folded),
        "all_replies": all_replies,
        "paragraph_choices": [(g.key, g.number, g.excerpt) for g in groups if g.number],
        "filter": wanted,
        "filters": FILTERS,
        "can_export": perms.can_export(user, rec, drafter=viewer.is_drafter),
        "tools": page_tools(viewer, threads),
        "count_words": plural_phrases(
            lambda n: ngettext("%(n)s comment", "%(n)s comments", n) % {"n": "{n}"}
        ),
        # The folded threads' link, when live replies add to it.
        "show_replies_words": plural_phrases(lambda n: show_replies(n, "{n}")),
    }


def attach_comment_counts(recommendations: Sequence[Recommendation]) -> None:
    """Give each recommendation of a list page its ``comment_count`` (one query for the page)."""
    rows = list(recommendations)
    counts = dict(
        Comment.objects.filter(recommendation__in=[r.pk for r in rows])
        .values_list("recommendation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for rec in rows:
        rec.comment_count = counts.get(rec.pk, 0)


def most_discussed(qs: QuerySet) -> QuerySet:
    """The list's "Most discussed" order: most comments (replies count) first."""
    return qs.annotate(discussion=Count("comments", distinct=True)).order_by(
        "-discussion", "theme__position", "title", "pk"
    )
