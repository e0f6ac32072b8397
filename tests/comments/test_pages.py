"""Comments on the recommendation page, the plain-HTML forms (no JavaScript), the moderation
queue, the CSV export and the page's query count."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import services
from comments.models import Comment, CommentReport, CommentResponse
from recommendations import services as rec_services
from tests.factories import BODY, make_recommendation, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(drafter):
    return make_recommendation(drafter, status="in_review")


def page(client, rec, query=""):
    response = client.get(rec.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


# --- the section on the recommendation page --------------------------------------------------
def test_page_groups_threads_by_paragraph_with_counts_versions_and_replies(
    client, rec, drafter, other_participant
):
    key = rec.paragraphs[1]["key"]
    comment = services.post_comment(
        rec, actor=other_participant, body="Which *languages*?", anchor=key, quote="main languages"
    )
    services.post_comment(rec, actor=drafter, body="Arabic and French.", parent=comment)
    services.post_comment(rec, actor=other_participant, body="A general point.")
    client.force_login(other_participant)
    html = page(client, rec)
    group = html.split(f'id="para-comments-{key}"')[1].split("</section>")[0]
    assert 'data-count="2"' in html.split(f'id="para-comments-{key}"')[1][:200]
    assert "Which <em>languages</em>?" in group and "Arabic and French." in group
    assert '<ol class="replies"><li class="comment-item"' in group
    assert "main languages</blockquote>" in group and "on version 1" in group
    general = html.split('id="general-comments"')[1].split("</section>")[0]
    assert "A general point." in general
    assert 'id="comments-title">Comments <span class="count" data-field="comment-total">3' in html


def test_outdated_comment_shows_with_its_quote_and_version(client, rec, drafter, other_participant):
    gone = rec.paragraphs[2]["key"]
    services.post_comment(
        rec, actor=other_participant, body="Who pays?", anchor=gone, quote="fund these points"
    )
    first, second, _third = BODY.split("\n\n")
    rec_services.edit_recommendation(
        rec, actor=drafter, base_version=1, body=f"{first}\n\n{second}"
    )
    client.force_login(other_participant)
    html = page(client, rec)
    outdated = html.split('id="outdated-comments"')[1].split("</section>")[0]
    assert "Who pays?" in outdated and "fund these points" in outdated
    assert "Made on version 1; its paragraph is no longer in the text." in outdated
    assert 'data-outdated="true"' in outdated


def test_filter_without_javascript_hides_other_threads(client, rec, drafter, other_participant):
    done = services.post_comment(rec, actor=other_participant, body="Done one.")
    services.resolve_comment(done, actor=drafter)
    services.post_comment(rec, actor=other_participant, body="Open one.")
    client.force_login(other_participant)
    html = page(client, rec, "?comments=resolved")
    assert f'id="comment-{done.pk}"' in html
    open_item = html.split("Open one.")[0].rsplit("<li", 1)[1]
    assert " hidden>" in open_item and 'data-status="open"' in open_item
    assert '<option value="resolved" selected>' in html


def test_hidden_comment_text_never_reaches_other_viewers(
    client, rec, drafter, other_participant, moderator
):
    comment = services.post_comment(rec, actor=other_participant, body="Insulting words.")
    services.hide_comment(comment, actor=moderator, reason="Insult rule 3")
    client.force_login(drafter)
    html = page(client, rec)
    assert "Insulting words." not in html and "Insult rule 3" not in html
    assert "This comment was hidden by a moderator." in html
    client.force_login(other_participant)
    html = page(client, rec)
    assert "Insulting words." in html and "Insult rule 3" in html
    client.force_login(moderator)
    assert "Insulting words." in page(client, rec)


def test_responses_are_listed_for_everyone(client, rec, drafter, other_participant, observer):
    comment = services.post_comment(rec, actor=other_participant, body="Add evening hours.")
    services.respond_to_comment(
        comment, actor=drafter, status="partly_accepted", reason="Evenings yes, weekends no."
    )
    client.force_login(observer)
    html = page(client, rec)
    responses = html.split('id="comment-responses"')[1].split("</section>")[0]
    assert "Partly accepted" in responses and "Evenings yes, weekends no." in responses
    assert "answered in version 1" in responses


def test_closed_recommendation_shows_comments_without_forms(client, drafter, other_participant):
    rec = make_recommendation(drafter, status="in_review")
    services.post_comment(rec, actor=other_participant, body="Before the end.")
    moderator = rec_services.approve_version
    from tests.factories import with_role

    mod = with_role("moderator", "closing-moderator")
    moderator(rec, version=1, actor=mod)
    sec = with_role("secretariat", "closing-secretariat")
    rec_services.finalise_recommendation(rec, actor=sec)
    client.force_login(other_participant)
    html = page(client, rec)
    assert "Before the end." in html and "Comments are closed" in html
    assert 'class="comment-form' not in html and ">Resolve<" not in html


def test_moderators_see_no_comment_form_on_a_draft(client, drafter, moderator):
    draft = make_recommendation(drafter)
    client.force_login(moderator)
    html = page(client, draft)
    assert "Only the drafting organisations comment on a draft." in html
    assert 'class="comment-form' not in html


def test_page_has_no_inline_script_or_style(client, rec, drafter, other_participant, moderator):
    comment = services.post_comment(rec, actor=other_participant, body="<b style='x'>Hi</b>")
    services.respond_to_comment(comment, actor=drafter, status="accepted", reason="Yes")
    client.force_login(moderator)
    html = page(client, rec)
    assert "<script>" not in html and " style=" not in html and "<style" not in html
    assert '<script type="module" src="/static/js/comments.js">' in html
    assert 'href="/static/css/comments.css"' in html


def test_activity_list_describes_comment_events(client, rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Hi.")
    services.resolve_comment(comment, actor=drafter)
    client.force_login(drafter)
    html = page(client, rec)
    # The names in the activity sentences are isolated for direction (<bdi>).
    html = html.replace("<bdi>", "").replace("</bdi>", "")
    assert "Tunis commented on version 1" in html and "Lisbon resolved a comment thread" in html


# --- the forms without JavaScript ------------------------------------------------------------
def test_plain_form_post_adds_the_comment_and_returns_to_it(client, rec, other_participant):
    client.force_login(other_participant)
    key = rec.paragraphs[0]["key"]
    response = client.post(
        reverse("comments:create", args=[rec.pk]),
        {"body": "Posted without JS.", "anchor": key, "quote": "welcome point"},
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == comment.get_absolute_url()
    assert (comment.anchor, comment.quote) == (key, "welcome point")


def test_failed_plain_post_keeps_the_text_and_shows_the_error(client, rec, other_participant):
    client.force_login(other_participant)
    key = rec.paragraphs[0]["key"]
    response = client.post(
        reverse("comments:create", args=[rec.pk]),
        {"body": "My long careful comment.", "anchor": key, "quote": "not in the text"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "My long careful comment.</textarea>" in html
    assert "The quoted passage is not in that paragraph." in html
    assert 'value="not in the text"' in html
    assert not Comment.objects.exists()


def test_without_javascript_mentioning_who_cannot_see_a_draft_asks_before_posting(
    client, drafter, lead_org, other_org, other_participant
):
    rec = make_recommendation(drafter)  # a draft: only its drafters see it
    colleague = member_of(lead_org, "colleague")
    client.force_login(colleague)
    url = reverse("comments:create", args=[rec.pk])
    body = f"@{other_org.slug} and @{other_participant.username}, and @{lead_org.slug} too"
    response = client.post(url, {"body": body})
    html = response.content.decode()
    assert response.status_code == 200 and not Comment.objects.exists()  # nothing posted yet
    assert f"@{other_org.slug}, @{other_participant.username} cannot see this text" in html
    assert f"@{lead_org.slug}," not in html  # its members see it
    assert f"{body}</textarea>" in html  # the comment as typed, to change or post
    assert 'name="mentions_checked" value="True"' in html
    response = client.post(url, {"body": body, "mentions_checked": "True"})  # "Post anyway"
    assert response.status_code == 302 and Comment.objects.get().body == body


def test_mentions_everyone_can_see_post_at_once(client, rec, drafter, other_participant):
    client.force_login(other_participant)
    response = client.post(
        reverse("comments:create", args=[rec.pk]), {"body": f"Agreed with @{drafter.username}"}
    )
    assert response.status_code == 302 and Comment.objects.count() == 1


def test_empty_plain_post_answers_400_with_the_form(client, rec, other_participant):
    client.force_login(other_participant)
    response = client.post(reverse("comments:create", args=[rec.pk]), {"body": "  "})
    assert response.status_code == 400 and "This field is required." in response.content.decode()


def test_plain_post_on_a_closed_text_keeps_the_text(client, drafter):
    rec = make_recommendation(drafter, status="withdrawn")
    client.force_login(drafter)
    response = client.post(
        reverse("comments:create", args=[rec.pk]), {"body": "Written before I knew."}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Written before I knew.</textarea>" in html and "closed for comments" in html


def test_plain_reply_and_failed_report_keep_their_text(client, rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Point.")
    client.force_login(drafter)
    response = client.post(
        reverse("comments:create", args=[rec.pk]), {"body": "Reply.", "parent": comment.pk}
    )
    assert response.status_code == 302
    assert Comment.objects.get(parent=comment).body == "Reply."
    services.report_comment(comment, actor=drafter, reason="Spam")
    again = client.post(reverse("comments:report", args=[comment.pk]), {"reason": "Spam twice"})
    assert again.status_code == 409 and "Spam twice</textarea>" in again.content.decode()


def test_hide_from_the_queue_returns_to_the_queue(
    client, rec, drafter, other_participant, moderator
):
    comment = services.post_comment(rec, actor=other_participant, body="Spam.")
    services.post_comment(rec, actor=other_participant, body="Nobody reported me.")
    services.report_comment(comment, actor=drafter, reason="Advertising")
    client.force_login(moderator)
    queue = client.get(reverse("comments:moderation")).content.decode()
    assert "Advertising" in queue and "Spam." in queue
    assert "Nobody reported me." not in queue
    response = client.post(
        reverse("comments:hide", args=[comment.pk]), {"reason": "Spam", "next": "moderation"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("comments:moderation")
    queue = client.get(reverse("comments:moderation")).content.decode()
    assert "No reported comments." in queue and "Spam." in queue  # now under hidden comments


def test_hide_without_reason_answers_400_on_the_page(client, rec, other_participant, moderator):
    comment = services.post_comment(rec, actor=other_participant, body="Spam.")
    client.force_login(moderator)
    response = client.post(reverse("comments:hide", args=[comment.pk]), {"reason": ""})
    assert response.status_code == 400
    comment.refresh_from_db()
    assert not comment.hidden


def test_history_page_shows_earlier_texts_to_viewers(client, rec, other_participant, observer):
    comment = services.post_comment(rec, actor=other_participant, body="First version.")
    services.edit_comment(comment, actor=other_participant, body="Second version.")
    client.force_login(observer)
    html = client.get(reverse("comments:history", args=[comment.pk])).content.decode()
    assert "First version." in html and "Second version." in html


def test_fragment_renders_one_comment_for_the_viewer(client, rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Point.")
    reply = services.post_comment(rec, actor=drafter, body="Answer.", parent=comment)
    client.force_login(drafter)
    data = client.get(reverse("comments:fragment", args=[reply.pk])).json()
    assert (data["id"], data["parent"], data["status"]) == (reply.pk, comment.pk, "open")
    assert data["html"].startswith(f'<li class="comment-item" id="comment-{reply.pk}"')
    root = client.get(reverse("comments:fragment", args=[comment.pk])).json()
    assert 'data-tools="resolve reply respond report"' in root["html"]
    assert f'href="/comments/{comment.pk}/actions/"' in root["html"]


# --- export ----------------------------------------------------------------------------------
def _rows(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_export_lists_every_comment_with_response(client, rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Point one.")
    services.post_comment(rec, actor=drafter, body="Reply.", parent=comment)
    services.respond_to_comment(comment, actor=drafter, status="accepted", reason="Taken.")
    client.force_login(drafter)
    response = client.get(reverse("comments:export", args=[rec.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(response)
    assert [r["body"] for r in rows] == ["Point one.", "Reply."]
    assert rows[0]["response"] == "accepted" and rows[0]["response_reason"] == "Taken."
    assert rows[1]["thread"] == str(comment.pk)


def test_export_defuses_spreadsheet_formulas(client, rec, drafter, other_participant):
    for body in ('=HYPERLINK("http://x")', "+1+1", "-2", "@SUM(A1)", "fine"):
        services.post_comment(rec, actor=other_participant, body=body)
    client.force_login(drafter)
    bodies = [r["body"] for r in _rows(client.get(reverse("comments:export", args=[rec.pk])))]
    assert bodies == ['\'=HYPERLINK("http://x")', "'+1+1", "'-2", "'@SUM(A1)", "fine"]


def test_export_leaves_out_hidden_text_except_for_moderators(
    client, rec, drafter, other_participant, moderator
):
    comment = services.post_comment(rec, actor=other_participant, body="Hidden words.")
    services.hide_comment(comment, actor=moderator, reason="Insult")
    client.force_login(drafter)
    row = _rows(client.get(reverse("comments:export", args=[rec.pk])))[0]
    assert row["body"] == "" and row["hidden"] == "yes"
    client.force_login(moderator)
    assert _rows(client.get(reverse("comments:export", args=[rec.pk])))[0]["body"] == (
        "Hidden words."
    )


def test_export_is_refused_to_other_participants(client, rec, other_participant, observer):
    for user in (other_participant, observer):
        client.force_login(user)
        assert client.get(reverse("comments:export", args=[rec.pk])).status_code == 403


def test_anonymous_gets_the_login_page_everywhere(client, rec, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Hi.")
    for url in (
        reverse("comments:export", args=[rec.pk]),
        reverse("comments:moderation"),
        reverse("comments:fragment", args=[comment.pk]),
        reverse("comments:history", args=[comment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert "Hi." not in client.get(rec.get_absolute_url()).content.decode()


# --- query counts ----------------------------------------------------------------------------
def _bulk_threads(rec, authors, drafter, moderator, threads, replies):
    """``threads`` threads of 1 + ``replies`` comments, with responses, edits, hidden ones,
    resolved ones and outdated anchors (bulk, to keep the test fast)."""
    keys = [p["key"] for p in rec.paragraphs] + ["p-gone0000"]
    now = timezone.now()
    roots = Comment.objects.bulk_create(
        Comment(
            recommendation=rec,
            author=authors[i % len(authors)],
            organisation=None,
            body=f"Thread {i}",
            body_html=f"<p>Thread {i}</p>",
            anchor=keys[i % len(keys)] if i % 5 else "",
            quote="",
            version=1,
            status="resolved" if i % 4 == 0 else "open",
            hidden=i % 7 == 0,
            hidden_reason="Spam" if i % 7 == 0 else "",
            hidden_by=moderator if i % 7 == 0 else None,
            edited_at=now if i % 3 == 0 else None,
        )
        for i in range(threads)
    )
    Comment.objects.bulk_create(
        Comment(
            recommendation=rec,
            parent=root,
            author=authors[(i + j) % len(authors)],
            body=f"Reply {j}",
            body_html=f"<p>Reply {j}</p>",
            anchor=root.anchor,
            version=1,
        )
        for i, root in enumerate(roots)
        for j in range(replies)
    )
    CommentResponse.objects.bulk_create(
        CommentResponse(comment=root, status="accepted", reason="Yes", version=1, author=drafter)
        for root in roots[::2]
    )
    CommentReport.objects.bulk_create(
        CommentReport(comment=root, reporter=authors[0], reason="Spam")
        for root in roots[1::3]
        if root.author != authors[0]
    )


@pytest.mark.parametrize("role", ["drafter", "other", "moderator"])
def test_detail_page_costs_the_same_queries_with_3_and_300_comments(
    client, drafter, other_participant, observer, moderator, role
):
    authors = [
        other_participant,
        observer,
        member_of(other_participant.memberships.get().organisation, "third"),
    ]
    small = make_recommendation(drafter, status="in_review", title="small")
    big = make_recommendation(drafter, status="in_review", title="big")
    _bulk_threads(small, authors, drafter, moderator, threads=1, replies=2)
    _bulk_threads(big, authors, drafter, moderator, threads=60, replies=4)
    assert small.comments.count() == 3 and big.comments.count() == 300
    client.force_login(
        {"drafter": drafter, "other": other_participant, "moderator": moderator}[role]
    )
    client.get(small.get_absolute_url())  # warm caches that do not depend on comments
    with CaptureQueriesContext(connection) as few:
        assert client.get(small.get_absolute_url()).status_code == 200
    with CaptureQueriesContext(connection) as many:
        response = client.get(big.get_absolute_url() + "?replies=all")
    assert response.status_code == 200
    assert response.content.decode().count('class="comment-item') == 300
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    with CaptureQueriesContext(connection) as folded:  # the threads folded: the same queries
        response = client.get(big.get_absolute_url())
    assert response.content.decode().count('class="comment-item') == 60
    assert len(folded) == len(few), [q["sql"] for q in folded.captured_queries]


def test_moderation_queue_costs_the_same_queries_with_few_and_many_reports(
    client, drafter, other_participant, observer, moderator
):
    rec = make_recommendation(drafter, status="in_review")
    client.force_login(moderator)
    _bulk_threads(rec, [other_participant, drafter], drafter, moderator, threads=3, replies=0)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("comments:moderation")).status_code == 200
    _bulk_threads(rec, [other_participant, observer], drafter, moderator, threads=60, replies=0)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("comments:moderation")).status_code == 200
    assert len(many) == len(few)
