"""Endorsing and publishing in Chromium: a representative endorses, a moderator approves a newer
version, the representative re-confirms after seeing the diff; the secretariat finalises and
publishes; a logged-out visitor reads /published/, downloads the Markdown and checks its SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import expect

from publication.models import Endorsement
from recommendations import services
from recommendations.models import Recommendation
from tests.factories import (
    OrganisationFactory,
    ThemeFactory,
    make_recommendation,
    member_of,
    representative_of,
    with_role,
)

pytestmark = pytest.mark.browser


def test_endorse_reconfirm_after_the_diff_finalise_publish_and_verify_the_download(new_page):
    lisbon = OrganisationFactory(name="Lisbon", slug="lisbon")
    tunis = OrganisationFactory(name="Tunis", slug="tunis", country="Tunisia")
    ana = member_of(lisbon, "ana")
    representative_of(tunis, "tunis-rep")
    moderator = with_role("moderator")
    with_role("secretariat")
    theme = ThemeFactory(slug="education", name="Education")
    rec = make_recommendation(
        ana,
        status="approved",
        moderator=moderator,
        theme=theme,
        title="Language support in schools",
        body="Schools should offer intensive language support.",
    )

    # A representative endorses the approved version, with a statement.
    rep = new_page("tunis-rep")
    rep.goto(f"/recommendations/{rec.pk}/")
    rep.get_by_label("Statement of Tunis (optional)").fill("Tunis will train its teachers.")
    rep.get_by_role("button", name="Endorse version 1 for Tunis").click()
    expect(rep.locator(".messages")).to_contain_text("Tunis endorses version 1.")
    expect(rep.locator('#endorsers [data-organisation="tunis"]')).to_contain_text(
        "endorsed version 1"
    )
    expect(rep.locator('#endorsements [data-kind="city"]').first).to_contain_text("1")

    # The drafters change the text; a moderator approves the newer version.
    services.edit_recommendation(
        rec,
        actor=ana,
        base_version=1,
        body="Schools should offer intensive language support during ordinary hours.",
    )
    mod = new_page("moderator")
    mod.goto(f"/recommendations/{rec.pk}/")
    mod.get_by_label("Version to approve").select_option("2")
    mod.get_by_role("button", name="Approve").click()
    mod.get_by_role("dialog").get_by_role("button", name="Approve version 2").click()
    expect(mod.locator("[data-field=status]")).to_have_text("Approved")
    # The old endorsement stays, naming its version.
    expect(mod.locator('#endorsers [data-organisation="tunis"]')).to_contain_text(
        "endorsed version 1"
    )

    mod.evaluate("window.notReloaded = true")

    # The representative's home page asks to re-confirm; they look at the diff first.
    rep.goto("/")
    prompt = rep.locator('#reconfirm-prompts [data-organisation="tunis"]')
    expect(prompt).to_contain_text("Tunis endorsed version 1; a moderator has approved version 2.")
    prompt.get_by_role("link", name="See what changed from version 1 to 2").click()
    expect(
        rep.get_by_role("heading", level=1, name="Changes from version 1 to version 2")
    ).to_be_visible()
    expect(rep.locator("#diff-inline ins").first).to_contain_text("during")
    rep.go_back()
    rep.locator("#reconfirm-prompts").get_by_role("button", name="Re-confirm on version 2").click()
    expect(rep.locator(".messages")).to_contain_text("Tunis now endorses version 2.")
    expect(rep.locator('#endorsers [data-organisation="tunis"]')).to_contain_text(
        "endorsed version 2"
    )
    # The moderator's open page follows live, without a reload.
    expect(mod.locator('#endorsers [data-organisation="tunis"]')).to_contain_text(
        "endorsed version 2"
    )
    expect(mod.locator('#endorsements dd[data-kind="city"]')).to_have_text("1")
    assert mod.evaluate("window.notReloaded") is True
    live = Endorsement.objects.live().get(recommendation=rec)
    assert (live.version, live.statement) == (2, "Tunis will train its teachers.")

    # The secretariat finalises, composes an edition and publishes it.
    sec = new_page("secretariat")
    sec.goto(f"/recommendations/{rec.pk}/")
    sec.get_by_role("button", name="Finalise version 2").click()
    sec.get_by_role("dialog").get_by_role("button", name="Finalise version 2").click()
    expect(sec.locator("[data-field=status]")).to_have_text("Final")
    sec.goto("/")
    sec.get_by_role(
        "link", name="Compose or publish an edition of the final recommendations"
    ).click()
    sec.get_by_role("textbox", name="Title", exact=True).fill("Beirut conference recommendations")
    sec.get_by_label("Preamble (Markdown)").fill("Adopted in **Beirut**, November 2017.")
    sec.get_by_role("button", name="Save draft edition").click()
    expect(sec.locator("#draft-entries")).to_contain_text("Language support in schools")
    sec.get_by_label("I have checked the recommendations and the warnings above.").check()
    sec.get_by_role("button", name="Publish 1 recommendation").click(
        timeout=30_000
    )  # makes the PDF
    expect(sec.locator("h1")).to_have_text("Beirut conference recommendations")
    assert Recommendation.objects.get(pk=rec.pk).status == "final"

    # A logged-out visitor reads the published text and verifies the download.
    visitor = new_page()
    visitor.goto("/published/")
    expect(visitor.locator("h1")).to_have_text("Beirut conference recommendations")
    expect(visitor.locator(".preamble strong")).to_have_text("Beirut")
    entry = visitor.locator(".edition-entry").first
    expect(entry).to_contain_text("ordinary hours")
    expect(entry).to_contain_text("Tunis")
    expect(entry).to_contain_text("Tunis will train its teachers.")
    shown_sha = visitor.locator("#sha256").inner_text().strip()
    with visitor.expect_download() as download_info:
        visitor.get_by_role("link", name="Download the Markdown (edition-1.md)").click()
    download = download_info.value
    assert download.suggested_filename == "edition-1.md"
    content = Path(download.path()).read_bytes()
    assert hashlib.sha256(content).hexdigest() == shown_sha
    assert "### Language support in schools" in content.decode("utf-8")
    data = visitor.request.get("/api/published/").json()
    assert data["sha256"] == shown_sha
    assert visitor.request.get(data["markdown_url"]).body() == content

    # The printable page: a section per theme, and Chromium prints it as an A4 PDF.
    visitor.get_by_role(
        "link", name="Printable version (A4; save as PDF from the print dialogue)"
    ).click()
    expect(visitor.locator(".theme-section")).to_have_count(1)
    expect(visitor.get_by_role("button", name="Print or save as PDF")).to_be_visible()
    visitor.emulate_media(media="print")
    expect(visitor.get_by_role("button", name="Print or save as PDF")).to_be_hidden()
    assert visitor.pdf(format="A4").startswith(b"%PDF")

    for page in (rep, mod, sec, visitor):
        assert page.console_errors == [], page.console_errors
