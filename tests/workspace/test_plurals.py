"""Plural phrases handed to scripts follow each language's catalogue (Arabic has six forms)."""

import json

import pytest
from django.utils import translation
from django.utils.translation import ngettext

from core.plurals import plural_phrases


def phrases():
    return json.loads(
        plural_phrases(lambda n: ngettext("%(n)s comment", "%(n)s comments", n) % {"n": "{n}"})
    )


@pytest.mark.parametrize(
    ("language", "one", "other"),
    [("en", "{n} comment", "{n} comments"), ("fr", "{n} commentaire", "{n} commentaires")],
)
def test_every_category_has_its_phrase(language, one, other):
    with translation.override(language):
        got = phrases()
    assert set(got) == {"zero", "one", "two", "few", "many", "other"}
    assert (got["one"], got["other"]) == (one, other)


def test_arabic_gets_the_form_of_each_category():
    with translation.override("ar"):
        got = phrases()
    assert got["one"] == "تعليق واحد ({n})" and got["two"] == "تعليقان ({n})"
    assert (got["few"], got["many"], got["other"]) == ("{n} تعليقات", "{n} تعليقًا", "{n} تعليق")
