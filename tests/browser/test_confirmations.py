"""The confirmation dialog with the keyboard alone: it opens on the step's button, Escape
cancels and gives focus back, confirming takes exactly the step it named."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from recommendations.models import Recommendation
from tests.factories import OrganisationFactory, make_recommendation, member_of, with_role

pytestmark = pytest.mark.browser


def test_approve_by_keyboard_asks_in_a_dialog_that_escape_cancels(new_page):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    rec = make_recommendation(member_of(lisbon, "ana"), status="in_review", versions=2)
    with_role("moderator")
    page = new_page("moderator")
    page.goto(f"/recommendations/{rec.pk}/")
    page.get_by_label("Version to approve").select_option("1")
    approve = page.get_by_role("button", name="Approve", exact=True)
    approve.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Approve version 1?")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(approve).to_be_focused()
    assert Recommendation.objects.get(pk=rec.pk).approved_version is None

    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Shift+Tab")  # from Cancel back to the step's own button
    expect(dialog.get_by_role("button", name="Approve version 1")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("[data-field=status]")).to_have_text("Approved")
    rec.refresh_from_db()
    assert (rec.status, rec.approved_version) == ("approved", 1)
    assert page.console_errors == []


def test_without_javascript_the_step_asks_on_its_own_page(browser, live):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    rec = make_recommendation(member_of(lisbon, "ana"), status="draft")
    context = browser.new_context(base_url=live, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("ana")
        page.get_by_label("Password").fill("pw")
        page.get_by_role("button", name="Log in").click()
        page.goto(f"/recommendations/{rec.pk}/")
        page.get_by_role("button", name="Submit for review").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Submit version 1 for review?")
        assert Recommendation.objects.get(pk=rec.pk).status == "draft"
        page.get_by_role("button", name="Submit for review").click()
        expect(page.locator("[data-field=status]")).to_have_text("In review")
    finally:
        context.close()
