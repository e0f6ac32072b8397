"""Comments under real concurrency: threads with their own database connections. Row locks
decide: a thread is resolved once, a comment hidden once, and every comment gets its own
event sequence number."""

from __future__ import annotations

from comments import services
from comments.models import Comment
from core.models import Activity
from recommendations.models import Event
from recommendations.services import Conflict
from tests.factories import make_recommendation, member_of
from tests.helpers import run_together


def test_twenty_simultaneous_resolves_succeed_once(committed_db, drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    comment = services.post_comment(rec, actor=other_participant, body="Fix this.")

    def resolve(_i):
        try:
            services.resolve_comment(comment.pk, actor=drafter)
            return "ok"
        except Conflict:
            return "conflict"

    results = run_together(20, resolve)
    assert results.count("ok") == 1 and results.count("conflict") == 19
    assert Activity.objects.filter(verb="comment_resolved").count() == 1


def test_simultaneous_hides_by_two_moderators_hide_once(
    committed_db, drafter, other_participant, moderator
):
    from tests.factories import with_role

    second = with_role("moderator", "second-moderator")
    rec = make_recommendation(drafter, status="in_review")
    comment = services.post_comment(rec, actor=other_participant, body="Spam.")

    def hide(i):
        try:
            services.hide_comment(comment.pk, actor=(moderator, second)[i % 2], reason="Spam")
            return "ok"
        except Conflict:
            return "conflict"

    results = run_together(10, hide)
    assert results.count("ok") == 1
    assert Event.objects.filter(type="comment.updated").count() == 1


def test_many_people_commenting_at_once_get_every_comment_and_distinct_seqs(
    committed_db, drafter, other_org
):
    rec = make_recommendation(drafter, status="in_review")
    people = [member_of(other_org, f"voice-{i}") for i in range(12)]

    def post(i):
        services.post_comment(rec, actor=people[i], body=f"Voice {i}.")

    run_together(12, post)
    assert Comment.objects.filter(recommendation=rec).count() == 12
    seqs = list(
        Event.objects.filter(recommendation=rec, type="comment.created").values_list(
            "seq", flat=True
        )
    )
    assert len(seqs) == len(set(seqs)) == 12
