"""The demo reads in French and Arabic too: its themes (stored in English, in the catalogues),
its organisations' countries (CLDR's names), their kinds; and every time with its zone."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from core.places import country_name
from recommendations.models import Theme
from workspace.demo import seed_accounts

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "theme", "country", "kind"),
    [
        ("fr", "Inclusion sociale", "Liban", "Ville"),
        ("ar", "الإدماج الاجتماعي", "لبنان", "مدينة"),
        ("en", "Social inclusion", "Lebanon", "City"),
    ],
)
def test_the_demos_themes_countries_and_kinds_read_in_the_language(lang, theme, country, kind):
    seed_accounts()
    client = Client()
    client.force_login(User.objects.get(username="beirut"))
    profile = client.get("/accounts/profile/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f"<td>{kind}</td><td>{country}</td>" in profile
    page = client.get("/recommendations/new/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert f">\u2068{theme}\u2069</option>" in page
    # The stored name stays the English one (the edition's canonical Markdown is built from it).
    assert Theme.objects.get(slug="social-inclusion").name == "Social inclusion"


def test_a_name_outside_the_catalogues_reads_as_written():
    assert country_name("Lebanon", "fr") == "Liban"
    assert country_name(" lebanon ", "ar") == "لبنان"
    assert country_name("Mount Lebanon Governorate", "fr") == "Mount Lebanon Governorate"
    assert country_name("", "fr") == ""
    assert str(Theme(name="Digital inclusion")) == "Digital inclusion"
