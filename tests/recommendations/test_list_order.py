"""The list's "Sort by": by theme (the default), recently updated, most supported, most
discussed; each row says when it was last updated and how many comments it has. Every order
costs the same queries for a few rows or many, and never shows a text one may not see."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import services as comments
from publication import services as publication
from recommendations.models import Recommendation
from tests.factories import (
    OrganisationFactory,
    ThemeFactory,
    make_recommendation,
    representative_of,
)

pytestmark = pytest.mark.django_db


def titles(client, **params) -> list[str]:
    response = client.get(reverse("recommendations:list"), params)
    assert response.status_code == 200
    return [rec.title for rec in response.context["page"]]


@pytest.fixture
def three(drafter, other_participant, moderator):
    theme = ThemeFactory(slug="employment")
    a, b, c = (
        make_recommendation(drafter, title=t, status="approved", theme=theme, moderator=moderator)
        for t in ("Alpha", "Beta", "Gamma")
    )
    # Beta most discussed (3 with a reply), Gamma 1, Alpha none.
    first = comments.post_comment(b, actor=other_participant, body="One")
    comments.post_comment(b, actor=drafter, body="Reply", parent=first)
    comments.post_comment(b, actor=other_participant, body="Two")
    comments.post_comment(c, actor=other_participant, body="Three")
    # Gamma most supported (2 organisations now), Alpha 1 (another one withdrew), Beta none.
    orgs = {s: OrganisationFactory(slug=s) for s in "xyz"}
    reps = {s: representative_of(org, f"{s}-rep") for s, org in orgs.items()}
    for s in "xy":
        publication.endorse(c, organisation=orgs[s], actor=reps[s])
    publication.endorse(a, organisation=orgs["z"], actor=reps["z"])
    publication.endorse(a, organisation=orgs["x"], actor=reps["x"])
    publication.withdraw_endorsement(a, organisation=orgs["x"], actor=reps["x"])
    # Alpha updated last.
    Recommendation.objects.filter(pk=a.pk).update(updated_at=timezone.now() + timedelta(hours=1))
    return a, b, c


def test_each_order(client, drafter, three):
    client.force_login(drafter)
    assert titles(client) == ["Alpha", "Beta", "Gamma"]
    assert titles(client, sort="theme") == ["Alpha", "Beta", "Gamma"]
    assert titles(client, sort="updated")[0] == "Alpha"
    assert titles(client, sort="discussed") == ["Beta", "Gamma", "Alpha"]
    assert titles(client, sort="supported") == ["Gamma", "Alpha", "Beta"]
    # Orders combine with the filters.
    assert titles(client, sort="discussed", q="a") == ["Beta", "Gamma", "Alpha"]


def test_rows_say_their_comments_and_last_update(client, drafter, three):
    client.force_login(drafter)
    page = client.get(reverse("recommendations:list"), {"sort": "discussed"}).content.decode()
    counts = re.findall(r'data-field="comment-count">(\d+) comments?<', page)
    assert counts == ["3", "1", "0"]
    assert page.count('data-field="updated">updated ') == 3


def test_an_unknown_order_is_a_form_error_not_a_crash(client, drafter, three):
    client.force_login(drafter)
    response = client.get(reverse("recommendations:list"), {"sort": "loudest"})
    assert response.status_code == 200
    assert "sort" in response.context["form"].errors
    assert [r.title for r in response.context["page"]] == ["Alpha", "Beta", "Gamma"]


def test_no_order_shows_another_organisations_draft(client, drafter, other_participant):
    hidden = make_recommendation(other_participant, title="Their draft")
    comments.post_comment(hidden, actor=other_participant, body="Busy draft")
    make_recommendation(drafter, title="Mine")
    client.force_login(drafter)
    for sort in ("theme", "updated", "discussed", "supported"):
        assert titles(client, sort=sort) == ["Mine"], sort


@pytest.mark.parametrize("sort", ["theme", "updated", "discussed", "supported"])
def test_each_order_costs_the_same_queries_with_few_and_many_rows(
    client, drafter, other_participant, sort
):
    client.force_login(drafter)
    org = OrganisationFactory()

    def grow(n):
        for i in range(n):
            rec = make_recommendation(drafter, title=f"R{i}", co_drafters=[org] if i % 2 else [])
            if i % 3 == 0:
                comments.post_comment(rec, actor=drafter, body="x")

    grow(3)
    client.get(reverse("recommendations:list"), {"sort": sort})
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("recommendations:list"), {"sort": sort})
    grow(15)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("recommendations:list"), {"sort": sort})
    assert len(many) == len(few)
