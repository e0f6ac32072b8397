"""Headings named like the page's elements (DOM clobbering) change nothing for its scripts: live
comments still arrive, in both directions, and presence is shown in the presence box."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from comments import services
from comments.models import Comment
from tests.factories import OrganisationFactory, make_recommendation, member_of

pytestmark = pytest.mark.browser


def clobbering_body(next_ids: list[int]) -> str:
    """Headings named like the elements comments.js, live.js and endorsements.js look for, and
    like the comments about to be posted (whose live arrival an id lookup would suppress)."""
    headings = ["# comments", "# presence", "# endorsements"]
    headings += [f"## comment-{n}" for n in next_ids]
    return "\n\n".join([*headings, "Cities should open a single welcome point."])


def general_comment(page, text):
    form = page.locator(".compose-general")
    form.get_by_label("Your comment", exact=True).fill(text)
    form.get_by_role("button", name="Post comment").click()


def test_headings_named_like_page_elements_leave_live_comments_and_presence_working(new_page):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    tunis = OrganisationFactory(name="Tunis", slug="tunis")
    ana, tarek = member_of(lisbon, "ana"), member_of(tunis, "tarek")
    # The next comment ids, learnt from a comment on another recommendation.
    probe = services.post_comment(
        make_recommendation(ana, status="in_review", title="Probe"), actor=tarek, body="Probe."
    )
    next_ids = [probe.pk + 1, probe.pk + 2, probe.pk + 3]
    rec = make_recommendation(ana, status="in_review", body=clobbering_body(next_ids))

    pages = {"ana": new_page("ana"), "tarek": new_page("tarek")}
    for page in pages.values():
        page.goto(f"/recommendations/{rec.pk}/")
        expect(page.locator("#live-status")).to_have_text("Live")
        page.evaluate("window.stillTheSamePage = true")
        for name in ("comments", "presence", "endorsements", f"comment-{next_ids[0]}"):
            expect(page.locator(".prose h1, .prose h2").filter(has_text=name)).to_have_count(1)

    # Presence: each sees the other in the presence box; no heading of the text is touched.
    for viewer, other in (("tarek", "ana"), ("ana", "tarek")):
        page = pages[viewer]
        expect(page.locator(f"aside ul#presence li[data-user={other}]")).to_have_count(1)
        expect(page.locator(".prose li[data-user]")).to_have_count(0)
        expect(page.locator(".prose h1").filter(has_text="presence")).to_have_text("presence")

    # A comment posted in one browser arrives live in the other, in both directions.
    general_comment(pages["ana"], "## comments\n\nArrived live from Ana.")
    expect(pages["tarek"].locator("li.comment-item").filter(has_text="from Ana")).to_have_count(
        1, timeout=3000
    )
    general_comment(pages["tarek"], "Arrived live from Tarek.")
    expect(pages["ana"].locator("li.comment-item").filter(has_text="from Tarek")).to_have_count(
        1, timeout=3000
    )
    posted = Comment.objects.filter(recommendation=rec).order_by("pk")
    # The comments took the ids the text's headings are named after.
    assert [c.pk for c in posted] == next_ids[:2]
    for page in pages.values():
        for text in ("from Ana", "from Tarek"):
            expect(
                page.locator("#general-comments li.comment-item").filter(has_text=text)
            ).to_have_count(1)
        expect(page.locator("[data-field=comment-total]")).to_have_text("2")
        expect(page.locator(".prose h1").filter(has_text="comments")).to_have_text("comments")
        assert page.evaluate("window.stillTheSamePage === true")  # no reload anywhere
        assert page.console_errors == [], page.console_errors
