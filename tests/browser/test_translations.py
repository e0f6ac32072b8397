"""A translation goes outdated when the original gets a new version; its translator updates it
from the diff of the original; a reader in another browser sees both changes arrive live."""

import pytest
from playwright.sync_api import expect

from recommendations import translations
from recommendations.models import Translation
from tests.factories import BODY, OrganisationFactory, make_recommendation, member_of

pytestmark = pytest.mark.browser

FR_BODY = (
    "Les villes devraient ouvrir un guichet unique d'accueil.\n\n"
    "Le guichet devrait fonctionner dans les principales langues d'arrivée.\n\n"
    "Les gouvernements nationaux devraient financer ces guichets."
)


def test_translation_goes_outdated_is_updated_from_the_diff_and_readers_see_it_live(
    new_page, api_as
):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    lyon = OrganisationFactory(name="Lyon", slug="lyon")
    tunis = OrganisationFactory(name="Tunis", slug="tunis")
    author = member_of(lisbon, "ana")
    member_of(lyon, "lea")
    member_of(tunis, "tarek")
    rec = make_recommendation(author, status="in_review")
    translations.add_translator(rec, organisation=lyon, actor=author)
    translations.save_translation(
        rec,
        actor=author,
        language="fr",
        base_version=1,
        title="Guichets d'accueil",
        body=FR_BODY,
    )

    # A reader follows the French text.
    reader = new_page("tarek")
    reader.goto(f"/recommendations/{rec.pk}/?lang=fr")
    expect(reader.locator("#live-status")).to_have_text("Live")
    state = reader.locator('[data-js="translation-state"]')
    expect(state).to_have_text("Translated from version 1, up to date.")
    expect(reader.locator("h1[lang=fr]")).to_have_text("Guichets d'accueil")

    # The drafters save version 2 of the original: the translation is outdated, live.
    saved = api_as(author).patch(
        f"/api/recommendations/{rec.pk}/",
        json={"base_version": 1, "body": BODY.replace("main languages", "six main languages")},
    )
    assert saved.status_code == 200
    expect(state).to_have_text(
        "Translated from version 1; outdated: the original is now at version 2.", timeout=2000
    )
    badge = reader.locator('[data-js="translation-badge"][data-language=fr]')
    expect(badge).to_have_text("outdated")

    # The invited translator opens the translation from the recommendation page, sees what
    # changed in the original (paragraph 2, word by word) and updates that paragraph.
    translator = new_page("lea")
    translator.goto(f"/recommendations/{rec.pk}/?lang=fr")
    translator.get_by_role("link", name="update the translation").click()
    changes = translator.locator('[data-js="original-changes"]')
    expect(changes).to_contain_text("What changed in the original from version 1 to version 2")
    expect(changes.locator("[data-changed='2']")).to_have_text("paragraph 2")
    expect(changes.locator("ins")).to_have_text("six ")
    text = translator.get_by_label("Text (Markdown)")
    assert text.input_value() == FR_BODY
    text.fill(FR_BODY.replace("principales langues", "six principales langues"))
    translator.get_by_role("button", name="Save the translation").click()
    expect(translator.locator(".messages")).to_contain_text(
        "Translation saved as version 2 (of version 2 of the original)."
    )

    # The reader, without reloading, sees it up to date again.
    expect(state).to_have_text("Translated from version 2, up to date.", timeout=2000)
    expect(badge).to_have_text("up to date")
    saved_translation = Translation.objects.get(recommendation=rec, language="fr")
    assert (saved_translation.version, saved_translation.translated_version) == (2, 2)
    assert "six principales langues" in saved_translation.body
    assert reader.console_errors == [] and translator.console_errors == []
