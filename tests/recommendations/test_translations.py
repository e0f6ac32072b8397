"""Translations of recommendations: the API, the merge of stale edits, bad input, outdating."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from recommendations import services, translations
from recommendations.models import Event, Translation, TranslationVersion
from tests.factories import OrganisationFactory, make_recommendation, member_of

pytestmark = pytest.mark.django_db

FR_BODY = (
    "Les villes devraient ouvrir un guichet unique d'accueil.\n\n"
    "Le guichet devrait fonctionner dans les principales langues d'arrivée.\n\n"
    "Les gouvernements nationaux devraient financer ces guichets."
)


def api(user, language: str = "en") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def put(client: APIClient, rec, lang: str, **data):
    url = reverse("api-translation", args=[rec.pk, lang])
    return client.put(url, data, format="json")


def french(**extra) -> dict:
    return {
        "base_version": 1,
        "title": "Guichets d'accueil",
        "body": FR_BODY,
        **extra,
    }


@pytest.fixture
def rec(drafter):
    return make_recommendation(drafter, status="in_review")


@pytest.fixture
def translator_org(db):
    return OrganisationFactory(name="Lyon", slug="lyon", country="France")


@pytest.fixture
def translator(translator_org):
    return member_of(translator_org, "lyon-translator")


def test_drafter_adds_a_translation_of_a_version(drafter, rec):
    response = put(api(drafter), rec, "fr", **french())
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["language"], body["version"], body["translated_version"]) == ("fr", 1, 1)
    assert body["outdated"] is False
    assert "guichet unique" in body["body_html"]
    listed = api(drafter).get(reverse("api-translations", args=[rec.pk])).json()
    assert [t["language"] for t in listed] == ["fr"]


def test_reader_gets_the_french_text_in_the_usual_fields(drafter, rec, other_participant):
    put(api(drafter), rec, "fr", **french(summary="Un guichet par ville."))
    url = reverse("api-recommendation", args=[rec.pk])
    data = api(other_participant).get(url, {"lang": "fr"}).json()
    assert data["title"] == "Guichets d'accueil"
    assert data["summary"] == "Un guichet par ville."
    assert data["body"] == FR_BODY
    assert data["language"] == "fr"
    assert data["translation"] == {"translated_version": 1, "outdated": False}
    original = api(other_participant).get(url).json()
    assert (original["language"], original["translation"]) == ("en", None)
    assert original["title"] == rec.title


def test_new_original_version_outdates_the_translation_and_says_what_changed(drafter, rec):
    put(api(drafter), rec, "fr", **french())
    body = rec.body.replace("main languages", "six main languages")
    services.edit_recommendation(rec, actor=drafter, base_version=1, body=body)
    rec.refresh_from_db()
    data = api(drafter).get(reverse("api-recommendation", args=[rec.pk]), {"lang": "fr"}).json()
    assert data["translation"] == {"translated_version": 1, "outdated": True}
    event = Event.objects.filter(recommendation=rec, type="translation.updated").last()
    assert event.data == {
        "language": "fr",
        "original_version": 2,
        "translated_version": 1,
        "outdated": True,
    }
    changes = translations.original_changes(rec, Translation.objects.get())
    assert (changes.since, changes.to, changes.changed, changes.removed) == (1, 2, [2], 0)
    assert "<ins>six </ins>" in changes.inline


def test_translator_updates_from_the_diff_and_the_event_says_up_to_date(drafter, rec):
    put(api(drafter), rec, "fr", **french())
    services.edit_recommendation(rec, actor=drafter, base_version=1, body=rec.body + "\n\nMore.")
    response = put(
        api(drafter),
        rec,
        "fr",
        **french(base_version=2, translation_version=1, body=FR_BODY + "\n\nDavantage."),
    )
    assert response.status_code == 200, response.content
    assert (response.json()["version"], response.json()["outdated"]) == (2, False)
    event = Event.objects.filter(recommendation=rec, type="translation.updated").last()
    assert event.data["outdated"] is False
    assert event.data["translated_version"] == 2


def test_invited_translator_may_translate_and_revoked_one_may_not(
    drafter, rec, translator, translator_org
):
    assert put(api(translator), rec, "ar", **french()).status_code == 403
    translations.add_translator(rec, organisation=translator_org, actor=drafter)
    assert put(api(translator), rec, "ar", **french()).status_code == 201
    translations.remove_translator(rec, organisation=translator_org, actor=drafter)
    refused = put(api(translator), rec, "ar", **french(translation_version=1, title="X"))
    assert refused.status_code == 403
    assert Translation.objects.get().title == "Guichets d'accueil"


def test_translator_of_a_draft_sees_it_and_nobody_else_does(
    drafter, translator, translator_org, other_participant
):
    draft = make_recommendation(drafter)
    url = reverse("api-recommendation", args=[draft.pk])
    assert api(translator).get(url).status_code == 404
    translations.add_translator(draft, organisation=translator_org, actor=drafter)
    assert api(translator).get(url).status_code == 200
    assert api(other_participant).get(url).status_code == 404


def test_only_drafters_invite_translators(rec, translator_org, other_participant):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        translations.add_translator(rec, organisation=translator_org, actor=other_participant)


@pytest.mark.parametrize(
    ("lang", "data", "status", "field"),
    [
        ("xx", french(), 400, "language"),
        ("en", french(), 400, "language"),
        ("fr", french(base_version=9), 404, "detail"),
        ("fr", french(body=""), 400, "body"),
        ("fr", french(body="   "), 400, "body"),
        ("fr", french(title=""), 400, "title"),
        ("fr", french(translation_version=3), 404, "detail"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(drafter, rec, lang, data, status, field):
    response = put(api(drafter), rec, lang, **data)
    assert response.status_code == status, response.content
    assert field in response.json()
    assert not Translation.objects.exists()
    assert not Event.objects.filter(type="translation.updated").exists()


def test_errors_come_in_the_persons_language(drafter, rec):
    response = put(api(drafter, "fr"), rec, "xx", **french())
    assert response.status_code == 400
    assert "Langue inconnue" in response.json()["language"][0]
    response = put(api(drafter, "ar"), rec, "fr", **french(base_version=9))
    assert response.status_code == 404
    assert response.json()["detail"] == "لا توجد نسخة 9 من النص الأصلي."


def test_other_participant_may_not_translate(rec, other_participant):
    response = put(api(other_participant), rec, "fr", **french())
    assert response.status_code == 403
    assert not Translation.objects.exists()


def test_unknown_translation_answers_404(drafter, rec):
    url = reverse("api-recommendation", args=[rec.pk])
    assert api(drafter).get(url, {"lang": "ar"}).status_code == 404
    assert api(drafter).get(url, {"lang": "zz"}).status_code == 400


def test_stale_translation_edit_of_other_paragraphs_merges(drafter, rec):
    client = api(drafter)
    put(client, rec, "fr", **french())
    first, second, third = FR_BODY.split("\n\n")
    put(
        client, rec, "fr", **french(translation_version=1, body=f"{first} !\n\n{second}\n\n{third}")
    )
    stale = put(
        client, rec, "fr", **french(translation_version=1, body=f"{first}\n\n{second}\n\n{third} ?")
    )
    assert stale.status_code == 200, stale.content
    assert stale.json()["merged_with"] == 2
    assert stale.json()["body"] == f"{first} !\n\n{second}\n\n{third} ?"
    assert TranslationVersion.objects.count() == 3


def test_stale_translation_edit_of_the_same_paragraph_answers_409_and_keeps_both(drafter, rec):
    client = api(drafter)
    put(client, rec, "fr", **french())
    first, second, third = FR_BODY.split("\n\n")
    put(
        client,
        rec,
        "fr",
        **french(translation_version=1, body=f"{first} (A)\n\n{second}\n\n{third}"),
    )
    stale = put(
        client,
        rec,
        "fr",
        **french(translation_version=1, body=f"{first} (B)\n\n{second}\n\n{third}"),
    )
    assert stale.status_code == 409
    assert stale.json()["translation_version"] == 2
    assert stale.json()["conflicts"][0]["mine"] == f"{first} (B)"
    assert Translation.objects.get().body.startswith(f"{first} (A)")


def test_withdrawn_recommendation_is_not_translated(drafter):
    rec = make_recommendation(drafter, status="withdrawn")
    assert put(api(drafter), rec, "fr", **french()).status_code == 409


def test_a_comment_carries_its_language_chosen_or_the_interfaces(drafter, rec):
    url = reverse("comments_api:list", args=[rec.pk])
    chosen = api(drafter).post(url, {"body": "تعليق بالعربية", "language": "ar"}, format="json")
    assert chosen.status_code == 201, chosen.content
    assert chosen.json()["language"] == "ar"
    default = api(drafter, "fr").post(url, {"body": "Un commentaire."}, format="json")
    assert default.json()["language"] == "fr"
    bad = api(drafter).post(url, {"body": "x", "language": "xx"}, format="json")
    assert bad.status_code == 400
    page = Client()
    page.force_login(drafter)
    html = page.get(rec.get_absolute_url()).content.decode()
    assert 'class="comment-body" lang="ar" dir="auto"' in html


# --- pages -----------------------------------------------------------------------------------
def page_client(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_reader_chooses_original_translation_or_side_by_side(drafter, rec, other_participant):
    put(api(drafter), rec, "ar", **french(title="نقاط الاستقبال", body="نص عربي.\n\nفقرة ثانية."))
    client = page_client(other_participant)
    original = client.get(rec.get_absolute_url()).content.decode()
    assert f'<h1 data-field="title" lang="en" dir="auto">{rec.title}</h1>' in original
    assert "?lang=ar&amp;side=1" in original
    arabic = client.get(rec.get_absolute_url(), {"lang": "ar"}).content.decode()
    assert '<h1 data-field="translated-title" lang="ar" dir="auto">نقاط الاستقبال</h1>' in arabic
    assert "Translated from version 1, up to date." in arabic
    side = client.get(rec.get_absolute_url(), {"lang": "ar", "side": "1"}).content.decode()
    assert 'class="text-column" lang="en"' in side
    assert 'class="text-column translated" lang="ar"' in side
    # Comments stay anchored to the original's paragraphs, present in the side-by-side view.
    assert f'id="{rec.paragraphs[0]["key"]}"' in side


def test_reader_sees_which_paragraphs_changed_since_the_translated_version(
    drafter, rec, other_participant
):
    put(api(drafter), rec, "fr", **french())
    body = rec.body.replace("main languages", "six main languages")
    services.edit_recommendation(rec, actor=drafter, base_version=1, body=body)
    html = page_client(other_participant).get(rec.get_absolute_url(), {"lang": "fr"})
    assert (
        "Translated from version 1; outdated: version 2 changed paragraph 2."
        in html.content.decode()
    )
    french_page = page_client(other_participant, "fr").get(rec.get_absolute_url(), {"lang": "fr"})
    assert "la version 2 a modifié le paragraphe 2" in french_page.content.decode()


def test_unknown_or_missing_language_on_the_page(drafter, rec):
    client = page_client(drafter)
    assert client.get(rec.get_absolute_url(), {"lang": "xx"}).status_code == 400
    assert client.get(rec.get_absolute_url(), {"lang": "fr"}).status_code == 404


def test_translator_updates_from_the_diff_on_the_page(drafter, rec):
    put(api(drafter), rec, "fr", **french())
    services.edit_recommendation(rec, actor=drafter, base_version=1, body=rec.body + "\n\nMore.")
    client = page_client(drafter)
    url = reverse("recommendations:translate", args=[rec.pk, "fr"])
    page = client.get(url).content.decode()
    assert "What changed in the original from version 1 to version 2" in page
    assert 'data-changed="4"' in page
    assert "<ins>More.</ins>" in page
    assert 'name="base_version" value="2"' in page
    assert 'name="translation_version" value="1"' in page
    response = client.post(
        url,
        {
            "title": "Guichets d'accueil",
            "body": FR_BODY + "\n\nDavantage.",
            "summary": "",
            "note": "",
            "base_version": 2,
            "translation_version": 1,
        },
    )
    assert response.status_code == 302
    saved = Translation.objects.get()
    assert (saved.version, saved.translated_version, saved.is_outdated()) == (2, 2, False)


def test_translate_page_refuses_bad_input_and_keeps_the_text(drafter, rec):
    client = page_client(drafter, "fr")
    url = reverse("recommendations:translate", args=[rec.pk, "fr"])
    data = {"title": "T", "body": "", "base_version": 1, "translation_version": 0}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.content.decode()
    response = client.post(url, {**data, "body": "Texte", "base_version": 7})
    assert response.status_code == 404
    assert "L\u2019original n\u2019a pas de version 7." in response.content.decode()
    assert 'value="T"' in response.content.decode()
    assert client.get(reverse("recommendations:translate", args=[rec.pk, "xx"])).status_code == 400
    assert not Translation.objects.exists()


def test_stale_edit_on_the_page_answers_409_with_both_texts(drafter, rec):
    client = page_client(drafter)
    put(api(drafter), rec, "fr", **french())
    first, second, third = FR_BODY.split("\n\n")
    put(
        api(drafter),
        rec,
        "fr",
        **french(translation_version=1, body=f"{first} (A)\n\n{second}\n\n{third}"),
    )
    url = reverse("recommendations:translate", args=[rec.pk, "fr"])
    mine = f"{first} (B)\n\n{second}\n\n{third}"
    response = client.post(
        url,
        {"title": "Guichets d'accueil", "body": mine, "base_version": 1, "translation_version": 1},
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'data-js="translation-conflict"' in html
    assert "(B)" in html and "(A)" in html
    assert 'name="translation_version" value="2"' in html


def test_detail_page_and_list_api_query_counts_do_not_grow_with_translations(
    drafter, rec, other_participant
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = page_client(other_participant)
    reader = api(other_participant)
    list_url = reverse("api-translations", args=[rec.pk])
    reader.get(list_url)  # caches filled once per process (content types) are not the point
    counts = []
    for language in ("fr", "ar"):
        put(api(drafter), rec, language, **french())
        with CaptureQueriesContext(connection) as page:
            assert client.get(rec.get_absolute_url(), {"lang": "fr"}).status_code == 200
        with CaptureQueriesContext(connection) as listed:
            assert len(reader.get(list_url).json()) == len(counts) + 1
        counts.append((len(page), len(listed)))
    assert counts[0] == counts[1]


def test_translator_of_a_draft_may_follow_it_live_until_removed(
    drafter, translator, translator_org
):
    from recommendations.subscriptions import follow_recommendation

    draft = make_recommendation(drafter)
    assert follow_recommendation(translator.pk, draft.pk) is None
    translations.add_translator(draft, organisation=translator_org, actor=drafter)
    followed = follow_recommendation(translator.pk, draft.pk)
    assert followed is not None
    assert followed["all_events"] is False  # the drafters' own events of a draft stay theirs
    translations.remove_translator(draft, organisation=translator_org, actor=drafter)
    assert follow_recommendation(translator.pk, draft.pk) is None
    # Removing it sends the event that makes every open socket check its rights again.
    last = Event.objects.filter(recommendation=draft).last()
    assert (last.type, last.data) == ("recommendation.drafters", {"translator_removed": "lyon"})
