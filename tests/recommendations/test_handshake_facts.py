"""What a handshake on a recommendation reads (``subscriptions.follow_recommendation``): a
submitted text is remembered by the process (a submission is never undone), so following it
again reads no recommendation row and no role; a draft is read each time, so a right taken
away is seen at the next handshake; an inactive person follows nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations import services
from recommendations.subscriptions import follow_recommendation
from tests.factories import make_recommendation

pytestmark = pytest.mark.django_db


def _follow(user, rec, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        result = follow_recommendation(user.pk, rec.pk, user=user, **kwargs)
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    return result, len(ctx), tables


def test_a_submitted_text_is_read_once_per_process(drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    first, first_queries, _ = _follow(other_participant, rec)
    again, again_queries, tables = _follow(other_participant, rec)
    assert first is not None and again is not None
    assert again == first
    assert again_queries < first_queries
    assert 'FROM "recommendations_recommendation" ' not in tables  # no row of the text
    assert "auth_group" not in tables  # no role read either: every event goes to everyone


def test_the_label_still_names_the_drafting_organisation(drafter, lead_org):
    rec = make_recommendation(drafter, status="in_review")
    _follow(drafter, rec)
    again, _n, _t = _follow(drafter, rec)
    assert again["info"]["organisation"] == lead_org.name


def test_a_draft_is_read_every_time_so_a_removed_drafter_is_refused(
    drafter, other_participant, other_org
):
    rec = make_recommendation(drafter, co_drafters=[other_org])
    assert _follow(other_participant, rec)[0] is not None
    services.remove_co_drafter(rec, organisation=other_org, actor=drafter)
    assert _follow(other_participant, rec)[0] is None


def test_an_inactive_person_follows_nothing_even_a_remembered_text(drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    assert _follow(other_participant, rec)[0] is not None
    other_participant.is_active = False
    other_participant.save(update_fields=["is_active"])
    assert follow_recommendation(other_participant.pk, rec.pk) is None
    assert follow_recommendation(other_participant.pk, rec.pk, user=other_participant) is None


def test_deciding_the_drafters_events_always_reads_the_rights(drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    _follow(other_participant, rec)
    decided, _n, _t = _follow(other_participant, rec, decide_all_events=True)
    assert decided["all_events"] is False
    mine, _n, _t = _follow(drafter, rec, decide_all_events=True)
    assert mine["all_events"] is True
