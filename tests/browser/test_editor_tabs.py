"""The recommendation editor on a phone and from the keyboard: writing and the preview are
two tabs (WAI-ARIA tabs), Save is in reach from both; on a laptop they stand side by side;
without JavaScript nothing is hidden. The co-editor brings its own tabs: the page's step aside."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from recommendations.models import Recommendation
from tests.factories import OrganisationFactory, ThemeFactory, make_recommendation, member_of

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
NO_OVERFLOW = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _parts(page):
    return {
        "tabs": page.get_by_role("tablist"),
        "write_tab": page.get_by_role("tab", name="Write"),
        "preview_tab": page.get_by_role("tab", name="Preview"),
        "body": page.get_by_label("Text (Markdown)"),
        "preview": page.locator("[data-js=preview]"),
        "save": page.get_by_role("button", name="Save draft"),
    }


def test_on_a_phone_write_and_preview_are_tabs_chosen_with_the_keyboard(new_page):
    member_of(OrganisationFactory(name="Lisbon", slug="lisbon"), "ana")
    ThemeFactory(slug="education", name="Education")
    page = new_page("ana")
    page.set_viewport_size(PHONE)
    page.goto("/recommendations/new/")
    page.wait_for_load_state("load")
    p = _parts(page)
    page.get_by_label("Title").fill("Language support in schools")
    page.get_by_label("Theme").select_option("education")
    page.get_by_label("City").check()

    expect(p["tabs"]).to_be_visible()
    expect(p["write_tab"]).to_have_attribute("aria-selected", "true")
    expect(p["preview_tab"]).to_have_attribute("aria-selected", "false")
    expect(p["preview_tab"]).to_have_attribute("tabindex", "-1")  # roving tabindex
    expect(p["preview"]).to_be_hidden()
    expect(p["body"]).to_be_visible()
    expect(p["save"]).to_be_visible()
    p["body"].fill("## Heading\n\nSchools should offer **intensive** language support.")

    # Keyboard only: the chosen tab, then the arrow key selects the next one.
    p["write_tab"].focus()
    page.keyboard.press("ArrowRight")
    expect(p["preview_tab"]).to_be_focused()
    expect(p["preview_tab"]).to_have_attribute("aria-selected", "true")
    expect(p["preview_tab"]).to_have_attribute("tabindex", "0")
    expect(p["write_tab"]).to_have_attribute("tabindex", "-1")
    expect(page.get_by_role("tabpanel", name="Preview")).to_be_visible()
    expect(p["preview"].locator("h2")).to_have_text("Heading")
    expect(p["preview"].locator("strong")).to_have_text("intensive")
    expect(p["body"]).to_be_hidden()
    expect(p["save"]).to_be_visible()
    assert page.evaluate(NO_OVERFLOW)

    # Home and End, and the arrows wrap around; Enter on a tab chooses it too.
    page.keyboard.press("Home")
    expect(p["write_tab"]).to_be_focused()
    expect(p["body"]).to_be_visible()
    expect(p["preview"]).to_be_hidden()
    page.keyboard.press("End")
    expect(p["preview_tab"]).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowRight")
    expect(p["write_tab"]).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Tab")  # out of the tab list, into the write panel
    page.keyboard.press("Shift+Tab")
    expect(p["write_tab"]).to_be_focused()
    p["preview_tab"].focus()
    page.keyboard.press("Enter")
    expect(p["preview_tab"]).to_have_attribute("aria-selected", "true")
    expect(p["body"]).to_be_hidden()

    # Right to left the tabs stand mirrored: ArrowLeft goes to the next one.
    page.evaluate("document.documentElement.dir = 'rtl'")
    p["preview_tab"].focus()
    page.keyboard.press("ArrowLeft")
    expect(p["write_tab"]).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowLeft")
    expect(p["preview_tab"]).to_have_attribute("aria-selected", "true")
    page.evaluate("document.documentElement.dir = 'ltr'")

    # Targets of at least 24 px, and no sideways scrolling in either state.
    for target in (p["write_tab"], p["preview_tab"], p["save"]):
        assert target.bounding_box()["height"] >= 24
    p["write_tab"].click()
    expect(p["save"]).to_be_visible()
    assert page.evaluate(NO_OVERFLOW)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # Saving from the preview tab, without going back: what was written is saved.
    p["preview_tab"].click()
    expect(p["body"]).to_be_hidden()
    assert page.console_errors == []
    p["save"].click()
    expect(page.locator("h1")).to_have_text("Language support in schools")
    assert Recommendation.objects.get().body.startswith("## Heading")


def test_on_a_laptop_both_panels_stand_side_by_side_without_tabs(new_page):
    member_of(OrganisationFactory(name="Lisbon", slug="lisbon"), "ana")
    page = new_page("ana")
    page.set_viewport_size(LAPTOP)
    page.goto("/recommendations/new/")
    page.wait_for_load_state("load")
    p = _parts(page)
    p["body"].fill("## Heading")
    expect(p["tabs"]).to_be_hidden()
    expect(p["body"]).to_be_visible()
    expect(p["preview"].locator("h2")).to_have_text("Heading")
    expect(p["save"]).to_be_visible()
    # Save sits under the fields, beside the preview.
    body, save, preview = (x.bounding_box() for x in (p["body"], p["save"], p["preview"]))
    assert save["x"] < preview["x"] and save["y"] > body["y"]
    assert page.evaluate(NO_OVERFLOW)

    # Narrowing the window brings the tabs; widening it again shows both panels.
    page.set_viewport_size(PHONE)
    expect(p["tabs"]).to_be_visible()
    expect(p["preview"]).to_be_hidden()
    page.set_viewport_size(LAPTOP)
    expect(p["tabs"]).to_be_hidden()
    expect(p["preview"]).to_be_visible()
    assert page.console_errors == []


def test_without_javascript_nothing_is_hidden(browser, live):
    member_of(OrganisationFactory(name="Lisbon", slug="lisbon"), "ana")
    context = browser.new_context(base_url=live, java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("ana")
        page.get_by_label("Password").fill("pw")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        page.goto("/recommendations/new/")
        expect(page.get_by_label("Text (Markdown)")).to_be_visible()
        expect(page.get_by_role("button", name="Save draft")).to_be_visible()
        expect(page.get_by_role("heading", name="Preview")).to_be_visible()
        expect(page.get_by_role("tablist")).to_have_count(0)
        expect(page.locator("[data-js=editor-tabs]")).to_be_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_the_tabs_work_with_the_plain_form_and_with_the_co_editor(new_page):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    rec = make_recommendation(member_of(lisbon, "ana"), body="## Heading\n\nText.")

    plain = new_page("ana", coedit=False)
    plain.set_viewport_size(PHONE)
    plain.goto(f"/recommendations/{rec.pk}/edit/")
    plain.get_by_role("tab", name="Write").focus()
    plain.keyboard.press("ArrowRight")
    expect(plain.locator("[data-js=preview] h2")).to_have_text("Heading")
    expect(plain.get_by_label("Text (Markdown)")).to_be_hidden()
    expect(plain.get_by_role("button", name="Save new version")).to_be_visible()
    expect(plain.get_by_role("link", name="Cancel")).to_be_visible()

    # The co-editor's toolbar switch sits inside the write panel (hidden with it in Preview):
    # the page's tabs stand in for it, and there is always a way back to writing.
    page = new_page("ana")
    page.set_viewport_size(PHONE)
    page.goto(f"/recommendations/{rec.pk}/edit/")
    coedit = page.locator('[data-js="coedit"]')
    expect(coedit).to_have_attribute("data-state", "saved")
    host = page.locator("[data-js=coedit-host]")
    toolbar = page.get_by_role("toolbar", name="Formatting")
    expect(toolbar).to_be_visible()
    expect(toolbar.get_by_role("button", name="Preview")).to_be_hidden()
    expect(page.locator("textarea[name=body]")).to_be_hidden()  # the co-editor took its place
    expect(host).to_be_visible()
    write_tab = page.get_by_role("tab", name="Write")
    write_tab.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("[data-js=preview] h2")).to_have_text("Heading")
    expect(host).to_be_hidden()
    expect(page.get_by_role("button", name="Save new version")).to_be_visible()
    assert page.evaluate(NO_OVERFLOW)
    page.keyboard.press("ArrowLeft")
    expect(write_tab).to_have_attribute("aria-selected", "true")
    expect(host).to_be_visible()
    expect(toolbar).to_be_visible()
    expect(page.locator("[data-js=preview]")).to_be_hidden()
    assert plain.console_errors == [] and page.console_errors == []
