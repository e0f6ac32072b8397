"""The French and Arabic catalogues (docs/translations.md): complete, without fuzzy entries,
with the placeholders and plural forms of their msgids, in step with the code and with the
committed .mo files; and the pages render in each language, Arabic right to left."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.factories import make_recommendation
from tests.helpers import need, project_template_dirs

# Catalogues and templates read the same on either database: checked in the embedded pass only.
pytestmark = pytest.mark.once


LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
LANGS = ("fr", "ar")
PLURAL_FORMS = {
    "fr": "nplurals=2; plural=(n > 1);",
    "ar": (
        "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
        "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
    ),
}
# What must survive translation untouched: %-placeholders, {}-placeholders of the JS strings,
# and HTML tags.
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[sd]|%[sd]|\{[A-Za-z_0-9]*\}|</?[A-Za-z][^>]*>")
# The same directories `makemessages` is told to skip (docs/translations.md).
IGNORED = [".venv", "var", "tests", "bench", "node_modules", "locale"]


def catalogue(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"))


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def forms(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_is_translated_and_none_is_fuzzy(lang):
    po = catalogue(lang)
    assert len(po) > 500
    assert not po.metadata_is_fuzzy
    untranslated = [e.msgid for e in po if not all(forms(e))]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    obsolete = [e.msgid for e in po.obsolete_entries()]
    assert untranslated == [], f"{lang}: untranslated {untranslated[:10]}"
    assert fuzzy == [], f"{lang}: fuzzy {fuzzy[:10]}"
    assert obsolete == [], f"{lang}: obsolete entries left {obsolete[:10]}"


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_and_plural_forms_match_the_msgids(lang):
    po = catalogue(lang)
    assert po.metadata["Language"] == lang
    assert po.metadata["Plural-Forms"] == PLURAL_FORMS[lang]
    nplurals = int(re.search(r"nplurals=(\d)", PLURAL_FORMS[lang]).group(1))
    wrong = []
    for entry in po:
        expected = placeholders(entry.msgid)
        if entry.msgid_plural:
            assert placeholders(entry.msgid_plural) == expected, entry.msgid
            assert sorted(entry.msgstr_plural) == list(range(nplurals)), entry.msgid
        wrong += [(entry.msgid, text) for text in forms(entry) if placeholders(text) != expected]
    assert wrong == [], f"{lang}: placeholders differ from the msgid: {wrong[:5]}"


# Words that are the same in French and English: translated, not forgotten.
SAME_IN_FRENCH = {
    "%(city)s, %(offset)s",
    "Actions",
    "date",
    "Dates",
    "description",
    "Europe",
    "logo",
    "Invitation",
    "invitation",
    "Invitations",
    "invitations",
    "notification",
    "Notifications",
    "notifications",
    "Note",
    "note",
    "organisation",
    "Organisation",
    "organisations",
    "Pages",
    "participant",
    "Participant",
    "position",
    "Programme",
    "Publication",
    "Total",
    "version",
    "Version",
    "version %(n)s",
    "Version %(n)s",
    "versions",
    "Versions",
}


@pytest.mark.parametrize("lang", LANGS)
def test_no_english_is_left_in_the_catalogue(lang):
    """A msgstr equal to its msgid is an entry someone forgot to translate, unless the word is
    the same in French."""
    allowed = SAME_IN_FRENCH if lang == "fr" else set()
    same = [
        e.msgid
        for e in catalogue(lang)
        if not e.msgid_plural and e.msgstr == e.msgid and e.msgid not in allowed
    ]
    assert same == [], f"{lang}: left in English: {same}"


def compiled(po_or_mo) -> dict:
    return {(e.msgctxt, e.msgid): tuple(forms(e)) for e in po_or_mo if e.msgid}


@pytest.mark.parametrize("lang", LANGS)
def test_the_committed_mo_files_are_what_the_po_files_compile_to(lang):
    """The .mo files are committed so a fresh clone needs no msgfmt; they must not drift from
    their .po: after editing a .po, run `manage.py compilemessages` and commit both."""
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    mo = polib.mofile(str(folder / "django.mo"))
    po = catalogue(lang)
    assert compiled(mo) == compiled(po), (
        f"locale/{lang}/LC_MESSAGES/django.mo is stale: run manage.py compilemessages"
    )
    assert mo.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]


def test_every_string_of_the_code_is_in_the_catalogues(tmp_path, settings, monkeypatch):
    """Run makemessages on a copy of the sources and of the locale folder, then compare the
    msgids: a string added to the code (or removed from it) without running
    `makemessages -l fr -l ar` (docs/translations.md) fails here. The copy keeps the worktree
    untouched: makemessages writes next to the templates and into any ./locale it finds."""
    need(
        shutil.which("xgettext") is not None and shutil.which("msgmerge") is not None,
        "GNU gettext is not installed (apt-get install gettext)",
    )
    base = Path(settings.BASE_DIR)
    sources = tmp_path / "src"
    shutil.copytree(
        base,
        sources,
        ignore=shutil.ignore_patterns(*IGNORED, ".git", "__pycache__", "*.mo", "*.pot"),
    )
    shutil.copytree(LOCALE_DIR, sources / "locale", ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [sources / "locale"]
    monkeypatch.chdir(sources)
    call_command(
        "makemessages",
        locale=list(LANGS),
        ignore_patterns=IGNORED,
        keep_pot=True,
        verbosity=0,
    )
    pot = sources / "locale" / "django.pot"
    in_code = {(e.msgctxt, e.msgid) for e in polib.pofile(str(pot)) if e.msgid}
    assert len(in_code) > 500
    for lang in LANGS:
        in_catalogue = {(e.msgctxt, e.msgid) for e in catalogue(lang)}
        missing = sorted(m for _, m in in_code - in_catalogue)
        stale = sorted(m for _, m in in_catalogue - in_code)
        assert missing == [], f"{lang}: strings of the code missing from the catalogue: {missing}"
        assert stale == [], f"{lang}: strings no longer in the code: {stale}"


# --- the pages in each language ---------------------------------------------------------------


def get(client: Client, url: str, lang: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, url
    return response.content.decode()


PAGES = {
    # page: {language: strings that must appear}
    "login": {
        "en": ['<html lang="en" dir="ltr">', "Log in"],
        "fr": ['<html lang="fr" dir="ltr">', "Se connecter", "Langue"],
        "ar": ['<html lang="ar" dir="rtl">', "تسجيل الدخول", "اللغة"],
    },
    "home": {
        "en": ["Welcome, Drafter", "Your organisations"],
        "fr": ['<html lang="fr" dir="ltr">', "Bienvenue, Drafter", "Vos organisations"],
        "ar": ['<html lang="ar" dir="rtl">', "مرحبًا، Drafter", "منظماتك"],
    },
    "recommendation": {
        "en": ["In review", "Drafting organisations"],
        "fr": ['<html lang="fr" dir="ltr">', "En examen", "Organisations rédactrices"],
        "ar": ['<html lang="ar" dir="rtl">', "قيد المراجعة", "المنظمات الصائغة"],
    },
    "edition": {
        "en": ["Canonical text", "All editions"],
        "fr": ['<html lang="fr" dir="ltr">', "Texte de référence", "Toutes les éditions"],
        "ar": ['<html lang="ar" dir="rtl">', "النص المرجعي", "كل الإصدارات"],
    },
}


@pytest.fixture
def urls(drafter, moderator, secretariat):
    from tests.publication.helpers import final, publish

    in_review = make_recommendation(drafter, status="in_review", title="Welcome points")
    final(drafter, moderator, secretariat, title="Language courses")
    edition = publish(secretariat)
    return {
        "login": reverse("login"),
        "home": reverse("home"),
        "recommendation": reverse("recommendations:detail", args=[in_review.pk]),
        "edition": reverse("publication:edition", args=[edition.number]),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", *LANGS])
@pytest.mark.parametrize("page", PAGES)
def test_pages_render_in_the_language_the_browser_asks_for(urls, drafter, page, lang):
    client = Client()
    if page != "login":
        client.force_login(drafter)
    html = get(client, urls[page], lang)
    for text in PAGES[page][lang]:
        assert text in html, f"{page} in {lang}: {text!r} not found"


# --- Templates: every visible word goes through a translation tag ---------------------------
# Names that are the same in every language (docs/translations.md, "Names stay as they are").
NAMES = {
    "MC2CM",
    "SHA-256",
    "JSON",
    "Markdown",
    "CSV",
    "API",
    "PDF",
    "UTC",
    "QR",
    "FreeOTP",
    "https",
}
# Text inside these is translated (blocktranslate) or not shown (comment, a body class).
UNSHOWN_BLOCKS = re.compile(
    r"{%\s*(?P<tag>blocktranslate|blocktrans|comment)\b.*?{%\s*end(?P=tag)\s*%}"
    r"|{%\s*block\s+body_class\s*%}.*?{%\s*endblock\s*%}",
    re.S,
)
TEMPLATE_TAGS = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "label", "aria-description"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9-]*[A-Za-z0-9]")


class _VisibleText(HTMLParser):
    """The words a person would see (text, and attributes read out or shown) in a template
    whose tags were removed: what is left was written outside a translation tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.words: list[str] = []

    def _add(self, text: str) -> None:
        self.words += [w for w in LATIN_WORD.findall(text) if w not in NAMES]

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        attributes = dict(attrs)
        for name, value in attrs:
            shown = name in VISIBLE_ATTRIBUTES or (
                tag == "input"
                and name == "value"
                and attributes.get("type") in ("submit", "button")
            )
            if shown and value:
                self._add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self._add(data)


def visible_untranslated_words(source: str) -> list[str]:
    parser = _VisibleText()
    markup = TEMPLATE_TAGS.sub(" ", UNSHOWN_BLOCKS.sub(" ", source)).strip()
    if ATTRIBUTES_ONLY.match(markup):
        # A fragment of attributes, included inside a tag ({% include %} of data-t-* words).
        markup = f"<span {markup}>"
    parser.feed(markup)
    return parser.words


ATTRIBUTES_ONLY = re.compile(r"^(?:[\w-]+=\"[^\"]*\"\s*)+$")


def test_the_check_finds_a_word_outside_a_translation_tag():
    assert visible_untranslated_words("<p>Save</p>") == ["Save"]
    assert visible_untranslated_words('<input type="submit" value="Send">') == ["Send"]
    assert visible_untranslated_words('<a title="Open it">{% translate "x" %}</a>') == [
        "Open",
        "it",
    ]
    assert (
        visible_untranslated_words(
            '{% load i18n %}<p title="{% translate "Open" %}">{% translate "Save" %} · MC2CM '
            "{% blocktranslate with n=1 %}Edition {{ n }}{% endblocktranslate %} {{ rec.title }}"
            '</p><script type="module" src="x.js"></script>{# a note #}'
        )
        == []
    )


def test_no_template_has_visible_text_outside_a_translation_tag():
    base = Path(settings.BASE_DIR).resolve()
    roots = project_template_dirs()
    found = {}
    for root in roots:
        for template in sorted(root.rglob("*.html")):
            words = visible_untranslated_words(template.read_text(encoding="utf-8"))
            if words:
                found[str(template.resolve().relative_to(base))] = words
    assert found == {}, f"visible text outside a translation tag: {found}"
