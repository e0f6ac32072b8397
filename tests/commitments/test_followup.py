"""The edition's commitments section, the follow-up overview's numbers and the public pages:
what the public sees, at a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commitments import services
from commitments.models import Commitment
from tests.commitments.helpers import commit
from tests.factories import make_recommendation
from tests.publication.helpers import approved, final, org_with_rep, publish, theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(drafter, moderator, secretariat, other_org, other_representative):
    """A published edition of two recommendations with commitments of several kinds, one
    private, one made after publication."""
    housing = final(
        drafter, moderator, secretariat, title="Housing first", theme=theme("housing", "Housing", 0)
    )
    school = final(
        drafter, moderator, secretariat, title="Schools", theme=theme("education", "Education", 1)
    )
    state, state_rep = org_with_rep("demo-state", "state", "Demo State")
    ngo, ngo_rep = org_with_rep("ngo", "civil_society", "Réseau = solidarité")
    commit(housing, other_org, other_representative, action="Tunis: 20 flats.")
    commit(
        housing,
        state,
        state_rep,
        action="Fund the flats.",
        indicator="",
        indicator_unit="",
        target_value=None,
    )
    commit(school, ngo, ngo_rep, action="Mentors in every school.")
    commit(school, state, state_rep, action="Private plan.", is_public=False)
    edition = publish(secretariat)
    late = commit(school, other_org, other_representative, action="Made after publication.")
    return {"edition": edition, "housing": housing, "school": school, "late": late}


def test_the_edition_carries_the_public_commitments_by_kind_in_its_hashed_markdown(published):
    edition = published["edition"]
    md = edition.markdown
    assert edition.sha256 == hashlib.sha256(md.encode()).hexdigest()
    section = md[md.index("## Commitments") :]
    assert section.index("### Housing first") < section.index("### Schools")
    housing = section[: section.index("### Schools")]
    assert housing.index("#### Cities") < housing.index("#### States")
    assert "- Tunis: Tunis: 20 flats. (by " in housing
    assert "indicator: Desks open, target 10 desks; version 1)" in housing
    assert "Private plan." not in md
    assert "Made after publication." not in md
    page = Client().get(edition.get_absolute_url())
    assert b"Mentors in every school." in page.content
    assert b"Made after publication." not in page.content


def test_an_edition_without_commitments_has_no_such_section(drafter, moderator, secretariat):
    final(drafter, moderator, secretariat, title="Alone")
    assert "## Commitments" not in publish(secretariat).markdown


def test_the_overview_numbers_equal_a_count_from_the_database(
    published, other_representative, secretariat
):
    late = published["late"]
    services.post_progress(late, actor=other_representative, status="done")
    tunis_housing = Commitment.objects.get(action="Tunis: 20 flats.")
    services.post_progress(
        tunis_housing, actor=other_representative, status="dropped", reason="No land."
    )
    Commitment.objects.filter(action="Mentors in every school.").update(
        target_date=timezone.localdate() - dt.timedelta(days=3)
    )
    answer = Client().get(reverse("cm-api-followup")).json()

    public = Commitment.objects.filter(
        is_public=True, recommendation__edition_entries__edition__published_at__isnull=False
    ).distinct()
    today = timezone.localdate()
    assert answer["totals"] == {
        "total": public.count(),
        "done": public.filter(status="done").count(),
        "in_progress": public.filter(status="in_progress").count(),
        "not_started": public.filter(status="not_started").count(),
        "dropped": public.filter(status="dropped").count(),
        "overdue": public.filter(
            status__in=["not_started", "in_progress"], target_date__lt=today
        ).count(),
    }
    assert answer["totals"] == {
        "total": 4,
        "done": 1,
        "in_progress": 0,
        "not_started": 2,
        "dropped": 1,
        "overdue": 1,
    }
    by_kind = {row["kind"]: row["total"] for row in answer["by_kind"]}
    for kind, total in by_kind.items():
        assert total == public.filter(actor_kind=kind).count()
    by_theme = {row["theme"]: row["total"] for row in answer["by_theme"]}
    assert by_theme == {
        slug: public.filter(recommendation__theme__slug=slug).count()
        for slug in ("housing", "education")
    }
    page = Client().get(reverse("commitments:followup"))
    assert page.status_code == 200
    assert b'<dd data-count="total">4</dd>' in page.content
    assert b'<dd data-count="overdue">1</dd>' in page.content


def test_the_public_sees_only_public_commitments_on_published_texts(
    published, drafter, moderator, other_org, other_representative, observer
):
    unpublished = approved(drafter, moderator, title="Not yet published")
    commit(unpublished, other_org, other_representative, action="On an unpublished text.")
    anonymous = Client()
    page = anonymous.get(reverse("commitments:organisation", args=["tunis"]))
    assert b"Tunis: 20 flats." in page.content
    assert b"On an unpublished text." not in page.content
    assert b"Not yet published" not in page.content
    state = anonymous.get(reverse("commitments:organisation", args=["demo-state"]))
    assert b"Private plan." not in state.content
    hidden = anonymous.get(reverse("commitments:followup_recommendation", args=[unpublished.pk]))
    assert hidden.status_code == 404
    participant = Client()
    participant.force_login(observer)
    seen = participant.get(reverse("commitments:organisation", args=["tunis"]))
    assert b"On an unpublished text." in seen.content
    private = Commitment.objects.get(action="Private plan.")
    assert participant.get(private.get_absolute_url()).status_code == 404
    assert anonymous.get(private.get_absolute_url()).status_code == 404


def test_the_csv_is_public_commitments_only_and_safe_from_formulas(published):
    response = Client().get(reverse("cm-api-csv"))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "Private plan." not in text and "Made after publication." in text
    assert '"Réseau = solidarité"' in text  # an "=" inside the text is no formula start
    rows = text.splitlines()
    assert rows[0].startswith('"id","recommendation"')


def test_a_formula_in_an_action_is_neutralised_in_the_csv(published, other_representative):
    c = published["late"]
    services.update_commitment(c, actor=other_representative, action='=HYPERLINK("x");+1')
    text = Client().get(reverse("cm-api-csv")).content.decode("utf-8-sig")
    assert '"\'=HYPERLINK(""x"");\'+1"' in text


def _more(drafter, moderator, secretariat, n):
    for i in range(n):
        rec = final(drafter, moderator, secretariat, title=f"Extra {i}")
        org, rep = org_with_rep(f"city-{i}", "city")
        commit(rec, org, rep, action=f"Extra commitment {i}")
    publish(secretariat, title=f"Edition with {n}")


@pytest.mark.parametrize("url_name", ["followup", "organisation"])
def test_public_pages_cost_the_same_queries_with_more_data(
    url_name, published, drafter, moderator, secretariat, django_assert_num_queries
):
    url = (
        reverse("commitments:followup")
        if url_name == "followup"
        else reverse("commitments:organisation", args=["demo-state"])
    )
    client = Client()
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _more(drafter, moderator, secretariat, 4)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_recommendation_page_lists_commitments_by_kind_at_fixed_cost(
    published, drafter, moderator, other_representative, django_assert_num_queries
):
    rec = approved(drafter, moderator, title="Open")
    client = Client()
    client.force_login(other_representative)
    url = rec.get_absolute_url()
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(3):
        org, rep = org_with_rep(f"town-{i}", "city")
        commit(rec, org, rep, action=f"Town {i} acts.")
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert page.content.count(b"data-commitment=") == 3
    assert b"Commit in the name of Tunis" in page.content
    assert make_recommendation  # the factory stays importable for the matrix


def test_a_commitment_page_costs_the_same_queries_with_more_updates(
    published, other_representative, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = published["late"]
    services.post_progress(c, actor=other_representative, status="in_progress", current_value="1")
    client = Client()
    client.get(c.get_absolute_url())
    with CaptureQueriesContext(connection) as small:
        assert client.get(c.get_absolute_url()).status_code == 200
    for value in range(2, 7):
        services.post_progress(
            c, actor=other_representative, status="in_progress", current_value=str(value)
        )
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(c.get_absolute_url())
    assert page.content.count(b"data-update=") == 6
    assert b'class="chart-line"' in page.content
