"""Commitments in Chromium (issue 16): Tunis commits to a recommendation and Beirut's open page
shows it live; after the conference Tunis posts progress, which an anonymous visitor sees
arrive live on Tunis's organisation page, then on the follow-up pages."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from publication import services as publication
from recommendations import services
from tests.factories import (
    OrganisationFactory,
    ThemeFactory,
    make_recommendation,
    member_of,
    representative_of,
    with_role,
)

pytestmark = pytest.mark.browser


def test_tunis_commits_beirut_sees_it_live_and_the_public_follows_the_progress(new_page):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon", country="Portugal")
    tunis = OrganisationFactory(name="Tunis", slug="tunis", country="Tunisia")
    beirut = OrganisationFactory(name="Beirut", slug="beirut", country="Lebanon")
    ana = member_of(lisbon, "ana")
    representative_of(tunis, "tunis")
    member_of(beirut, "beirut")
    moderator = with_role("moderator")
    secretariat = with_role("secretariat")
    rec = make_recommendation(
        ana,
        status="approved",
        moderator=moderator,
        theme=ThemeFactory(slug="social-inclusion", name="Social inclusion"),
        title="One front door to local services",
        body="Cities should open a single welcome point.",
    )

    watcher = new_page("beirut")
    watcher.goto(f"/recommendations/{rec.pk}/")
    expect(watcher.locator('[data-js="live-status"]')).to_have_text("Live")
    expect(watcher.locator("#commitments")).to_contain_text("No commitment yet.")

    # Tunis commits, with the keyboard-reachable form of the recommendation page.
    rep = new_page("tunis")
    rep.goto(f"/recommendations/{rec.pk}/")
    rep.get_by_text("Commit in the name of Tunis").click()
    rep.get_by_label("What will you do?").fill("Open a welcome desk in the medina.")
    target = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    rep.get_by_label("Target date").fill(target)
    rep.get_by_label("Indicator (optional)").fill("Desks open")
    rep.get_by_label("Unit of the indicator").fill("desks")
    rep.get_by_label("Target value").fill("4")
    rep.get_by_role("button", name="Commit for Tunis").click()
    expect(rep.locator(".messages")).to_contain_text("Tunis's commitment is recorded.")

    # Beirut's page, never reloaded, shows it under the cities.
    watcher.evaluate("window.notReloaded = true")
    item = watcher.locator('[data-kind-group="city"] li[data-commitment]')
    expect(item).to_contain_text("Open a welcome desk in the medina.")
    expect(item).to_contain_text("Tunis")
    expect(watcher.locator('[data-kind-group="city"] h3')).to_contain_text("Cities")
    assert watcher.evaluate("window.notReloaded") is True

    # The text becomes final and is published (the public reads published texts).
    services.finalise_recommendation(rec, actor=secretariat)
    edition = publication.create_edition(
        title="Beirut 2017", preamble="Adopted in Beirut.", actor=secretariat
    )
    publication.publish_edition(edition, actor=secretariat)

    # An anonymous visitor keeps Tunis's page open; Tunis reports progress after the conference.
    visitor = new_page()
    visitor.goto("/organisations/tunis/")
    public_item = visitor.locator("li[data-commitment]")
    expect(public_item).to_contain_text("Not started")
    expect(visitor.locator('[data-js="live-status"]')).to_have_text("Live")
    rep.goto("/organisations/tunis/")
    rep.get_by_role("link", name="Details and progress").click()
    rep.get_by_label("Status").select_option("in_progress")
    rep.get_by_label("Note").fill("The first desk opened.")
    rep.get_by_label("Current value (desks)").fill("1")
    rep.get_by_role("button", name="Post the update").click()
    expect(rep.locator(".messages")).to_contain_text("Progress update posted.")
    expect(rep.locator('[data-js="updates"]')).to_contain_text("The first desk opened.")

    expect(public_item).to_contain_text("In progress")  # live, without a reload
    expect(public_item).to_contain_text("1 / 4 desks")

    visitor.goto("/followup/")
    expect(visitor.locator('[data-count="in_progress"]')).to_have_text("1")
    expect(visitor.locator("li[data-commitment]")).to_contain_text("In progress")
    visitor.goto(f"/followup/recommendations/{rec.pk}/")
    expect(visitor.locator("li[data-commitment]")).to_contain_text("Open a welcome desk")
    visitor.get_by_role("link", name="Details and progress").click()
    expect(visitor.locator('[data-js="updates"]')).to_contain_text("The first desk opened.")
    expect(visitor.locator("form")).to_have_count(1)  # the language chooser only
    for page in (watcher, rep, visitor):
        assert page.console_errors == [], page.console_errors
