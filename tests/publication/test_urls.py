"""The endorsement forms live under the recommendation they are about; their first paths under
/published/endorsements/ answer 308, so an old page's form still posts to the right place."""

from __future__ import annotations

import pytest
from django.urls import reverse

from publication.models import Endorsement
from tests.publication.helpers import approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def rec(drafter, moderator):
    return approved(drafter, moderator)


@pytest.mark.parametrize(
    ("old", "name"),
    [
        ("/published/endorsements/{pk}/", "publication:endorse"),
        ("/published/endorsements/{pk}/withdraw/", "publication:withdraw"),
        ("/published/endorsements/{pk}/reconfirm/", "publication:reconfirm"),
    ],
)
def test_old_endorsement_paths_redirect_permanently_keeping_the_method(client, rec, old, name):
    new = reverse(name, args=[rec.pk])
    assert new.startswith(f"/recommendations/{rec.pk}/endorsement/")
    response = client.post(old.format(pk=rec.pk), {"organisation": "lisbon"})
    assert response.status_code == 308
    assert response["Location"] == new


def test_an_old_form_posted_to_the_old_path_still_endorses(client, rec, representative):
    client.force_login(representative)
    response = client.post(
        f"/published/endorsements/{rec.pk}/",
        {"organisation": "lisbon", "statement": "From an old tab."},
        follow=True,
    )
    assert response.redirect_chain[0] == (f"/recommendations/{rec.pk}/endorsement/", 308)
    assert response.status_code == 200
    endorsement = Endorsement.objects.live().get(recommendation=rec)
    assert endorsement.statement == "From an old tab."


def test_the_redirect_keeps_the_query_string(client, rec):
    response = client.get(f"/published/endorsements/{rec.pk}/?next=/")
    assert response.status_code == 308
    assert response["Location"] == f"/recommendations/{rec.pk}/endorsement/?next=/"


def test_the_recommendation_page_posts_its_forms_to_the_new_paths(client, rec, representative):
    client.force_login(representative)
    html = client.get(rec.get_absolute_url()).content.decode()
    assert f'action="/recommendations/{rec.pk}/endorsement/"' in html
    assert "/published/endorsements/" not in html


def test_a_redirect_reveals_nothing_the_target_would_not(client, drafter, moderator):
    """The old path of a recommendation that does not exist redirects like any other; the
    target then answers as it always did (login first, then 404 for what one may not see)."""
    response = client.post("/published/endorsements/999999/", {}, follow=True)
    assert response.redirect_chain[0][1] == 308
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
