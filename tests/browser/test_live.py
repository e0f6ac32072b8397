"""Two browsers on one recommendation: changes arrive live; typed text survives; catch-up."""

import re

import pytest
from playwright.sync_api import expect

from recommendations.models import Recommendation
from tests.factories import BODY, OrganisationFactory, make_recommendation, member_of, with_role

pytestmark = pytest.mark.browser


def test_edits_and_approvals_arrive_live_and_typing_is_never_replaced(new_page, api_as):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    tunis = OrganisationFactory(name="Tunis", slug="tunis")
    author = member_of(lisbon, "ana")
    member_of(tunis, "tarek")
    moderator = with_role("moderator")
    rec = make_recommendation(author, status="in_review")

    watcher = new_page("tarek")
    watcher.goto(f"/recommendations/{rec.pk}/")
    expect(watcher.locator("#live-status")).to_have_text("Live")
    editor = new_page("ana", coedit=False)  # the plain form: typing is kept, saves merge
    editor.goto(f"/recommendations/{rec.pk}/edit/")
    expect(editor.locator("#live-status")).to_have_text("Live")
    # Presence: the watcher sees Ana editing.
    expect(watcher.locator("#presence li[data-user=ana]")).to_contain_text("editing")

    half_typed = BODY + "\n\nHalf-typed by Ana"
    editor.get_by_label("Text (Markdown)").fill(half_typed)

    # Someone else saves a new version: the watcher gets a banner within a second, Ana's
    # editor a notice, and her half-typed text is untouched.
    as_ana, as_moderator = api_as(author), api_as(moderator)
    saved = as_ana.patch(
        f"/api/recommendations/{rec.pk}/",
        json={
            "base_version": 1,
            "body": BODY.replace("single", "single, friendly"),
            "note": "Tone",
        },
    )
    assert saved.status_code == 200
    expect(watcher.locator("#live-banner")).to_contain_text("saved version 2", timeout=1500)
    expect(watcher.locator("[data-field=version]").first).to_have_text("2")
    expect(editor.locator("#live-banner")).to_contain_text("Your text is kept", timeout=1500)
    assert editor.get_by_label("Text (Markdown)").input_value() == half_typed

    as_moderator.post(f"/api/recommendations/{rec.pk}/approve/", json={"version": 2})
    expect(watcher.locator("[data-field=status]")).to_have_text("Approved", timeout=1500)

    # Ana saves: her stale edit merges with version 2.
    editor.get_by_role("button", name="Save new version").click()
    expect(editor.locator(".messages")).to_contain_text("merged with the changes of version 2")
    body = Recommendation.objects.get(pk=rec.pk).body
    assert "single, friendly" in body and "Half-typed by Ana" in body

    # The watcher goes offline, misses a change, comes back and catches up without a reload.
    watcher.context.set_offline(True)
    expect(watcher.locator("#live-status")).to_have_text(re.compile("Offline"), timeout=20_000)
    as_ana.patch(
        f"/api/recommendations/{rec.pk}/",
        json={"base_version": 3, "body": body + "\n\nWhile away."},
    )
    watcher.context.set_offline(False)
    expect(watcher.locator("#live-status")).to_have_text("Live", timeout=40_000)
    expect(watcher.locator("[data-field=version]").first).to_have_text("4", timeout=5000)
    expect(watcher.locator("#live-banner")).to_contain_text("saved version 4")
    assert watcher.console_errors == [] and editor.console_errors == []


def test_the_list_page_follows_status_changes(new_page, api_as):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    author = member_of(lisbon, "ana")
    observer_org = OrganisationFactory(name="Tunis", slug="tunis")
    member_of(observer_org, "tarek")
    moderator = with_role("moderator")
    rec = make_recommendation(author, status="in_review", title="Followed live")
    page = new_page("tarek")
    page.goto("/recommendations/")
    expect(page.locator("#live-status")).to_have_text("Live")
    api_as(moderator).post(f"/api/recommendations/{rec.pk}/approve/", json={"version": 1})
    item = page.locator(f"[data-recommendation='{rec.pk}'] [data-field=status]")
    expect(item).to_have_text("Approved", timeout=1500)
