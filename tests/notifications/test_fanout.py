"""Who is told what, for each kind of event, and who never is."""

from __future__ import annotations

import pytest

from accounts.services import remove_membership, set_active
from comments import services as comments
from notifications import display, selectors, services
from notifications.kinds import KINDS, Channel
from notifications.models import Notification
from publication.services import endorsements
from recommendations import services as recs
from tests.factories import (
    make_recommendation,
    member_of,
    with_role,
)

pytestmark = pytest.mark.django_db


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_table_of_kinds_and_their_e_mail_defaults():
    """Immediate: what asks something of you now; digest: what can wait; never: opt-in."""
    assert {key: kind.default for key, kind in KINDS.items()} == {
        "comment": Channel.DIGEST,
        "reply": Channel.IMMEDIATE,
        "response": Channel.IMMEDIATE,
        "mention": Channel.IMMEDIATE,
        "status": Channel.DIGEST,
        "endorse": Channel.IMMEDIATE,
        "reconfirm": Channel.IMMEDIATE,
        "report": Channel.DIGEST,
        "finalise": Channel.DIGEST,
        "edition": Channel.NEVER,
    }


def test_a_comment_tells_the_drafters_and_not_its_author(act, drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    comment = act(comments.post_comment, rec, actor=other_participant, body="Good idea.")
    [n] = Notification.objects.filter(recipient=drafter)
    assert (n.kind, n.comment_id, n.channel) == ("comment", comment.pk, Channel.DIGEST)
    assert kinds_of(other_participant) == []
    assert display.path(n).endswith(
        f"/recommendations/{rec.pk}/?comment={comment.pk}#comment-{comment.pk}"
    )
    assert str(other_participant) in display.text(n)


def test_commenting_follows_and_a_reply_tells_the_parent_author(
    act, drafter, other_participant, observer
):
    rec = make_recommendation(drafter, status="in_review")
    parent = act(comments.post_comment, rec, actor=other_participant, body="Question?")
    act(comments.post_comment, rec, actor=observer, body="Me too", parent=parent.pk)
    assert kinds_of(other_participant) == ["reply"]  # not also "comment": one per event
    assert sorted(kinds_of(drafter)) == ["comment", "comment"]
    # and the commenter now follows: the next comment tells them too
    act(comments.post_comment, rec, actor=drafter, body="Answer.")
    assert sorted(kinds_of(observer)) == ["comment"]


def test_an_official_response_tells_the_comment_author(act, drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    comment = comments.post_comment(rec, actor=other_participant, body="Add funding.")
    act(comments.respond_to_comment, comment, actor=drafter, status="accepted", reason="Done.")
    [n] = Notification.objects.filter(recipient=other_participant)
    assert n.kind == "response"
    assert "accepted" in display.text(n)


def test_mentioning_an_organisation_tells_its_members_and_links_it(
    act, drafter, other_org, other_participant, observer
):
    rec = make_recommendation(drafter, status="in_review")
    colleague = member_of(other_org)
    comment = act(
        comments.post_comment, rec, actor=observer, body=f"What does @{other_org.slug} think?"
    )
    assert kinds_of(other_participant) == ["mention"]
    assert kinds_of(colleague) == ["mention"]
    assert (
        f'class="mention" href="/recommendations/?organisation={other_org.pk}"' in comment.body_html
    )
    assert other_org.name in display.text(Notification.objects.get(recipient=colleague))


def test_mentioning_a_person_by_user_name(act, drafter, observer, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    act(comments.post_comment, rec, actor=observer, body=f"cc @{other_participant.username}")
    assert kinds_of(other_participant) == ["mention"]


def test_an_unknown_mention_is_plain_text_and_tells_nobody(act, drafter, observer):
    rec = make_recommendation(drafter, status="in_review")
    comment = act(comments.post_comment, rec, actor=observer, body="Ask @atlantis and a@b.org")
    assert "mention" not in comment.body_html
    assert not Notification.objects.exclude(recipient=drafter).exists()


def test_someone_who_cannot_see_a_draft_is_not_told_of_a_mention(
    act, drafter, other_participant, lead_org
):
    rec = make_recommendation(drafter)  # a draft: the other organisation cannot see it
    colleague = member_of(lead_org)
    act(comments.post_comment, rec, actor=colleague, body=f"@{other_participant.username} look")
    assert kinds_of(other_participant) == []


def test_approval_asks_representatives_to_endorse_and_the_secretariat_to_finalise(
    act, drafter, representative, other_representative, secretariat, moderator
):
    rec = make_recommendation(drafter, status="in_review")
    act(recs.approve_version, rec, version=rec.version, actor=moderator)
    assert kinds_of(other_representative) == ["endorse"]
    assert kinds_of(representative) == ["endorse"]  # a drafter who represents: asked to endorse
    assert kinds_of(drafter) == ["status"]
    assert kinds_of(secretariat) == ["finalise"]
    n = Notification.objects.get(recipient=other_representative)
    assert display.path(n).endswith("#endorsements")
    assert n.channel == Channel.IMMEDIATE


def test_a_newer_approved_version_asks_the_endorsers_to_reconfirm(
    act, drafter, other_representative, moderator
):
    rec = make_recommendation(drafter, status="approved", moderator=moderator)
    endorsements.endorse(
        rec,
        organisation=other_representative.memberships.get().organisation,
        actor=other_representative,
    )
    rec = recs.edit_recommendation(
        rec, actor=drafter, base_version=rec.version, body=rec.body + "\n\nMore."
    ).recommendation
    act(recs.approve_version, rec, version=rec.version, actor=moderator)
    assert kinds_of(other_representative) == ["reconfirm"]


def test_a_rejection_tells_the_followers_with_its_reason(act, drafter, moderator, observer):
    rec = make_recommendation(drafter, status="in_review")
    services.set_following(rec, actor=observer, following=True)
    act(recs.reject_recommendation, rec, reason="Outside the mandate", actor=moderator)
    for user in (drafter, observer):
        [n] = Notification.objects.filter(recipient=user)
        assert n.kind == "status"
        assert "Outside the mandate" in display.text(n)


def test_unfollowing_stops_a_drafter_being_told(act, drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    services.set_following(rec, actor=drafter, following=False)
    act(comments.post_comment, rec, actor=other_participant, body="Hello")
    assert kinds_of(drafter) == []


def test_a_report_tells_the_moderators(act, drafter, other_participant, moderator):
    rec = make_recommendation(drafter, status="in_review")
    comment = comments.post_comment(rec, actor=drafter, body="Text")
    act(comments.report_comment, comment, actor=other_participant, reason="Rude")
    [n] = Notification.objects.filter(recipient=moderator)
    assert n.kind == "report"
    assert display.path(n) == "/comments/moderation/"


def test_a_deactivated_person_is_told_nothing(act, drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    set_active(drafter, False, actor=None)
    act(comments.post_comment, rec, actor=other_participant, body="Hello")
    assert kinds_of(drafter) == []


def test_what_the_reader_lost_access_to_is_left_out_of_the_bell_and_the_list(
    act, drafter, lead_org
):
    colleague = member_of(lead_org)
    rec = make_recommendation(drafter)  # a draft
    act(comments.post_comment, rec, actor=colleague, body="Draft note")
    assert selectors.unread_count(drafter) == 1
    remove_membership(drafter, lead_org, actor=None)
    drafter.refresh_from_db()
    assert selectors.unread_count(drafter) == 0
    assert selectors.page_of(drafter, list(selectors.listing(drafter))) == []


def test_a_hidden_comment_is_left_out(act, drafter, other_participant, moderator):
    rec = make_recommendation(drafter, status="in_review")
    comment = act(comments.post_comment, rec, actor=other_participant, body="Spam")
    assert selectors.unread_count(drafter) == 1
    comments.hide_comment(comment, actor=moderator, reason="Spam")
    assert selectors.unread_count(drafter) == 0


def test_an_edition_tells_the_secretariat_and_whoever_asked(
    act, secretariat, observer, other_participant
):
    from core.activity import record_activity

    services.set_preferences(actor=observer, channels={"edition": Channel.DIGEST})
    act(
        record_activity,
        None,
        actor=secretariat,
        verb="edition_published",
        role="secretariat",
        number=1,
        title="T",
    )
    assert kinds_of(observer) == ["edition"]
    assert kinds_of(other_participant) == []
    assert kinds_of(secretariat) == []  # the one who published it
    other_secretariat = with_role("secretariat", "sec2")
    act(
        record_activity,
        None,
        actor=secretariat,
        verb="edition_published",
        role="secretariat",
        number=2,
        title="T",
    )
    assert kinds_of(other_secretariat) == ["edition"]


def test_one_person_in_two_organisations_is_told_once(act, drafter, other_org, observer):
    rec = make_recommendation(drafter, status="in_review", co_drafters=[other_org])
    from accounts.services import set_membership

    set_membership(drafter, other_org, actor=None)
    act(comments.post_comment, rec, actor=observer, body=f"@{other_org.slug} hi")
    assert kinds_of(drafter) == ["mention"]


def test_a_failing_listener_never_fails_the_save(act, drafter, other_participant, monkeypatch):
    from notifications import fanout

    monkeypatch.setattr(fanout, "_plan", lambda activity: 1 / 0)
    rec = make_recommendation(drafter, status="in_review")
    comment = act(comments.post_comment, rec, actor=other_participant, body="Still saved")
    assert comment.pk and not Notification.objects.exists()


def test_the_bell_counts_in_the_database_what_the_list_shows(
    act, drafter, lead_org, other_participant, moderator
):
    """The bell counts with ``access.visible`` (one query on every page); the list, the mail
    and the digest keep with ``access.accessible``. Both must leave out the same things, for
    a drafter, a colleague who loses the draft, the author of a hidden comment, a moderator
    and someone deactivated."""
    from comments.models import Comment
    from notifications.access import accessible, visible

    colleague = member_of(lead_org)
    draft = make_recommendation(drafter)
    submitted = make_recommendation(drafter, status="in_review")
    act(comments.post_comment, draft, actor=colleague, body="On the draft")
    act(comments.post_comment, draft, actor=drafter, body="The drafter's own")
    spam = act(comments.post_comment, submitted, actor=other_participant, body="Spam")
    act(comments.post_comment, submitted, actor=drafter, body="Kept")
    act(comments.post_comment, submitted, actor=moderator, body="From a moderator")
    comments.hide_comment(spam, actor=moderator, reason="Spam")
    own_hidden = act(comments.post_comment, submitted, actor=colleague, body="Mine, then hidden")
    comments.hide_comment(own_hidden, actor=moderator, reason="Off topic")
    remove_membership(colleague, lead_org, actor=None)
    colleague.refresh_from_db()

    people = [drafter, colleague, other_participant, moderator]
    assert Notification.objects.filter(recipient__in=people).exists()
    left_out = {}
    for person in people:
        rows = Notification.objects.for_user(person)
        kept, left_out[person.username] = accessible(person, list(rows))
        assert {n.pk for n in visible(person, rows)} == {n.pk for n in kept}, person
        assert selectors.unread_count(person) == len([n for n in kept if n.read_at is None])
    # Both rules were at work: the hidden spam (for the drafter), the lost draft (colleague).
    assert left_out[drafter.username] >= 1 and left_out[colleague.username] >= 1
    for person in people:
        readable = set(Comment.objects.body_visible_to(person).values_list("pk", flat=True))
        assert readable == {c.pk for c in Comment.objects.all() if c.body_visible_to(person)}
    set_active(drafter, False, actor=None)
    drafter.refresh_from_db()
    assert not visible(drafter, Notification.objects.for_user(drafter)).exists()
    assert selectors.unread_count(drafter) == 0
