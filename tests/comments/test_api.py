"""The comments JSON API: its public contract (paths and field names) and its refusals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from comments import services
from comments.models import Comment
from tests.factories import make_recommendation

pytestmark = pytest.mark.django_db

LIST_FIELDS = {
    "id",
    "parent",
    "author",
    "organisation",
    "body",
    "body_html",
    "anchor",
    "quote",
    "version",
    "status",
    "outdated",
    "hidden",
    "response",
}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def rec(drafter):
    return make_recommendation(drafter, status="in_review")


def url(rec):
    return f"/api/recommendations/{rec.pk}/comments/"


def test_post_answers_201_with_id_and_rendered_body(api, rec, other_participant):
    api.force_authenticate(other_participant)
    key = rec.paragraphs[0]["key"]
    response = api.post(
        url(rec),
        {"body": "Needs **evening** hours.", "anchor": key, "quote": "single welcome point"},
        format="json",
    )
    assert response.status_code == 201
    data = response.json()
    assert data["body_html"] == "<p>Needs <strong>evening</strong> hours.</p>"
    comment = Comment.objects.get(pk=data["id"])
    assert (comment.anchor, comment.quote, comment.author) == (
        key,
        "single welcome point",
        other_participant,
    )


def test_list_items_carry_the_contract_fields(api, rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="One.")
    services.post_comment(rec, actor=drafter, body="Two.", parent=comment)
    services.respond_to_comment(comment, actor=drafter, status="not_accepted", reason="Scope")
    api.force_authenticate(other_participant)
    items = api.get(url(rec)).json()
    assert [i["id"] for i in items] == sorted(i["id"] for i in items)
    assert all(set(item) >= LIST_FIELDS for item in items)
    first, reply = items
    assert (first["parent"], reply["parent"]) == (None, first["id"])
    assert (first["author"], first["organisation"]) == ("Other", "Tunis")
    assert (first["status"], first["outdated"], first["hidden"], first["version"]) == (
        "open",
        False,
        False,
        1,
    )
    assert first["response"]["status"] == "not_accepted"
    assert first["response"]["reason"] == "Scope" and first["response"]["version"] == 1
    assert reply["response"] is None


def test_form_encoded_post_from_the_page_script_works_too(api, rec, other_participant):
    api.force_authenticate(other_participant)
    response = api.post(url(rec), {"body": "From a form.", "parent": "", "anchor": ""})
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"body": "x", "anchor": "p-nothere"}, "anchor"),
        ({"body": "x", "anchor": "", "quote": "welcome"}, "quote"),
        ({"body": "x", "parent": 987654}, "parent"),
        ({"body": "x", "parent": "abc"}, "parent"),
    ],
)
def test_bad_input_answers_400_with_field_messages(api, rec, other_participant, payload, field):
    api.force_authenticate(other_participant)
    response = api.post(url(rec), payload, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Comment.objects.exists()


def test_quote_that_is_not_in_the_paragraph_answers_400(api, rec, other_participant):
    api.force_authenticate(other_participant)
    key = rec.paragraphs[0]["key"]
    response = api.post(
        url(rec), {"body": "x", "anchor": key, "quote": "not in the text"}, format="json"
    )
    assert response.status_code == 400 and "quote" in response.json()


def test_hidden_comment_text_is_served_only_to_moderators_and_its_author(
    api, rec, drafter, other_participant, observer, moderator
):
    comment = services.post_comment(rec, actor=other_participant, body="Insulting text.")
    services.hide_comment(comment, actor=moderator, reason="Insult")
    for user in (drafter, observer):
        api.force_authenticate(user)
        for item in (api.get(url(rec)).json()[0], api.get(f"/api/comments/{comment.pk}/").json()):
            assert (item["body"], item["body_html"], item["hidden"]) == ("", "", True)
            assert item["hidden_reason"] == ""
        assert b"Insulting" not in api.get(url(rec)).content
    for user in (other_participant, moderator):
        api.force_authenticate(user)
        item = api.get(url(rec)).json()[0]
        assert item["body"] == "Insulting text." and item["hidden"] is True
        assert item["hidden_reason"] == "Insult"


def test_hide_requires_a_reason(api, rec, other_participant, moderator):
    comment = services.post_comment(rec, actor=other_participant, body="Hm.")
    api.force_authenticate(moderator)
    for payload in ({}, {"reason": ""}):
        response = api.post(f"/api/comments/{comment.pk}/hide/", payload, format="json")
        assert response.status_code == 400 and "reason" in response.json()
    response = api.post(f"/api/comments/{comment.pk}/hide/", {"reason": "Spam"}, format="json")
    assert response.status_code == 200 and response.json()["hidden"] is True
    assert response.json()["hidden_reason"] == "Spam"


def test_restore_shows_the_comment_again(api, rec, other_participant, moderator):
    comment = services.post_comment(rec, actor=other_participant, body="Hm.")
    services.hide_comment(comment, actor=moderator, reason="Spam")
    api.force_authenticate(moderator)
    response = api.post(f"/api/comments/{comment.pk}/restore/")
    assert response.status_code == 200 and response.json()["hidden"] is False
    again = api.post(f"/api/comments/{comment.pk}/restore/")
    assert again.status_code == 409


def test_resolve_and_reopen(api, rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Fix.")
    api.force_authenticate(drafter)
    assert api.post(f"/api/comments/{comment.pk}/resolve/").json()["status"] == "resolved"
    assert api.post(f"/api/comments/{comment.pk}/resolve/").status_code == 409
    assert api.post(f"/api/comments/{comment.pk}/reopen/").json()["status"] == "open"


def test_respond_validates_status_and_reason(api, rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Fix.")
    api.force_authenticate(drafter)
    bad = api.post(
        f"/api/comments/{comment.pk}/respond/", {"status": "yes", "reason": "x"}, format="json"
    )
    assert bad.status_code == 400 and "status" in bad.json()
    missing = api.post(
        f"/api/comments/{comment.pk}/respond/", {"status": "accepted"}, format="json"
    )
    assert missing.status_code == 400 and "reason" in missing.json()
    ok = api.post(
        f"/api/comments/{comment.pk}/respond/",
        {"status": "partly_accepted", "reason": "Half of it."},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["response"]["status"] == "partly_accepted"


def test_report_answers_201_and_refuses_a_second_one(api, rec, drafter, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Spam.")
    api.force_authenticate(drafter)
    first = api.post(f"/api/comments/{comment.pk}/report/", {"reason": "Spam"}, format="json")
    assert first.status_code == 201 and first.json()["comment"] == comment.pk
    second = api.post(f"/api/comments/{comment.pk}/report/", {"reason": "Spam"}, format="json")
    assert second.status_code == 409
    empty = api.post(f"/api/comments/{comment.pk}/report/", {}, format="json")
    assert empty.status_code == 400


def test_patch_by_the_author_edits_and_keeps_history(api, rec, other_participant, drafter):
    comment = services.post_comment(rec, actor=other_participant, body="Old.")
    api.force_authenticate(drafter)
    denied = api.patch(f"/api/comments/{comment.pk}/", {"body": "Hijacked."}, format="json")
    assert denied.status_code == 403
    api.force_authenticate(other_participant)
    response = api.patch(f"/api/comments/{comment.pk}/", {"body": "New."}, format="json")
    assert response.status_code == 200
    assert response.json()["body"] == "New." and response.json()["edited"] is True
    assert comment.revisions.get().body == "Old."


def test_anonymous_requests_are_refused(api, rec, other_participant):
    comment = services.post_comment(rec, actor=other_participant, body="Hello.")
    assert api.get(url(rec)).status_code in (401, 403)
    assert api.post(url(rec), {"body": "x"}, format="json").status_code in (401, 403)
    for action in ("resolve", "reopen", "hide", "restore", "report", "respond"):
        assert api.post(f"/api/comments/{comment.pk}/{action}/").status_code in (401, 403)
    assert api.get(f"/api/comments/{comment.pk}/").status_code in (401, 403)
    assert Comment.objects.count() == 1


def test_comments_of_another_organisations_draft_answer_like_missing_ones(
    api, drafter, other_participant
):
    draft = make_recommendation(drafter)
    comment = services.post_comment(draft, actor=drafter, body="Internal note.")
    api.force_authenticate(other_participant)
    missing = Comment.objects.order_by("-pk").first().pk + 1000
    assert api.get(url(draft)).status_code == 404
    hidden = api.get(f"/api/comments/{comment.pk}/")
    absent = api.get(f"/api/comments/{missing}/")
    assert hidden.status_code == absent.status_code == 404
    assert hidden.json() == absent.json()
    for action in ("resolve", "report", "respond", "hide"):
        assert api.post(f"/api/comments/{comment.pk}/{action}/").status_code == 404


def test_session_posts_without_csrf_token_are_refused(rec, other_participant):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(other_participant)
    response = client.post(url(rec), {"body": "No token."}, format="json")
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_list_costs_the_same_queries_for_3_and_60_comments(api, rec, drafter, other_participant):
    def add(n):
        for i in range(n):
            comment = services.post_comment(rec, actor=other_participant, body=f"Point {i}.")
            services.respond_to_comment(comment, actor=drafter, status="accepted", reason="Yes")

    api.force_authenticate(other_participant)
    add(3)
    with CaptureQueriesContext(connection) as few:
        assert len(api.get(url(rec)).json()) == 3
    add(57)
    with CaptureQueriesContext(connection) as many:
        assert len(api.get(url(rec)).json()) == 60
    assert len(many) == len(few)


def test_schema_documents_the_comment_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    assert "/api/recommendations/{id}/comments/" in paths or any(
        p.endswith("/comments/") for p in paths
    )
    for action in ("resolve", "reopen", "hide", "restore", "report", "respond"):
        assert any(p.endswith(f"/{action}/") and "/comments/" in p for p in paths), action
