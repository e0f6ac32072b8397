"""The admin shows each recommendation's reversion history but never changes a recommendation:
restoring goes through services.restore_version and its permission checks."""

import pytest
from django.urls import reverse
from reversion.models import Revision, Version

from recommendations.models import Theme, VersionMeta
from tests.factories import BODY, UserFactory, make_recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def rec(drafter):
    return make_recommendation(drafter, versions=3)


def _state(rec):
    rec.refresh_from_db()
    return (
        rec.version,
        rec.title,
        rec.body,
        rec.status,
        Revision.objects.count(),
        Version.objects.count(),
        VersionMeta.objects.count(),
    )


def test_lists_and_read_only_pages_answer(client, root, rec):
    for name in ("recommendations_recommendation_changelist", "recommendations_theme_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 200
    page = client.get(reverse("admin:recommendations_recommendation_change", args=[rec.pk]))
    assert page.status_code == 200
    assert rec.title in page.content.decode() and 'name="_save"' not in page.content.decode()
    changelist = client.get(reverse("admin:recommendations_recommendation_changelist"))
    assert "recover" not in changelist.content.decode().lower()


def test_history_shows_each_text_version_without_revert_links(client, root, rec, drafter):
    response = client.get(reverse("admin:recommendations_recommendation_history", args=[rec.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{reverse("recommendations:history", args=[rec.pk])}">1</a>' in html
    compare = reverse("recommendations:compare", args=[rec.pk])
    for number in (2, 3):
        assert f'href="{compare}?from={number - 1}&amp;to={number}">{number}</a>' in html
    assert "First draft" in html and "Lisbon" in html
    assert f"/history/{Version.objects.first().pk}/" not in html


def test_a_superuser_posting_to_the_revert_url_changes_nothing(client, root, rec):
    before = _state(rec)
    first = Version.objects.get_for_object(rec).last()  # the revision of version 1
    url = reverse("admin:recommendations_recommendation_revision", args=[rec.pk, first.pk])
    response = client.post(
        url,
        {"title": "Reverted in the admin", "body": "Old text", "status": "draft", "version": 1},
    )
    assert response.status_code == 403
    assert client.get(url).status_code == 403
    assert _state(rec) == before
    assert rec.body == BODY + "\n\nAddition 2.\n\nAddition 3."


def test_recover_views_are_switched_off(client, root, rec):
    version = Version.objects.get_for_object(rec).first()
    recover = reverse("admin:recommendations_recommendation_recover", args=[version.pk])
    before = _state(rec)
    assert client.get(recover).status_code == 404
    assert client.post(recover, {"title": "Recovered"}).status_code == 404
    assert client.get(reverse("admin:recommendations_recommendation_recoverlist")).status_code == (
        404
    )
    assert _state(rec) == before


def test_the_admin_cannot_add_change_or_delete_recommendations(client, root, rec):
    before = _state(rec)
    change = reverse("admin:recommendations_recommendation_change", args=[rec.pk])
    assert client.post(change, {"title": "Changed in the admin"}).status_code == 403
    delete = reverse("admin:recommendations_recommendation_delete", args=[rec.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    add = reverse("admin:recommendations_recommendation_add")
    assert client.get(add).status_code == 403
    assert _state(rec) == before


def test_non_staff_users_are_sent_to_the_admin_login(client, drafter, rec):
    client.force_login(drafter)
    url = reverse("admin:recommendations_recommendation_history", args=[rec.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_themes_are_edited_in_the_admin(client, root):
    response = client.post(
        reverse("admin:recommendations_theme_add"),
        {"name": "Health", "slug": "health", "event_city": "Tunis", "position": 8},
    )
    assert response.status_code == 302
    assert Theme.objects.get(slug="health").event_city == "Tunis"
