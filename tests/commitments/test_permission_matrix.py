"""The role x action matrix of docs/permissions.md, section "Commitments, follow-up and
organisation pages", on the page and the API (the WebSocket column: test_live.py).

"hidden" (404): "as if it did not exist"; "denied" (403): "may see it, may not do this";
"conflict" (409): not in this state; "login": the page redirects to the login page, the API
answers "credentials were not provided". Any URL named ``commitments:*`` or ``cm-api-*``
missing from the matrix fails ``test_every_commitments_url_is_in_the_matrix``.
"""

from __future__ import annotations

import functools
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from commitments import services
from commitments.models import Commitment, OrganisationPage, ProgressUpdate
from tests.commitments.helpers import commit, later
from tests.factories import make_recommendation, member_of
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
    client_for,
    send,
    state_for,
)
from tests.publication.helpers import approve_latest, approved, final, new_version, publish

pytestmark = pytest.mark.django_db

ROLES = ["rep", "member", "lead", "observer", "moderator", "secretariat", "anonymous"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(drafter, other_org, other_representative, observer, moderator, secretariat):
    return {
        "users": {
            "rep": other_representative,
            "member": member_of(other_org, "tunis-member"),
            "lead": drafter,
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


def _published(world, title):
    users = world["users"]
    rec = final(users["lead"], users["moderator"], users["secretariat"], title=title)
    c = commit(rec, world["org"], users["rep"])
    update = services.post_progress(c, actor=users["rep"], status="in_progress")
    publish(users["secretariat"], title=title)
    return {"rec": rec, "commitment": c, "update": update}


def _private(world, title):
    state = _approved(world, title)
    state["commitment"] = commit(state["rec"], world["org"], world["users"]["rep"], is_public=False)
    return state


def _committed(world, title):
    state = _approved(world, title)
    state["commitment"] = commit(state["rec"], world["org"], world["users"]["rep"])
    return state


def _older(world, title):
    users = world["users"]
    state = _committed(world, title)
    approve_latest(new_version(state["rec"], users["lead"]), users["moderator"])
    return state


def _with_logo(world, title):
    out = io.BytesIO()
    Image.new("RGB", (20, 20)).save(out, "PNG")
    services.save_page(
        world["org"],
        actor=world["users"]["rep"],
        description="",
        logo=SimpleUploadedFile("l.png", out.getvalue()),
    )
    return {}


def _nothing(world, title):
    return {}


COMMIT = {"organisation": "tunis", "action": "Act.", "target_date": later().isoformat()}
PROGRESS = {"status": "in_progress", "note": "Started."}
EDIT = {
    "action": "Open two welcome desks.",
    "target_date": later(300).isoformat(),
    "indicator": "Desks open",
    "indicator_unit": "desks",
    "target_value": "2",
}
PAGE_EDIT = {"description": "About us."}
PROFILE = {"section": "origins", "text": "Students and workers.", "publish": "on"}
PILOT = {"title": "Pilot", "summary": "Summary.", "theme": "theme-for-pilot", "publish": "on"}

# action: Action(state, page call, API call); ``target``: "rec", "commitment", "update"
# (the commitment and its update), "org" (tunis), "org+section", None.
ACTIONS = {
    "commit": Action(
        _approved,
        page=Call("post", "commitments:commit", COMMIT, "rec"),
        api=Call("post", "cm-api-recommendation-commitments", COMMIT, "rec"),
    ),
    "commit_draft": Action(
        _draft,
        page=Call("post", "commitments:commit", COMMIT, "rec"),
        api=Call("post", "cm-api-recommendation-commitments", COMMIT, "rec"),
    ),
    "list_published": Action(
        _published, api=Call("get", "cm-api-recommendation-commitments", None, "rec")
    ),
    "list_unpublished": Action(
        _committed, api=Call("get", "cm-api-recommendation-commitments", None, "rec")
    ),
    "followup_recommendation": Action(
        _published, page=Call("get", "commitments:followup_recommendation", None, "rec")
    ),
    "followup_unpublished": Action(
        _committed, page=Call("get", "commitments:followup_recommendation", None, "rec")
    ),
    "read_public": Action(
        _published,
        page=Call("get", "commitments:detail", None, "commitment"),
        api=Call("get", "cm-api-commitment", None, "commitment"),
    ),
    "read_unpublished": Action(
        _committed,
        page=Call("get", "commitments:detail", None, "commitment"),
        api=Call("get", "cm-api-commitment", None, "commitment"),
    ),
    "read_private": Action(
        _private,
        page=Call("get", "commitments:detail", None, "commitment"),
        api=Call("get", "cm-api-commitment", None, "commitment"),
    ),
    "change": Action(
        _committed,
        page=Call("post", "commitments:visibility", {}, "commitment"),
        api=Call("patch", "cm-api-commitment", {"is_public": False}, "commitment"),
    ),
    "edit": Action(
        _committed,
        page=Call("post", "commitments:edit", EDIT, "commitment"),
    ),
    "reconfirm": Action(
        _older,
        page=Call("post", "commitments:reconfirm", {}, "commitment"),
        api=Call("patch", "cm-api-commitment", {"reconfirm": True}, "commitment"),
    ),
    "progress": Action(
        _committed,
        page=Call("post", "commitments:progress", PROGRESS, "commitment"),
        api=Call("post", "cm-api-progress", PROGRESS, "commitment"),
    ),
    "verify": Action(_published, page=Call("post", "commitments:verify", {}, "update")),
    "request_update": Action(
        _committed, page=Call("post", "commitments:request_update", {}, "commitment")
    ),
    "followup": Action(
        _published,
        page=Call("get", "commitments:followup"),
        api=Call("get", "cm-api-followup"),
    ),
    "csv": Action(_published, api=Call("get", "cm-api-csv")),
    "organisation": Action(
        _published,
        page=Call("get", "commitments:organisation", None, "org"),
        api=Call("get", "cm-api-organisation", None, "org"),
    ),
    "logo": Action(_with_logo, page=Call("get", "commitments:logo", None, "org")),
    "profile_history": Action(
        _nothing, page=Call("get", "commitments:profile_history", None, "org+section")
    ),
    "edit_page_form": Action(
        _nothing, page=Call("get", "commitments:organisation_edit", None, "org")
    ),
    "edit_page": Action(
        _nothing, page=Call("post", "commitments:organisation_edit", PAGE_EDIT, "org")
    ),
    "profile": Action(_nothing, page=Call("post", "commitments:profile", PROFILE, "org")),
    "pilot": Action(_nothing, page=Call("post", "commitments:pilot", PILOT, "org")),
}

# Expected answer for: rep, member, lead, observer, moderator, secretariat, anonymous
ONLY_REP = [OK, DENIED, DENIED, DENIED, DENIED, DENIED, LOGIN]
EVERYONE = [OK] * 7
PARTICIPANTS = [OK] * 6 + [HIDDEN]
EXPECTED = {
    "commit": ONLY_REP,
    "commit_draft": [HIDDEN, HIDDEN, DENIED, HIDDEN, DENIED, HIDDEN, LOGIN],
    "list_published": EVERYONE,
    "list_unpublished": PARTICIPANTS,
    "followup_recommendation": EVERYONE,
    "followup_unpublished": PARTICIPANTS,
    "read_public": EVERYONE,
    "read_unpublished": PARTICIPANTS,
    "read_private": [OK, OK, HIDDEN, HIDDEN, OK, OK, HIDDEN],
    "change": ONLY_REP,
    "edit": ONLY_REP,
    "reconfirm": ONLY_REP,
    "progress": ONLY_REP,
    "verify": [DENIED, DENIED, DENIED, DENIED, DENIED, OK, LOGIN],
    "request_update": [DENIED, DENIED, DENIED, DENIED, DENIED, OK, LOGIN],
    "followup": EVERYONE,
    "csv": EVERYONE,
    "organisation": EVERYONE,
    "logo": EVERYONE,
    "profile_history": EVERYONE,
    "edit_page_form": ONLY_REP,
    "edit_page": ONLY_REP,
    "profile": ONLY_REP,
    "pilot": ONLY_REP,
}

MATRIX = Matrix(ROLES, ACTIONS, EXPECTED, url_prefixes=("commitments:", "cm-api-"))


def _url(name: str, target: str | None, state: dict) -> str:
    if target == "rec":
        return reverse(name, args=[state["rec"].pk])
    if target == "commitment":
        return reverse(name, args=[state["commitment"].pk])
    if target == "update":
        return reverse(name, args=[state["commitment"].pk, state["update"].pk])
    if target == "org":
        return reverse(name, args=["tunis"])
    if target == "org+section":
        return reverse(name, args=["tunis", "origins"])
    return reverse(name)


def _request(world: dict, cell: Cell, action: Action, call: Call) -> Request:
    state = state_for(world, cell, action, call)
    return Request(_url(call.name, call.target, state), call.data)


@pytest.mark.parametrize("row", MATRIX.rows(), ids=str)
def test_matrix(world, row: Row):
    from tests.factories import ThemeFactory

    ThemeFactory(slug="theme-for-pilot", name="Theme for the pilot")
    MATRIX.check(row, world["users"], functools.partial(_request, world))


def test_denied_writes_change_nothing(world):
    users = world["users"]
    state = _committed(world, "Committed")
    c = state["commitment"]
    for role in ("member", "lead", "observer", "moderator"):
        client = client_for(users[role])
        send(client, PAGE, "post", Request(reverse("commitments:progress", args=[c.pk]), PROGRESS))
        send(client, API, "post", Request(reverse("cm-api-progress", args=[c.pk]), PROGRESS))
        send(
            client,
            API,
            "patch",
            Request(reverse("cm-api-commitment", args=[c.pk]), {"action": "Hijacked"}),
        )
        send(
            client,
            PAGE,
            "post",
            Request(reverse("commitments:organisation_edit", args=["tunis"]), PAGE_EDIT),
        )
    c.refresh_from_db()
    assert c.action == "Act." or c.action.startswith("Open a welcome desk")
    assert not ProgressUpdate.objects.exists()
    assert not OrganisationPage.objects.exists()
    assert Commitment.objects.count() == 1


def test_every_commitments_url_is_in_the_matrix():
    MATRIX.assert_covers_every_url()
