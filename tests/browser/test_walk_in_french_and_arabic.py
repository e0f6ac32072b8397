"""The whole path of a recommendation, clicked through in French and in Arabic: log in, the home
page, draft and edit, comment, approve (moderator), endorse, publish (secretariat), read the
published edition. Every page must say its language and direction on ``<html>`` and show no
English sentence: each text of the page (and each word the scripts will show, ``data-t-*``) is
compared with the catalogue's English msgids whose translation differs. People's own text
(isolated with ``dir="auto"`` or ``<bdi>``) is theirs, in whatever language they wrote it, and
a text marked as another language (``lang="en"`` on "English" in the list of languages) is
meant to be in it.

The browser finds every control by its words in the language walked (the catalogue's
translation of the English label), as a French- or Arabic-speaking person would.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import cache

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from accounts.models import User
from core.times import utc_offset, zone_city
from recommendations.models import Recommendation
from tests.factories import (
    OrganisationFactory,
    ThemeFactory,
    member_of,
    representative_of,
    with_role,
)

pytestmark = pytest.mark.browser

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|%[sd]")

# Every text of the page outside people's text, and the words the scripts keep in data-t-*.
COLLECT = """() => {
  const page = document.documentElement.lang;
  const other = (el) => { const marked = el.closest("[lang]"); return marked && marked.lang !== page; };
  const mine = (el) => el.closest('[dir="auto"], bdi, code, pre, textarea, script, style') || other(el);
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement || mine(node.parentElement)) continue;
    const text = node.data.replace(/[\\s\\u2068\\u2069]+/g, " ").trim();
    if (text) texts.push(text);
  }
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const shown = ["title", "placeholder", "aria-label", "alt"].includes(attr.name)
        || attr.name.startsWith("data-t-")
        || (attr.name === "value" && ["submit", "button"].includes(el.getAttribute("type")));
      if (!shown || !attr.value.trim()) continue;
      // Plural phrases come as JSON {category: phrase}: each phrase is a text of its own.
      let phrases = null;
      if (attr.value.trim().startsWith("{")) { try { phrases = Object.values(JSON.parse(attr.value)); } catch { phrases = null; } }
      for (const value of phrases || [attr.value]) texts.push(String(value).replace(/\\s+/g, " ").trim());
    }
  }
  texts.push(document.title);
  const html = document.documentElement;
  return { lang: html.lang, dir: html.dir, texts };
}"""


@cache
def english_patterns(lang: str) -> tuple[tuple[str, re.Pattern], ...]:
    """Each English msgid whose translation differs, as a pattern that matches a whole text
    of the page (placeholders match anything)."""
    patterns = []
    catalogue = polib.pofile(str(settings.BASE_DIR / "locale" / lang / "LC_MESSAGES" / "django.po"))
    for entry in catalogue:
        for msgid, msgstr in (
            [(entry.msgid, entry.msgstr)]
            if not entry.msgid_plural
            else [(entry.msgid, entry.msgstr_plural.get(0, "")), (entry.msgid_plural, "")]
        ):
            english = " ".join(msgid.split())
            if not english or english == msgstr or not re.search(r"[A-Za-z]{2}", english):
                continue
            literal = [re.escape(part) for part in PLACEHOLDER.split(english)]
            if sum(len(part) for part in literal) < 2:
                continue
            patterns.append((english, re.compile(".+?".join(literal))))
    return tuple(patterns)


def check_page(page, lang: str) -> None:
    """``<html lang dir>`` right, and no English sentence on the page."""
    page.wait_for_load_state("load")
    found = page.evaluate(COLLECT)
    where = page.url
    assert found["lang"] == lang, f"{where}: <html lang={found['lang']!r}>"
    assert found["dir"] == ("rtl" if lang == "ar" else "ltr"), f"{where}: dir={found['dir']!r}"
    assert len(found["texts"]) > 10, f"{where}: the page's texts were not collected"
    english = english_in(found["texts"], lang)
    assert english == [], f"{where}: English left in {lang}: {english}"


def english_in(texts: list[str], lang: str) -> list[tuple[str, str]]:
    """The texts that are an English msgid of the catalogue (with its placeholders filled)."""
    english = []
    for text in texts:
        for msgid, pattern in english_patterns(lang):
            if pattern.fullmatch(text):
                english.append((text, msgid))
                break
    return english


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_check_knows_english_when_it_sees_it(lang):
    texts = ["Log in", "Edition 3", "Approved", "Finalise version 2", "MC2CM", "Lisbon"]
    found = [text for text, _msgid in english_in(texts, lang)]
    assert found == ["Log in", "Edition 3", "Approved", "Finalise version 2"]
    assert english_in([words(lang, "Log in"), words(lang, "Approved")], lang) == []


def words(lang: str, english: str, **values) -> str:
    """The words a person reading ``lang`` sees for ``english`` (the catalogue's translation)."""
    with translation.override(lang):
        text = translation.gettext(english)
    return text % values if values else text


def field_label(lang: str, name: str) -> str:
    """The label Django's login form gives a field of the user model, in ``lang``."""
    with translation.override(lang):
        return capfirst(str(User._meta.get_field(name).verbose_name))


def label(lang: str, english: str, **values) -> re.Pattern:
    """An accessible name, whatever isolation marks surround the names in it."""
    text = words(lang, english, **values)
    return re.compile(re.escape(text).replace(r"\ ", r"[\s\u2068\u2069]*"))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_whole_path_in_french_and_arabic(browser, live, lang):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon", kind="city")
    tunis = OrganisationFactory(name="Tunis", slug="tunis", kind="city")
    drafter = member_of(lisbon, "drafter")
    member_of(tunis, "tarek")
    representative_of(tunis, "tunis-rep")
    with_role("moderator")
    with_role("secretariat")
    ThemeFactory(slug="education", name="Education")
    # One person chose the language on their profile; the others' browsers ask for it.
    User.objects.filter(pk=drafter.pk).update(language=lang)
    contexts = []

    def open_page(username: str | None = None):
        context = browser.new_context(base_url=live, locale=lang)
        context.set_default_timeout(10_000)
        contexts.append(context)
        # The plain form (the co-editing editor has its own test, tests/browser/test_coediting.py).
        context.route(
            "**/static/js/coedit.bundle.js",
            lambda route: route.fulfill(status=200, content_type="text/javascript", body=""),
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.console_errors = errors  # type: ignore[attr-defined]
        if username:
            page.goto("/accounts/login/")
            check_page(page, lang)
            page.get_by_label(field_label(lang, "username")).fill(username)
            page.get_by_label(field_label(lang, "password")).fill("pw")
            page.get_by_role("button", name=words(lang, "Log in")).click()
            page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    try:
        # The drafter logs in, sees the home page, drafts and edits a recommendation.
        page = open_page("drafter")
        check_page(page, lang)
        page.goto("/recommendations/new/")
        check_page(page, lang)
        page.get_by_label(words(lang, "Title")).fill("Language support in schools")
        page.get_by_label(words(lang, "Theme")).select_option("education")
        page.get_by_label(words(lang, "City"), exact=True).check()
        page.get_by_label(words(lang, "Text (Markdown)")).fill(
            "Schools should offer **intensive** language support.\n\nDuring ordinary hours."
        )
        expect(page.locator("[data-js=preview] strong")).to_have_text("intensive")
        page.get_by_role("button", name=words(lang, "Save draft")).click()
        expect(page.locator("h1")).to_have_text("Language support in schools")
        check_page(page, lang)
        rec = Recommendation.objects.get(title="Language support in schools")

        page.goto(f"/recommendations/{rec.pk}/edit/")
        check_page(page, lang)
        page.get_by_label(words(lang, "Text (Markdown)")).fill(
            "Schools should offer **intensive** language support.\n\nDuring ordinary school hours."
        )
        page.get_by_label(words(lang, "Change note")).fill("Hours made precise")
        page.get_by_role("button", name=words(lang, "Save new version")).click()
        expect(page.locator("[data-field=version]").first).to_have_text("2")
        check_page(page, lang)
        page.get_by_role("button", name=words(lang, "Submit for review")).click()
        check_page(page, lang)  # the question, in the dialog, in the language
        page.get_by_role("dialog").get_by_role(
            "button", name=words(lang, "Submit for review")
        ).click()
        expect(page.locator("[data-field=status]")).to_have_text(words(lang, "In review"))
        check_page(page, lang)
        # Times read in the conference's zone, named in the language ("Beyrouth, UTC+2").
        beirut = dt.datetime.now(dt.UTC).astimezone(zoneinfo.ZoneInfo("Asia/Beirut"))
        zone = words(lang, "%(city)s, %(offset)s") % {
            "city": zone_city("Asia/Beirut", lang),
            "offset": utc_offset(beirut),
        }
        expect(page.locator("#activity time .zone").first).to_have_text(f"({zone})")
        page.goto(f"/recommendations/{rec.pk}/history/")
        check_page(page, lang)

        # Another city's participant comments.
        tarek = open_page("tarek")
        tarek.goto(f"/recommendations/{rec.pk}/")
        check_page(tarek, lang)
        general = tarek.locator(".compose-general")
        general.get_by_label(words(lang, "Your comment"), exact=True).fill("Which hours exactly?")
        general.get_by_role("button", name=words(lang, "Post comment")).click()
        expect(tarek.locator("li.comment-item")).to_contain_text("Which hours exactly?")
        check_page(tarek, lang)

        # The moderator approves version 2.
        moderator = open_page("moderator")
        moderator.goto(f"/recommendations/{rec.pk}/")
        # Wait for what arrives live (who is here): the scripts' insertions are checked too.
        expect(moderator.locator('[data-js="presence"] li').first).to_be_visible()
        expect(moderator.locator('[data-js="live-status"]')).to_have_text(words(lang, "Live"))
        check_page(moderator, lang)
        moderator.get_by_label(words(lang, "Version to approve")).select_option("2")
        moderator.get_by_role("button", name=words(lang, "Approve"), exact=True).click()
        moderator.get_by_role("dialog").get_by_role(
            "button", name=label(lang, "Approve version %(n)s", n=2)
        ).click()
        expect(moderator.locator("[data-field=status]")).to_have_text(words(lang, "Approved"))
        check_page(moderator, lang)

        # Tunis's representative endorses it, with a statement.
        rep = open_page("tunis-rep")
        rep.goto(f"/recommendations/{rec.pk}/")
        check_page(rep, lang)
        rep.get_by_label(label(lang, "Statement of %(org)s (optional)", org="Tunis")).fill(
            "Tunis will train its teachers."
        )
        rep.get_by_role(
            "button", name=label(lang, "Endorse version %(n)s for %(org)s", n=2, org="Tunis")
        ).click()
        expect(rep.locator('#endorsers [data-organisation="tunis"]')).to_be_visible()
        check_page(rep, lang)
        rep.goto("/")
        check_page(rep, lang)

        # The secretariat finalises, composes and publishes an edition.
        sec = open_page("secretariat")
        sec.goto(f"/recommendations/{rec.pk}/")
        sec.get_by_role("button", name=label(lang, "Finalise version %(n)s", n=2)).click()
        sec.get_by_role("dialog").get_by_role(
            "button", name=label(lang, "Finalise version %(n)s", n=2)
        ).click()
        expect(sec.locator("[data-field=status]")).to_have_text(words(lang, "Final"))
        check_page(sec, lang)
        sec.goto("/")
        check_page(sec, lang)
        sec.get_by_role(
            "link", name=words(lang, "Compose or publish an edition of the final recommendations")
        ).click()
        check_page(sec, lang)
        sec.get_by_role("textbox", name=words(lang, "Title"), exact=True).fill("Beirut 2017")
        sec.get_by_label(words(lang, "Preamble (Markdown)")).fill("Adopted in **Beirut**.")
        sec.get_by_role("button", name=words(lang, "Save draft edition")).click()
        expect(sec.locator("#draft-entries")).to_contain_text("Language support in schools")
        check_page(sec, lang)
        sec.get_by_label(
            words(lang, "I have checked the recommendations and the warnings above.")
        ).check()
        with translation.override(lang):
            publish = translation.ngettext(
                "Publish %(n)s recommendation", "Publish %(n)s recommendations", 1
            ) % {"n": 1}
        sec.get_by_role("button", name=publish).click(timeout=30_000)  # makes the PDF
        expect(sec.locator("h1")).to_have_text("Beirut 2017")
        check_page(sec, lang)
        sec.goto("/audit/")
        check_page(sec, lang)

        # A visitor reads the published edition: in their browser's language, and under the
        # language's own address.
        visitor = open_page()
        visitor.goto("/published/")
        expect(visitor.locator("h1")).to_have_text("Beirut 2017")
        expect(visitor.locator(".edition-entry").first).to_contain_text("ordinary school hours")
        check_page(visitor, lang)
        visitor.goto(f"/{lang}/published/editions/1/")
        check_page(visitor, lang)
        visitor.goto(f"/{lang}/published/editions/1/print/")
        check_page(visitor, lang)

        for each in (page, tarek, moderator, rep, sec, visitor):
            assert each.console_errors == [], each.console_errors
    finally:
        for context in contexts:
            context.close()
