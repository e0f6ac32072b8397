"""Input from outside that once answered 500 answers a clear 400 (issue 10, case 6)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from comments.models import Comment
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


# --- whole numbers from outside (issue 10: "after=²" passed str.isdigit() and failed int()) ---
# Each must be refused with a 400 (or a form error), never a server error: superscript and other
# non-ASCII digits, signs, exponents, separators, blanks, and numbers past the database's
# integers.
BAD_NUMBERS = [
    "²",
    "-1",
    "1e3",
    "99999999999999999999",
    "2147483648",
    "٣",
    "\uff11",  # FULLWIDTH DIGIT ONE
    " 1",
    "1\n",
    "+1",
    "1_0",
    "0x1",
    "1.0",
    "",
    "9" * 5000,
]


@pytest.mark.parametrize("after", BAD_NUMBERS)
def test_a_bad_after_on_the_events_api_is_a_400(api, drafter, after):
    rec = make_recommendation(drafter)
    response = api.get(f"/api/recommendations/{rec.pk}/events/", {"after": after})
    assert response.status_code == 400
    assert list(response.json()) == ["after"]


@pytest.mark.parametrize("after", ["0", "007", "2147483647"])
def test_after_from_zero_to_the_largest_database_integer_is_answered(api, drafter, after):
    rec = make_recommendation(drafter)
    response = api.get(f"/api/recommendations/{rec.pk}/events/", {"after": after})
    assert response.status_code == 200
    if after == "2147483647":
        assert response.json()["events"] == []


def test_events_without_after_start_from_the_beginning(api, drafter):
    rec = make_recommendation(drafter)
    response = api.get(f"/api/recommendations/{rec.pk}/events/")
    assert response.status_code == 200 and response.json()["events"]


@pytest.mark.parametrize("bad", BAD_NUMBERS)
@pytest.mark.parametrize("side", ["from", "to"])
def test_a_bad_version_number_on_the_diff_api_is_a_400(api, drafter, side, bad):
    rec = make_recommendation(drafter, versions=2)
    query = {"from": 1, "to": 2, side: bad}
    response = api.get(f"/api/recommendations/{rec.pk}/diff/", query)
    assert response.status_code == 400
    assert list(response.json()) == ["version"]


@pytest.mark.parametrize("bad", BAD_NUMBERS)
@pytest.mark.parametrize("side", ["from", "to"])
def test_a_bad_version_number_on_the_compare_page_is_a_400(client, drafter, side, bad):
    rec = make_recommendation(drafter, versions=2)
    client.force_login(drafter)
    query = {"from": 1, "to": 2, side: bad}
    response = client.get(f"/recommendations/{rec.pk}/compare/", query)
    assert response.status_code == 400
    assert "A version number is required." in response.content.decode()


@pytest.mark.parametrize("bad", ["²", "99999999999999999999", "٣"])
def test_a_bad_version_to_restore_is_a_400(api, client, drafter, bad):
    rec = make_recommendation(drafter, versions=2)
    response = api.post(f"/api/recommendations/{rec.pk}/restore/", {"version": bad}, format="json")
    assert response.status_code == 400
    client.force_login(drafter)
    page = client.post(f"/recommendations/{rec.pk}/restore/", {"version": bad})
    assert page.status_code in (302, 400)
    rec.refresh_from_db()
    assert rec.version == 2


# A blank parent is a comment that replies to nobody, not a bad number.
BAD_PARENTS = [bad for bad in BAD_NUMBERS if bad]


@pytest.mark.parametrize("bad", BAD_PARENTS)
def test_a_comment_form_with_a_bad_parent_is_a_form_error(client, drafter, other_participant, bad):
    rec = make_recommendation(drafter, status="in_review")
    client.force_login(other_participant)
    response = client.post(
        reverse("comments:create", args=[rec.pk]), {"body": "Kept text.", "parent": bad}
    )
    assert response.status_code == 400
    assert "Kept text." in response.content.decode()
    assert not Comment.objects.filter(recommendation=rec).exists()


@pytest.mark.parametrize("bad", BAD_PARENTS)
def test_a_comment_posted_to_the_api_with_a_bad_parent_is_a_400(
    api, drafter, other_participant, bad
):
    rec = make_recommendation(drafter, status="in_review")
    api.force_authenticate(other_participant)
    response = api.post(
        f"/api/recommendations/{rec.pk}/comments/", {"body": "Kept text.", "parent": bad}
    )
    assert response.status_code == 400
    assert "parent" in response.json()
    assert not Comment.objects.filter(recommendation=rec).exists()


def _eastern_arabic(number: int) -> str:
    return "".join(chr(0x0660 + int(d)) for d in str(number))


@pytest.mark.parametrize(
    "spelling",
    [
        lambda pk: f" {pk}",
        lambda pk: f"+{pk}",
        lambda pk: f"{pk}\n",
        lambda pk: f"0x{pk:x}",
        _eastern_arabic,
        lambda pk: f"{pk}²",
    ],
)
def test_a_recommendation_is_found_only_by_its_id_in_ascii_digits(drafter, spelling):
    from django.http import Http404

    from recommendations import permissions as rec_perms

    rec = make_recommendation(drafter)
    assert rec_perms.get_recommendation_for(drafter, str(rec.pk)) == rec
    with pytest.raises(Http404):
        rec_perms.get_recommendation_for(drafter, spelling(rec.pk))


@pytest.mark.parametrize("pk", ["²", "-1", "99999999999999999999", "9" * 5000, None, 1.5])
def test_the_lookup_helpers_answer_404_for_a_bad_id(drafter, pk):
    from django.http import Http404

    from comments import permissions as comment_perms
    from publication import permissions as pub_perms
    from recommendations import permissions as rec_perms

    for lookup in (
        rec_perms.get_recommendation_for,
        comment_perms.get_comment_for,
        pub_perms.get_edition_for,
    ):
        with pytest.raises(Http404):
            lookup(drafter, pk)
