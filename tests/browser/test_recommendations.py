"""Drafting in Chromium: the flows a drafter and a moderator click through."""

import re

import pytest
from playwright.sync_api import expect

from recommendations.models import Recommendation
from tests.factories import (
    BODY,
    OrganisationFactory,
    ThemeFactory,
    make_recommendation,
    member_of,
    with_role,
)

pytestmark = pytest.mark.browser


def test_drafter_creates_edits_compares_restores_submits_and_moderator_approves(new_page):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    member_of(lisbon, "drafter")
    with_role("moderator")
    ThemeFactory(slug="education", name="Education")

    page = new_page("drafter", coedit=False)  # the plain form: the whole text posted
    page.goto("/recommendations/new/")
    page.get_by_label("Title").fill("Language support in schools")
    page.get_by_label("Theme").select_option("education")
    page.get_by_label("City").check()
    body = page.get_by_label("Text (Markdown)")
    body.fill("Schools should offer **intensive** language support.\n\nDuring ordinary hours.")
    expect(page.locator("#preview strong")).to_have_text("intensive")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("h1")).to_have_text("Language support in schools")
    rec = Recommendation.objects.get(title="Language support in schools")

    page.get_by_role("link", name="Edit").click()
    body = page.get_by_label("Text (Markdown)")
    body.fill(
        "Schools should offer **intensive** language support.\n\nDuring ordinary school hours, every day."
    )
    expect(page.locator("#preview")).to_contain_text("every day")
    page.get_by_label("Change note").fill("More precise hours")
    page.get_by_role("button", name="Save new version").click()
    expect(page.locator(".messages")).to_contain_text("Saved as version 2")

    page.get_by_role("link", name="History").click()
    expect(page.locator("tr[data-version='2']")).to_contain_text("More precise hours")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#diff-inline ins").first).to_contain_text("school")
    expect(page.locator("#diff-rendered del, #diff-rendered ins").first).to_be_visible()

    page.get_by_role("link", name="History").click()
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.locator(".messages")).to_contain_text("Restored as version 3")
    expect(page.locator("#text")).not_to_contain_text("every day")

    # The dialog is the page script's: wait for the page to finish loading (a click while it
    # is still parsing takes the no-JavaScript path, the confirmation page).
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_role("dialog").get_by_role("button", name="Submit for review").click()
    expect(page.locator("[data-field=status]")).to_have_text("In review")

    moderator = new_page("moderator")
    moderator.goto(f"/recommendations/{rec.pk}/")
    moderator.get_by_label("Version to approve").select_option("3")
    moderator.get_by_role("button", name="Approve").click()
    moderator.get_by_role("dialog").get_by_role("button", name="Approve version 3").click()
    expect(moderator.locator("[data-field=status]")).to_have_text("Approved")
    expect(moderator.locator("#activity")).to_contain_text("Moderator approved version 3")
    rec.refresh_from_db()
    assert (rec.status, rec.approved_version, rec.version) == ("approved", 3, 3)
    assert page.console_errors == [] and moderator.console_errors == []


def _save(page, body_text):
    page.get_by_label("Text (Markdown)").fill(body_text)
    page.get_by_role("button", name=re.compile("Save")).click()


def test_two_browsers_editing_the_same_draft_merge_then_conflict(new_page):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    madrid = OrganisationFactory(name="Madrid", slug="madrid")
    author = member_of(lisbon, "ana")
    member_of(madrid, "bruno")
    rec = make_recommendation(author, co_drafters=[madrid])
    first, second, third = BODY.split("\n\n")

    # The plain form (no co-editing script): stale saves merge or conflict.
    ana, bruno = new_page("ana", coedit=False), new_page("bruno", coedit=False)
    ana.goto(f"/recommendations/{rec.pk}/edit/")
    bruno.goto(f"/recommendations/{rec.pk}/edit/")
    _save(ana, "\n\n".join([first + " Ana was here.", second, third]))
    expect(ana.locator(".messages")).to_contain_text("Saved as version 2")
    # Bruno's editor still holds version 1: his change to another paragraph merges.
    _save(bruno, "\n\n".join([first, second, third + " Bruno too."]))
    expect(bruno.locator(".messages")).to_contain_text("merged with the changes of version 2")
    expect(bruno.locator("#text")).to_contain_text("Ana was here.")
    expect(bruno.locator("#text")).to_contain_text("Bruno too.")

    ana.goto(f"/recommendations/{rec.pk}/edit/")
    bruno.goto(f"/recommendations/{rec.pk}/edit/")
    current = Recommendation.objects.get(pk=rec.pk).body
    _save(ana, current.replace("single welcome point", "welcome office"))
    expect(ana.locator(".messages")).to_contain_text("Saved as version 4")
    bruno_text = current.replace("single welcome point", "one-stop shop")
    _save(bruno, bruno_text)
    # Same paragraph: nothing saved, both texts shown, Bruno's text kept in the editor.
    expect(bruno.locator("h1")).to_have_text("Your edit clashes with a newer version")
    expect(bruno.locator(".conflict-mine")).to_contain_text("one-stop shop")
    expect(bruno.locator(".conflict-theirs")).to_contain_text("welcome office")
    assert "one-stop shop" in bruno.get_by_label("Text (Markdown)").input_value()
    assert Recommendation.objects.get(pk=rec.pk).version == 4
    bruno.get_by_role("button", name="Save resolved version").click()
    expect(bruno.locator(".messages")).to_contain_text("Saved as version 5")
    assert "one-stop shop" in Recommendation.objects.get(pk=rec.pk).body
