"""The overview: its numbers are those of a count made here from the database, for what each
role may see; the page costs the same number of queries whatever the amount of data; it
shows what changed since the person's previous visit; the public is sent to log in."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from publication import services as publication
from publication.models import Endorsement
from recommendations.models import Recommendation
from tests.factories import ThemeFactory, make_recommendation
from tests.publication.helpers import approved, org_with_rep

from .helpers import make_conference

pytestmark = pytest.mark.django_db


def _world(drafter, moderator, *, size: int):
    """Recommendations of ``drafter``'s organisation in every state, in two themes."""
    themes = [
        ThemeFactory(slug="inclusion", name="Inclusion"),
        ThemeFactory(slug="jobs", name="Jobs"),
    ]
    recs = []
    for i in range(size):
        theme = themes[i % 2]
        recs.append(make_recommendation(drafter, title=f"Draft {i}", theme=theme))
        recs.append(
            make_recommendation(drafter, status="in_review", title=f"Review {i}", theme=theme)
        )
        recs.append(approved(drafter, moderator, title=f"Approved {i}", theme=theme))
    return themes, recs


def _page_counts(html: str) -> dict[tuple[str, str], int]:
    """{(theme slug, status): n} as the page's table shows it."""
    counts = {}
    for slug, row in re.findall(r'<tr data-theme="([^"]+)">(.*?)</tr>', html, re.S):
        for status, n in re.findall(r'<td data-status="([^"]+)">(\d+)</td>', row):
            counts[(slug, status)] = int(n)
    return counts


def _db_counts(user) -> dict[tuple[str, str], int]:
    counts = {}
    for rec in Recommendation.objects.visible_to(user).select_related("theme"):
        key = (rec.theme.slug, rec.status)
        counts[key] = counts.get(key, 0) + 1
    return counts


@pytest.mark.parametrize("role", ["drafter", "other_participant", "moderator"])
def test_the_numbers_are_those_of_the_database_for_each_role(
    role, request, drafter, moderator, secretariat, lead_org
):
    make_conference(secretariat)
    _themes, recs = _world(drafter, moderator, size=2)
    state, state_rep = org_with_rep("demo-state", "state", "Demo State")
    endorsed = recs[2]
    publication.endorse(endorsed, organisation=state, actor=state_rep)
    user = request.getfixturevalue(role)
    client = Client()
    client.force_login(user)
    html = client.get(reverse("conference:overview")).content.decode()
    expected = _db_counts(user)
    shown = {k: v for k, v in _page_counts(html).items() if v}
    assert shown == expected
    if role == "other_participant":
        assert all(status != "draft" for _slug, status in shown)
    api = client.get(reverse("conf-api-overview")).json()
    assert api["totals"]["recommendations"] == sum(expected.values())
    support = {row["recommendation"]: row for row in api["support"]}
    state_count = {k["kind"]: k["count"] for k in support[endorsed.pk]["kinds"]}["state"]
    assert (
        state_count
        == Endorsement.objects.live()
        .filter(recommendation=endorsed, organisation__kind="state")
        .count()
        == 1
    )
    assert 'data-kind="state"><dt>States</dt><dd><meter min="0" max="1" value="1"' in html
    silent = set(api["organisations_without_endorsement"])
    assert "demo-state" not in silent and lead_org.slug in silent


def test_the_overview_is_for_signed_in_people(db):
    response = Client().get(reverse("conference:overview"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Client().get(reverse("conf-api-overview")).status_code in (401, 403)


@pytest.mark.parametrize("size", [1, 4])
def test_the_page_costs_the_same_queries_whatever_the_data(
    size, drafter, moderator, secretariat, django_assert_num_queries
):
    make_conference(secretariat)
    _world(drafter, moderator, size=size)
    client = Client()
    client.force_login(moderator)
    client.get(reverse("conference:overview"))  # the first visit is recorded
    with django_assert_num_queries(QUERIES):
        assert client.get(reverse("conference:overview")).status_code == 200


QUERIES = 18  # 17 + what the merged layout and overview read (notifications), less the
# conference read twice (once now: overview_for hands it to the themes)


def test_what_changed_since_the_last_visit(drafter, moderator, secretariat):
    make_conference(secretariat)
    rec = make_recommendation(drafter, status="in_review", title="Watched")
    client = Client()
    client.force_login(moderator)
    first = client.get(reverse("conference:overview")).content.decode()
    assert "This is your first visit" in first
    from recommendations import services

    services.approve_version(rec, version=1, actor=moderator)
    second = client.get(reverse("conference:overview")).content.decode()
    assert "Watched" in second and "approved version 1" in second
    third = client.get(reverse("conference:overview")).content.decode()
    assert "Nothing changed since your last visit." in third


def test_the_page_charts_the_most_supported_and_links_to_all(
    drafter, moderator, secretariat, other_participant, monkeypatch
):
    """At conference scale thousands of charts made the page megabytes: it shows the most
    supported ones and says how many there are; the API still gives every one."""
    from conference import overview

    monkeypatch.setattr(overview, "SUPPORT_SHOWN", 2)
    make_conference(secretariat)
    recs = [approved(drafter, moderator, title=f"Text {i}") for i in range(4)]
    for i, rec in enumerate(recs):  # Text 3 most supported, then Text 2, ...
        for j in range(i):
            org, rep = org_with_rep(f"city-{i}-{j}", "city", f"City {i} {j}")
            publication.endorse(rec, organisation=org, actor=rep)
    client = Client()
    client.force_login(other_participant)
    html = client.get(reverse("conference:overview")).content.decode()
    charted = re.findall(r'<figure class="support-chart" data-recommendation="(\d+)"', html)
    assert charted == [str(recs[3].pk), str(recs[2].pk)]
    assert "The 2 most supported of 4 approved or final recommendations." in html
    assert 'href="/recommendations/?sort=supported"' in html
    api = client.get(reverse("conf-api-overview")).json()
    assert len(api["support"]) == 4
