"""A second browser follows approve, endorse and a new version in place: the status badge, the
actions, the support, versions and activity panels change without a reload, fetched as the
server renders them for that viewer; what the viewer is typing is never touched. Arriving
changes are said in one polite live region, throttled, and a person can pause them."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import (
    BODY,
    OrganisationFactory,
    make_recommendation,
    member_of,
    representative_of,
    with_role,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def world(db):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    tunis = OrganisationFactory(name="Tunis", slug="tunis")
    vienna = OrganisationFactory(name="Vienna", slug="vienna")
    author = member_of(lisbon, "ana")
    return {
        "author": author,
        "tunis": representative_of(tunis, "tarek"),
        "vienna": representative_of(vienna, "vera"),
        "moderator": with_role("moderator"),
        "rec": make_recommendation(author, status="in_review", versions=2),
    }


def panel(page, name):
    return page.locator(f'[data-live-panel="{name}"]')


def test_approve_endorse_and_a_new_version_update_every_panel_in_place(world, new_page, api_as):
    rec = world["rec"]
    rep = new_page("tarek")
    rep.goto(f"/recommendations/{rec.pk}/")
    moderator = new_page("moderator")
    moderator.goto(f"/recommendations/{rec.pk}/")
    for page in (rep, moderator):
        expect(page.locator("#live-status")).to_have_text("Live")
    endorse = rep.get_by_role("button", name="Endorse version 2 for Tunis")
    expect(endorse).to_have_count(0)
    rep.evaluate("window.sameDocument = true")  # gone if the page were reloaded

    # Approve, by the moderator in the first browser (the dialog names the version).
    moderator.get_by_label("Version to approve").select_option("2")
    moderator.get_by_role("button", name="Approve", exact=True).click()
    moderator.get_by_role("dialog").get_by_role("button", name=re.compile("Approve")).click()
    expect(moderator.locator(".messages")).to_contain_text("approved")
    moderator.evaluate("window.sameDocument = true")

    # The representative's page follows, panel by panel, without a reload.
    expect(panel(rep, "status").locator("[data-field=status]")).to_have_text("Approved")
    expect(panel(rep, "status")).to_contain_text("approved version 2")
    expect(endorse).to_be_visible()  # the support panel, rendered for Tarek
    expect(panel(rep, "versions").locator("li").first).to_contain_text("approved")
    expect(panel(rep, "activity")).to_contain_text("approved version 2")
    expect(rep.locator("#live-banner")).to_contain_text("Status changed to “Approved”")

    # Tarek starts a statement; Vienna endorses meanwhile: his text is kept, the panel says
    # it changed and waits for him.
    statement = rep.get_by_label("Statement of Tunis (optional)")
    statement.fill("Tunis supports welcome points.")
    api_as(world["vienna"]).post(
        f"/api/recommendations/{rec.pk}/endorsements/", json={"organisation": "vienna"}
    )
    expect(panel(moderator, "aside")).to_contain_text("Vienna")
    expect(panel(moderator, "activity")).to_contain_text("endorsed version 2")
    expect(panel(rep, "aside").locator(".panel-stale")).to_be_visible()
    assert statement.input_value() == "Tunis supports welcome points."
    expect(panel(rep, "status")).to_contain_text("approved version 2")
    assert rep.evaluate("window.sameDocument === true")

    # He endorses (one form post); the moderator's support panel counts Tunis in place.
    rep.get_by_role("button", name="Endorse version 2 for Tunis").click()
    expect(rep.locator(".messages")).to_contain_text("Tunis")
    expect(panel(moderator, "aside").locator("[data-organisation=tunis]")).to_contain_text(
        "endorsed version 2"
    )

    # A new version: both see it in the versions list and the activity, with no refresh asked.
    saved = api_as(world["author"]).patch(
        f"/api/recommendations/{rec.pk}/",
        json={"base_version": 2, "body": BODY + "\n\nA third version.", "note": "Third"},
    )
    assert saved.status_code == 200
    for page in (rep, moderator):
        expect(panel(page, "versions").locator("li").first).to_contain_text("Version 3")
        expect(panel(page, "status").locator("[data-field=version]")).to_have_text("3")
        expect(page.locator("#live-banner")).not_to_contain_text("Refresh")
    # The moderator may approve version 3 now: the form came back with the new choice.
    expect(
        panel(moderator, "actions").get_by_label("Version to approve").locator("option")
    ).to_have_count(3)
    assert moderator.evaluate("window.sameDocument === true")
    assert rep.console_errors == [] and moderator.console_errors == []


def test_comments_arriving_together_are_said_once_and_pausing_holds_them(world, new_page, api_as):
    rec = world["rec"]
    reader = new_page("ana")
    reader.goto(f"/recommendations/{rec.pk}/")
    expect(reader.locator("#live-status")).to_have_text("Live")
    banner = reader.locator("#live-banner")
    author_api = api_as(world["author"])

    def post(body):
        response = author_api.post(f"/api/recommendations/{rec.pk}/comments/", json={"body": body})
        assert response.status_code == 201

    # Paused: nothing arrives on the page; the indicator says how much waits.
    reader.get_by_role("button", name="Pause live updates").click()
    expect(reader.get_by_role("button", name="Resume live updates")).to_have_attribute(
        "aria-pressed", "true"
    )
    for n in range(3):
        post(f"Note {n}")
    expect(reader.locator("#live-status")).to_contain_text("3 changes waiting")
    expect(reader.locator("li.comment-item", has_text="Note 0")).to_have_count(0)
    resume = reader.get_by_role("button", name="Resume live updates")
    resume.focus()
    reader.keyboard.press("Enter")
    expect(reader.locator("li.comment-item", has_text="Note 2")).to_have_count(1)
    # One sentence for the three, in the one polite region; focus stays where it was.
    expect(banner).to_contain_text("3 new comments")
    expect(banner).to_have_attribute("role", "status")
    expect(reader.get_by_role("button", name="Pause live updates")).to_be_focused()
    live_regions = reader.eval_on_selector_all(
        "[aria-live], [role=status], [role=alert]",
        "els => els.filter(e => e.checkVisibility() || e.textContent.trim()).map(e => e.dataset.js)",
    )
    assert sorted(live_regions) == ["live-banner", "live-status"], live_regions

    # "Show" takes the person to the newest comment, because they asked.
    banner.get_by_role("button", name="Show").click()
    expect(reader.locator("li.comment-item", has_text="Note 2")).to_be_focused()

    # Live again, a burst is said at most every few seconds: three comments, at most two
    # announcements, counting three in all.
    reader.evaluate(
        """() => { window.said = [];
        new MutationObserver(() => window.said.push(document.querySelector('#live-banner')
          .textContent)).observe(document.querySelector('#live-banner'), {childList: true}); }"""
    )
    for n in range(3, 6):
        post(f"Note {n}")
    expect(reader.locator("li.comment-item", has_text="Note 5")).to_have_count(1)
    reader.wait_for_timeout(3000)
    said = reader.evaluate("window.said")
    counts = [int(m) for text in said for m in re.findall(r"(\d+) new comments?", text)]
    assert 1 <= len(counts) <= 2 and sum(counts) == 3, said
    assert reader.console_errors == []
