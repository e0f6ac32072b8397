"""The role x action matrix of comments (docs/permissions.md, section "Comments"), on the pages
and on the API.

Each action: the state of the recommendation and what to prepare (a comment, a resolved one, a
hidden one...), how to call it on each interface, and the answer each role gets;
``tests.matrix`` runs the cells. The comment acted on is written by "other" (by "co" on a draft,
where only drafters comment). "hidden" (404): may not see the recommendation; "denied" (403):
may see it, may not do this; "conflict" (409): not in this state; "login": pages redirect to
the login page, the API refuses without credentials. Any URL of the comments app missing from
this matrix fails ``test_every_comments_url_is_in_the_matrix``.
"""

from __future__ import annotations

import functools

import pytest
from django.urls import reverse

from comments import services
from comments.models import Comment, CommentResponse
from recommendations import services as rec_services
from tests.factories import OrganisationFactory, make_recommendation, member_of
from tests.matrix import (
    API,
    CONFLICT,
    DENIED,
    HIDDEN,
    LOGIN,
    OK,
    PAGE,
    Action,
    Call,
    Cell,
    Matrix,
    Request,
    Row,
    assert_hidden_like_missing,
    client_for,
    send,
)

pytestmark = pytest.mark.django_db

ROLES = ["lead", "co", "other", "observer", "moderator", "secretariat", "anonymous"]

COMMENT = {"body": "The welcome point needs evening hours."}
REPLY = "reply"  # a reply to the prepared comment (_request builds it)
EDIT = {"body": "The welcome point needs evening and weekend hours."}
REASON = {"reason": "Personal attack"}
RESPOND = {"status": "partly_accepted", "reason": "Evening hours added in version 2."}

# action: Action((state, prepared), page call, API call)
# state: draft / in_review / approved / final / withdrawn / rejected (withdrawn and rejected
# after review, so that every participant can still see them).
# prepared: what the target is: None (the recommendation), "comment", "resolved", "hidden",
# "reported", "edited", "hidden_edited".
ACTIONS = {
    "read_draft": Action(("draft", "comment"), api=Call("get", "comments_api:list")),
    "read_in_review": Action(("in_review", "comment"), api=Call("get", "comments_api:list")),
    "read_one": Action(("in_review", "comment"), api=Call("get", "comments_api:detail")),
    "read_one_draft": Action(("draft", "comment"), api=Call("get", "comments_api:detail")),
    "fragment": Action(("in_review", "comment"), page=Call("get", "comments:fragment")),
    "fragment_draft": Action(("draft", "comment"), page=Call("get", "comments:fragment")),
    # The page of a comment's forms (the way to act without JavaScript): 403 with no tool.
    "actions": Action(("in_review", "comment"), page=Call("get", "comments:actions")),
    "actions_draft": Action(("draft", "comment"), page=Call("get", "comments:actions")),
    "actions_hidden": Action(("in_review", "hidden"), page=Call("get", "comments:actions")),
    "actions_final": Action(("final", "comment"), page=Call("get", "comments:actions")),
    "comment_draft": Action(
        ("draft", None),
        page=Call("post", "comments:create", COMMENT),
        api=Call("post", "comments_api:list", COMMENT),
    ),
    "comment_in_review": Action(
        ("in_review", None),
        page=Call("post", "comments:create", COMMENT),
        api=Call("post", "comments_api:list", COMMENT),
    ),
    "comment_approved": Action(
        ("approved", None),
        page=Call("post", "comments:create", COMMENT),
        api=Call("post", "comments_api:list", COMMENT),
    ),
    "comment_final": Action(
        ("final", None),
        page=Call("post", "comments:create", COMMENT),
        api=Call("post", "comments_api:list", COMMENT),
    ),
    "comment_withdrawn": Action(
        ("withdrawn", None),
        page=Call("post", "comments:create", COMMENT),
        api=Call("post", "comments_api:list", COMMENT),
    ),
    "comment_rejected": Action(
        ("rejected", None),
        page=Call("post", "comments:create", COMMENT),
        api=Call("post", "comments_api:list", COMMENT),
    ),
    "reply_in_review": Action(
        ("in_review", "comment"),
        page=Call("post", "comments:create", REPLY),
        api=Call("post", "comments_api:list", REPLY),
    ),
    "reply_final": Action(
        ("final", "comment"),
        page=Call("post", "comments:create", REPLY),
        api=Call("post", "comments_api:list", REPLY),
    ),
    "edit": Action(
        ("in_review", "comment"),
        page=Call("post", "comments:edit", EDIT),
        api=Call("patch", "comments_api:detail", EDIT),
    ),
    "edit_final": Action(
        ("final", "comment"),
        page=Call("post", "comments:edit", EDIT),
        api=Call("patch", "comments_api:detail", EDIT),
    ),
    "edit_draft": Action(
        ("draft", "comment"),
        page=Call("post", "comments:edit", EDIT),
        api=Call("patch", "comments_api:detail", EDIT),
    ),
    "history": Action(("in_review", "edited"), page=Call("get", "comments:history")),
    "history_hidden": Action(("in_review", "hidden_edited"), page=Call("get", "comments:history")),
    "resolve": Action(
        ("in_review", "comment"),
        page=Call("post", "comments:resolve", {}),
        api=Call("post", "comments_api:resolve", {}),
    ),
    "resolve_approved": Action(
        ("approved", "comment"),
        page=Call("post", "comments:resolve", {}),
        api=Call("post", "comments_api:resolve", {}),
    ),
    "resolve_final": Action(
        ("final", "comment"),
        page=Call("post", "comments:resolve", {}),
        api=Call("post", "comments_api:resolve", {}),
    ),
    "resolve_draft": Action(
        ("draft", "comment"),
        page=Call("post", "comments:resolve", {}),
        api=Call("post", "comments_api:resolve", {}),
    ),
    "reopen": Action(
        ("in_review", "resolved"),
        page=Call("post", "comments:reopen", {}),
        api=Call("post", "comments_api:reopen", {}),
    ),
    "reopen_final": Action(
        ("final", "resolved"),
        page=Call("post", "comments:reopen", {}),
        api=Call("post", "comments_api:reopen", {}),
    ),
    "respond": Action(
        ("in_review", "comment"),
        page=Call("post", "comments:respond", RESPOND),
        api=Call("post", "comments_api:respond", RESPOND),
    ),
    "respond_final": Action(
        ("final", "comment"),
        page=Call("post", "comments:respond", RESPOND),
        api=Call("post", "comments_api:respond", RESPOND),
    ),
    "report": Action(
        ("in_review", "comment"),
        page=Call("post", "comments:report", REASON),
        api=Call("post", "comments_api:report", REASON),
    ),
    "report_draft": Action(
        ("draft", "comment"),
        page=Call("post", "comments:report", REASON),
        api=Call("post", "comments_api:report", REASON),
    ),
    "hide": Action(
        ("in_review", "comment"),
        page=Call("post", "comments:hide", REASON),
        api=Call("post", "comments_api:hide", REASON),
    ),
    "hide_final": Action(
        ("final", "comment"),
        page=Call("post", "comments:hide", REASON),
        api=Call("post", "comments_api:hide", REASON),
    ),
    "hide_draft": Action(
        ("draft", "comment"),
        page=Call("post", "comments:hide", REASON),
        api=Call("post", "comments_api:hide", REASON),
    ),
    "restore": Action(
        ("in_review", "hidden"),
        page=Call("post", "comments:restore", {}),
        api=Call("post", "comments_api:restore", {}),
    ),
    "dismiss_reports": Action(("in_review", "reported"), page=Call("post", "comments:dismiss", {})),
    "export": Action(("in_review", "comment"), page=Call("get", "comments:export")),
    "export_draft": Action(("draft", "comment"), page=Call("get", "comments:export")),
    "moderation_queue": Action(("in_review", "reported"), page=Call("get", "comments:moderation")),
}

# Expected answer per action, for: lead, co, other, observer, moderator, secretariat, anonymous
EXPECTED = {
    "read_draft": [OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "read_in_review": [OK, OK, OK, OK, OK, OK, LOGIN],
    "read_one": [OK, OK, OK, OK, OK, OK, LOGIN],
    "read_one_draft": [OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "fragment": [OK, OK, OK, OK, OK, OK, LOGIN],
    "fragment_draft": [OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "actions": [OK, OK, OK, OK, OK, OK, LOGIN],
    "actions_draft": [OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "actions_hidden": [OK, OK, OK, DENIED, OK, DENIED, LOGIN],
    "actions_final": [OK, OK, DENIED, OK, OK, OK, LOGIN],
    "comment_draft": [OK, OK, HIDDEN, HIDDEN, DENIED, HIDDEN, LOGIN],
    "comment_in_review": [OK, OK, OK, OK, OK, OK, LOGIN],
    "comment_approved": [OK, OK, OK, OK, OK, OK, LOGIN],
    "comment_final": [CONFLICT, CONFLICT, CONFLICT, CONFLICT, CONFLICT, CONFLICT, LOGIN],
    "comment_withdrawn": [CONFLICT, CONFLICT, CONFLICT, CONFLICT, CONFLICT, CONFLICT, LOGIN],
    "comment_rejected": [CONFLICT, CONFLICT, CONFLICT, CONFLICT, CONFLICT, CONFLICT, LOGIN],
    "reply_in_review": [OK, OK, OK, OK, OK, OK, LOGIN],
    "reply_final": [CONFLICT, CONFLICT, CONFLICT, CONFLICT, CONFLICT, CONFLICT, LOGIN],
    "edit": [DENIED, DENIED, OK, DENIED, DENIED, DENIED, LOGIN],
    "edit_final": [DENIED, DENIED, CONFLICT, DENIED, DENIED, DENIED, LOGIN],
    "edit_draft": [DENIED, OK, HIDDEN, HIDDEN, DENIED, HIDDEN, LOGIN],
    "history": [OK, OK, OK, OK, OK, OK, LOGIN],
    "history_hidden": [DENIED, DENIED, OK, DENIED, OK, DENIED, LOGIN],
    "resolve": [OK, OK, OK, DENIED, DENIED, DENIED, LOGIN],
    "resolve_approved": [OK, OK, OK, DENIED, DENIED, DENIED, LOGIN],
    "resolve_final": [CONFLICT, CONFLICT, CONFLICT, DENIED, DENIED, DENIED, LOGIN],
    "resolve_draft": [OK, OK, HIDDEN, HIDDEN, DENIED, HIDDEN, LOGIN],
    "reopen": [OK, OK, OK, DENIED, DENIED, DENIED, LOGIN],
    "reopen_final": [CONFLICT, CONFLICT, CONFLICT, DENIED, DENIED, DENIED, LOGIN],
    "respond": [OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "respond_final": [CONFLICT, CONFLICT, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "report": [OK, OK, DENIED, OK, OK, OK, LOGIN],
    "report_draft": [OK, DENIED, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "hide": [DENIED, DENIED, DENIED, DENIED, OK, DENIED, LOGIN],
    "hide_final": [DENIED, DENIED, DENIED, DENIED, OK, DENIED, LOGIN],
    "hide_draft": [DENIED, DENIED, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "restore": [DENIED, DENIED, DENIED, DENIED, OK, DENIED, LOGIN],
    "dismiss_reports": [DENIED, DENIED, DENIED, DENIED, OK, DENIED, LOGIN],
    "export": [OK, OK, DENIED, DENIED, OK, DENIED, LOGIN],
    "export_draft": [OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "moderation_queue": [DENIED, DENIED, DENIED, DENIED, OK, DENIED, LOGIN],
}

MATRIX = Matrix(ROLES, ACTIONS, EXPECTED, url_prefixes=("comments:", "comments_api:"))


@pytest.fixture
def world(drafter, other_participant, observer, moderator, secretariat):
    co_org = OrganisationFactory(name="Madrid", slug="madrid", country="Spain")
    reporter_org = OrganisationFactory(name="Vienna", slug="vienna", country="Austria")
    return {
        "users": {
            "lead": drafter,
            "co": member_of(co_org, "co-drafter"),
            "other": other_participant,
            "observer": observer,
            "moderator": moderator,
            "secretariat": secretariat,
            "anonymous": None,
        },
        "co_org": co_org,
        "reporter": member_of(reporter_org, "reporter"),
    }


def prepare(state: str, prepared: str | None, world: dict, title: str):
    """A recommendation in ``state`` and, if asked, the comment to act on (made while the
    text was open, the way people would)."""
    users = world["users"]
    lead, moderator = users["lead"], users["moderator"]
    rec = make_recommendation(
        lead,
        status="draft" if state == "draft" else "in_review",
        co_drafters=[world["co_org"]],
        moderator=moderator,
        title=title,
    )
    comment = None
    if prepared:
        author = users["co"] if state == "draft" else users["other"]
        comment = services.post_comment(
            rec, actor=author, body="Open the point in the evening too.", anchor=""
        )
        if prepared == "resolved":
            services.resolve_comment(comment, actor=lead)
        if prepared in ("edited", "hidden_edited"):
            services.edit_comment(comment, actor=author, body="Open it in the evening.")
        if prepared in ("hidden", "hidden_edited"):
            services.hide_comment(comment, actor=moderator, reason="Off topic")
        if prepared == "reported":
            services.report_comment(comment, actor=world["reporter"], reason="Spam")
    if state in ("approved", "final"):
        rec = rec_services.approve_version(rec, version=rec.version, actor=moderator)
    if state == "final":
        rec = rec_services.finalise_recommendation(rec, actor=users["secretariat"])
    if state == "withdrawn":
        rec = rec_services.withdraw_recommendation(rec, reason="Merged", actor=lead)
    if state == "rejected":
        rec = rec_services.reject_recommendation(rec, reason="Out of scope", actor=moderator)
    return rec, comment


def _url(name: str, rec, comment) -> str:
    if name == "comments:moderation":
        return reverse(name)
    if name in ("comments:create", "comments:export", "comments_api:list"):
        return reverse(name, args=[rec.pk])
    return reverse(name, args=[comment.pk])


def _request(world: dict, cell: Cell, action: Action, call: Call) -> Request:
    """A fresh recommendation (and comment) in the action's state, and the call on it."""
    state, prepared = action.setup
    rec, comment = prepare(state, prepared, world, f"{cell.action} {cell.role}")
    data = call.data
    if data == REPLY:
        data = {"body": "I agree with this.", "parent": comment.pk}
    return Request(_url(call.name, rec, comment), data)


@pytest.mark.parametrize("row", MATRIX.rows(), ids=str)
def test_comment_matrix(world, row: Row):
    MATRIX.check(row, world["users"], functools.partial(_request, world))


def test_every_action_has_a_row_of_answers():
    assert set(ACTIONS) == set(EXPECTED)
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


def test_every_comments_url_is_in_the_matrix():
    MATRIX.assert_covers_every_url()


def test_denied_writes_change_nothing(world):
    _rec, comment = prepare("in_review", "comment", world, "denied")
    client = client_for(world["users"]["observer"])
    send(client, PAGE, "post", reverse("comments:resolve", args=[comment.pk]))
    send(client, PAGE, "post", Request(reverse("comments:hide", args=[comment.pk]), REASON))
    send(client, API, "post", Request(reverse("comments_api:respond", args=[comment.pk]), RESPOND))
    send(client, API, "patch", Request(reverse("comments_api:detail", args=[comment.pk]), EDIT))
    fresh = Comment.objects.get(pk=comment.pk)
    assert (fresh.status, fresh.hidden, fresh.body) == ("open", False, comment.body)
    assert not CommentResponse.objects.filter(comment=fresh).exists()


def test_a_comment_on_another_organisations_draft_answers_like_a_missing_one(world):
    rec, comment = prepare("draft", "comment", world, "Hidden draft")
    client = client_for(world["users"]["other"])
    missing_rec = rec.pk + 1000
    missing_comment = Comment.objects.order_by("-pk").first().pk + 1000
    for interface, name, hidden, missing in (
        (PAGE, "comments:fragment", comment.pk, missing_comment),
        (PAGE, "comments:export", rec.pk, missing_rec),
        (API, "comments_api:detail", comment.pk, missing_comment),
        (API, "comments_api:list", rec.pk, missing_rec),
    ):
        urls = [reverse(name, args=[pk]) for pk in (hidden, missing)]
        assert_hidden_like_missing(client, interface, *urls)
