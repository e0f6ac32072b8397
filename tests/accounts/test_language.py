"""A signed-in person's language is kept on their profile and wins over the browser's; the
language chooser of every page keeps it there too; anonymous people keep the cookie."""

from __future__ import annotations

import pytest
from django.conf import settings

from accounts.models import User

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_the_stored_language_wins_over_accept_language(client, observer):
    observer.language = "ar"
    observer.save()
    client.force_login(observer)
    response = client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.content.decode()
    assert response["Content-Language"] == "ar"


def test_the_stored_language_wins_over_the_cookie(client, observer):
    observer.language = "fr"
    observer.save()
    client.force_login(observer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    assert _lang(client.get("/accounts/profile/")) == "fr"


def test_a_blank_language_follows_the_browser(client, observer):
    assert observer.language == ""
    client.force_login(observer)
    assert _lang(client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="fr")) == "fr"
    assert _lang(client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="ar")) == "ar"
    assert _lang(client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="de")) == "en"


def test_the_profile_page_offers_and_saves_the_choice(client, observer):
    client.force_login(observer)
    page = client.get("/accounts/profile/").content.decode()
    assert 'action="/accounts/profile/language/"' in page
    assert 'name="language"' in page
    response = client.post("/accounts/profile/language/", {"language": "fr"})
    assert response.status_code == 302
    observer.refresh_from_db()
    assert observer.language == "fr"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert _lang(client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="ar")) == "fr"
    # Back to the browser's language.
    response = client.post("/accounts/profile/language/", {"language": ""})
    assert response.status_code == 302
    observer.refresh_from_db()
    assert observer.language == ""
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    assert _lang(client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="ar")) == "ar"


def test_the_profile_refuses_an_unknown_language(client, observer):
    client.force_login(observer)
    response = client.post("/accounts/profile/language/", {"language": "xx"})
    assert response.status_code == 400
    observer.refresh_from_db()
    assert observer.language == ""


def test_switching_in_the_page_chooser_while_signed_in_stores_it(client, observer):
    client.force_login(observer)
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/accounts/profile/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"
    observer.refresh_from_db()
    assert observer.language == "ar"
    # A new browser (no cookie) that asks for French still gets Arabic.
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    assert _lang(client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="fr")) == "ar"


def test_anonymous_switching_works_as_before(client, observer):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    assert _lang(client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ar")) == "fr"
    assert not User.objects.exclude(language="").exists()


@pytest.mark.parametrize("code", ["xx", "", "fr-evil<script>", "../ar", "a" * 300])
def test_a_bad_code_in_the_chooser_is_ignored(client, observer, code):
    client.force_login(observer)
    response = client.post("/i18n/setlang/", {"language": code, "next": "/accounts/profile/"})
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    observer.refresh_from_db()
    assert observer.language == ""
    anonymous = client.__class__()
    response = anonymous.post("/i18n/setlang/", {"language": code, "next": "/"})
    assert response.status_code == 302


def test_a_stored_language_no_longer_offered_is_ignored(client, observer):
    User.objects.filter(pk=observer.pk).update(language="de")
    client.force_login(observer)
    response = client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    assert _lang(response) == "fr"
