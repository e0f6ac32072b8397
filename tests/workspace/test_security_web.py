"""Web-level guarantees across pages: CSP on every HTML answer, CSRF on every unsafe request,
no script from user text."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_recommendation

pytestmark = pytest.mark.django_db

XSS_TITLE = '<img src=x onerror="alert(1)">Title'
XSS_BODY = (
    "<script>alert(1)</script>\n\n[click](javascript:alert(2))\n\n"
    '<a href="data:text/html,<script>alert(3)</script>">x</a>\n\n<iframe src="https://evil"></iframe>'
)


def test_every_html_page_carries_the_csp(client, drafter):
    rec = make_recommendation(drafter, versions=2)
    client.force_login(drafter)
    for url in [
        "/",
        reverse("profile"),
        reverse("recommendations:list"),
        reverse("recommendations:create"),
        rec.get_absolute_url(),
        reverse("recommendations:edit", args=[rec.pk]),
        reverse("recommendations:history", args=[rec.pk]),
        reverse("recommendations:compare", args=[rec.pk]) + "?from=1&to=2",
        "/recommendations/999999/",  # a 404 page too
    ]:
        response = client.get(url)
        assert "script-src 'self'" in response["Content-Security-Policy"], url


def test_user_text_never_becomes_script(client, drafter):
    rec = make_recommendation(
        drafter, title=XSS_TITLE, body=XSS_BODY, versions=2, status="in_review"
    )
    client.force_login(drafter)
    pages = [
        rec.get_absolute_url(),
        reverse("recommendations:list"),
        reverse("recommendations:history", args=[rec.pk]),
        reverse("recommendations:compare", args=[rec.pk]) + "?from=1&to=2",
        "/",
    ]
    for url in pages:
        html = client.get(url).content.decode()
        # Escaped text (&lt;img ... onerror=...) is harmless; a live tag or URL is not.
        assert "<script>alert" not in html and "<img" not in html, url
        assert 'href="javascript:' not in html and "<iframe" not in html, url
        assert 'href="data:' not in html, url
    api = client.get(f"/api/recommendations/{rec.pk}/").json()
    assert "<script" not in api["body_html"] and "javascript:" not in api["body_html"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("recommendations:submit", {}),
        ("recommendations:withdraw", {"reason": "x"}),
        ("recommendations:restore", {"version": 1}),
        ("recommendations:edit", {"body": "x", "base_version": 1}),
        ("recommendations:drafters", {"organisation": "tunis"}),
    ],
)
def test_unsafe_page_requests_without_csrf_token_are_refused(drafter, name, data):
    rec = make_recommendation(drafter, versions=2)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(drafter)
    response = strict.post(reverse(name, args=[rec.pk]), data)
    assert response.status_code == 403
    rec.refresh_from_db()
    assert (rec.status, rec.version) == ("draft", 2)


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "/api/recommendations/", {"title": "t"}),
        ("patch", "/api/recommendations/{pk}/", {"body": "x", "base_version": 1}),
        ("post", "/api/recommendations/{pk}/submit/", {}),
        ("post", "/api/recommendations/{pk}/restore/", {"version": 1}),
        ("delete", "/api/recommendations/{pk}/organisations/tunis/", None),
    ],
)
def test_unsafe_api_requests_with_a_session_but_no_csrf_token_are_refused(
    drafter, method, path, data
):
    rec = make_recommendation(drafter, versions=2)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(drafter)
    response = getattr(strict, method)(
        path.format(pk=rec.pk), data, content_type="application/json"
    )
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_api_answers_json_only_no_browsable_html(client, drafter):
    client.force_login(drafter)
    response = client.get("/api/recommendations/", HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("application/json")
