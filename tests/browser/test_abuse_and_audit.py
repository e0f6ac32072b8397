"""In Chromium: a person who posts too fast is told so in the form, keeping the text; a
moderator reads, filters and downloads the audit log, also on a phone."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.models import MODERATOR
from tests.factories import make_recommendation, with_role
from tests.servers import DaphneProcess

pytestmark = pytest.mark.browser
SHOTS = Path("var/screenshots")
SHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="module")
def limited_daphne(django_db_setup, django_db_blocker):
    """A server with low limits of its own (the shared one runs without limits)."""
    with django_db_blocker.unblock():
        server = DaphneProcess({"WORKSPACE_RATE_LIMITS": "comment=2/h"})
    yield server
    server.stop()


@pytest.fixture
def live(limited_daphne, committed_db):
    return limited_daphne.url


def test_the_third_comment_within_the_hour_is_refused_and_the_text_stays(new_page, drafter):
    rec = make_recommendation(drafter, status="in_review")
    page = new_page("drafter")
    page.goto(f"/recommendations/{rec.pk}/")
    form = page.locator("form.comment-form").last
    box = form.locator("textarea[name=body]")
    for n in range(2):
        box.fill(f"Point {n + 1}.")
        form.get_by_role("button", name="Post comment").click()
        page.get_by_text(f"Point {n + 1}.").first.wait_for()
    box.fill("A third point, written with care.")
    form.get_by_role("button", name="Post comment").click()
    errors = form.locator(".form-errors")
    errors.wait_for()
    assert "Too many requests" in errors.inner_text()
    assert box.input_value() == "A third point, written with care."
    page.screenshot(path=SHOTS / "rate-limited-comment.png", full_page=True)


@pytest.mark.parametrize("width", [1366, 390])
def test_a_moderator_reads_filters_and_exports_the_audit_log(new_page, roles, drafter, width):
    with_role(MODERATOR, "mod")
    visitor = new_page()
    visitor.goto("/accounts/login/")
    visitor.get_by_label("Username").fill("drafter")
    visitor.get_by_label("Password").fill("wrong")
    visitor.get_by_role("button", name="Log in").click()
    page = new_page("mod")
    page.set_viewport_size({"width": width, "height": 900})
    page.get_by_role("link", name="Audit log").click()
    assert page.get_by_role("heading", name="Audit log").is_visible()
    page.get_by_label("What").select_option("sign_in_failed")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.audit tbody tr")
    assert rows.count() == 1 and "A sign-in as drafter failed" in rows.first.inner_text()
    export = page.get_by_role("link", name="Download as CSV")
    assert "verb=sign_in_failed" in export.get_attribute("href")
    with page.expect_download() as download:
        export.click()
    assert download.value.suggested_filename == "audit.csv"
    scroll = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert scroll <= 0, f"the page scrolls sideways by {scroll}px at {width}px"
    page.screenshot(path=SHOTS / f"audit-log-{width}.png", full_page=True)
    assert page.console_errors == []


def test_participants_do_not_see_the_audit_log_link(new_page, drafter):
    page = new_page("drafter")
    page.goto("/")
    assert page.get_by_role("link", name="Audit log").count() == 0
    page.goto("/audit/")
    assert "Not allowed" in page.content()
