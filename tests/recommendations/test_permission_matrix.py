"""The role x action matrix of docs/permissions.md, for pages and API alike.

Each row: an action, the state the recommendation is in, how to call it on each interface, and
the answer each role gets. 404 means "as if it did not exist" (may not see it), 403 "may see
it but not do this", "login" a redirect to the login page. Any URL of the recommendations
app missing from this matrix fails ``test_every_url_is_in_the_matrix``.
"""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver, reverse

from recommendations.models import Recommendation
from tests.factories import make_recommendation, member_of
from tests.helpers import url_names

pytestmark = pytest.mark.django_db

ROLES = ["lead", "co", "other", "observer", "moderator", "secretariat", "anonymous"]

# action: (state, versions, page (method, url name, data) | None, api (method, url name, data) | None)
ACTIONS = {
    "view_draft": (
        "draft",
        1,
        ("get", "recommendations:detail", None),
        ("get", "api-recommendation", None),
    ),
    "view_in_review": (
        "in_review",
        1,
        ("get", "recommendations:detail", None),
        ("get", "api-recommendation", None),
    ),
    "list": (
        "in_review",
        1,
        ("get", "recommendations:list", None),
        ("get", "api-recommendations", None),
    ),
    "create": (
        "draft",
        1,
        ("post", "recommendations:create", "create"),
        ("post", "api-recommendations", "create"),
    ),
    "edit_page": ("in_review", 1, ("get", "recommendations:edit", None), None),
    "edit": (
        "in_review",
        1,
        ("post", "recommendations:edit", "edit"),
        ("patch", "api-recommendation", "edit"),
    ),
    "edit_draft": (
        "draft",
        1,
        ("post", "recommendations:edit", "edit"),
        ("patch", "api-recommendation", "edit"),
    ),
    "preview": ("draft", 1, ("post", "recommendations:preview", {"body": "*x*"}), None),
    "history": (
        "in_review",
        2,
        ("get", "recommendations:history", None),
        ("get", "api-versions", None),
    ),
    "history_draft": (
        "draft",
        2,
        ("get", "recommendations:history", None),
        ("get", "api-versions", None),
    ),
    "compare": (
        "in_review",
        2,
        ("get", "recommendations:compare", "?from=1&to=2"),
        ("get", "api-diff", "?from=1&to=2"),
    ),
    "compare_draft": (
        "draft",
        2,
        ("get", "recommendations:compare", "?from=1&to=2"),
        ("get", "api-diff", "?from=1&to=2"),
    ),
    "restore": (
        "in_review",
        2,
        ("post", "recommendations:restore", {"version": 1}),
        ("post", "api-restore", {"version": 1}),
    ),
    "submit": ("draft", 1, ("post", "recommendations:submit", {}), ("post", "api-submit", {})),
    "approve": (
        "in_review",
        1,
        ("post", "recommendations:approve", {"version": 1}),
        ("post", "api-approve", {"version": 1}),
    ),
    "reject": (
        "in_review",
        1,
        ("post", "recommendations:reject", {"reason": "No"}),
        ("post", "api-reject", {"reason": "No"}),
    ),
    "withdraw": (
        "in_review",
        1,
        ("post", "recommendations:withdraw", {"reason": "Done"}),
        ("post", "api-withdraw", {"reason": "Done"}),
    ),
    "finalise": (
        "approved",
        1,
        ("post", "recommendations:finalise", {}),
        ("post", "api-finalise", {}),
    ),
    "add_drafter": (
        "in_review",
        1,
        ("post", "recommendations:drafters", "add"),
        ("post", "api-drafters", "add"),
    ),
    "remove_drafter": (
        "in_review",
        1,
        ("post", "recommendations:drafters", "remove"),
        ("delete", "api-drafter", "remove"),
    ),
    "schema": ("draft", 1, None, ("get", "api-schema", None)),
    "events": ("in_review", 1, None, ("get", "api-events", "?after=0")),
    "events_draft": ("draft", 1, None, ("get", "api-events", "?after=0")),
}

OK = "ok"  # 200 for reads, a redirect to the recommendation (page) or 200/201 (API) for writes
# Expected answer per action, for: lead, co, other, observer, moderator, secretariat, anonymous
EXPECTED = {
    "view_draft": [OK, OK, 404, 404, OK, 404, "login"],
    "view_in_review": [OK, OK, OK, OK, OK, OK, "login"],
    "list": [OK, OK, OK, OK, OK, OK, "login"],
    "create": [OK, OK, OK, 403, 403, 403, "login"],
    "edit_page": [OK, OK, 403, 403, 403, 403, "login"],
    "edit": [OK, OK, 403, 403, 403, 403, "login"],
    "edit_draft": [OK, OK, 404, 404, 403, 404, "login"],
    "preview": [OK, OK, OK, OK, OK, OK, "login"],
    "history": [OK, OK, OK, OK, OK, OK, "login"],
    "history_draft": [OK, OK, 404, 404, OK, 404, "login"],
    "compare": [OK, OK, OK, OK, OK, OK, "login"],
    "compare_draft": [OK, OK, 404, 404, OK, 404, "login"],
    "restore": [OK, OK, 403, 403, 403, 403, "login"],
    "submit": [OK, OK, 404, 404, 403, 404, "login"],
    "approve": [403, 403, 403, 403, OK, 403, "login"],
    "reject": [403, 403, 403, 403, OK, 403, "login"],
    "withdraw": [OK, OK, 403, 403, 403, 403, "login"],
    "finalise": [403, 403, 403, 403, 403, OK, "login"],
    "add_drafter": [OK, 403, 403, 403, 403, 403, "login"],
    "remove_drafter": [OK, 403, 403, 403, 403, 403, "login"],
    "schema": [OK, OK, OK, OK, OK, OK, OK],
    "events": [OK, OK, OK, OK, OK, OK, "login"],
    "events_draft": [OK, OK, 404, 404, OK, 404, "login"],
}


@pytest.fixture
def world(drafter, lead_org, other_participant, observer, moderator, secretariat):
    from tests.factories import OrganisationFactory

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
    }


def _payload(kind, rec, world, api):
    if kind == "create":
        data = {"title": "New", "theme": rec.theme.slug, "addressed_to": ["city"], "body": "Text"}
        return data
    if kind == "edit":
        data = {"base_version": rec.version, "body": rec.body + "\n\nMore.", "title": rec.title}
        if not api:
            data.update(theme=rec.theme.slug, addressed_to=rec.addressed_to, summary="")
        return data
    if kind == "add":
        return {"organisation": world["spare"].slug, "action": "add"}
    if kind == "remove":
        return {"organisation": world["co_org"].slug, "action": "remove"}
    return kind


def _call(client, interface, spec, rec, world):
    method, name, data = spec
    query = ""
    if isinstance(data, str) and data.startswith("?"):
        query, data = data, None
    payload = _payload(data, rec, world, interface == "api") if isinstance(data, str) else data
    if name in (
        "recommendations:list",
        "recommendations:create",
        "recommendations:preview",
        "api-recommendations",
        "api-schema",
    ):
        url = reverse(name)
    elif name == "api-drafter":
        url = reverse(name, args=[rec.pk, payload["organisation"]])
    else:
        url = reverse(name, args=[rec.pk])
    url += query
    if interface == "api":
        return getattr(client, method)(url, payload, content_type="application/json")
    return getattr(client, method)(url, payload or {})


def _outcome(response, interface, method):
    code = response.status_code
    if interface == "page" and code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    if (
        interface == "api"
        and code in (401, 403)
        and "credentials were not provided" in response.content.decode()
    ):
        return "login"
    if code in (403, 404):
        return code
    if interface == "page":
        return OK if code in (200, 302) else code
    return OK if code in (200, 201) else code


# Only the cells that exist: an action without a page (or an API) has no cell there.
CELLS = [
    (action, interface)
    for action, spec in ACTIONS.items()
    for interface, call in (("page", spec[2]), ("api", spec[3]))
    if call is not None
]


@pytest.mark.parametrize(("action", "interface"), CELLS)
def test_matrix(client, world, action, interface):
    state, versions, page, api = ACTIONS[action]
    spec = page if interface == "page" else api
    results = {}
    for role, expected in zip(ROLES, EXPECTED[action], strict=True):
        rec = make_recommendation(
            world["users"]["lead"],
            status=state,
            versions=versions,
            co_drafters=[world["co_org"]],
            moderator=world["users"]["moderator"],
            secretariat=world["users"]["secretariat"],
            title=f"{action} {role}",
        )
        client.logout()
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        response = _call(client, interface, spec, rec, world)
        results[role] = (_outcome(response, interface, spec[0]), expected)
    wrong = {role: got for role, (got, expected) in results.items() if got != expected}
    assert not wrong, f"{action} on {interface}: got {results}"


def test_denied_writes_change_nothing(client, world):
    rec = make_recommendation(world["users"]["lead"], status="in_review")
    client.force_login(world["users"]["other"])
    client.post(reverse("recommendations:approve", args=[rec.pk]), {"version": 1})
    client.post(reverse("recommendations:withdraw", args=[rec.pk]), {"reason": "x"})
    client.patch(
        reverse("api-recommendation", args=[rec.pk]),
        {"base_version": 1, "body": "hijacked"},
        content_type="application/json",
    )
    fresh = Recommendation.objects.get(pk=rec.pk)
    assert (fresh.status, fresh.version, fresh.body) == (rec.status, 1, rec.body)


def test_another_organisations_draft_answers_like_a_missing_one(client, world):
    rec = make_recommendation(world["users"]["lead"])
    client.force_login(world["users"]["other"])
    missing = Recommendation.objects.order_by("-pk").first().pk + 1000
    for name in (
        "recommendations:detail",
        "recommendations:history",
        "api-recommendation",
        "api-versions",
    ):
        hidden = client.get(reverse(name, args=[rec.pk]))
        absent = client.get(reverse(name, args=[missing]))
        assert hidden.status_code == absent.status_code == 404
        assert _normalise(hidden.content) == _normalise(absent.content)


def _normalise(content: bytes) -> bytes:
    """The answer without what differs per request anyway (the CSRF token, the path)."""
    content = re.sub(rb'name="csrf-token" content="[^"]*"', b"", content)
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)
    return re.sub(rb'name="next" type="hidden" value="[^"]*"', b"", content)


def test_every_url_is_in_the_matrix():
    covered = set()
    for page, api in ((a[2], a[3]) for a in ACTIONS.values()):
        for spec in (page, api):
            if spec:
                covered.add(spec[1])
    names = set()
    resolver = get_resolver()
    for pattern in resolver.url_patterns:
        for name in url_names(pattern):
            if name.startswith("recommendations:") or name.startswith("api-"):
                names.add(name)
    missing = names - covered
    assert not missing, f"not in the permission matrix: {sorted(missing)}"
