"""The role x action matrix of docs/permissions.md, for pages and API alike.

Each action: the state the recommendation is in (and how many versions it has), how to call it
on each interface, and the answer each role gets; ``tests.matrix`` runs the cells. "hidden"
(404) means "as if it did not exist" (may not see it), "denied" (403) "may see it but not do
this", "login" a redirect to the login page. Any URL of the recommendations app missing from
this matrix fails ``test_every_url_is_in_the_matrix``.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from django.urls import reverse

from recommendations import translations
from recommendations.models import Recommendation
from tests.factories import OrganisationFactory, make_recommendation, member_of
from tests.matrix import (
    API,
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

# Payloads named by a string are built from the recommendation set up for the cell (_payload).
COMPARE = {"from": 1, "to": 2}
# action: Action((state, versions), page call, API call)
ACTIONS = {
    "view_draft": Action(
        ("draft", 1),
        page=Call("get", "recommendations:detail"),
        api=Call("get", "api-recommendation"),
    ),
    "view_in_review": Action(
        ("in_review", 1),
        page=Call("get", "recommendations:detail"),
        api=Call("get", "api-recommendation"),
    ),
    "list": Action(
        ("in_review", 1),
        page=Call("get", "recommendations:list"),
        api=Call("get", "api-recommendations"),
    ),
    "create": Action(
        ("draft", 1),
        page=Call("post", "recommendations:create", "create"),
        api=Call("post", "api-recommendations", "create"),
    ),
    "edit_page": Action(("in_review", 1), page=Call("get", "recommendations:edit")),
    "edit": Action(
        ("in_review", 1),
        page=Call("post", "recommendations:edit", "edit"),
        api=Call("patch", "api-recommendation", "edit"),
    ),
    "edit_draft": Action(
        ("draft", 1),
        page=Call("post", "recommendations:edit", "edit"),
        api=Call("patch", "api-recommendation", "edit"),
    ),
    "preview": Action(("draft", 1), page=Call("post", "recommendations:preview", {"body": "*x*"})),
    "history": Action(
        ("in_review", 2),
        page=Call("get", "recommendations:history"),
        api=Call("get", "api-versions"),
    ),
    "history_draft": Action(
        ("draft", 2),
        page=Call("get", "recommendations:history"),
        api=Call("get", "api-versions"),
    ),
    # The live panels of the detail page: as private as the page itself.
    "panels": Action(("in_review", 1), page=Call("get", "recommendations:panels")),
    "panels_draft": Action(("draft", 1), page=Call("get", "recommendations:panels")),
    "compare": Action(
        ("in_review", 2),
        page=Call("get", "recommendations:compare", COMPARE),
        api=Call("get", "api-diff", COMPARE),
    ),
    "compare_draft": Action(
        ("draft", 2),
        page=Call("get", "recommendations:compare", COMPARE),
        api=Call("get", "api-diff", COMPARE),
    ),
    "restore": Action(
        ("in_review", 2),
        page=Call("post", "recommendations:restore", {"version": 1}),
        api=Call("post", "api-restore", {"version": 1}),
    ),
    "submit": Action(
        ("draft", 1),
        page=Call("post", "recommendations:submit", {}),
        api=Call("post", "api-submit", {}),
    ),
    "approve": Action(
        ("in_review", 1),
        page=Call("post", "recommendations:approve", {"version": 1}),
        api=Call("post", "api-approve", {"version": 1}),
    ),
    "reject": Action(
        ("in_review", 1),
        page=Call("post", "recommendations:reject", {"reason": "No"}),
        api=Call("post", "api-reject", {"reason": "No"}),
    ),
    "withdraw": Action(
        ("in_review", 1),
        page=Call("post", "recommendations:withdraw", {"reason": "Done"}),
        api=Call("post", "api-withdraw", {"reason": "Done"}),
    ),
    "finalise": Action(
        ("approved", 1),
        page=Call("post", "recommendations:finalise", {}),
        api=Call("post", "api-finalise", {}),
    ),
    "add_drafter": Action(
        ("in_review", 1),
        page=Call("post", "recommendations:drafters", "add"),
        api=Call("post", "api-drafters", "add"),
    ),
    "remove_drafter": Action(
        ("in_review", 1),
        page=Call("post", "recommendations:drafters", "remove"),
        api=Call("delete", "api-drafter", "remove"),
    ),
    # Translations: (state, versions, "invited": the other participant's organisation is
    # invited to translate, "translated": a French translation exists).
    "translations": Action(("in_review", 1), api=Call("get", "api-translations")),
    "translations_draft": Action(("draft", 1), api=Call("get", "api-translations")),
    "translation": Action(("in_review", 1, "translated"), api=Call("get", "api-translation")),
    "translate_page": Action(("in_review", 1), page=Call("get", "recommendations:translate")),
    "translate": Action(
        ("in_review", 1),
        page=Call("post", "recommendations:translate", "translate"),
        api=Call("put", "api-translation", "translate"),
    ),
    "translate_invited": Action(
        ("in_review", 1, "invited"),
        page=Call("post", "recommendations:translate", "translate"),
        api=Call("put", "api-translation", "translate"),
    ),
    "translate_draft_invited": Action(
        ("draft", 1, "invited"),
        page=Call("post", "recommendations:translate", "translate"),
        api=Call("put", "api-translation", "translate"),
    ),
    "translate_final": Action(
        ("final", 1),
        page=Call("post", "recommendations:translate", "translate"),
        api=Call("put", "api-translation", "translate"),
    ),
    "add_translator": Action(
        ("in_review", 1), page=Call("post", "recommendations:translators", "add")
    ),
    "remove_translator": Action(
        ("in_review", 1, "invited"),
        page=Call("post", "recommendations:translators", "remove_translator"),
    ),
    "schema": Action(("draft", 1), api=Call("get", "api-schema")),
    "events": Action(("in_review", 1), api=Call("get", "api-events", {"after": 0})),
    "events_draft": Action(("draft", 1), api=Call("get", "api-events", {"after": 0})),
}

# Expected answer per action, for: lead, co, other, observer, moderator, secretariat, anonymous
# (ok: 200 for reads, a redirect to the recommendation (page) or 200/201 (API) for writes)
EXPECTED = {
    "view_draft": [OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "view_in_review": [OK, OK, OK, OK, OK, OK, LOGIN],
    "list": [OK, OK, OK, OK, OK, OK, LOGIN],
    "create": [OK, OK, OK, DENIED, DENIED, DENIED, LOGIN],
    "edit_page": [OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "edit": [OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "edit_draft": [OK, OK, HIDDEN, HIDDEN, DENIED, HIDDEN, LOGIN],
    "preview": [OK, OK, OK, OK, OK, OK, LOGIN],
    "history": [OK, OK, OK, OK, OK, OK, LOGIN],
    "history_draft": [OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "panels": [OK, OK, OK, OK, OK, OK, LOGIN],
    "panels_draft": [OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "compare": [OK, OK, OK, OK, OK, OK, LOGIN],
    "compare_draft": [OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "restore": [OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "submit": [OK, OK, HIDDEN, HIDDEN, DENIED, HIDDEN, LOGIN],
    "approve": [DENIED, DENIED, DENIED, DENIED, OK, DENIED, LOGIN],
    "reject": [DENIED, DENIED, DENIED, DENIED, OK, DENIED, LOGIN],
    "withdraw": [OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "finalise": [DENIED, DENIED, DENIED, DENIED, DENIED, OK, LOGIN],
    "add_drafter": [OK, DENIED, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "remove_drafter": [OK, DENIED, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "translations": [OK, OK, OK, OK, OK, OK, LOGIN],
    "translations_draft": [OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
    "translation": [OK, OK, OK, OK, OK, OK, LOGIN],
    "translate_page": [OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "translate": [OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "translate_invited": [OK, OK, OK, DENIED, DENIED, DENIED, LOGIN],
    "translate_draft_invited": [OK, OK, OK, HIDDEN, DENIED, HIDDEN, LOGIN],
    "translate_final": [OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "add_translator": [OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "remove_translator": [OK, OK, DENIED, DENIED, DENIED, DENIED, LOGIN],
    "schema": [OK, OK, OK, OK, OK, OK, OK],
    "events": [OK, OK, OK, OK, OK, OK, LOGIN],
    "events_draft": [OK, OK, HIDDEN, HIDDEN, OK, HIDDEN, LOGIN],
}

MATRIX = Matrix(ROLES, ACTIONS, EXPECTED, url_prefixes=("recommendations:", "api-"))


@pytest.fixture
def world(drafter, lead_org, other_org, other_participant, observer, moderator, secretariat):
    co_org = OrganisationFactory(name="Madrid", slug="madrid", country="Spain")
    spare = OrganisationFactory(name="Vienna", slug="vienna", country="Austria")
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
        "spare": spare,
        "other_org": other_org,
    }


def _payload(kind: str, rec: Recommendation, world: dict, api: bool) -> dict[str, Any]:
    if kind == "create":
        return {"title": "New", "theme": rec.theme.slug, "addressed_to": ["city"], "body": "Text"}
    if kind == "edit":
        data = {"base_version": rec.version, "body": rec.body + "\n\nMore.", "title": rec.title}
        if not api:
            data.update(theme=rec.theme.slug, addressed_to=rec.addressed_to, summary="")
        return data
    if kind == "add":
        return {"organisation": world["spare"].slug, "action": "add"}
    if kind == "remove":
        return {"organisation": world["co_org"].slug, "action": "remove"}
    if kind == "remove_translator":
        return {"organisation": world["other_org"].slug, "action": "remove"}
    if kind == "translate":
        current = rec.translations.filter(language="fr").first()
        return {
            "base_version": rec.text_version,
            "translation_version": current.version if current else 0,
            "title": "Guichets d'accueil",
            "body": "Les villes devraient ouvrir un guichet unique.",
            "summary": "",
            "note": "",
        }
    raise ValueError(f"unknown payload {kind!r}")


# The URLs that take no recommendation id.
WITHOUT_ID = {
    "recommendations:list",
    "recommendations:create",
    "recommendations:preview",
    "api-recommendations",
    "api-schema",
}


def _request(world: dict, cell: Cell, action: Action, call: Call) -> Request:
    """A fresh recommendation in the action's state, and the call on it."""
    state, versions, *flags = action.setup
    users = world["users"]
    rec = make_recommendation(
        users["lead"],
        status=state,
        versions=versions,
        co_drafters=[world["co_org"]],
        moderator=users["moderator"],
        secretariat=users["secretariat"],
        title=f"{cell.action} {cell.role}",
    )
    if "invited" in flags:
        translations.add_translator(rec, organisation=world["other_org"], actor=users["lead"])
    if "translated" in flags:
        translations.save_translation(
            rec, actor=users["lead"], language="fr", base_version=1, title="T", body="B"
        )
    data = call.data
    if isinstance(data, str):
        data = _payload(data, rec, world, api=cell.interface == API)
    if call.name in WITHOUT_ID:
        url = reverse(call.name)
    elif call.name == "api-drafter":
        url = reverse(call.name, args=[rec.pk, data["organisation"]])
    elif call.name in {"api-translation", "recommendations:translate"}:
        url = reverse(call.name, args=[rec.pk, "fr"])
    else:
        url = reverse(call.name, args=[rec.pk])
    return Request(url, data)


@pytest.mark.parametrize("row", MATRIX.rows(), ids=str)
def test_matrix(world, row: Row):
    MATRIX.check(row, world["users"], functools.partial(_request, world))


def test_denied_writes_change_nothing(world):
    rec = make_recommendation(world["users"]["lead"], status="in_review")
    client = client_for(world["users"]["other"])
    approve = reverse("recommendations:approve", args=[rec.pk])
    send(client, PAGE, "post", Request(approve, {"version": 1}))
    withdraw = reverse("recommendations:withdraw", args=[rec.pk])
    send(client, PAGE, "post", Request(withdraw, {"reason": "x"}))
    edit = reverse("api-recommendation", args=[rec.pk])
    send(client, API, "patch", Request(edit, {"base_version": 1, "body": "hijacked"}))
    fresh = Recommendation.objects.get(pk=rec.pk)
    assert (fresh.status, fresh.version, fresh.body) == (rec.status, 1, rec.body)


def test_another_organisations_draft_answers_like_a_missing_one(world):
    rec = make_recommendation(world["users"]["lead"])
    client = client_for(world["users"]["other"])
    missing = Recommendation.objects.order_by("-pk").first().pk + 1000
    for interface, name in (
        (PAGE, "recommendations:detail"),
        (PAGE, "recommendations:history"),
        (API, "api-recommendation"),
        (API, "api-versions"),
    ):
        hidden, absent = (reverse(name, args=[pk]) for pk in (rec.pk, missing))
        assert_hidden_like_missing(client, interface, hidden, absent)


def test_every_url_is_in_the_matrix():
    MATRIX.assert_covers_every_url()
