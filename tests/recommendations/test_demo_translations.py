"""The demo shows recommendations in three languages: the published edition in French and
Arabic, at least three recommendations translated into both, one translation outdated."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command

from publication.models import Edition
from recommendations import translations
from recommendations.models import Recommendation, Translation

pytestmark = pytest.mark.django_db


def test_demo_has_translations_an_outdated_one_and_an_edition_in_three_languages():
    call_command("seed_demo")
    translated = {
        rec
        for rec in Recommendation.objects.all()
        if {"fr", "ar"} <= set(rec.translations.values_list("language", flat=True))
    }
    assert len(translated) >= 3
    outdated = [t for t in Translation.objects.select_related("recommendation") if t.is_outdated()]
    assert {t.language for t in outdated} == {"fr", "ar"}
    changes = translations.original_changes(outdated[0].recommendation, outdated[0])
    assert changes.changed and changes.since == 1
    edition = Edition.objects.published().get()
    documents = {d.language: d for d in edition.documents.all()}
    assert sorted(documents) == ["ar", "en", "fr"]
    for document in documents.values():
        assert hashlib.sha256(document.markdown.encode()).hexdigest() == document.sha256
    assert documents["en"].markdown == edition.markdown
    assert "دعم لغوي في كل مدرسة" in documents["ar"].markdown
    # A second run changes nothing.
    before = list(Translation.objects.values_list("pk", "version"))
    call_command("seed_demo")
    assert list(Translation.objects.values_list("pk", "version")) == before
