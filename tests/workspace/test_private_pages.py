"""What a signed-in person sees is never cached (a shared computer at the venue must not show
a draft from its cache after logout); the public text stays cacheable."""

from __future__ import annotations

import pytest

from tests.factories import make_recommendation

pytestmark = pytest.mark.django_db


def test_pages_of_a_signed_in_person_are_not_stored(client, drafter):
    rec = make_recommendation(drafter)
    client.force_login(drafter)
    for url in ("/", "/recommendations/", f"/recommendations/{rec.pk}/", "/accounts/profile/"):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url
    api = client.get(f"/api/recommendations/{rec.pk}/")
    assert "no-store" in api["Cache-Control"]


def test_the_public_text_keeps_its_own_caching(client, drafter):
    client.force_login(drafter)
    response = client.get("/published/")
    assert "no-store" not in response.get("Cache-Control", "")
