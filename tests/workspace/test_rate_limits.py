"""Abuse limits: per person for posting, reporting, endorsing and token use; per address for
anonymous requests only; 429 with Retry-After in the person's language, nothing lost."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from comments import services as comments
from comments.models import Comment
from core.ratelimit import RateLimited, hit, parse_rate
from publication import services as publication
from tests.factories import make_recommendation, member_of
from tests.publication.helpers import approved

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


def test_rates_are_read_as_count_per_period():
    assert parse_rate("20/10m").count == 20 and parse_rate("20/10m").seconds == 600
    assert parse_rate("5/h").seconds == 3600 and parse_rate(" 3 / d ").seconds == 86400
    with pytest.raises(ImproperlyConfigured):
        parse_rate("lots")


def test_a_kind_without_a_rate_is_not_limited(settings):
    settings.RATE_LIMITS = {}
    for _ in range(1000):
        hit("comment", "user:1")


def test_the_limit_counts_per_person_and_tells_when_to_come_back(settings):
    settings.RATE_LIMITS = {"comment": "2/m"}
    hit("comment", "user:1")
    hit("comment", "user:1")
    hit("comment", "user:2")  # someone else has their own count
    with pytest.raises(RateLimited) as caught:
        hit("comment", "user:1")
    assert 1 <= caught.value.retry_after <= 60
    assert "Try again in" in caught.value.message


def test_posting_comments_through_the_page_stops_at_the_limit_and_keeps_the_text(
    settings, client, drafter
):
    settings.RATE_LIMITS = {"comment": "2/h"}
    rec = make_recommendation(drafter, status="in_review")
    client.force_login(drafter)
    url = reverse("comments:create", args=[rec.pk])
    for n in range(2):
        assert client.post(url, {"body": f"Comment {n}"}).status_code == 302
    response = client.post(url, {"body": "The third, typed with care."})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    html = response.content.decode()
    assert "The third, typed with care." in html  # the text is in the form again
    assert "Too many requests" in html
    assert Comment.objects.filter(recommendation=rec).count() == 2


def test_the_429_is_in_the_persons_language(settings, client, drafter):
    settings.RATE_LIMITS = {"comment": "0/h"}
    rec = make_recommendation(drafter, status="in_review")
    client.force_login(drafter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(reverse("comments:create", args=[rec.pk]), {"body": "Bonjour"})
    assert response.status_code == 429
    assert response.headers["Content-Language"] == "fr"


def test_posting_through_the_api_answers_429_json(settings, drafter):
    settings.RATE_LIMITS = {"comment": "1/h"}
    rec = make_recommendation(drafter, status="in_review")
    api = APIClient()
    api.force_authenticate(drafter)
    url = f"/api/recommendations/{rec.pk}/comments/"
    assert api.post(url, {"body": "One."}, format="json").status_code == 201
    response = api.post(url, {"body": "Two."}, format="json")
    assert response.status_code == 429
    assert "Too many requests" in response.json()["detail"]
    assert int(response["Retry-After"]) >= 1


def test_reporting_is_limited_per_person(settings, drafter, lead_org):
    settings.RATE_LIMITS = {"report": "1/h"}
    rec = make_recommendation(drafter, status="in_review")
    first = comments.post_comment(rec, actor=drafter, body="One.")
    second = comments.post_comment(rec, actor=drafter, body="Two.")
    reporter = member_of(lead_org, "reporter")
    comments.report_comment(first, actor=reporter, reason="Off topic.")
    with pytest.raises(RateLimited):
        comments.report_comment(second, actor=reporter, reason="Off topic too.")


def test_endorsing_is_limited_per_person(settings, drafter, moderator, representative, lead_org):
    settings.RATE_LIMITS = {"endorse": "1/h"}
    one = approved(drafter, moderator, title="One")
    two = approved(drafter, moderator, title="Two")
    publication.endorse(one, organisation=lead_org, actor=representative)
    with pytest.raises(RateLimited):
        publication.endorse(two, organisation=lead_org, actor=representative)


def test_token_use_is_limited_per_person_but_the_browser_session_is_not(settings, drafter):
    settings.RATE_LIMITS = {"api-token": "2/m"}
    token = Token.objects.create(user=drafter)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get("/api/recommendations/").status_code == 200
    assert api.get("/api/recommendations/").status_code == 200
    refused = api.get("/api/recommendations/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    session = APIClient()
    session.force_login(drafter)
    assert session.get("/api/recommendations/").status_code == 200


def test_anonymous_requests_are_limited_per_address(settings, client):
    settings.RATE_LIMITS = {"anonymous": "2/m"}
    assert client.get("/published/", REMOTE_ADDR="203.0.113.1").status_code in (200, 404)
    assert client.get("/published/", REMOTE_ADDR="203.0.113.1").status_code in (200, 404)
    refused = client.get("/published/", REMOTE_ADDR="203.0.113.1")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert client.get("/published/", REMOTE_ADDR="203.0.113.2").status_code in (200, 404)


def test_signed_in_people_behind_one_venue_address_are_not_limited_by_it(settings, client, drafter):
    settings.RATE_LIMITS = {"anonymous": "1/m"}
    client.force_login(drafter)
    for _ in range(5):
        assert client.get("/recommendations/", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_the_address_comes_from_the_trusted_proxy_only(settings, client):
    settings.RATE_LIMITS = {"anonymous": "1/m"}
    settings.WORKSPACE_TRUSTED_PROXIES = 1
    first = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client.get("/published/", **first).status_code in (200, 404)
    # Another client behind the same proxy has its own count...
    other = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    assert client.get("/published/", **other).status_code in (200, 404)
    # ...and a forged left-most entry does not reset the caller's own.
    forged = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"}
    assert client.get("/published/", **forged).status_code == 429


def test_a_cache_that_is_gone_lets_people_work_and_is_logged(settings, client, drafter, caplog):
    """Redis down: the limits are not counted (logged), nothing answers 500."""
    settings.RATE_LIMITS = {"comment": "1/h", "anonymous": "1/m"}
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "broken": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.RATE_LIMIT_CACHE = "broken"
    for _ in range(3):
        hit("comment", "user:1")
    assert client.get("/published/").status_code in (200, 404)
    assert client.get("/published/").status_code in (200, 404)
    assert "not counted" in caplog.text
