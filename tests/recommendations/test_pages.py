import pytest
from django.urls import reverse

from recommendations.models import Recommendation
from tests.factories import BODY, OrganisationFactory, ThemeFactory, make_recommendation, member_of

pytestmark = pytest.mark.django_db


def _many(n, drafter, moderator):
    theme = ThemeFactory(slug="employment")
    orgs = [OrganisationFactory() for _ in range(3)]
    for i in range(n):
        make_recommendation(
            drafter,
            title=f"Recommendation {i}",
            status="in_review" if i % 2 else "draft",
            versions=2 if i % 3 == 0 else 1,
            theme=theme,
            co_drafters=orgs[: i % 3],
            moderator=moderator,
        )


@pytest.mark.parametrize("role", ["drafter", "observer", "moderator"])
def test_list_page_costs_the_same_queries_with_5_and_50(
    client, drafter, observer, moderator, django_assert_max_num_queries, role
):
    user = {"drafter": drafter, "observer": observer, "moderator": moderator}[role]
    client.force_login(user)
    _many(5, drafter, moderator)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("recommendations:list")).status_code == 200
    _many(45, drafter, moderator)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("recommendations:list")).status_code == 200
    assert len(many) == len(few)


def test_detail_page_costs_the_same_queries_with_few_and_many_versions(client, drafter, moderator):
    client.force_login(drafter)
    small = make_recommendation(drafter, versions=2, title="small")
    orgs = [OrganisationFactory() for _ in range(8)]
    big = make_recommendation(drafter, versions=20, title="big", co_drafters=orgs)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("recommendations:detail", args=[small.pk]))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("recommendations:detail", args=[big.pk]))
    assert response.status_code == 200
    assert len(many) == len(few)


def test_detail_shows_text_with_paragraph_keys_status_and_activity(client, drafter):
    rec = make_recommendation(drafter, status="in_review")
    client.force_login(drafter)
    body = client.get(rec.get_absolute_url()).content.decode()
    for p in rec.paragraphs:
        assert f'data-key="{p["key"]}"' in body
    # The names in the activity sentences are isolated for direction (<bdi>).
    assert "In review" in body and "<bdi>Lisbon</bdi> submitted this for review" in body
    assert "<bdi>Lisbon</bdi> created version 1" in body


def test_list_filters_by_theme_actor_status_organisation_and_text(
    client, drafter, other_participant, other_org, moderator
):
    employment = ThemeFactory(slug="employment", name="Employment")
    education = ThemeFactory(slug="education", name="Education")
    a = make_recommendation(drafter, title="Jobs for all", theme=employment, status="in_review")
    b = make_recommendation(
        other_participant, title="Schools open", theme=education, status="in_review"
    )
    Recommendation.objects.filter(pk=b.pk).update(addressed=",donor,")
    client.force_login(moderator)

    def titles(**params):
        response = client.get(reverse("recommendations:list"), params)
        return {r.title for r in response.context["page"]}

    assert titles(theme="employment") == {"Jobs for all"}
    assert titles(actor="donor") == {"Schools open"}
    assert titles(status="draft") == set()
    assert titles(organisation="tunis") == {"Schools open"}
    assert titles(q="jobs") == {"Jobs for all"}
    assert titles() == {a.title, b.title}


def test_list_with_a_bad_filter_shows_the_error_not_a_crash(client, drafter):
    client.force_login(drafter)
    response = client.get(reverse("recommendations:list"), {"theme": "nope", "status": "??"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"theme", "status"}


def test_list_is_paginated(client, drafter):
    for i in range(23):
        make_recommendation(drafter, title=f"R{i:02}")
    client.force_login(drafter)
    first = client.get(reverse("recommendations:list"))
    assert len(first.context["page"]) == 20 and "Page 1 of 2" in first.content.decode()
    second = client.get(reverse("recommendations:list"), {"page": 2})
    assert len(second.context["page"]) == 3


def test_create_page_saves_a_draft_and_bad_input_keeps_the_text(client, drafter):
    ThemeFactory(slug="education")
    client.force_login(drafter)
    bad = client.post(
        reverse("recommendations:create"),
        {"title": "", "theme": "education", "addressed_to": ["city"], "body": "My long text"},
    )
    assert bad.status_code == 400
    assert (
        "My long text" in bad.content.decode() and "This field is required" in bad.content.decode()
    )
    good = client.post(
        reverse("recommendations:create"),
        {
            "title": "Teach",
            "theme": "education",
            "addressed_to": ["city"],
            "body": "My long text",
            "note": "start",
        },
    )
    rec = Recommendation.objects.get(title="Teach")
    assert good.status_code == 302 and good["Location"] == rec.get_absolute_url()
    assert rec.lead_organisation.slug == "lisbon"


def test_member_of_two_organisations_must_choose_the_lead(client, drafter, other_org):
    from accounts.services import set_membership

    set_membership(drafter, other_org, actor=None)
    ThemeFactory(slug="education")
    client.force_login(drafter)
    data = {"title": "Teach", "theme": "education", "addressed_to": ["city"], "body": "x"}
    assert client.post(reverse("recommendations:create"), data).status_code == 400
    client.post(reverse("recommendations:create"), {**data, "organisation": "tunis"})
    assert Recommendation.objects.get(title="Teach").lead_organisation == other_org


def _edit_data(rec, body, base):
    return {
        "title": rec.title,
        "theme": rec.theme.slug,
        "addressed_to": rec.addressed_to,
        "summary": rec.summary,
        "body": body,
        "base_version": base,
        "note": "",
    }


def test_stale_edit_page_merges_other_paragraphs(client, drafter, representative):
    rec = make_recommendation(drafter)
    paragraphs = BODY.split("\n\n")
    client.force_login(representative)
    client.post(
        reverse("recommendations:edit", args=[rec.pk]),
        _edit_data(rec, "\n\n".join([paragraphs[0] + " Now.", *paragraphs[1:]]), 1),
    )
    client.force_login(drafter)
    response = client.post(
        reverse("recommendations:edit", args=[rec.pk]),
        _edit_data(rec, "\n\n".join([*paragraphs[:2], paragraphs[2] + " Soon."]), 1),
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert rec.version == 3 and "Now." in rec.body and "Soon." in rec.body


def test_conflict_page_shows_both_texts_and_keeps_the_users_text(client, drafter, representative):
    rec = make_recommendation(drafter)
    client.force_login(representative)
    client.post(
        reverse("recommendations:edit", args=[rec.pk]),
        _edit_data(rec, BODY.replace("single", "theirs-word"), 1),
    )
    client.force_login(drafter)
    mine = BODY.replace("single", "mine-word")
    response = client.post(reverse("recommendations:edit", args=[rec.pk]), _edit_data(rec, mine, 1))
    assert response.status_code == 409
    page = response.content.decode()
    assert "mine-word" in page and "theirs-word" in page
    assert 'name="base_version" value="2"' in page
    rec.refresh_from_db()
    assert rec.version == 2 and "theirs-word" in rec.body
    # Saving the resolution from the conflict page is a deliberate new version.
    resolved = client.post(reverse("recommendations:edit", args=[rec.pk]), _edit_data(rec, mine, 2))
    assert resolved.status_code == 302
    rec.refresh_from_db()
    assert rec.version == 3 and "mine-word" in rec.body


def test_compare_page_shows_word_level_ins_and_del(client, drafter):
    rec = make_recommendation(drafter)
    from recommendations import services

    services.edit_recommendation(
        rec, actor=drafter, base_version=1, body=BODY.replace("single", "unique")
    )
    client.force_login(drafter)
    page = client.get(
        reverse("recommendations:compare", args=[rec.pk]), {"from": 1, "to": 2}
    ).content.decode()
    assert "<del>single</del>" in page and "<ins>unique</ins>" in page
    assert "diff-changed" in page


@pytest.mark.parametrize("query", [{"from": "x", "to": 1}, {"from": 1, "to": 99}])
def test_compare_with_bad_versions_is_a_400_with_a_message(client, drafter, query):
    rec = make_recommendation(drafter)
    client.force_login(drafter)
    response = client.get(reverse("recommendations:compare", args=[rec.pk]), query)
    assert response.status_code == 400 and "version" in response.content.decode()


def test_preview_uses_the_sanitiser(client, drafter):
    client.force_login(drafter)
    response = client.post(
        reverse("recommendations:preview"),
        {"body": "**bold** <script>alert(1)</script> [x](javascript:alert(1))"},
    )
    html = response.json()["html"]
    assert "<strong>bold</strong>" in html and "<script" not in html and "javascript:" not in html


def test_action_conflicts_show_the_page_with_a_409(client, drafter, moderator):
    rec = make_recommendation(drafter, status="in_review")
    client.force_login(moderator)
    client.post(reverse("recommendations:approve", args=[rec.pk]), {"version": 1})
    again = client.post(reverse("recommendations:approve", args=[rec.pk]), {"version": 1})
    assert (
        again.status_code == 409 and "not newer than the approved version" in again.content.decode()
    )


def test_reject_without_reason_is_a_400_with_a_message(client, drafter, moderator):
    rec = make_recommendation(drafter, status="in_review")
    client.force_login(moderator)
    response = client.post(reverse("recommendations:reject", args=[rec.pk]), {"reason": ""})
    assert response.status_code == 400 and "required" in response.content.decode()
    rec.refresh_from_db()
    assert rec.status == "in_review"


def test_home_lists_what_needs_attention(client, drafter, moderator, secretariat):
    make_recommendation(drafter, title="Mine in review", status="in_review")
    make_recommendation(drafter, title="Mine approved", status="approved", moderator=moderator)
    client.force_login(moderator)
    assert "Mine in review" in client.get("/").content.decode()
    client.force_login(secretariat)
    page = client.get("/").content.decode()
    assert "Approved, ready to finalise" in page and "Mine approved" in page
    client.force_login(drafter)
    assert "in progress" in client.get("/").content.decode()
    other = member_of(OrganisationFactory(), "someone")
    client.force_login(other)
    assert "Open for your comments" in client.get("/").content.decode()


def test_final_recommendation_shows_the_frozen_approved_text(
    client, drafter, moderator, secretariat
):
    from recommendations import services

    rec = make_recommendation(drafter, status="approved", moderator=moderator)
    services.edit_recommendation(rec, actor=drafter, base_version=1, body="Unapproved later text")
    services.finalise_recommendation(rec, actor=secretariat)
    client.force_login(drafter)
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "Cities should open a single welcome point" in page
    assert "Unapproved later text" not in page
    api = client.get(reverse("api-recommendation", args=[rec.pk])).json()
    assert api["body"] == BODY and api["final_version"] == 1


def test_compare_shows_the_text_as_people_read_it_with_the_source_one_click_away(client, drafter):
    from recommendations import services

    first = "Cities should open **one** welcome point for housing, health and legal advice."
    second = "National governments should fund the language courses that cities run."
    rec = make_recommendation(drafter, body=f"## Context\n\n{first}\n\n{second}")
    services.edit_recommendation(
        rec,
        actor=drafter,
        base_version=1,
        body=f"## Context\n\n{second}\n\n{first.replace('one', 'one key')}",
    )
    client.force_login(drafter)
    page = client.get(
        reverse("recommendations:compare", args=[rec.pk]), {"from": 1, "to": 2}
    ).content.decode()
    rendered = page[page.index('id="diff-rendered"') : page.index('class="source-diff"')]
    assert "<strong>" in rendered and "**" not in rendered
    assert "moved here from ¶1" in rendered and "A paragraph moved from here to ¶2." in rendered
    assert "<strong>one<ins> key</ins></strong>" in rendered
    assert "Context" in rendered and "¶" not in rendered.split("Context")[0]
    # The Markdown source diff stays, behind a disclosure.
    assert "<summary>Show the changes in the Markdown source</summary>" in page
