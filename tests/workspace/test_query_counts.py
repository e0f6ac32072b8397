"""Pages and API lists cost a fixed number of queries whatever the amount of data (issue 15):
the ones not already guarded next to their app's tests (list, detail, history, comments,
moderation, endorsements are), each at a small and a larger data size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment
from recommendations.models import Recommendation
from tests.factories import make_recommendation
from tests.recommendations.test_pages import _many
from tests.recommendations.test_versions import _add_versions
from workspace.scale import build_discussion

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url", ["home", "api-recommendations"])
@pytest.mark.parametrize("role", ["drafter", "observer", "moderator"])
def test_home_and_the_recommendations_api_cost_the_same_with_5_and_40_recommendations(
    client, drafter, observer, moderator, url, role
):
    client.force_login({"drafter": drafter, "observer": observer, "moderator": moderator}[role])
    _many(5, drafter, moderator)
    build_discussion(Recommendation.objects.get(title="Recommendation 1"), comments=3, threads=1)
    client.get(reverse(url))  # warm the per-process caches (content types, sites)
    few = _count(client, reverse(url))
    _many(35, drafter, moderator)
    for rec in Recommendation.objects.filter(status="in_review")[:10]:
        build_discussion(rec, comments=20, threads=5)
    assert Comment.objects.count() > 150
    assert _count(client, reverse(url)) == few


def test_compare_costs_the_same_with_5_and_60_versions(client, drafter):
    few = _add_versions(make_recommendation(drafter, title="Few"), drafter, 5)
    many = _add_versions(make_recommendation(drafter, title="Many"), drafter, 60)
    client.force_login(drafter)
    url = reverse("recommendations:compare", args=[few.pk])
    client.get(url, {"from": 1, "to": 5})
    with CaptureQueriesContext(connection) as counted:
        assert client.get(url, {"from": 1, "to": 5}).status_code == 200
    url = reverse("recommendations:compare", args=[many.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"from": 1, "to": 60})
    assert response.status_code == 200 and "<ins" in response.content.decode()
    assert len(queries) == len(counted)
