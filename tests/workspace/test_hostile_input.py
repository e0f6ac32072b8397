"""Input from outside that once answered 500 answers a clear 400 (issue 10, case 6)."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from core.parsers import MAX_DEPTH, depth_exceeds
from tests.factories import make_recommendation

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(drafter):
    client = APIClient()
    client.force_authenticate(drafter)
    return client


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 50_000])
def test_a_deeply_nested_json_body_is_a_400(api, drafter, depth):
    rec = make_recommendation(drafter)
    body = "[" * depth + "]" * depth
    response = api.patch(
        f"/api/recommendations/{rec.pk}/", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_a_reasonably_nested_body_still_reaches_the_view(api, drafter):
    rec = make_recommendation(drafter)
    body = json.dumps({"base_version": 1, "note": "x", "extra": [[[["fine"]]]]})
    response = api.patch(
        f"/api/recommendations/{rec.pk}/", data=body, content_type="application/json"
    )
    assert response.status_code in (200, 400)
    assert "nested" not in response.content.decode()


def test_depth_is_measured_without_recursion():
    deep: list = []
    cursor = deep
    for _ in range(100_000):
        cursor.append([])
        cursor = cursor[0]
    assert depth_exceeds(deep, MAX_DEPTH)
    assert not depth_exceeds({"a": [1, {"b": 2}]}, 3)
    assert depth_exceeds({"a": [1, {"b": [3]}]}, 3)
