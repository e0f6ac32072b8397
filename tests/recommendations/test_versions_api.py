"""The versions API answers exactly as it did when the history had its own table.

Pinned on the code before the history moved into django-reversion: same fields, values, order
and status codes. The clock and the paragraph keys are made deterministic so that the whole
JSON can be written out.
"""

from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

import text.blocks
from recommendations import services
from tests.factories import BODY, UserFactory, make_recommendation, member_of

pytestmark = pytest.mark.django_db

START = datetime(2017, 11, 7, 8, 0, tzinfo=UTC)


class Clock:
    """``timezone.now`` that only moves when the test says so."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def at(self, minutes: int) -> None:
        self.now = START + timedelta(minutes=minutes)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    keys = count(1)
    monkeypatch.setattr(text.blocks, "new_key", lambda: f"p-{next(keys):04d}")
    return clock


def _history_with_a_merge_and_a_restore(clock, drafter, other_org, moderator):
    """v1 created; v2 by a co-drafter; v3 a stale edit merged with v2; submitted and v3
    approved (no new versions); v4 restores v1; v5 changes the title."""
    tunis_member = member_of(other_org, "tunis-member")
    clock.at(0)
    rec = make_recommendation(drafter)
    clock.at(5)
    services.add_co_drafter(rec, organisation=other_org, actor=drafter)
    paragraphs = BODY.split("\n\n")
    clock.at(10)
    services.edit_recommendation(
        rec,
        actor=tunis_member,
        base_version=1,
        body="\n\n".join([*paragraphs[:2], paragraphs[2] + " For five years."]),
        summary="Welcome points in every city.",
        note="Funding for five years",
    )
    clock.at(20)
    services.edit_recommendation(
        rec,
        actor=drafter,
        base_version=1,
        body="\n\n".join([paragraphs[0] + " Today.", *paragraphs[1:]]),
    )
    clock.at(30)
    services.submit_for_review(rec, actor=drafter)
    clock.at(40)
    services.approve_version(rec, version=3, actor=moderator)
    clock.at(50)
    services.restore_version(rec, actor=drafter, version=1)
    clock.at(60)
    rec = services.edit_recommendation(
        rec, actor=drafter, base_version=4, title="Welcome points for all", note="Title"
    ).recommendation
    return rec


P1 = "<p>Cities should open a single welcome point.</p>"
P1_TODAY = "<p>Cities should open a single welcome point. Today.</p>"
P2 = "<p>The welcome point should work in the main languages of arrival.</p>"
P3 = "<p>National governments should fund these points.</p>"
P3_LONGER = "<p>National governments should fund these points. For five years.</p>"
BODY_V2 = BODY + " For five years."
BODY_V3 = BODY.replace("welcome point.", "welcome point. Today.") + " For five years."


def _paragraphs(*html):
    return [{"key": f"p-{n:04d}", "html": h} for n, h in enumerate(html, start=1)]


EXPECTED = [
    {
        "version": 5,
        "title": "Welcome points for all",
        "summary": "",
        "body": BODY,
        "body_html": P1 + P2 + P3,
        "paragraphs": _paragraphs(P1, P2, P3),
        "author": "drafter",
        "organisation": "lisbon",
        "note": "Title",
        "restored_from": None,
        "merged_with": None,
        "created_at": "2017-11-07T09:00:00Z",
    },
    {
        "version": 4,
        "title": "Welcome points",
        "summary": "",
        "body": BODY,
        "body_html": P1 + P2 + P3,
        "paragraphs": _paragraphs(P1, P2, P3),
        "author": "drafter",
        "organisation": "lisbon",
        "note": "Restored version 1",
        "restored_from": 1,
        "merged_with": None,
        "created_at": "2017-11-07T08:50:00Z",
    },
    {
        "version": 3,
        "title": "Welcome points",
        "summary": "Welcome points in every city.",
        "body": BODY_V3,
        "body_html": P1_TODAY + P2 + P3_LONGER,
        "paragraphs": _paragraphs(P1_TODAY, P2, P3_LONGER),
        "author": "drafter",
        "organisation": "lisbon",
        "note": "Merged with version 2",
        "restored_from": None,
        "merged_with": 2,
        "created_at": "2017-11-07T08:20:00Z",
    },
    {
        "version": 2,
        "title": "Welcome points",
        "summary": "Welcome points in every city.",
        "body": BODY_V2,
        "body_html": P1 + P2 + P3_LONGER,
        "paragraphs": _paragraphs(P1, P2, P3_LONGER),
        "author": "tunis-member",
        "organisation": "tunis",
        "note": "Funding for five years",
        "restored_from": None,
        "merged_with": None,
        "created_at": "2017-11-07T08:10:00Z",
    },
    {
        "version": 1,
        "title": "Welcome points",
        "summary": "",
        "body": BODY,
        "body_html": P1 + P2 + P3,
        "paragraphs": _paragraphs(P1, P2, P3),
        "author": "drafter",
        "organisation": "lisbon",
        "note": "First draft",
        "restored_from": None,
        "merged_with": None,
        "created_at": "2017-11-07T08:00:00Z",
    },
]


def test_versions_api_answers_the_whole_history_newest_first(clock, drafter, other_org, moderator):
    rec = _history_with_a_merge_and_a_restore(clock, drafter, other_org, moderator)
    api = APIClient()
    api.force_authenticate(drafter)
    response = api.get(f"/api/recommendations/{rec.pk}/versions/")
    assert response.status_code == 200
    assert response.json() == EXPECTED
    # Field order too: clients that print the JSON see the same document.
    assert [list(v) for v in response.json()] == [list(v) for v in EXPECTED]


def test_versions_api_answers_the_same_to_every_participant_who_sees_it(
    clock, drafter, other_org, moderator
):
    rec = _history_with_a_merge_and_a_restore(clock, drafter, other_org, moderator)
    api = APIClient()
    for user in (UserFactory(username="observer"), moderator):
        api.force_authenticate(user)
        response = api.get(f"/api/recommendations/{rec.pk}/versions/")
        assert (response.status_code, response.json()) == (200, EXPECTED)


def test_versions_api_status_codes(clock, drafter, observer):
    draft = make_recommendation(drafter)
    api = APIClient()
    assert api.get(f"/api/recommendations/{draft.pk}/versions/").status_code == 401
    api.force_authenticate(observer)
    assert api.get(f"/api/recommendations/{draft.pk}/versions/").status_code == 404
    assert api.get(f"/api/recommendations/{draft.pk + 1}/versions/").status_code == 404
    api.force_authenticate(drafter)
    assert api.get(f"/api/recommendations/{draft.pk}/versions/").status_code == 200
    assert api.get(f"/api/recommendations/{draft.pk + 1}/versions/").status_code == 404
