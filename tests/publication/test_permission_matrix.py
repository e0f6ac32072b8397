"""The role x action matrix of docs/permissions.md, section "Endorsements and publication".

Each action: a function setting up the state it needs (fresh for every role), how to call it on
the page and on the API, and the answer each role gets; ``tests.matrix`` runs the cells.
"hidden" (404): "as if it did not exist"; "denied" (403): "may see it, may not do this";
"conflict" (409): not in this state; "login": the page redirects to the login page, the API
answers "credentials were not provided". Any URL named ``publication:*`` or ``pub-api-*``
missing from the matrix fails ``test_every_publication_url_is_in_the_matrix``.
"""

from __future__ import annotations

import functools

import pytest
from django.urls import reverse

from publication import services as publication
from publication.models import Edition, Endorsement
from tests.factories import make_recommendation
from tests.matrix import (
    API,
    CONFLICT,
    DENIED,
    HIDDEN,
    INVALID,
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
    state_for,
)
from tests.publication.helpers import approve_latest, approved, final, new_version, publish

pytestmark = pytest.mark.django_db

ROLES = ["lead", "rep", "member", "observer", "moderator", "secretariat", "anonymous"]


@pytest.fixture
def world(
    drafter, other_org, other_representative, other_participant, observer, moderator, secretariat
):
    return {
        "users": {
            "lead": drafter,
            "rep": other_representative,
            "member": other_participant,
            "observer": observer,
            "moderator": moderator,
            "secretariat": secretariat,
            "anonymous": None,
        },
        "org": other_org,
    }


# --- states ----------------------------------------------------------------------------------
def _approved(world, title):
    users = world["users"]
    return {"rec": approved(users["lead"], users["moderator"], title=title)}


def _draft(world, title):
    return {"rec": make_recommendation(world["users"]["lead"], title=title)}


def _endorsed(world, title):
    state = _approved(world, title)
    publication.endorse(state["rec"], organisation=world["org"], actor=world["users"]["rep"])
    return state


def _endorsed_older(world, title):
    users = world["users"]
    state = _endorsed(world, title)
    state["rec"] = approve_latest(new_version(state["rec"], users["lead"]), users["moderator"])
    return state


def _nothing(world, title):
    return {}


def _draft_edition(world, title):
    users = world["users"]
    final(users["lead"], users["moderator"], users["secretariat"], title=title)
    return {
        "edition": publication.create_edition(
            title=title, preamble="Intro.", actor=users["secretariat"]
        )
    }


def _published_edition(world, title):
    users = world["users"]
    final(users["lead"], users["moderator"], users["secretariat"], title=title)
    return {"edition": publish(users["secretariat"], title=title)}


# action: Action(state function, page call, API call); ``target`` says what the URL's arguments
# are taken from: "rec", "rec+slug" (the recommendation and the organisation), "edition" (its
# id), "number" (a published edition's number), None (no argument).
ENDORSE = {"organisation": "tunis", "statement": "In our name"}
ACTIONS = {
    "list_endorsements": Action(_endorsed, api=Call("get", "pub-api-endorsements", None, "rec")),
    "list_endorsements_draft": Action(_draft, api=Call("get", "pub-api-endorsements", None, "rec")),
    "endorse": Action(
        _approved,
        page=Call("post", "publication:endorse", ENDORSE, "rec"),
        api=Call("post", "pub-api-endorsements", ENDORSE, "rec"),
    ),
    "endorse_draft": Action(
        _draft,
        page=Call("post", "publication:endorse", ENDORSE, "rec"),
        api=Call("post", "pub-api-endorsements", ENDORSE, "rec"),
    ),
    "withdraw": Action(
        _endorsed,
        page=Call("post", "publication:withdraw", {"organisation": "tunis"}, "rec"),
        api=Call("delete", "pub-api-endorsement", None, "rec+slug"),
    ),
    "reconfirm": Action(
        _endorsed_older,
        page=Call("post", "publication:reconfirm", {"organisation": "tunis"}, "rec"),
        api=Call("post", "pub-api-reconfirm", {}, "rec+slug"),
    ),
    "compose_page": Action(_nothing, page=Call("get", "publication:compose")),
    "compose": Action(
        _nothing,
        page=Call("post", "publication:compose", {"title": "T", "preamble": ""}),
        api=Call("post", "pub-api-editions", {"title": "T", "preamble": ""}),
    ),
    "draft_page": Action(_draft_edition, page=Call("get", "publication:draft", None, "edition")),
    "change_draft": Action(
        _draft_edition,
        page=Call("post", "publication:draft", {"title": "Changed", "preamble": ""}, "edition"),
    ),
    # An empty choice: 400 for the secretariat (an edition cannot be empty), hidden for others.
    "choose_nothing": Action(
        _draft_edition, page=Call("post", "publication:choose", {}, "edition")
    ),
    "publish": Action(
        _draft_edition,
        page=Call("post", "publication:publish", {"confirm": "on"}, "edition"),
        api=Call("post", "pub-api-publish", {}, "edition"),
    ),
    "publish_again": Action(
        _published_edition,
        page=Call("post", "publication:publish", {}, "edition"),
        api=Call("post", "pub-api-publish", {}, "edition"),
    ),
    "read_latest": Action(
        _published_edition,
        page=Call("get", "publication:latest"),
        api=Call("get", "pub-api-published"),
    ),
    "read_edition": Action(
        _published_edition,
        page=Call("get", "publication:edition", None, "number"),
        api=Call("get", "pub-api-published-edition", None, "number"),
    ),
    "read_print": Action(_published_edition, page=Call("get", "publication:print", None, "number")),
    "read_markdown": Action(
        _published_edition, page=Call("get", "publication:markdown", None, "number")
    ),
    "read_pdf": Action(_published_edition, page=Call("get", "publication:pdf", None, "number")),
    # The edition in one language (its originals are English: the English document).
    "read_language_markdown": Action(
        _published_edition,
        page=Call("get", "publication:language_markdown", None, "number+en"),
    ),
}

# Expected answer per action for: lead, rep, member, observer, moderator, secretariat, anonymous
EXPECTED = {
    "list_endorsements": [OK, OK, OK, OK, OK, OK, LOGIN],
    "list_endorsements_draft": [OK, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "endorse": [DENIED, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "endorse_draft": [DENIED, HIDDEN, HIDDEN, HIDDEN, DENIED, HIDDEN, LOGIN],
    "withdraw": [DENIED, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "reconfirm": [DENIED, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "compose_page": [DENIED, DENIED, DENIED, DENIED, DENIED, OK, LOGIN],
    "compose": [DENIED, DENIED, DENIED, DENIED, DENIED, OK, LOGIN],
    "draft_page": [HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, LOGIN],
    "change_draft": [HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, LOGIN],
    "choose_nothing": [HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, INVALID, LOGIN],
    "publish": [HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, LOGIN],
    "publish_again": [DENIED, DENIED, DENIED, DENIED, DENIED, CONFLICT, LOGIN],
    "read_latest": [OK] * 7,
    "read_edition": [OK] * 7,
    "read_print": [OK] * 7,
    "read_markdown": [OK] * 7,
    "read_pdf": [OK] * 7,
    "read_language_markdown": [OK] * 7,
}

MATRIX = Matrix(ROLES, ACTIONS, EXPECTED, url_prefixes=("publication:", "pub-api-"))


def _url(name: str, target: str | None, state: dict) -> str:
    if target == "rec":
        return reverse(name, args=[state["rec"].pk])
    if target == "rec+slug":
        return reverse(name, args=[state["rec"].pk, "tunis"])
    if target == "edition":
        return reverse(name, args=[state["edition"].pk])
    if target == "number":
        return reverse(name, args=[state["edition"].number])
    if target == "number+en":
        return reverse(name, kwargs={"number": state["edition"].number, "language": "en"})
    return reverse(name)


def _request(world: dict, cell: Cell, action: Action, call: Call) -> Request:
    """A fresh state for the action, and the call on it."""
    state = state_for(world, cell, action, call)
    return Request(_url(call.name, call.target, state), call.data)


@pytest.mark.parametrize("row", MATRIX.rows(), ids=str)
def test_matrix(world, row: Row):
    MATRIX.check(row, world["users"], functools.partial(_request, world))


def test_denied_writes_change_nothing(world):
    users = world["users"]
    state = _endorsed(world, "Endorsed")
    draft = _draft_edition(world, "Draft")["edition"]
    rec = state["rec"]
    for role in ("lead", "member", "observer", "moderator"):
        client = client_for(users[role])
        withdraw = reverse("publication:withdraw", args=[rec.pk])
        send(client, PAGE, "post", Request(withdraw, {"organisation": "tunis"}))
        send(client, API, "delete", reverse("pub-api-endorsement", args=[rec.pk, "tunis"]))
        send(client, PAGE, "post", reverse("publication:publish", args=[draft.pk]))
        send(client, API, "post", Request(reverse("pub-api-publish", args=[draft.pk]), {}))
        send(client, API, "post", Request(reverse("pub-api-editions"), {"title": "X"}))
    assert Endorsement.objects.live().filter(recommendation=rec).count() == 1
    assert list(Edition.objects.values_list("title", "number")) == [("Draft", None)]


def test_a_draft_edition_answers_like_a_missing_one(world):
    draft = _draft_edition(world, "Secret draft")["edition"]
    client = client_for(world["users"]["moderator"])
    hidden, missing = (
        reverse("publication:draft", args=[pk]) for pk in (draft.pk, draft.pk + 1000)
    )
    body = assert_hidden_like_missing(client, PAGE, hidden, missing)
    assert b"Secret draft" not in body
    hidden, missing = (reverse("pub-api-publish", args=[pk]) for pk in (draft.pk, draft.pk + 1000))
    assert_hidden_like_missing(client, API, hidden, missing, method="post", data={})


def test_every_publication_url_is_in_the_matrix():
    MATRIX.assert_covers_every_url()
