"""Full-text search over recommendations, their translations and their comments, on both
databases (the suite runs on SQLite's FTS5 and on PostgreSQL's GIN index): ranked, marked
excerpts, the list's filters and orders, and never a text the person may not see."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments import services as comments
from recommendations import listing, search, services, translations
from recommendations.models import Recommendation, SearchDocument
from tests.factories import OrganisationFactory, make_recommendation, member_of

pytestmark = pytest.mark.django_db

AR_BODY = (
    "ينبغي للمدن أن تفتح نقطة استقبال موحدة يجد فيها الوافدون الجدد المشورة.\n\n"
    "وتتعاون البلديات مع الجمعيات المحلية لتدريب الوسطاء الثقافيين في الأحياء."
)
FR_BODY = (
    "Les villes devraient ouvrir un guichet unique d'accueil pour les réfugiés.\n\n"
    "L'État finance ces guichets pendant cinq ans."
)


def found(user, query: str, **filters) -> list[str]:
    qs = Recommendation.objects.visible_to(user)
    return [rec.title for rec in listing.results(qs, {"q": query, **filters})]


@pytest.fixture
def texts(drafter, moderator):
    welcome = make_recommendation(drafter, title="Welcome points", status="approved")
    arabic = make_recommendation(
        drafter, title="نقاط الاستقبال في المدن", body=AR_BODY, status="in_review"
    )
    french = make_recommendation(
        drafter, title="Guichets uniques", body=FR_BODY, status="approved", moderator=moderator
    )
    return welcome, arabic, french


def test_an_arabic_word_is_found_in_an_arabic_text(drafter, other_participant, texts):
    _welcome, arabic, _french = texts
    for query in ("استقبال", "الاستقبال", "مدن", "البلديات", "بلديات", "الجمعيات المحلية"):
        assert found(other_participant, query) == [arabic.title], query


def test_a_french_word_with_and_without_accents(other_participant, texts):
    french = texts[2]
    for query in ("réfugiés", "refugies", "Refugiés", "etat", "ÉTAT", "guichet"):
        assert found(other_participant, query) == [french.title], query


def test_english_words_match_by_their_beginning(other_participant, texts):
    assert found(other_participant, "welcom languag") == ["Welcome points"]
    assert found(other_participant, "nothing-like-this") == []


def test_a_title_ranks_above_a_mention_in_a_comment(drafter, other_participant, texts):
    _welcome, _arabic, french = texts
    comments.post_comment(french, actor=other_participant, body="Welcome points would help.")
    assert found(other_participant, "welcome") == ["Welcome points", "Guichets uniques"]


def test_no_draft_of_another_organisation_is_ever_found(
    drafter, other_participant, moderator, texts
):
    secret = make_recommendation(
        drafter, title="Confidential budget lines", body="Zanzibar clause.", status="draft"
    )
    comments.post_comment(secret, actor=drafter, body="Keep the quetzal figures.")
    for query in ("confidential", "zanzibar", "quetzal"):
        assert found(other_participant, query) == [], query
        # The API and the page apply the same rule.
        assert found(drafter, query) == [secret.title], query
        assert found(moderator, query) == [secret.title], query


def test_the_api_and_the_page_never_show_another_organisations_draft(
    client, drafter, other_participant, texts
):
    make_recommendation(drafter, title="Secret plan", body="Zanzibar clause.", status="draft")
    client.force_login(other_participant)
    api = client.get("/api/recommendations/", {"q": "zanzibar"})
    assert api.status_code == 200 and api.json()["count"] == 0
    page = client.get(reverse("recommendations:list"), {"q": "zanzibar"})
    assert "Secret plan" not in page.content.decode()
    client.force_login(drafter)
    assert client.get("/api/recommendations/", {"q": "zanzibar"}).json()["count"] == 1


def test_a_hidden_comment_is_not_found_until_restored(drafter, other_participant, moderator, texts):
    welcome = texts[0]
    comment = comments.post_comment(welcome, actor=other_participant, body="Xylophone remark.")
    assert found(other_participant, "xylophone") == ["Welcome points"]
    comments.hide_comment(comment, actor=moderator, reason="Off topic")
    assert found(other_participant, "xylophone") == []
    assert found(moderator, "xylophone") == []
    comments.restore_comment(comment, actor=moderator)
    assert found(other_participant, "xylophone") == ["Welcome points"]


def test_an_edit_changes_what_is_found(drafter, other_participant, texts):
    welcome = texts[0]
    result = services.edit_recommendation(
        welcome, actor=drafter, base_version=welcome.version, body="Open a harbour desk."
    )
    assert result.recommendation.version == welcome.version + 1
    assert found(other_participant, "harbour") == ["Welcome points"]
    assert found(other_participant, "languages") == []


def test_a_translation_is_found_and_named(client, drafter, other_participant, texts):
    welcome = texts[0]
    translations.save_translation(
        welcome,
        actor=drafter,
        language="fr",
        base_version=welcome.version,
        title="Points d'accueil",
        body="Les villes ouvrent un point d'accueil pour les nouveaux arrivants.",
    )
    assert found(other_participant, "arrivants") == ["Welcome points"]
    client.force_login(other_participant)
    page = client.get(reverse("recommendations:list"), {"q": "arrivants"}).content.decode()
    assert f'href="/recommendations/{welcome.pk}/?lang=fr"' in page
    assert "<mark>arrivants</mark>" in page


def test_the_page_marks_the_words_and_links_the_comment(client, drafter, other_participant, texts):
    french = texts[2]
    comment = comments.post_comment(
        french, actor=other_participant, body="Le <b>quartier</b> du port <script>x</script>"
    )
    client.force_login(other_participant)
    response = client.get(reverse("recommendations:list"), {"q": "quartier"})
    page = response.content.decode()
    assert [r.title for r in response.context["page"]] == ["Guichets uniques"]
    assert f'href="/recommendations/{french.pk}/?comment={comment.pk}#comment-{comment.pk}"' in page
    hit = re.search(r'<p class="search-hit".*?</p>', page, re.S).group()
    assert "<mark>quartier</mark>" in hit
    assert "<script>" not in hit and "<b>" not in hit


def test_filters_and_orders_combine_with_search(drafter, other_participant, texts):
    _welcome, _arabic, french = texts
    comments.post_comment(french, actor=other_participant, body="The welcome matters.")
    assert found(other_participant, "welcome", status="approved") == [
        "Welcome points",
        "Guichets uniques",
    ]
    assert found(other_participant, "welcome", status="in_review") == []
    # Another order keeps only the matches, in that order.
    assert found(other_participant, "welcome", sort="discussed") == [
        "Guichets uniques",
        "Welcome points",
    ]


@pytest.mark.parametrize("query", ["***", "'\"", "NEAR(", "a" * 200, "-- ; DROP TABLE x"])
def test_odd_input_is_no_error(client, other_participant, texts, query):
    client.force_login(other_participant)
    page = client.get(reverse("recommendations:list"), {"q": query})
    assert page.status_code == 200
    assert client.get("/api/recommendations/", {"q": query}).status_code == 200


def test_too_long_a_query_is_a_form_error(client, other_participant, texts):
    client.force_login(other_participant)
    response = client.get(reverse("recommendations:list"), {"q": "x" * 201})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]
    api = client.get("/api/recommendations/", {"q": "x" * 201})
    assert api.status_code == 400


def test_an_unknown_order_in_the_api_is_a_400(client, other_participant, texts):
    client.force_login(other_participant)
    response = client.get("/api/recommendations/", {"sort": "loudest"})
    assert response.status_code == 400
    assert "relevance" in response.json()["sort"][0]


def test_the_api_lists_the_best_match_first(client, drafter, other_participant, texts):
    french = texts[2]
    comments.post_comment(french, actor=other_participant, body="Welcome desks again.")
    client.force_login(other_participant)
    results = client.get("/api/recommendations/", {"q": "welcome"}).json()["results"]
    assert [r["title"] for r in results] == ["Welcome points", "Guichets uniques"]


def test_rebuilding_gives_the_same_index(drafter, other_participant, texts):
    comments.post_comment(texts[0], actor=other_participant, body="Xylophone.")
    before = sorted(SearchDocument.objects.values_list("recommendation_id", "kind", "key", "text"))
    assert search.rebuild() == len(before)
    after = sorted(SearchDocument.objects.values_list("recommendation_id", "kind", "key", "text"))
    assert after == before
    assert found(other_participant, "xylophone") == ["Welcome points"]


def _queries(client, query: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("recommendations:list"), {"q": query})
    assert response.status_code == 200
    return len(ctx)


def test_a_search_page_costs_the_same_queries_for_few_or_many(
    client, drafter, other_participant, moderator
):
    org = OrganisationFactory(slug="lyon-search")
    author = member_of(org, "author-search")
    make_recommendation(author, title="Harbour desk 0", status="approved", moderator=moderator)
    client.force_login(other_participant)
    client.get(reverse("recommendations:list"), {"q": "harbour"})
    few = _queries(client, "harbour")
    for i in range(1, 8):
        rec = make_recommendation(
            author, title=f"Harbour desk {i}", status="approved", moderator=moderator
        )
        comments.post_comment(rec, actor=other_participant, body="The harbour again.")
    many = _queries(client, "harbour")
    assert few == many


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(query=st.text(max_size=60) | st.sampled_from(["٣a", "1e5", "a:b", "x\x00y", "ـــ", "ﷺ"]))
def test_any_query_is_answered_on_this_database(other_participant, texts, query):
    """Whatever is typed, the database answers (no syntax error on either engine)."""
    ranked = search.search(Recommendation.objects.visible_to(other_participant), query)
    page = ranked[0:20]
    search.attach_hits(page, query)
    assert len(page) == min(len(ranked), 20)
    assert all(rec.search_hit is not None for rec in page)
