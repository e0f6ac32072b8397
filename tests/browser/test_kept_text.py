"""Unsaved text survives a reload (issue 13): kept on the device, offered back, forgotten once
sent and on logging out."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import OrganisationFactory, make_recommendation, member_of

pytestmark = pytest.mark.browser

TEXT = "Les centres d'accueil devraient ouvrir le samedi. مراكز الاستقبال"


def test_a_comment_being_written_survives_a_reload_and_is_forgotten_once_sent(new_page):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    rec = make_recommendation(member_of(lisbon, "ana"))
    page = new_page("ana")
    page.goto(f"/recommendations/{rec.pk}/")
    box = page.locator(".compose-general textarea[name=body]")
    box.fill(TEXT)
    page.wait_for_timeout(600)  # kept after a short pause in typing
    page.once("dialog", lambda dialog: dialog.accept())  # "leave the page?" on reload
    page.reload()

    offer = page.locator(".kept-text")
    expect(offer).to_contain_text("was kept on this device")
    assert box.input_value() == ""
    offer.get_by_role("button", name="Put it back").click()
    expect(box).to_have_value(TEXT)
    expect(offer).to_have_count(0)

    page.locator(".compose-general").get_by_role("button", name="Post comment").click()
    expect(page.locator("#general-comments")).to_contain_text("ouvrir le samedi")
    assert Comment.objects.filter(recommendation=rec, body=TEXT).exists()
    page.reload()
    expect(page.locator(".kept-text")).to_have_count(0)
    assert page.console_errors == []


def test_logging_out_forgets_kept_text(new_page):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    rec = make_recommendation(member_of(lisbon, "ana"))
    page = new_page("ana")
    page.goto(f"/recommendations/{rec.pk}/")
    page.locator(".compose-general textarea[name=body]").fill("Not for the next person")
    page.wait_for_timeout(600)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")
    kept = page.evaluate(
        "Object.keys(localStorage).filter((k) => k.startsWith('kept-text:')).length"
    )
    assert kept == 0
