"""An edition in every language whose translations are complete and up to date: one canonical
Markdown and SHA-256 per language, the secretariat's view of which languages are complete, and
the document of the originals unchanged."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from publication import services as publication
from publication.models import EditionDocument, FrozenEditionError
from recommendations import services, translations
from tests.publication.helpers import final, publish

pytestmark = pytest.mark.django_db

TEXTS = {
    "fr": ("Guichets d'accueil", "Les villes devraient ouvrir un guichet unique."),
    "ar": ("نقاط الاستقبال", "ينبغي للمدن أن تفتح نقطة استقبال موحدة."),
}


def _translate(rec, drafter, language, version=None):
    title, body = TEXTS[language]
    current = rec.translations.filter(language=language).first()
    translations.save_translation(
        rec,
        actor=drafter,
        language=language,
        base_version=version or rec.text_version,
        translation_version=current.version if current else 0,
        title=title,
        body=body,
    )


@pytest.fixture
def finals(drafter, moderator, secretariat):
    return [
        final(drafter, moderator, secretariat, title="Welcome points"),
        final(drafter, moderator, secretariat, title="Housing first"),
    ]


def test_edition_in_french_and_arabic_downloads_three_documents_matching_their_sha256(
    drafter, secretariat, finals
):
    for rec in finals:
        _translate(rec, drafter, "fr")
        _translate(rec, drafter, "ar")
    edition = publish(secretariat)
    data = Client().get(reverse("pub-api-published")).json()
    documents = {d["language"]: d for d in data["documents"]}
    assert sorted(documents) == ["ar", "en", "fr"]
    for language, document in documents.items():
        response = Client().get(document["markdown_url"])
        assert response.status_code == 200
        body = b"".join(response) if response.streaming else response.content
        assert hashlib.sha256(body).hexdigest() == document["sha256"]
        assert response["ETag"].strip('"') == document["sha256"]
        assert response["Content-Language"] == language
    french = Client().get(documents["fr"]["markdown_url"]).content.decode()
    # The same front matter as the original's, naming the document's language; the same outline.
    assert french.startswith(f"---\nedition: {edition.number}\n")
    assert "\nlanguage: fr\n---\n\n# " in french
    assert "### Guichets d'accueil" in french
    assert "Les villes devraient ouvrir un guichet unique." in french
    assert f"Édition {edition.number}, publiée le" in french
    arabic = Client().get(documents["ar"]["markdown_url"]).content.decode()
    assert "### نقاط الاستقبال" in arabic
    assert "\nlanguage: ar\n---\n\n# " in arabic
    # The document of the originals is the English one, byte for byte, at its first URL.
    main = Client().get(reverse("publication:markdown", args=[edition.number])).content
    assert hashlib.sha256(main).hexdigest() == edition.sha256 == documents["en"]["sha256"]
    # Its front matter (the conference's sections, edition, date) says the default language.
    assert main.decode().startswith("---\nedition: 1\ndate: ")
    assert "\nlanguage: en\n---\n\n# Beirut 2017\n\nEdition 1, published " in main.decode()


def test_a_missing_or_outdated_translation_leaves_its_language_out(
    drafter, moderator, secretariat, finals
):
    first, second = finals
    _translate(first, drafter, "fr")
    _translate(second, drafter, "fr")
    _translate(first, drafter, "ar")  # the second has no Arabic translation
    coverage = {c.language: c for c in publication.language_coverage(publication.collect_entries())}
    assert coverage["fr"].complete and coverage["en"].complete
    assert not coverage["ar"].complete
    assert coverage["ar"].missing == ["Housing first"]
    edition = publish(secretariat)
    assert sorted(edition.documents.values_list("language", flat=True)) == ["en", "fr"]
    url = reverse("publication:language_markdown", kwargs={"number": 1, "language": "ar"})
    assert Client().get(url).status_code == 404


def test_a_translation_of_an_older_version_than_the_final_one_is_outdated(
    drafter, moderator, secretariat
):
    rec = final(drafter, moderator, secretariat, title="Welcome points")
    # A translation of version 1 while the final text is version 1: up to date.
    _translate(rec, drafter, "fr")
    entries = publication.collect_entries()
    assert {c.language: c.complete for c in publication.language_coverage(entries)}["fr"]
    translation = rec.translations.get(language="fr")
    assert not translation.is_outdated(rec)


def test_the_secretariat_sees_which_languages_are_complete_before_publishing(
    drafter, secretariat, finals
):
    for rec in finals:
        _translate(rec, drafter, "fr")
    edition = publication.create_edition(title="Beirut 2017", actor=secretariat)
    client = Client()
    client.force_login(secretariat)
    html = client.get(edition.get_absolute_url()).content.decode()
    assert 'data-language="fr" data-complete="true"' in html
    assert 'data-language="ar" data-complete="false"' in html
    assert "Welcome points" in html.split('data-language="ar"')[1]


def test_the_french_page_shows_the_french_texts_and_every_document(drafter, secretariat, finals):
    for rec in finals:
        _translate(rec, drafter, "fr")
    publish(secretariat)
    html = Client().get("/fr/published/editions/1/").content.decode()
    assert 'lang="fr" dir="auto">Guichets d&#x27;accueil</h3>' in html
    assert "edition-1.fr.md" in html
    english = Client().get("/en/published/editions/1/").content.decode()
    assert "Guichets" not in english
    assert 'lang="en" dir="auto">Welcome points</h3>' in english


def test_a_published_document_never_changes(drafter, secretariat, finals):
    for rec in finals:
        _translate(rec, drafter, "fr")
    publish(secretariat)
    document = EditionDocument.objects.get(language="fr")
    document.markdown = "changed"
    with pytest.raises(FrozenEditionError):
        document.save()
    with pytest.raises(FrozenEditionError):
        document.delete()


def test_translating_after_publication_changes_no_published_document(drafter, secretariat, finals):
    for rec in finals:
        _translate(rec, drafter, "fr")
    edition = publish(secretariat)
    before = edition.documents.get(language="fr").sha256
    services_rec = finals[0]
    translations.save_translation(
        services_rec,
        actor=drafter,
        language="fr",
        base_version=services_rec.text_version,
        translation_version=1,
        title="Autre titre",
        body="Autre texte.",
    )
    assert edition.documents.get(language="fr").sha256 == before
    assert services.get_version(services_rec, 1).number == 1


def test_the_secretariat_gives_the_title_and_preamble_in_other_languages(
    drafter, secretariat, finals
):
    for rec in finals:
        _translate(rec, drafter, "fr")
    edition = publication.create_edition(title="Beirut 2017", actor=secretariat)
    client = Client()
    client.force_login(secretariat)
    response = client.post(
        edition.get_absolute_url(),
        {
            "title": "Beirut 2017",
            "preamble": "The conference's *text*.",  # needed to publish
            "title_fr": "Beyrouth 2017",
            "preamble_fr": "Le *texte* de la conférence.",
            "title_ar": "",
            "preamble_ar": "",
        },
    )
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.translations == {
        "fr": {
            "title": "Beyrouth 2017",
            "preamble": "Le *texte* de la conférence.",
            "preamble_html": "<p>Le <em>texte</em> de la conférence.</p>",
        }
    }
    publication.publish_edition(edition, actor=secretariat)
    edition.refresh_from_db()
    french = edition.documents.get(language="fr").markdown
    assert "\nlanguage: fr\n---\n\n# Beyrouth 2017\n\nÉdition 1, publiée le " in french
    assert "Le *texte* de la conférence." in french
    assert "\nlanguage: en\n---\n\n# Beirut 2017\n" in edition.markdown
    page = Client().get("/fr/published/editions/1/").content.decode()
    assert '<h1 dir="auto">Beyrouth 2017</h1>' in page
    with pytest.raises(ValidationError):
        publication.create_edition(
            title="X", translations={"xx": {"title": "Y"}}, actor=secretariat
        )


def test_an_incomplete_language_is_a_warning_on_the_recommendation_that_holds_it_back(
    drafter, secretariat, finals
):
    first, second = finals
    entries = publication.collect_entries()
    assert publication.warnings_for(entries) == {
        first.pk: ["No organisation endorsed it."],
        second.pk: ["No organisation endorsed it."],
    }  # nothing translated: the edition is simply in English, nothing holds it back
    _translate(first, drafter, "fr")
    _translate(second, drafter, "fr")
    _translate(first, drafter, "ar")
    warnings = publication.warnings_for(publication.collect_entries())
    assert warnings[first.pk] == ["No organisation endorsed it."]
    assert warnings[second.pk] == [
        "No organisation endorsed it.",
        "Not translated into Arabic: the edition will not appear in that language.",
    ]
    edition = publication.create_edition(title="Beirut 2017", actor=secretariat)
    client = Client()
    client.force_login(secretariat)
    html = client.get(edition.get_absolute_url()).content.decode()
    assert "Not translated into Arabic" in html
    assert 'data-warnings="3"' in html  # the confirmation names every warning


def test_a_translation_of_an_older_version_is_named_in_the_warning(
    drafter, moderator, secretariat, finals
):
    first, second = finals
    _translate(first, drafter, "fr")
    _translate(second, drafter, "fr", version=second.text_version)
    translation = second.translations.get(language="fr")
    translation.translated_version = second.version - 1 if second.version > 1 else 0
    translation.save(update_fields=["translated_version"])
    warnings = publication.warnings_for(publication.collect_entries())
    assert (
        "Its French translation is of an older version: the edition will not appear in that "
        "language."
    ) in warnings[second.pk]
