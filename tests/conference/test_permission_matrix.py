"""Who may do what with the conference (docs/permissions.md, section "The conference"),
checked on every page and API endpoint; a URL named ``conference:*`` or ``conf-api-*`` missing
from the table fails the suite."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from conference import services
from tests.matrix import (
    DENIED,
    INVALID,
    LOGIN,
    OK,
    Action,
    Call,
    Cell,
    Matrix,
    Request,
    Row,
    state_for,
)

from .helpers import make_conference

pytestmark = pytest.mark.django_db

ROLES = ["member", "representative", "observer", "moderator", "secretariat", "anonymous"]


@pytest.fixture
def world(drafter, representative, observer, moderator, secretariat):
    return {
        "users": {
            "member": drafter,
            "representative": representative,
            "observer": observer,
            "moderator": moderator,
            "secretariat": secretariat,
            "anonymous": None,
        },
        "secretariat": secretariat,
    }


def _conference(world, title):
    conference = make_conference(world["secretariat"])
    session = services.save_session(
        None,
        actor=world["secretariat"],
        conference=conference,
        title=title,
        starts_at=datetime(2017, 11, 7, 8, tzinfo=UTC),
        ends_at=datetime(2017, 11, 7, 9, tzinfo=UTC),
    )
    return {"session": session}


GOOD = {"drafting_closes_at": "2030-01-10T18:00", "endorsement_closes_at": "2030-01-20T18:00"}
BAD = {"drafting_closes_at": "2030-01-20T18:00", "endorsement_closes_at": "2030-01-10T18:00"}

ACTIONS = {
    "read_conference": Action(
        _conference,
        page=Call("get", "conference:detail"),
        api=Call("get", "conf-api-conference"),
    ),
    "set_deadlines": Action(_conference, page=Call("post", "conference:detail", GOOD)),
    "set_deadlines_wrong_order": Action(_conference, page=Call("post", "conference:detail", BAD)),
    "read_programme": Action(
        _conference,
        page=Call("get", "conference:programme"),
        api=Call("get", "conf-api-programme"),
    ),
    "read_session": Action(_conference, page=Call("get", "conference:session", None, "session")),
    "programme_calendar": Action(_conference, page=Call("get", "conference:programme-ics")),
    "session_calendar": Action(
        _conference, page=Call("get", "conference:session-ics", None, "session")
    ),
    "overview": Action(
        _conference,
        page=Call("get", "conference:overview"),
        api=Call("get", "conf-api-overview"),
    ),
}

# Expected answer per action for: member, representative, observer, moderator, secretariat,
# anonymous
EXPECTED = {
    "read_conference": [OK] * 6,
    "set_deadlines": [DENIED, DENIED, DENIED, DENIED, OK, DENIED],
    "set_deadlines_wrong_order": [DENIED, DENIED, DENIED, DENIED, INVALID, DENIED],
    "read_programme": [OK] * 6,
    "read_session": [OK] * 6,
    "programme_calendar": [OK] * 6,
    "session_calendar": [OK] * 6,
    "overview": [OK, OK, OK, OK, OK, LOGIN],
}

MATRIX = Matrix(ROLES, ACTIONS, EXPECTED, url_prefixes=("conference:", "conf-api-"))


def _request(world: dict, cell: Cell, action: Action, call: Call) -> Request:
    state = state_for(world, cell, action, call)
    if call.target == "session":
        return Request(reverse(call.name, args=[state["session"].pk]), call.data)
    return Request(reverse(call.name), call.data)


@pytest.mark.parametrize("row", MATRIX.rows(), ids=str)
def test_matrix(world, row: Row):
    MATRIX.check(row, world["users"], functools.partial(_request, world))


def test_every_conference_url_is_in_the_matrix():
    MATRIX.assert_covers_every_url()
