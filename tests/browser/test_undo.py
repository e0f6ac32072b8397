"""The step back in Chromium: after resolving a thread or hiding a comment with the page's
script, a polite notice beside the comment offers Reopen / Restore; it works from the
keyboard, never takes the focus, and goes once used or once the comment changes again.
Without the script, the message after the redirect offers the same (core/undo.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from comments import services
from comments.models import Comment
from tests.factories import OrganisationFactory, make_recommendation, member_of, with_role

pytestmark = pytest.mark.browser

DISPATCH = "(m) => document.dispatchEvent(new CustomEvent('live:event', {detail: m}))"


@pytest.fixture
def people():
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    tunis = OrganisationFactory(name="Tunis", slug="tunis")
    return {
        "ana": member_of(lisbon, "ana"),
        "tarek": member_of(tunis, "tarek"),
        "moderator": with_role("moderator"),
    }


def item(page, text):
    return page.locator("li.comment-item", has=page.locator(":scope > article", has_text=text))


def focused_in_notice(page) -> bool:
    return page.evaluate("() => Boolean(document.activeElement.closest('.undo-notice'))")


def test_resolving_offers_reopen_which_works_from_the_keyboard(new_page, people):
    rec = make_recommendation(people["ana"], status="in_review")
    comment = services.post_comment(rec, actor=people["tarek"], body="Which languages?")
    page = new_page("ana")
    page.goto(f"/recommendations/{rec.pk}/")
    thread = item(page, "Which languages?")
    thread.get_by_role("button", name="Resolve").click()
    expect(thread).to_have_attribute("data-status", "resolved")

    notice = page.locator(".undo-notice [role=status]")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text("Done.")
    reopen = notice.get_by_role("button", name="Reopen")
    expect(reopen).to_be_visible()
    assert not focused_in_notice(page)  # a polite status: the focus stays where it was

    reopen.focus()
    page.keyboard.press("Enter")
    expect(thread).to_have_attribute("data-status", "open")
    expect(page.locator(".undo-notice")).to_have_count(0)  # gone once used
    expect(thread.get_by_role("button", name="Resolve")).to_be_focused()  # not lost
    assert not Comment.objects.get(pk=comment.pk).is_resolved
    assert page.console_errors == [], page.console_errors


def test_hiding_offers_restore_which_goes_once_the_comment_changes_again(new_page, people):
    rec = make_recommendation(people["ana"], status="in_review")
    comment = services.post_comment(rec, actor=people["tarek"], body="Off topic.")
    page = new_page("moderator")
    page.goto(f"/recommendations/{rec.pk}/")
    target = item(page, "Off topic.")
    target.locator(":scope > article summary", has_text="Hide").click()
    target.get_by_label("Reason for hiding (the author sees it)").fill("Spam")
    target.get_by_role("button", name="Hide comment").click()
    dialog = page.get_by_role("dialog")  # hiding asks first, naming what will happen
    expect(dialog).to_contain_text("Hide this comment?")
    dialog.get_by_role("button", name="Hide comment").click()
    expect(target).to_have_attribute("data-hidden", "true")
    restore = page.locator(".undo-notice").get_by_role("button", name="Restore")
    expect(restore).to_be_visible()

    # Its own change arriving live again leaves the notice; another change removes it.
    event = {
        "type": "comment.updated",
        "recommendation": rec.pk,
        "seq": 99,
        "data": {"comment": {"id": comment.pk}, "action": "hidden"},
    }
    page.evaluate(DISPATCH, event)
    page.wait_for_timeout(300)
    expect(restore).to_be_visible()
    services.restore_comment(comment, actor=people["moderator"])
    page.evaluate(DISPATCH, {**event, "seq": 100, "data": {**event["data"], "action": "restored"}})
    expect(target).not_to_have_attribute("data-hidden", "true")
    expect(page.locator(".undo-notice")).to_have_count(0)
    assert page.console_errors == [], page.console_errors


def test_without_javascript_the_message_offers_reopen(browser, live, people):
    rec = make_recommendation(people["ana"], status="in_review")
    comment = services.post_comment(rec, actor=people["tarek"], body="Which languages?")
    context = browser.new_context(base_url=live, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("ana")
        page.get_by_label("Password").fill("pw")
        page.get_by_role("button", name="Log in").click()
        page.goto(f"/comments/{comment.pk}/actions/")
        page.get_by_role("button", name="Resolve").click()
        message = page.locator(".messages li", has_text="Thread resolved.")
        message.get_by_role("button", name="Reopen").click()
        expect(page.locator(".messages")).to_contain_text("Thread reopened.")
        expect(page.locator(".messages").get_by_role("button", name="Reopen")).to_have_count(0)
        assert not Comment.objects.get(pk=comment.pk).is_resolved
    finally:
        context.close()
