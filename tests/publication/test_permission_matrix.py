"""The role x action matrix of docs/permissions.md, section "Endorsements and publication".

Each row: an action, a function setting up the state it needs (fresh for every role), how to
call it on the page and on the API, and the answer each role gets. 404: "as if it did not
exist"; 403: "may see it, may not do this"; "login": the page redirects to the login page, the
API answers "credentials were not provided". Any URL named ``publication:*`` or ``pub-api-*``
missing from the matrix fails ``test_every_publication_url_is_in_the_matrix``.
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from publication import services as publication
from publication.models import Edition, Endorsement
from tests.factories import make_recommendation
from tests.helpers import url_names
from tests.publication.helpers import approve_latest, approved, final, new_version, publish

pytestmark = pytest.mark.django_db

ROLES = ["lead", "rep", "member", "observer", "moderator", "secretariat", "anonymous"]
OK = "ok"


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
    return {"edition": publication.create_edition(title=title, actor=users["secretariat"])}


def _published_edition(world, title):
    users = world["users"]
    final(users["lead"], users["moderator"], users["secretariat"], title=title)
    return {"edition": publish(users["secretariat"], title=title)}


# action: (state, page (method, url name, data, args) | None, api (...) | None)
ENDORSE = {"organisation": "tunis", "statement": "In our name"}
ACTIONS = {
    "list_endorsements": (
        _endorsed,
        None,
        ("get", "pub-api-endorsements", None, "rec"),
    ),
    "list_endorsements_draft": (
        _draft,
        None,
        ("get", "pub-api-endorsements", None, "rec"),
    ),
    "endorse": (
        _approved,
        ("post", "publication:endorse", ENDORSE, "rec"),
        ("post", "pub-api-endorsements", ENDORSE, "rec"),
    ),
    "endorse_draft": (
        _draft,
        ("post", "publication:endorse", ENDORSE, "rec"),
        ("post", "pub-api-endorsements", ENDORSE, "rec"),
    ),
    "withdraw": (
        _endorsed,
        ("post", "publication:withdraw", {"organisation": "tunis"}, "rec"),
        ("delete", "pub-api-endorsement", None, "rec+slug"),
    ),
    "reconfirm": (
        _endorsed_older,
        ("post", "publication:reconfirm", {"organisation": "tunis"}, "rec"),
        ("post", "pub-api-reconfirm", {}, "rec+slug"),
    ),
    "compose_page": (_nothing, ("get", "publication:compose", None, None), None),
    "compose": (
        _nothing,
        ("post", "publication:compose", {"title": "T", "preamble": ""}, None),
        ("post", "pub-api-editions", {"title": "T", "preamble": ""}, None),
    ),
    "draft_page": (_draft_edition, ("get", "publication:draft", None, "edition"), None),
    "change_draft": (
        _draft_edition,
        ("post", "publication:draft", {"title": "Changed", "preamble": ""}, "edition"),
        None,
    ),
    "publish": (
        _draft_edition,
        ("post", "publication:publish", {}, "edition"),
        ("post", "pub-api-publish", {}, "edition"),
    ),
    "publish_again": (
        _published_edition,
        ("post", "publication:publish", {}, "edition"),
        ("post", "pub-api-publish", {}, "edition"),
    ),
    "read_latest": (
        _published_edition,
        ("get", "publication:latest", None, None),
        ("get", "pub-api-published", None, None),
    ),
    "read_edition": (
        _published_edition,
        ("get", "publication:edition", None, "number"),
        ("get", "pub-api-published-edition", None, "number"),
    ),
    "read_print": (_published_edition, ("get", "publication:print", None, "number"), None),
    "read_markdown": (_published_edition, ("get", "publication:markdown", None, "number"), None),
}

# Expected answer per action for: lead, rep, member, observer, moderator, secretariat, anonymous
EXPECTED = {
    "list_endorsements": [OK, OK, OK, OK, OK, OK, "login"],
    "list_endorsements_draft": [OK, 404, 404, 404, OK, 404, "login"],
    "endorse": [403, OK, 403, 403, 403, 403, "login"],
    "endorse_draft": [403, 404, 404, 404, 403, 404, "login"],
    "withdraw": [403, OK, 403, 403, 403, 403, "login"],
    "reconfirm": [403, OK, 403, 403, 403, 403, "login"],
    "compose_page": [403, 403, 403, 403, 403, OK, "login"],
    "compose": [403, 403, 403, 403, 403, OK, "login"],
    "draft_page": [404, 404, 404, 404, 404, OK, "login"],
    "change_draft": [404, 404, 404, 404, 404, OK, "login"],
    "publish": [404, 404, 404, 404, 404, OK, "login"],
    "publish_again": [403, 403, 403, 403, 403, 409, "login"],
    "read_latest": [OK] * 7,
    "read_edition": [OK] * 7,
    "read_print": [OK] * 7,
    "read_markdown": [OK] * 7,
}


def _url(name, args, state):
    if args == "rec":
        return reverse(name, args=[state["rec"].pk])
    if args == "rec+slug":
        return reverse(name, args=[state["rec"].pk, "tunis"])
    if args == "edition":
        return reverse(name, args=[state["edition"].pk])
    if args == "number":
        return reverse(name, args=[state["edition"].number])
    return reverse(name)


def _outcome(response, interface):
    code = response.status_code
    if interface == "page" and code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    if (
        interface == "api"
        and code in (401, 403)
        and "credentials were not provided" in response.content.decode()
    ):
        return "login"
    if code in (403, 404, 409):
        return code
    if interface == "page":
        return OK if code in (200, 302) else code
    return OK if code in (200, 201) else code


# Only the cells that exist: an action without a page (or an API) has no cell there.
CELLS = [
    (action, interface)
    for action, spec in ACTIONS.items()
    for interface, call in (("page", spec[1]), ("api", spec[2]))
    if call is not None
]


@pytest.mark.parametrize(("action", "interface"), CELLS)
def test_matrix(client, world, action, interface):
    setup, page, api = ACTIONS[action]
    spec = page if interface == "page" else api
    method, name, data, args = spec
    results = {}
    for role, expected in zip(ROLES, EXPECTED[action], strict=True):
        state = setup(world, f"{action} {role}")
        client.logout()
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        url = _url(name, args, state)
        if interface == "api":
            response = getattr(client, method)(url, data, content_type="application/json")
        else:
            response = getattr(client, method)(url, data or {})
        results[role] = (_outcome(response, interface), expected)
    wrong = {role: got for role, (got, expected) in results.items() if got != expected}
    assert not wrong, f"{action} on {interface}: got {results}"


def test_denied_writes_change_nothing(client, world):
    users = world["users"]
    state = _endorsed(world, "Endorsed")
    draft = _draft_edition(world, "Draft")["edition"]
    for role in ("lead", "member", "observer", "moderator"):
        client.force_login(users[role])
        client.post(
            reverse("publication:withdraw", args=[state["rec"].pk]), {"organisation": "tunis"}
        )
        client.delete(reverse("pub-api-endorsement", args=[state["rec"].pk, "tunis"]))
        client.post(reverse("publication:publish", args=[draft.pk]))
        client.post(reverse("pub-api-publish", args=[draft.pk]), content_type="application/json")
        client.post(reverse("pub-api-editions"), {"title": "X"}, content_type="application/json")
    assert Endorsement.objects.live().filter(recommendation=state["rec"]).count() == 1
    assert list(Edition.objects.values_list("title", "number")) == [("Draft", None)]


def test_a_draft_edition_answers_like_a_missing_one(client, world):
    draft = _draft_edition(world, "Secret draft")["edition"]
    client.force_login(world["users"]["moderator"])
    hidden = client.get(reverse("publication:draft", args=[draft.pk]))
    absent = client.get(reverse("publication:draft", args=[draft.pk + 1000]))
    assert hidden.status_code == absent.status_code == 404
    assert "Secret draft" not in hidden.content.decode()
    api_hidden = client.post(reverse("pub-api-publish", args=[draft.pk]))
    api_absent = client.post(reverse("pub-api-publish", args=[draft.pk + 1000]))
    assert api_hidden.status_code == api_absent.status_code == 404
    assert api_hidden.json() == api_absent.json()


def test_every_publication_url_is_in_the_matrix():
    covered = {spec[1] for _s, page, api in ACTIONS.values() for spec in (page, api) if spec}
    names = set()
    for pattern in get_resolver().url_patterns:
        for name in url_names(pattern):
            if name.startswith("publication:") or name.startswith("pub-api-"):
                names.add(name)
    assert names, "no publication URL found"
    missing = names - covered
    assert not missing, f"not in the permission matrix: {sorted(missing)}"
