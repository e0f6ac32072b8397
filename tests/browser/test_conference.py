"""The conference in Chromium: the secretariat sets the endorsement deadline, a representative
sees the countdown, then "closed" where the form was (the API answers 409 with the message);
the secretariat composes an edition, sees the warnings, confirms and publishes; a visitor
downloads the Markdown and the PDF and their SHA-256 match the page; the overview's chart
moves in a second browser when an endorsement arrives, without a reload."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conference import services as conference_services
from conference.models import Conference
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


def _beirut(moment) -> str:
    """A datetime-local value in the conference's zone."""
    return moment.astimezone(Conference.objects.get().zone).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def world(db):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    tunis = OrganisationFactory(name="Tunis", slug="tunis", country="Tunisia")
    ana = member_of(lisbon, "ana")
    tunis_rep = representative_of(tunis, "tunis-rep")
    moderator = with_role("moderator")
    secretariat = with_role("secretariat")
    conference_services.save_conference(
        None,
        actor=secretariat,
        name="MC2CM conference",
        place="Beirut, Lebanon",
        host="The Mayor of Beirut",
        starts_on=date(2017, 11, 7),
        ends_on=date(2017, 11, 8),
    )
    theme = ThemeFactory(slug="education", name="Education")
    rec = make_recommendation(
        ana,
        status="approved",
        moderator=moderator,
        theme=theme,
        title="Language support in schools",
        body="# Context\n\nSchools receive newcomers.\n\n## Recommendation\n\nOffer language support.",
    )
    return {"rec": rec, "ana": ana, "tunis_rep": tunis_rep, "secretariat": secretariat}


def test_deadline_countdown_then_closed_and_the_api_refuses(world, new_page, api_as):
    rec = world["rec"]
    sec = new_page("secretariat")
    sec.goto("/conference/")
    now = timezone.now()
    sec.get_by_label("Drafting closes").fill(_beirut(now + timedelta(days=1)))
    sec.get_by_label("Endorsement closes").fill(_beirut(now + timedelta(days=3)))
    sec.get_by_role("button", name="Save the deadlines").click()
    expect(sec.locator(".messages")).to_contain_text("The deadlines are saved.")
    expect(sec.locator('[data-deadline="endorsement"]')).to_contain_text("(Asia/Beirut)")

    rep = new_page("tunis-rep")
    rep.goto(f"/recommendations/{rec.pk}/")
    countdown = rep.locator('[data-js="deadline"][data-deadline="endorsement"]')
    expect(countdown).to_have_attribute("data-state", "open")
    expect(countdown).to_contain_text("Endorsement closes in 2")
    expect(rep.get_by_role("button", name="Endorse version 1 for Tunis")).to_be_visible()

    # The secretariat closes endorsing (both deadlines in the past, in order).
    sec.get_by_label("Drafting closes").fill(_beirut(now - timedelta(hours=2)))
    sec.get_by_label("Endorsement closes").fill(_beirut(now - timedelta(hours=1)))
    sec.get_by_role("button", name="Save the deadlines").click()
    expect(sec.locator(".messages")).to_contain_text("The deadlines are saved.")

    rep.reload()
    closed = rep.locator('[data-js="deadline"][data-deadline="endorsement"]')
    expect(closed).to_have_attribute("data-state", "closed")
    expect(closed).to_contain_text("Endorsement closed on")
    expect(rep.get_by_role("button", name="Endorse version 1 for Tunis")).to_have_count(0)
    response = api_as(world["tunis_rep"]).post(
        f"/api/recommendations/{rec.pk}/endorsements/", json={"organisation": "tunis"}
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Endorsement closed on")


def test_compose_with_warnings_confirm_publish_and_verify_both_downloads(world, new_page):
    rec = services.finalise_recommendation(world["rec"], actor=world["secretariat"])
    sec = new_page("secretariat")
    sec.goto("/published/editions/new/")
    sec.get_by_role("textbox", name="Title", exact=True).fill("Beirut conference recommendations")
    sec.get_by_label("Preamble (Markdown)").fill("Adopted in **Beirut**, November 2017.")
    sec.get_by_label("Adopted on").fill("2017-11-08")
    sec.get_by_role("button", name="Save draft edition").click()
    entry = sec.locator(f'#draft-entries [data-recommendation="{rec.pk}"]')
    expect(entry).to_contain_text("Warning: No organisation endorsed it.")
    expect(sec.locator('[data-js="publish-summary"]')).to_have_text(
        "Publishing now makes an edition of 1 recommendation. It has 1 warning."
    )
    # Publishing without the confirmation is refused, nothing published.
    sec.get_by_role("button", name="Publish 1 recommendation").click()
    expect(sec.locator(".field-errors")).to_contain_text(
        "Confirm that you checked the edition before publishing."
    )
    sec.get_by_label("I have checked the recommendations and the warnings above.").check()
    sec.get_by_role("button", name="Publish 1 recommendation").click(timeout=30_000)  # the PDF
    expect(sec.locator("h1")).to_have_text("Beirut conference recommendations")

    visitor = new_page()
    visitor.goto("/published/")
    expect(visitor.locator(".edition-conference")).to_contain_text("MC2CM conference")
    expect(visitor.locator('[data-field="adopted"]')).to_have_text("8 Nov 2017")
    md_sha = visitor.locator("#sha256").inner_text().strip()
    pdf_sha = visitor.locator("#pdf-sha256").inner_text().strip()
    with visitor.expect_download() as info:
        visitor.get_by_role("link", name="Download the Markdown (edition-1.md)").click()
    markdown = Path(info.value.path()).read_bytes()
    assert hashlib.sha256(markdown).hexdigest() == md_sha
    assert markdown.decode().startswith('---\nconference: "MC2CM conference"\n')
    with visitor.expect_download() as info:
        visitor.get_by_role("link", name="Download the PDF (edition-1.pdf)").click()
    assert info.value.suggested_filename == "edition-1.pdf"
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == pdf_sha
    # The outline: one h1, the recommendation (h3) above its own headings (h4, h5).
    levels = visitor.locator("main h1, main h2, main h3, main h4, main h5, main h6").evaluate_all(
        "els => els.map(e => [Number(e.tagName[1]), e.textContent.trim()])"
    )
    assert [lvl for lvl, _t in levels].count(1) == 1
    title = levels.index([3, "Language support in schools"])
    assert levels[title + 1 : title + 3] == [[4, "Context"], [5, "Recommendation"]]


def test_an_endorsement_moves_the_overview_chart_live(world, new_page, api_as):
    rec = world["rec"]
    first = new_page("ana")
    second = new_page("moderator")
    for page in (first, second):
        page.goto("/overview/")
    bar = f'[data-js="overview-body"] [data-recommendation="{rec.pk}"] [data-kind="city"] [data-field="count"]'
    expect(second.locator(bar)).to_have_text("0")
    expect(second.locator('[data-js="silent"] [data-organisation="tunis"]')).to_have_count(1)
    second.evaluate("window.notReloaded = true")
    response = api_as(world["tunis_rep"]).post(
        f"/api/recommendations/{rec.pk}/endorsements/", json={"organisation": "tunis"}
    )
    assert response.status_code == 201
    for page in (first, second):
        expect(page.locator(bar)).to_have_text("1")
    expect(second.locator('[data-js="silent"] [data-organisation="tunis"]')).to_have_count(0)
    assert second.evaluate("window.notReloaded") is True
