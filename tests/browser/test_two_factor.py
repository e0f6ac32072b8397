"""Two-factor sign-in in Chromium: an authenticator app set up on the profile (the code computed
here from the key read off the page), the login's second step, the step-up before approving
where the policy requires it (a second Daphne process with WORKSPACE_TWO_FACTOR_REQUIRED), and
a passkey with Chromium's virtual authenticator (on ``localhost``: a passkey cannot be bound
to an IP address)."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts import two_factor
from tests.factories import OrganisationFactory, make_recommendation, member_of, with_role

pytestmark = pytest.mark.browser


def code(key: bytes, steps_ahead: int = 0) -> str:
    """What the person's authenticator app shows (``steps_ahead`` x 30 s later)."""
    return f"{totp(key, 30, -30 * steps_ahead, 6):06d}"


def log_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()


def test_set_up_an_authenticator_on_the_profile_then_log_in_with_the_code(new_page):
    member_of(OrganisationFactory(slug="lisbon", name="Lisbon"), "drafter")
    page = new_page("drafter")
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Set up two-factor sign-in").click()
    expect(page.locator(".qr-code svg")).to_be_visible()
    key = b32decode(page.locator("[data-totp-secret]").inner_text().replace(" ", ""))
    field = page.get_by_label("Code from your authenticator app")
    expect(field).to_have_attribute("autocomplete", "one-time-code")
    expect(field).to_have_attribute("inputmode", "numeric")
    field.fill(code(key))
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    page.get_by_role("link", name="I have saved them: continue").click()
    expect(page.locator('[data-two-factor-status="on"]')).to_be_visible()
    log_out(page)

    log_in(page, "drafter")
    expect(page.get_by_role("heading", name="Second step of the login")).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("alert")).to_contain_text("That code is not valid")
    time.sleep(1.1)  # django-otp's throttle: one second after a wrong code
    page.get_by_label("Code from your authenticator app").fill(code(key, steps_ahead=1))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("link", name="Drafter")).to_be_visible()
    page.goto("/accounts/profile/")
    expect(page.locator('[data-two-factor-status="on"]')).to_be_visible()
    assert page.console_errors == []


# --- step-up, with the policy on in the server process ---------------------------------------
@pytest.fixture(scope="module")
def strict_daphne(django_db_setup, django_db_blocker):
    from tests.servers import DaphneProcess

    with django_db_blocker.unblock():
        server = DaphneProcess(extra_env={"WORKSPACE_TWO_FACTOR_REQUIRED": "true"})
    yield server
    server.stop()


def age_the_proof(context, seconds: int) -> None:
    """Make the browser session's last second-factor proof ``seconds`` old."""
    key = next(c["value"] for c in context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[two_factor.SESSION_VERIFIED_AT] -= seconds
    session.save()


def test_a_moderator_proves_a_second_factor_again_before_approving(
    browser, strict_daphne, committed_db
):
    drafter = member_of(OrganisationFactory(slug="lisbon", name="Lisbon"), "drafter")
    rec = make_recommendation(drafter, status="in_review")
    moderator = with_role("moderator")
    device = TOTPDevice.objects.create(user=moderator, name="phone", confirmed=True)
    context = browser.new_context(base_url=strict_daphne.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, "moderator")
        page.get_by_label("Code from your authenticator app").fill(code(device.bin_key))
        page.get_by_role("button", name="Verify").click()
        expect(page.get_by_role("link", name="Moderator")).to_be_visible()
        page.goto(f"/recommendations/{rec.pk}/")
        age_the_proof(context, 10 * 60)

        page.get_by_role("button", name="Approve").click()
        page.get_by_role("dialog").get_by_role(
            "button", name=re.compile("^Approve version")
        ).click()
        expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
        expect(page.locator(".messages")).to_contain_text("cannot be undone")
        rec.refresh_from_db()
        assert rec.approved_version is None
        page.get_by_label("Code from your authenticator app").fill(
            code(device.bin_key, steps_ahead=1)
        )
        page.get_by_role("button", name="Verify").click()
        page.wait_for_url(f"**/recommendations/{rec.pk}/")
        page.get_by_role("button", name="Approve").click()
        page.get_by_role("dialog").get_by_role(
            "button", name=re.compile("^Approve version")
        ).click()
        expect(page.locator("[data-field=status]")).to_have_text("Approved")
    finally:
        context.close()


# --- passkeys: Chromium's virtual authenticator on localhost ----------------------------------
def test_add_a_passkey_then_log_in_with_it(browser, live):
    member_of(OrganisationFactory(slug="lisbon", name="Lisbon"), "drafter")
    context = browser.new_context(base_url=live.replace("127.0.0.1", "localhost"))
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]
    try:
        log_in(page, "drafter")
        page.goto("/accounts/two-factor/setup/")
        page.get_by_role("button", name="Add a passkey").click()
        page.wait_for_url("**/accounts/profile/")
        expect(page.locator('[data-device="passkey"]')).to_have_count(1)
        expect(page.locator('[data-two-factor-status="on"]')).to_be_visible()
        credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
        assert len(credentials["credentials"]) == 1
        log_out(page)

        log_in(page, "drafter")
        expect(page.get_by_role("heading", name="Second step of the login")).to_be_visible()
        page.get_by_role("button", name="Verify with a passkey").click()
        page.wait_for_url(lambda url: "/verify/" not in url)
        page.goto("/accounts/profile/")
        expect(page.locator('[data-device="passkey"]')).to_have_count(1)
        assert errors == []
    finally:
        context.close()
