import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.http import client_address as client_ip

pytestmark = pytest.mark.django_db


def test_every_page_carries_a_strict_csp_and_frame_denial(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script_or_style(client, drafter):
    client.force_login(drafter)
    for url in (reverse("home"), reverse("profile"), reverse("password_change")):
        body = client.get(url).content.decode()
        assert "<script>" not in body and " style=" not in body and "<style" not in body


def test_session_and_csrf_cookies_are_http_only(client, drafter):
    response = client.post(reverse("login"), {"username": "drafter", "password": "pw"})
    assert response.cookies["sessionid"]["httponly"]
    assert (
        client.get(reverse("login")).cookies.get("csrftoken") is None
        or client.cookies["csrftoken"]["httponly"]
    )


def test_login_without_csrf_token_is_refused(drafter):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "drafter", "password": "pw"})
    assert response.status_code == 403


def test_repeated_failures_lock_out_that_user_from_that_address(client, drafter):
    for _ in range(5):
        client.post(reverse("login"), {"username": "drafter", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "drafter", "password": "pw"})
    assert locked.status_code == 429
    assert "Too many failed" in locked.content.decode()
    # Another address is not locked out for that user, and the same address still may log
    # in another user: nobody can lock a whole office out.
    other_address = Client(REMOTE_ADDR="10.9.9.9")
    assert (
        other_address.post(reverse("login"), {"username": "drafter", "password": "pw"}).status_code
        == 302
    )
    User.objects.create_user("colleague", password="pw")
    assert (
        client.post(reverse("login"), {"username": "colleague", "password": "pw"}).status_code
        == 302
    )


def test_forwarded_for_header_is_ignored_without_trusted_proxies(rf, settings):
    settings.WORKSPACE_TRUSTED_PROXIES = 0
    request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="127.0.0.9")
    assert client_ip(request) == "127.0.0.9"


def test_only_trusted_proxy_hops_of_forwarded_for_count(rf, settings):
    settings.WORKSPACE_TRUSTED_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7", REMOTE_ADDR="10.0.0.1")
    assert client_ip(request) == "203.0.113.7"


def test_healthz_answers(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_openapi_schema_is_served(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200


def test_migrations_are_complete():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_missing_or_forged_addresses_never_reach_the_database_as_text(rf, settings):
    settings.WORKSPACE_TRUSTED_PROXIES = 1
    assert client_ip(rf.get("/", REMOTE_ADDR="")) is None
    forged = rf.get("/", HTTP_X_FORWARDED_FOR="not-an-ip", REMOTE_ADDR="10.0.0.1")
    assert client_ip(forged) == "10.0.0.1"
