"""The text versions are django-reversion revisions, each with its VersionMeta."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient
from reversion.models import Revision, Version

from recommendations import services
from recommendations.models import VersionMeta
from tests.factories import BODY, make_recommendation

pytestmark = pytest.mark.django_db


def test_each_text_version_is_one_revision_with_its_meta(drafter, lead_org):
    rec = make_recommendation(drafter, versions=2)
    rec = services.restore_version(rec, actor=drafter, version=1, note="Back to the start")
    revisions = list(Revision.objects.order_by("pk").select_related("recommendation_version"))
    assert [r.recommendation_version.number for r in revisions] == [1, 2, 3]
    v3 = revisions[-1].recommendation_version
    assert (v3.author, v3.organisation, v3.note, v3.restored_from) == (
        drafter,
        lead_org,
        "Back to the start",
        1,
    )
    assert revisions[-1].user == drafter and revisions[-1].comment == "Back to the start"
    assert revisions[-1].date_created == v3.created_at
    assert (v3.body, v3.body_html, v3.paragraphs) == (BODY, rec.body_html, rec.paragraphs)


def test_status_approval_and_drafter_changes_make_no_revision(
    drafter, other_org, moderator, secretariat
):
    rec = make_recommendation(drafter, versions=2)
    services.add_co_drafter(rec, organisation=other_org, actor=drafter)
    services.remove_co_drafter(rec, organisation=other_org, actor=drafter)
    rec = services.submit_for_review(rec, actor=drafter)
    rec = services.approve_version(rec, version=2, actor=moderator)
    rec = services.finalise_recommendation(rec, actor=secretariat)
    assert rec.status == "final"
    assert Version.objects.get_for_object(rec).count() == 2
    assert not Revision.objects.filter(recommendation_version__isnull=True).exists()
    verbs = list(rec.activities.order_by("pk").values_list("verb", flat=True))
    assert verbs == [
        "created",
        "edited",
        "drafter_added",
        "drafter_removed",
        "submitted",
        "approved",
        "finalised",
    ]


def test_the_revision_keeps_the_text_and_leaves_cached_html_and_counters_out(drafter):
    rec = make_recommendation(drafter)
    rec = services.edit_recommendation(
        rec, actor=drafter, base_version=1, title="Welcome desks", summary="Short."
    ).recommendation
    fields = Version.objects.get_for_object(rec).first().field_dict
    assert (fields["title"], fields["summary"], fields["body"]) == ("Welcome desks", "Short.", BODY)
    assert fields["version"] == 2
    for cached in ("body_html", "paragraphs", "footnotes_html", "last_event_seq", "updated_at"):
        assert cached not in fields


def test_a_refused_edit_leaves_no_revision(drafter, representative):
    rec = make_recommendation(drafter)
    services.edit_recommendation(rec, actor=representative, base_version=1, title="Theirs")
    with pytest.raises(services.EditConflict):
        services.edit_recommendation(rec, actor=drafter, base_version=1, title="Mine")
    assert Revision.objects.count() == VersionMeta.objects.count() == 2


def test_versions_read_their_text_in_one_query(drafter, django_assert_num_queries):
    rec = make_recommendation(drafter, versions=4)
    with django_assert_num_queries(1):
        texts = [
            (v.number, v.title, v.summary, v.body)
            for v in VersionMeta.objects.with_text().filter(recommendation=rec)
        ]
    assert [n for n, *_ in texts] == [4, 3, 2, 1]
    assert texts[-1] == (1, "Welcome points", "", BODY)
    assert texts[0][3] == BODY + "\n\nAddition 2.\n\nAddition 3.\n\nAddition 4."


def test_a_version_read_without_its_text_fetches_it_once(drafter, django_assert_num_queries):
    rec = make_recommendation(drafter, versions=2)
    v1 = VersionMeta.objects.get(recommendation=rec, number=1)
    with django_assert_num_queries(1):
        assert (v1.title, v1.summary, v1.body) == ("Welcome points", "", BODY)


def _add_versions(rec, drafter, until: int):
    """Edits through the services until ``rec`` has ``until`` versions (a short text)."""
    while rec.version < until:
        body = BODY if rec.version % 2 == 0 else BODY + f"\n\nVersion {rec.version + 1}."
        rec = services.edit_recommendation(
            rec, actor=drafter, base_version=rec.version, body=body
        ).recommendation
    return rec


@pytest.mark.parametrize(
    "url",
    [
        "recommendations:history",
        "recommendations:detail",
        "api-versions",
    ],
)
def test_history_costs_the_same_queries_with_5_and_200_versions(
    client, drafter, moderator, django_assert_num_queries, url
):
    few = _add_versions(make_recommendation(drafter, title="Few"), drafter, 5)
    many = _add_versions(make_recommendation(drafter, title="Many"), drafter, 200)
    client.force_login(drafter)
    client.get(reverse(url, args=[few.pk]))  # warm the per-process caches (content types)
    with CaptureQueriesContext(connection) as counted:
        response = client.get(reverse(url, args=[few.pk]))
    assert response.status_code == 200
    with django_assert_num_queries(len(counted)):
        response = client.get(reverse(url, args=[many.pk]))
    assert response.status_code == 200
    if url == "recommendations:history":
        # Fifty versions a page, newest first; the choice to compare offers all 200.
        page = response.content.decode()
        assert page.count("<tr data-version=") == 50
        assert '<tr data-version="200">' in page and '<tr data-version="151">' in page
        for name in ("from", "to"):
            choice = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
            assert choice.group(1).count("<option value=") == 200
        last = client.get(reverse(url, args=[many.pk]), {"page": 4}).content.decode()
        assert last.count("<tr data-version=") == 50 and '<tr data-version="1">' in last
        assert 'rel="prev"' in last and 'rel="next"' not in last
    if url == "api-versions":
        data = response.json()
        assert [v["version"] for v in data] == list(range(200, 0, -1))
        assert data[0]["body"] == BODY + "\n\nVersion 200." and data[1]["body"] == BODY


def test_approving_reads_the_version_from_the_history(drafter, moderator):
    rec = make_recommendation(drafter, versions=3, status="in_review")
    rec = services.approve_version(rec, version=2, actor=moderator)
    assert rec.approved_version == 2
    with pytest.raises(ValidationError):
        services.approve_version(rec, version=9, actor=moderator)


def test_final_text_is_read_from_the_frozen_version(drafter, moderator, secretariat):
    rec = make_recommendation(drafter, versions=2, status="in_review")
    rec = services.approve_version(rec, version=1, actor=moderator)
    rec = services.finalise_recommendation(rec, actor=secretariat)
    api = APIClient()
    api.force_authenticate(drafter)
    data = api.get(f"/api/recommendations/{rec.pk}/").json()
    assert (data["version"], data["body"], data["title"]) == (2, BODY, "Welcome points")
    v1 = VersionMeta.objects.get(recommendation=rec, number=1)
    assert data["body_html"] == v1.body_html and data["paragraphs"] == v1.paragraphs
