"""A long discussion folds each thread's replies behind "Show N replies" (issue 15: the
recommendation page with 300 comments within 250 KB), and everything still reaches a reply:
counts that include the folded ones, links that open the thread holding a comment, a page with
every reply, the responses list, and all of it without JavaScript."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from comments import display, services
from comments.models import Comment
from notifications.display import path
from notifications.models import Notification
from tests.factories import make_recommendation
from workspace.scale import build_discussion

pytestmark = pytest.mark.django_db

ITEM = re.compile(r'<li class="comment-item[^"]*" id="comment-(\d+)"')
FOLD = re.compile(
    r'<p class="folded-replies" data-js="folded" data-thread="(\d+)" data-count="(\d+)" '
    r'data-ids="([\d ]+)"><a href="([^"]+)">([^<]+)</a></p>'
)


@pytest.fixture
def rec(drafter):
    return make_recommendation(drafter, status="in_review")


@pytest.fixture
def fold_above(monkeypatch):
    """Fold from a few comments on, so that a discussion of a dozen shows it."""
    monkeypatch.setattr(display, "FOLD_ABOVE", 3)


def page(client, rec, query: str = "") -> str:
    response = client.get(rec.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def shown(html: str) -> set[int]:
    return {int(pk) for pk in ITEM.findall(html)}


def folds(html: str) -> dict[int, list[int]]:
    return {int(m[0]): [int(pk) for pk in m[2].split()] for m in FOLD.findall(html)}


def thread(rec, root_body: str, replies: int, actor, *, nested: bool = False) -> list[Comment]:
    root = services.post_comment(rec, actor=actor, body=root_body)
    made = [root]
    for n in range(replies):
        parent = made[-1] if nested else root
        made.append(services.post_comment(rec, actor=actor, body=f"Reply {n}", parent=parent))
    return made


def test_a_conference_discussion_shows_its_threads_within_the_budget(client, rec, drafter):
    build_discussion(rec, comments=300, threads=60)
    client.force_login(drafter)
    html = page(client, rec)
    roots = set(Comment.objects.of(rec).filter(parent=None).values_list("pk", flat=True))
    everyone = set(Comment.objects.of(rec).values_list("pk", flat=True))
    assert shown(html) == roots  # each thread's first comment
    folded = folds(html)
    assert set(folded) == {pk for pk in roots if Comment.objects.filter(parent=pk).exists()}
    # Every reply is in exactly one fold, under its own thread.
    in_folds = [pk for ids in folded.values() for pk in ids]
    assert sorted(in_folds) == sorted(everyone - roots)
    assert '<span class="count" data-field="comment-total">300</span>' in html
    assert len(html.encode()) < 250 * 1024, f"{len(html.encode()) / 1024:.0f} KiB"
    assert 'data-field="all-replies">Show all 240 folded replies</a>' in html


def test_a_short_discussion_is_not_folded(client, rec, drafter, other_participant):
    made = thread(rec, "Evening hours?", 3, other_participant)
    client.force_login(drafter)
    html = page(client, rec)
    assert shown(html) == {c.pk for c in made}
    assert "folded-replies" not in html and "all-replies" not in html


def test_a_folded_thread_says_how_many_replies_and_links_to_itself(
    client, rec, drafter, other_participant, fold_above
):
    first = thread(rec, "Evening hours?", 3, other_participant, nested=True)
    second = thread(rec, "Weekend hours?", 1, drafter)
    lone = services.post_comment(rec, actor=drafter, body="No replies here.")
    client.force_login(drafter)
    html = page(client, rec)
    assert shown(html) == {first[0].pk, second[0].pk, lone.pk}
    # All the replies of a thread, however deep, in the order the page shows them.
    assert folds(html) == {first[0].pk: [c.pk for c in first[1:]], second[0].pk: [second[1].pk]}
    links = {int(m[0]): (m[3], m[4]) for m in FOLD.findall(html)}
    root = first[0].pk
    assert links[root] == (f"?comment={root}#comment-{root}", "Show 3 replies")
    assert links[second[0].pk][1] == "Show 1 reply"
    # The thread and paragraph counts count the folded replies.
    assert '<span class="count" data-field="comment-total">7</span>' in html
    assert '<span class="count" data-field="count">7</span>' in html  # all general comments


def test_the_link_of_a_folded_reply_opens_its_thread_only(
    client, rec, drafter, other_participant, fold_above
):
    first = thread(rec, "Evening hours?", 3, other_participant, nested=True)
    second = thread(rec, "Weekend hours?", 3, drafter)
    deep = first[-1]
    assert (
        deep.get_absolute_url() == f"{rec.get_absolute_url()}?comment={deep.pk}#comment-{deep.pk}"
    )
    client.force_login(drafter)
    html = page(client, rec, f"?comment={deep.pk}")
    assert shown(html) == {c.pk for c in first} | {second[0].pk}
    assert set(folds(html)) == {second[0].pk}
    # The first comment of a thread opens it too.
    assert set(folds(page(client, rec, f"?comment={second[0].pk}"))) == {first[0].pk}


@pytest.mark.parametrize(
    "value", ["", "abc", "-3", "1.5", "٣", "99999999999999999999999", "1e3", "%00"]
)
def test_a_comment_that_is_not_one_folds_as_usual(
    client, rec, drafter, other_participant, fold_above, value
):
    first = thread(rec, "Evening hours?", 3, other_participant)
    client.force_login(drafter)
    html = page(client, rec, f"?comment={value}")
    assert set(folds(html)) == {first[0].pk}


def test_a_comment_of_another_recommendation_opens_nothing_here(
    client, rec, drafter, other_participant, fold_above
):
    first = thread(rec, "Evening hours?", 5, other_participant)
    elsewhere = make_recommendation(drafter, status="in_review", title="Elsewhere")
    there = thread(elsewhere, "Another text", 1, drafter)
    client.force_login(drafter)
    html = page(client, rec, f"?comment={there[1].pk}")
    assert set(folds(html)) == {first[0].pk}
    assert "Another text" not in html


def test_every_reply_on_request_and_the_filter_kept(
    client, rec, drafter, other_participant, fold_above
):
    first = thread(rec, "Evening hours?", 3, other_participant)
    second = thread(rec, "Weekend hours?", 2, drafter)
    services.resolve_comment(second[0], actor=drafter)
    client.force_login(drafter)
    html = page(client, rec, "?replies=all")
    assert shown(html) == {c.pk for c in first + second}
    assert "folded-replies" not in html
    assert '<input type="hidden" name="replies" value="all">' in html
    # Filtered to the open threads: the folds and the link to every reply keep the filter.
    html = page(client, rec, "?comments=open")
    assert f'href="?comments=open&amp;comment={first[0].pk}#comment-{first[0].pk}"' in html
    assert 'href="?comments=open&amp;replies=all#comments"' in html


def test_the_responses_list_reaches_a_folded_reply_through_the_server(
    client, rec, drafter, other_participant, fold_above
):
    first = thread(rec, "Evening hours?", 4, other_participant)
    answered, root = first[2], first[0]
    services.respond_to_comment(answered, actor=drafter, status="accepted", reason="Added.")
    services.respond_to_comment(root, actor=drafter, status="not_accepted", reason="No.")
    client.force_login(drafter)
    html = page(client, rec)
    assert (
        f'<a href="?comment={answered.pk}#comment-{answered.pk}" data-unfold="{answered.pk}">'
        in html
    )
    assert f'<a href="#comment-{root.pk}">' in html  # shown: a link within the page
    assert answered.pk in shown(page(client, rec, f"?comment={answered.pk}"))


def test_without_javascript_a_reply_lands_in_its_opened_thread(
    client, rec, drafter, other_participant, fold_above
):
    first = thread(rec, "Evening hours?", 5, other_participant)
    client.force_login(drafter)
    response = client.post(
        reverse("comments:create", args=[rec.pk]),
        {"body": "Yes, from May.", "parent": first[0].pk, "language": "en"},
    )
    reply = Comment.objects.get(body="Yes, from May.")
    assert response.status_code == 302
    assert response["Location"] == reply.get_absolute_url()
    html = page(client, rec, f"?comment={reply.pk}")
    assert reply.pk in shown(html) and first[3].pk in shown(html)


def test_a_notification_about_a_reply_opens_its_thread(
    client, rec, drafter, other_participant, fold_above
):
    first = thread(rec, "Evening hours?", 5, other_participant)
    note = Notification(recipient=drafter, recommendation=rec, comment=first[4], kind="comment")
    assert path(note) == first[4].get_absolute_url()


def test_folding_keeps_the_number_of_queries(
    client, rec, drafter, other_participant, fold_above, django_assert_max_num_queries
):
    thread(rec, "Evening hours?", 3, other_participant)
    client.force_login(drafter)
    page(client, rec, "?replies=all")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as unfolded:
        page(client, rec, "?replies=all")
    with django_assert_max_num_queries(len(unfolded)):
        page(client, rec)


def test_a_threads_fragment_carries_every_reply_for_this_viewer(
    client, rec, drafter, other_participant, observer, moderator
):
    first = thread(rec, "Evening hours?", 4, other_participant, nested=True)
    services.hide_comment(first[2], actor=moderator, reason="Off topic")
    url = reverse("comments:fragment", args=[first[0].pk])
    client.force_login(drafter)
    data = client.get(url, {"replies": "all"}).json()
    assert data["id"] == first[0].pk and data["parent"] is None
    assert shown(data["html"]) == {c.pk for c in first}
    assert "Reply 1" not in data["html"]  # hidden: its text is not sent to others
    assert "Reply 3" in data["html"]
    # Without ``replies=all``, the comment alone (the live updates of one comment).
    assert shown(client.get(url).json()["html"]) == {first[0].pk}
    # A reply's thread: what is under it, with the thread's status.
    services.resolve_comment(first[0], actor=drafter)
    data = client.get(reverse("comments:fragment", args=[first[3].pk]), {"replies": "all"}).json()
    assert shown(data["html"]) == {first[3].pk, first[4].pk}
    draft = make_recommendation(drafter, status="draft", title="Draft")
    secret = thread(draft, "Internal", 2, drafter)
    client.force_login(observer)
    response = client.get(reverse("comments:fragment", args=[secret[0].pk]), {"replies": "all"})
    assert response.status_code == 404
