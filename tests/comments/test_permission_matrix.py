"""The role x action matrix of comments (docs/permissions.md, section "Comments"), on the pages
and on the API.

Each row: an action, the state of the recommendation, what to prepare (a comment, a resolved
one, a hidden one...), how to call it on each interface, and the answer each role gets. The
comment acted on is written by "other" (by "co" on a draft, where only drafters comment).
404: may not see the recommendation; 403: may see it, may not do this; 409: not in this state;
"login": pages redirect to the login page, the API refuses without credentials. Any URL of the
comments app missing from this matrix fails ``test_every_comments_url_is_in_the_matrix``.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from comments import services
from comments.models import Comment, CommentResponse
from recommendations import services as rec_services
from tests.factories import OrganisationFactory, make_recommendation, member_of
from tests.helpers import url_names

pytestmark = pytest.mark.django_db

ROLES = ["lead", "co", "other", "observer", "moderator", "secretariat", "anonymous"]
OK = "ok"

COMMENT = {"body": "The welcome point needs evening hours."}
REPLY = "reply"
EDIT = {"body": "The welcome point needs evening and weekend hours."}
REASON = {"reason": "Personal attack"}
RESPOND = {"status": "partly_accepted", "reason": "Evening hours added in version 2."}

# action: (state, prepared, page (method, name, data) | None, api (method, name, data) | None)
# state: draft / in_review / approved / final / withdrawn / rejected (withdrawn and rejected
# after review, so that every participant can still see them).
# prepared: what the target is: None (the recommendation), "comment", "resolved", "hidden",
# "reported", "edited", "hidden_edited".
ACTIONS = {
    "read_draft": ("draft", "comment", None, ("get", "comments_api:list", None)),
    "read_in_review": ("in_review", "comment", None, ("get", "comments_api:list", None)),
    "read_one": ("in_review", "comment", None, ("get", "comments_api:detail", None)),
    "read_one_draft": ("draft", "comment", None, ("get", "comments_api:detail", None)),
    "fragment": ("in_review", "comment", ("get", "comments:fragment", None), None),
    "fragment_draft": ("draft", "comment", ("get", "comments:fragment", None), None),
    "comment_draft": (
        "draft",
        None,
        ("post", "comments:create", COMMENT),
        ("post", "comments_api:list", COMMENT),
    ),
    "comment_in_review": (
        "in_review",
        None,
        ("post", "comments:create", COMMENT),
        ("post", "comments_api:list", COMMENT),
    ),
    "comment_approved": (
        "approved",
        None,
        ("post", "comments:create", COMMENT),
        ("post", "comments_api:list", COMMENT),
    ),
    "comment_final": (
        "final",
        None,
        ("post", "comments:create", COMMENT),
        ("post", "comments_api:list", COMMENT),
    ),
    "comment_withdrawn": (
        "withdrawn",
        None,
        ("post", "comments:create", COMMENT),
        ("post", "comments_api:list", COMMENT),
    ),
    "comment_rejected": (
        "rejected",
        None,
        ("post", "comments:create", COMMENT),
        ("post", "comments_api:list", COMMENT),
    ),
    "reply_in_review": (
        "in_review",
        "comment",
        ("post", "comments:create", REPLY),
        ("post", "comments_api:list", REPLY),
    ),
    "reply_final": (
        "final",
        "comment",
        ("post", "comments:create", REPLY),
        ("post", "comments_api:list", REPLY),
    ),
    "edit": (
        "in_review",
        "comment",
        ("post", "comments:edit", EDIT),
        ("patch", "comments_api:detail", EDIT),
    ),
    "edit_final": (
        "final",
        "comment",
        ("post", "comments:edit", EDIT),
        ("patch", "comments_api:detail", EDIT),
    ),
    "edit_draft": (
        "draft",
        "comment",
        ("post", "comments:edit", EDIT),
        ("patch", "comments_api:detail", EDIT),
    ),
    "history": ("in_review", "edited", ("get", "comments:history", None), None),
    "history_hidden": ("in_review", "hidden_edited", ("get", "comments:history", None), None),
    "resolve": (
        "in_review",
        "comment",
        ("post", "comments:resolve", {}),
        ("post", "comments_api:resolve", {}),
    ),
    "resolve_approved": (
        "approved",
        "comment",
        ("post", "comments:resolve", {}),
        ("post", "comments_api:resolve", {}),
    ),
    "resolve_final": (
        "final",
        "comment",
        ("post", "comments:resolve", {}),
        ("post", "comments_api:resolve", {}),
    ),
    "resolve_draft": (
        "draft",
        "comment",
        ("post", "comments:resolve", {}),
        ("post", "comments_api:resolve", {}),
    ),
    "reopen": (
        "in_review",
        "resolved",
        ("post", "comments:reopen", {}),
        ("post", "comments_api:reopen", {}),
    ),
    "reopen_final": (
        "final",
        "resolved",
        ("post", "comments:reopen", {}),
        ("post", "comments_api:reopen", {}),
    ),
    "respond": (
        "in_review",
        "comment",
        ("post", "comments:respond", RESPOND),
        ("post", "comments_api:respond", RESPOND),
    ),
    "respond_final": (
        "final",
        "comment",
        ("post", "comments:respond", RESPOND),
        ("post", "comments_api:respond", RESPOND),
    ),
    "report": (
        "in_review",
        "comment",
        ("post", "comments:report", REASON),
        ("post", "comments_api:report", REASON),
    ),
    "report_draft": (
        "draft",
        "comment",
        ("post", "comments:report", REASON),
        ("post", "comments_api:report", REASON),
    ),
    "hide": (
        "in_review",
        "comment",
        ("post", "comments:hide", REASON),
        ("post", "comments_api:hide", REASON),
    ),
    "hide_final": (
        "final",
        "comment",
        ("post", "comments:hide", REASON),
        ("post", "comments_api:hide", REASON),
    ),
    "hide_draft": (
        "draft",
        "comment",
        ("post", "comments:hide", REASON),
        ("post", "comments_api:hide", REASON),
    ),
    "restore": (
        "in_review",
        "hidden",
        ("post", "comments:restore", {}),
        ("post", "comments_api:restore", {}),
    ),
    "dismiss_reports": ("in_review", "reported", ("post", "comments:dismiss", {}), None),
    "export": ("in_review", "comment", ("get", "comments:export", None), None),
    "export_draft": ("draft", "comment", ("get", "comments:export", None), None),
    "moderation_queue": ("in_review", "reported", ("get", "comments:moderation", None), None),
}

L = "login"
# Expected answer per action, for: lead, co, other, observer, moderator, secretariat, anonymous
EXPECTED = {
    "read_draft": [OK, OK, 404, 404, OK, 404, L],
    "read_in_review": [OK, OK, OK, OK, OK, OK, L],
    "read_one": [OK, OK, OK, OK, OK, OK, L],
    "read_one_draft": [OK, OK, 404, 404, OK, 404, L],
    "fragment": [OK, OK, OK, OK, OK, OK, L],
    "fragment_draft": [OK, OK, 404, 404, OK, 404, L],
    "comment_draft": [OK, OK, 404, 404, 403, 404, L],
    "comment_in_review": [OK, OK, OK, OK, OK, OK, L],
    "comment_approved": [OK, OK, OK, OK, OK, OK, L],
    "comment_final": [409, 409, 409, 409, 409, 409, L],
    "comment_withdrawn": [409, 409, 409, 409, 409, 409, L],
    "comment_rejected": [409, 409, 409, 409, 409, 409, L],
    "reply_in_review": [OK, OK, OK, OK, OK, OK, L],
    "reply_final": [409, 409, 409, 409, 409, 409, L],
    "edit": [403, 403, OK, 403, 403, 403, L],
    "edit_final": [403, 403, 409, 403, 403, 403, L],
    "edit_draft": [403, OK, 404, 404, 403, 404, L],
    "history": [OK, OK, OK, OK, OK, OK, L],
    "history_hidden": [403, 403, OK, 403, OK, 403, L],
    "resolve": [OK, OK, OK, 403, 403, 403, L],
    "resolve_approved": [OK, OK, OK, 403, 403, 403, L],
    "resolve_final": [409, 409, 409, 403, 403, 403, L],
    "resolve_draft": [OK, OK, 404, 404, 403, 404, L],
    "reopen": [OK, OK, OK, 403, 403, 403, L],
    "reopen_final": [409, 409, 409, 403, 403, 403, L],
    "respond": [OK, OK, 403, 403, 403, 403, L],
    "respond_final": [409, 409, 403, 403, 403, 403, L],
    "report": [OK, OK, 403, OK, OK, OK, L],
    "report_draft": [OK, 403, 404, 404, OK, 404, L],
    "hide": [403, 403, 403, 403, OK, 403, L],
    "hide_final": [403, 403, 403, 403, OK, 403, L],
    "hide_draft": [403, 403, 404, 404, OK, 404, L],
    "restore": [403, 403, 403, 403, OK, 403, L],
    "dismiss_reports": [403, 403, 403, 403, OK, 403, L],
    "export": [OK, OK, 403, 403, OK, 403, L],
    "export_draft": [OK, OK, 404, 404, OK, 404, L],
    "moderation_queue": [403, 403, 403, 403, OK, 403, L],
}


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


def call(client, interface: str, spec, rec, comment):
    method, name, data = spec
    if data == REPLY:
        data = {"body": "I agree with this.", "parent": comment.pk}
    url = _url(name, rec, comment)
    if interface == "api":
        return getattr(client, method)(url, data, content_type="application/json")
    return getattr(client, method)(url, data or {})


def outcome(response, interface: str):
    code = response.status_code
    if interface == "page" and code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    if interface == "api" and code in (401, 403) and b"credentials were not" in response.content:
        return "login"
    if code in (403, 404, 409):
        return code
    if interface == "page":
        return OK if code in (200, 302) else code
    return OK if code in (200, 201) else code


CELLS = [
    (action, interface)
    for action, (_state, _prepared, page, api) in ACTIONS.items()
    for interface, spec in (("page", page), ("api", api))
    if spec is not None
]


@pytest.mark.parametrize(("action", "interface"), CELLS)
def test_comment_matrix(client, world, action, interface):
    state, prepared, page, api = ACTIONS[action]
    spec = page if interface == "page" else api
    results = {}
    for role, expected in zip(ROLES, EXPECTED[action], strict=True):
        rec, comment = prepare(state, prepared, world, f"{action} {role}")
        client.logout()
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        response = call(client, interface, spec, rec, comment)
        results[role] = (outcome(response, interface), expected)
    wrong = {role: got for role, (got, expected) in results.items() if got != expected}
    assert not wrong, f"{action} on {interface}: got {results}"


def test_every_action_has_a_row_of_answers():
    assert set(ACTIONS) == set(EXPECTED)
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


def test_every_comments_url_is_in_the_matrix():
    covered = {spec[1] for a in ACTIONS.values() for spec in (a[2], a[3]) if spec}
    names = set()
    for pattern in get_resolver().url_patterns:
        for name in url_names(pattern):
            if name.startswith(("comments:", "comments_api:")):
                names.add(name)
    assert names, "the comments URLs are not mounted"
    missing = names - covered
    assert not missing, f"not in the comments permission matrix: {sorted(missing)}"


def test_denied_writes_change_nothing(client, world):
    _rec, comment = prepare("in_review", "comment", world, "denied")
    client.force_login(world["users"]["observer"])
    client.post(reverse("comments:resolve", args=[comment.pk]))
    client.post(reverse("comments:hide", args=[comment.pk]), REASON)
    client.post(reverse("comments_api:respond", args=[comment.pk]), RESPOND)
    client.patch(
        reverse("comments_api:detail", args=[comment.pk]),
        EDIT,
        content_type="application/json",
    )
    fresh = Comment.objects.get(pk=comment.pk)
    assert (fresh.status, fresh.hidden, fresh.body) == ("open", False, comment.body)
    assert not CommentResponse.objects.filter(comment=fresh).exists()
