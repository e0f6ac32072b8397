"""The public pages also answer under a language prefix (/fr/published/...), in that language;
the unprefixed ones still follow the person's language; the Markdown never changes."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from tests.publication.helpers import final, publish, theme

pytestmark = pytest.mark.django_db

LANG_DIR = {"en": "ltr", "fr": "ltr", "ar": "rtl"}


@pytest.fixture
def edition(drafter, moderator, secretariat):
    final(
        drafter,
        moderator,
        secretariat,
        title="One front door",
        theme=theme("social-inclusion", "Social inclusion", 0),
        body="Cities should open a single welcome point.",
    )
    first = publish(secretariat, title="First")
    publish(secretariat, title="Second")
    return first


def _html_lang(response) -> tuple[str, str]:
    m = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', response.content.decode())
    assert m, response.content[:200]
    return m.group(1), m.group(2)


def _paths(n: int) -> list[str]:
    return ["published/", f"published/editions/{n}/", f"published/editions/{n}/print/"]


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_each_prefixed_page_answers_in_its_language(edition, language):
    for path in _paths(edition.number):
        # Whatever the browser and the cookie ask for.
        client = Client(HTTP_ACCEPT_LANGUAGE="fr" if language != "fr" else "ar")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar" if language != "ar" else "en"
        response = client.get(f"/{language}/{path}")
        assert response.status_code == 200, path
        assert _html_lang(response) == (language, LANG_DIR[language]), path
        assert response["Content-Language"] == language


def test_a_prefixed_page_wins_over_the_profile(client, edition, observer):
    observer.language = "ar"
    observer.save()
    client.force_login(observer)
    assert _html_lang(client.get("/fr/published/")) == ("fr", "ltr")
    assert _html_lang(client.get("/published/")) == ("ar", "rtl")


def test_the_unprefixed_pages_follow_cookie_accept_language_and_profile(client, edition, observer):
    for path in _paths(edition.number):
        assert _html_lang(Client().get(f"/{path}")) == ("en", "ltr")
        assert _html_lang(Client(HTTP_ACCEPT_LANGUAGE="ar").get(f"/{path}")) == ("ar", "rtl")
        with_cookie = Client(HTTP_ACCEPT_LANGUAGE="ar")
        with_cookie.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        response = with_cookie.get(f"/{path}")
        assert response.status_code == 200
        assert _html_lang(response) == ("fr", "ltr")
    observer.language = "fr"
    observer.save()
    client.force_login(observer)
    assert _html_lang(client.get("/published/", HTTP_ACCEPT_LANGUAGE="ar")) == ("fr", "ltr")


@pytest.mark.parametrize("path", ["xx/published/", "de/published/", "fr/published/editions/1.md"])
def test_an_unknown_prefix_is_not_found(client, edition, path):
    assert client.get(f"/{path}").status_code == 404


def test_an_unknown_edition_under_a_prefix_is_not_found(client, edition):
    assert client.get("/fr/published/editions/99/").status_code == 404


def test_the_etag_differs_by_prefix_and_a_304_keeps_the_language(edition):
    tags = {}
    for language in ("en", "fr", "ar"):
        response = Client().get(f"/{language}/published/")
        tags[language] = response["ETag"]
        again = Client().get(f"/{language}/published/", HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
    tags["none"] = Client().get("/published/")["ETag"]
    assert len(set(tags.values())) == 4
    # The French page's tag does not validate the Arabic one.
    response = Client().get("/ar/published/", HTTP_IF_NONE_MATCH=tags["fr"])
    assert response.status_code == 200


def test_the_markdown_is_the_same_bytes_and_headers_in_every_case(edition, observer):
    url = f"/published/editions/edition-{edition.number}.md"
    reference = Client().get(url)
    assert reference.status_code == 200
    headers = (
        "Content-Type",
        "ETag",
        "Last-Modified",
        "Cache-Control",
        "Vary",
        "Content-Disposition",
        "X-Content-SHA256",
        "Content-Length",
    )
    expected = {h: reference.get(h) for h in headers}
    clients = []
    for language in ("fr", "ar"):
        clients.append(Client(HTTP_ACCEPT_LANGUAGE=language))
        c = Client()
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        clients.append(c)
    observer.language = "ar"
    observer.save()
    signed_in = Client()
    signed_in.force_login(observer)
    clients.append(signed_in)
    for client in clients:
        response = client.get(url)
        assert response.content == reference.content
        assert {h: response.get(h) for h in headers if h != "Content-Language"} == expected
    for language in ("fr", "ar"):
        assert Client().get(f"/{language}{url}").status_code == 404


def test_the_pages_link_to_the_markdown_and_json_unprefixed(edition):
    page = Client().get(f"/ar/published/editions/{edition.number}/").content.decode()
    assert f'href="/published/editions/edition-{edition.number}.md"' in page
    assert f'href="/api/published/editions/{edition.number}/"' in page or "/api/" in page
    assert 'href="/ar/published/editions/' in page  # the other editions, in Arabic


def test_the_page_links_to_itself_in_every_language(edition):
    n = edition.number
    page = Client().get(f"/fr/published/editions/{n}/").content.decode()
    for code in ("en", "fr", "ar"):
        assert (
            f'<link rel="alternate" hreflang="{code}" href="/{code}/published/editions/{n}/">'
            in page
        )
    assert f'<link rel="alternate" hreflang="x-default" href="/published/editions/{n}/">' in page
    nav = page.split('class="language-links', 1)[1].split("</nav>", 1)[0]
    assert "Lire en" in nav
    for name in ("English", "Français", "العربية"):
        assert name in nav
    assert f'href="/ar/published/editions/{n}/" hreflang="ar" lang="ar" dir="rtl"' in nav
    latest = Client().get("/published/").content.decode()
    assert '<link rel="alternate" hreflang="ar" href="/ar/published/">' in latest
    assert "Read in:" in latest
    printed = Client().get(f"/ar/published/editions/{n}/print/").content.decode()
    assert f'hreflang="en" href="/en/published/editions/{n}/print/"' in printed


def test_switching_language_from_a_prefixed_page_keeps_the_page(client, edition):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/fr/published/"})
    assert response.status_code == 302
    assert response["Location"] in ("/fr/published/", "/ar/published/")
