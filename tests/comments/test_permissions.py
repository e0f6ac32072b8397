"""The rules of ``comments/permissions.py`` asked directly: what the page offers on a comment
(edit, reply, resolve, reopen, respond, report, hide, restore). The services and the matrix
(test_permission_matrix.py) check the same rules through writes; refusals first here too."""

from __future__ import annotations

import pytest

from comments import anchors, services
from comments import permissions as perms
from comments.display import Viewer, node_for
from comments.models import Comment
from recommendations import services as rec_services
from recommendations.models import Recommendation
from tests.factories import OrganisationFactory, make_recommendation, member_of

pytestmark = pytest.mark.django_db

RIGHTS = ("edit", "reply", "resolve", "reopen", "respond", "report", "hide", "restore")


@pytest.fixture
def rec(drafter):
    return make_recommendation(drafter, status="in_review")


@pytest.fixture
def comment(rec, other_participant):
    return services.post_comment(rec, actor=other_participant, body="Open it in the evening too.")


def fresh(comment: Comment) -> Comment:
    return Comment.objects.for_display().get(pk=comment.pk)


def hidden(comment: Comment, moderator) -> Comment:
    services.hide_comment(comment, actor=moderator, reason="Off topic")
    return fresh(comment)


def closed(rec: Recommendation, moderator, secretariat) -> Recommendation:
    rec = rec_services.approve_version(rec, version=rec.version, actor=moderator)
    return rec_services.finalise_recommendation(rec, actor=secretariat)


def rights(user, comment: Comment, rec: Recommendation) -> dict[str, bool]:
    """Every right, each worked out from scratch (no fact handed in)."""
    return {
        "edit": perms.can_edit(user, comment, rec),
        "reply": perms.can_reply(user, comment, rec),
        "resolve": perms.can_resolve(user, comment, rec),
        "reopen": perms.can_reopen(user, comment, rec),
        "respond": perms.can_respond(user, comment, rec),
        "report": perms.can_report(user, comment, rec),
        "hide": perms.can_hide(user, comment),
        "restore": perms.can_restore(user, comment),
    }


# --- edit ------------------------------------------------------------------------------------
def test_nobody_but_its_author_may_edit_a_comment(
    rec, comment, drafter, observer, moderator, secretariat, anonymous, other_participant
):
    for user in (drafter, observer, moderator, secretariat, anonymous):
        assert not perms.can_edit(user, comment, rec), user
    assert perms.can_edit(other_participant, comment, rec)


def test_its_author_may_not_edit_a_hidden_comment(rec, comment, other_participant, moderator):
    assert not perms.can_edit(other_participant, hidden(comment, moderator), rec)


def test_its_author_may_not_edit_once_the_text_is_closed(
    rec, comment, other_participant, moderator, secretariat
):
    assert not perms.can_edit(other_participant, comment, closed(rec, moderator, secretariat))


def test_an_inactive_author_may_not_edit(rec, comment, other_participant):
    other_participant.is_active = False
    assert not perms.can_edit(other_participant, comment, rec)


# --- reply -----------------------------------------------------------------------------------
def test_nobody_may_reply_to_a_hidden_comment(
    rec, comment, drafter, other_participant, observer, moderator
):
    comment = hidden(comment, moderator)
    for user in (drafter, other_participant, observer, moderator):
        assert not perms.can_reply(user, comment, rec), user
        assert not perms.can_reply(user, comment, rec, may_comment=True), user


def test_nobody_may_reply_once_the_text_is_closed(
    rec, comment, drafter, other_participant, moderator, secretariat
):
    rec = closed(rec, moderator, secretariat)
    for user in (drafter, other_participant, moderator, secretariat):
        assert not perms.can_reply(user, comment, rec), user


def test_on_a_draft_only_drafters_may_reply(drafter, moderator, observer, anonymous):
    co_org = OrganisationFactory(name="Madrid", slug="madrid", country="Spain")
    co = member_of(co_org, "co-drafter")
    rec = make_recommendation(drafter, co_drafters=[co_org])
    comment = services.post_comment(rec, actor=co, body="Say who pays.")
    for user in (moderator, observer, anonymous):
        assert not perms.can_reply(user, comment, rec), user
    assert perms.can_reply(drafter, comment, rec) and perms.can_reply(co, comment, rec)


def test_every_viewer_may_reply_in_review(rec, comment, drafter, observer, moderator, anonymous):
    assert not perms.can_reply(anonymous, comment, rec)
    for user in (drafter, observer, moderator):
        assert perms.can_reply(user, comment, rec), user


# --- resolve and reopen ----------------------------------------------------------------------
def test_who_neither_drafts_nor_wrote_it_may_not_resolve_or_reopen(
    rec, comment, drafter, observer, moderator, secretariat, anonymous
):
    for user in (observer, moderator, secretariat, anonymous):
        assert not perms.can_resolve(user, comment, rec), user
        assert not perms.may_resolve(user, comment, rec), user
    services.resolve_comment(comment, actor=drafter)
    comment = fresh(comment)
    for user in (observer, moderator, secretariat, anonymous):
        assert not perms.can_reopen(user, comment, rec), user


def test_a_reply_is_never_resolved_on_its_own(rec, comment, drafter, other_participant):
    reply = services.post_comment(rec, actor=drafter, body="Agreed.", parent=comment)
    for user in (drafter, other_participant):
        assert not perms.can_resolve(user, reply, rec), user
        assert not perms.can_reopen(user, reply, rec), user


def test_an_open_thread_is_not_reopened_nor_a_resolved_one_resolved(
    rec, comment, drafter, other_participant
):
    assert not perms.can_reopen(drafter, comment, rec)
    services.resolve_comment(comment, actor=other_participant)
    comment = fresh(comment)
    assert not perms.can_resolve(drafter, comment, rec)
    assert perms.can_reopen(drafter, comment, rec)
    assert perms.can_reopen(other_participant, comment, rec)


def test_nobody_resolves_once_the_text_is_closed(
    rec, comment, drafter, other_participant, moderator, secretariat
):
    rec = closed(rec, moderator, secretariat)
    for user in (drafter, other_participant):
        assert not perms.can_resolve(user, comment, rec), user


def test_drafters_and_the_author_may_resolve(rec, comment, drafter, other_participant):
    assert perms.can_resolve(drafter, comment, rec)
    assert perms.can_resolve(other_participant, comment, rec)


# --- respond ---------------------------------------------------------------------------------
def test_a_participant_of_another_organisation_may_not_respond(
    rec, comment, other_participant, other_representative, observer, moderator, secretariat
):
    for user in (other_participant, other_representative, observer, moderator, secretariat):
        assert not perms.can_respond(user, comment, rec), user
        assert not perms.may_respond(user, rec), user


def test_drafters_may_not_respond_to_a_hidden_comment_or_on_a_closed_text(
    rec, comment, drafter, moderator, secretariat
):
    other = services.post_comment(rec, actor=moderator, body="Add the costs.")
    assert not perms.can_respond(drafter, hidden(comment, moderator), rec)
    assert not perms.can_respond(drafter, other, closed(rec, moderator, secretariat))


def test_the_drafting_organisation_may_respond(rec, comment, drafter, representative):
    assert perms.can_respond(drafter, comment, rec)
    assert perms.can_respond(representative, comment, rec)


# --- report ----------------------------------------------------------------------------------
def test_its_author_may_not_report_a_comment(rec, comment, other_participant):
    assert not perms.may_report(other_participant, comment)
    assert not perms.can_report(other_participant, comment, rec)


def test_a_hidden_comment_may_not_be_reported(rec, comment, observer, moderator):
    assert not perms.can_report(observer, hidden(comment, moderator), rec)


def test_who_may_not_see_the_text_may_not_report(drafter, observer, anonymous):
    rec = make_recommendation(drafter)  # a draft: its drafters only
    comment = services.post_comment(rec, actor=drafter, body="Say who pays.")
    assert not perms.can_report(observer, comment, rec)
    assert not perms.can_report(anonymous, comment, rec)


def test_a_comment_is_reported_once_until_a_moderator_decides(rec, comment, observer, moderator):
    services.report_comment(comment, actor=observer, reason="Spam")
    assert perms.has_reported(observer, comment)
    assert not perms.can_report(observer, comment, rec)
    assert perms.reported_by(observer, rec) == {comment.pk}
    services.dismiss_reports(comment, actor=moderator)
    assert not perms.has_reported(observer, comment)
    assert perms.can_report(observer, comment, rec)


def test_reports_still_come_on_a_closed_text(rec, comment, observer, moderator, secretariat):
    assert perms.can_report(observer, comment, closed(rec, moderator, secretariat))


# --- hide and restore ------------------------------------------------------------------------
def test_only_moderators_may_hide_or_restore(
    rec, comment, drafter, other_participant, observer, secretariat, anonymous, moderator
):
    for user in (drafter, other_participant, observer, secretariat, anonymous):
        assert not perms.can_hide(user, comment), user
    assert not perms.can_restore(moderator, comment)  # not hidden
    assert perms.can_hide(moderator, comment)
    comment = hidden(comment, moderator)
    for user in (drafter, other_participant, observer, secretariat, anonymous):
        assert not perms.can_restore(user, comment), user
    assert not perms.can_hide(moderator, comment)  # hidden already
    assert perms.can_restore(moderator, comment)


# --- what a page hands in --------------------------------------------------------------------
def test_facts_handed_in_are_used_as_given_without_a_query(
    rec, comment, observer, django_assert_num_queries
):
    comment = fresh(comment)
    with django_assert_num_queries(0):
        assert perms.can_resolve(observer, comment, rec, drafter=True)
        assert perms.can_respond(observer, comment, rec, drafter=True)
        assert not perms.can_reply(observer, comment, rec, may_comment=False)
        assert not perms.can_report(observer, comment, rec, may_view=True, reported=True)
        assert not perms.can_report(observer, comment, rec, may_view=False, reported=False)
        assert perms.can_hide(observer, comment, moderator=True)


@pytest.mark.parametrize(
    "role", ["drafter", "other_participant", "observer", "moderator", "secretariat"]
)
def test_page_offers_what_the_rules_answer_at_no_query_per_comment(
    request, rec, comment, drafter, observer, moderator, django_assert_num_queries, role
):
    user = request.getfixturevalue(role)
    reply = services.post_comment(rec, actor=observer, body="Evenings, yes.", parent=comment)
    resolved = services.post_comment(rec, actor=drafter, body="Name the funds.")
    services.resolve_comment(resolved, actor=drafter)
    gone = services.post_comment(rec, actor=observer, body="Off topic.")
    services.hide_comment(gone, actor=moderator, reason="Off topic")
    services.report_comment(comment, actor=observer, reason="Spam")
    rec = Recommendation.objects.get(pk=rec.pk)
    keys = anchors.paragraph_keys(anchors.current_paragraphs(rec))
    viewer = Viewer.of(user, rec)
    for shown in Comment.objects.of(rec).for_display():
        with django_assert_num_queries(0):
            node = node_for(shown, viewer, keys, shown.status)
        offered = {right: getattr(node, f"can_{right}") for right in RIGHTS}
        assert offered == rights(user, shown, rec), (role, shown.body)
    assert {c.pk for c in (comment, reply, resolved, gone)} == set(
        Comment.objects.of(rec).values_list("pk", flat=True)
    )
