"""Two-factor sign-in: the policy (required vs offered, production vs demo), the login's second
step with real TOTP codes, recovery codes, the lock-out, the set-up, the step-up before
irreversible acts, API tokens on the profile, and the activity rows they leave."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts import two_factor
from accounts.models import MODERATOR
from core.models import Activity
from tests.factories import UserFactory, with_role

LOGIN = "/accounts/login/"
VERIFY = "/accounts/login/verify/"


def code_for(device: TOTPDevice, steps_ago: int = 0) -> str:
    """The code the person's authenticator app shows now (or ``steps_ago`` x 30 s ago)."""
    value = totp(device.bin_key, device.step, device.t0 + steps_ago * device.step, device.digits)
    return f"{value:0{device.digits}d}"


def add_totp(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def add_recovery_codes(user, *codes: str) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return device


def password_step(client: Client, username: str, next_url: str = ""):
    data = {"username": username, "password": "pw"}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def logged_in_user_id(client: Client):
    return client.session.get(SESSION_KEY)


def verified_session(client: Client, user, device, *, age: float = 0) -> None:
    """Log ``client`` in as ``user`` with a session that proved ``device`` ``age`` s ago."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[two_factor.SESSION_VERIFIED_AT] = int(time.time() - age)
    session[two_factor.SESSION_ENROLLED] = True
    session.save()


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_ROLES = True
    return settings


# --- the policy -----------------------------------------------------------------------------
def test_policy_requires_moderators_secretariat_and_staff_only_when_switched_on(
    settings, moderator, secretariat, drafter
):
    staff = UserFactory(username="admin", is_staff=True)
    settings.TWO_FACTOR_REQUIRED_FOR_ROLES = False
    assert not any(two_factor.is_required(u) for u in (moderator, secretariat, staff, drafter))
    settings.TWO_FACTOR_REQUIRED_FOR_ROLES = True
    assert all(two_factor.is_required(u) for u in (moderator, secretariat, staff))
    assert not two_factor.is_required(drafter)


def test_embedded_demo_default_is_off_and_production_default_is_on():
    from tests.workspace.test_settings import run_manage

    code = "from django.conf import settings as s; print(s.TWO_FACTOR_REQUIRED_FOR_ROLES)"
    assert run_manage("shell", "-v", "0", "-c", code).stdout.strip() == "False"
    out = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        WORKSPACE_MODE="production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="ws.example.org",
    )
    assert out.stdout.strip() == "True", out.stderr
    out = run_manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        WORKSPACE_MODE="production",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="ws.example.org",
        WORKSPACE_TWO_FACTOR_REQUIRED="false",
    )
    assert out.stdout.strip() == "False", out.stderr


def test_demo_moderator_logs_in_with_the_password_alone(client, moderator):
    response = password_step(client, "moderator")
    assert response.status_code == 302 and response.url == reverse("home")
    assert logged_in_user_id(client) == str(moderator.pk)
    assert client.get("/accounts/profile/").status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(drafter):
    add_recovery_codes(drafter, "aaaa1111")
    assert not two_factor.has_second_factor(drafter)


# --- the login's second step ----------------------------------------------------------------
def test_a_person_with_an_authenticator_is_not_logged_in_until_the_code(client, drafter):
    device = add_totp(drafter)
    response = password_step(client, "drafter", next_url="/accounts/profile/")
    assert response.status_code == 302 and response.url == VERIFY
    assert logged_in_user_id(client) is None
    assert client.get("/accounts/profile/").url.startswith(LOGIN)
    response = client.post(VERIFY, {"totp-code": code_for(device)})
    assert response.status_code == 302 and response.url == "/accounts/profile/"
    assert logged_in_user_id(client) == str(drafter.pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/accounts/profile/").status_code == 200


def test_the_code_field_helps_browsers_and_people(client, drafter):
    add_totp(drafter)
    password_step(client, "drafter")
    page = client.get(VERIFY).content.decode()
    field = re.search(r"<input[^>]*name=\"totp-code\"[^>]*>", page).group(0)
    assert 'autocomplete="one-time-code"' in field
    assert 'inputmode="numeric"' in field
    assert re.search(r"<label for=\"id_totp-code\">", page)


def test_a_pasted_code_with_spaces_is_accepted(client, drafter):
    device = add_totp(drafter)
    password_step(client, "drafter")
    code = code_for(device)
    response = client.post(VERIFY, {"totp-code": f" {code[:3]} {code[3:]} "})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(drafter.pk)


def test_a_wrong_code_is_refused_with_a_clear_message_and_recorded(client, drafter):
    add_totp(drafter)
    password_step(client, "drafter")
    response = client.post(VERIFY, {"totp-code": "000000"})
    assert response.status_code == 400
    assert "That code is not valid" in response.content.decode()
    assert logged_in_user_id(client) is None
    failed = Activity.objects.get(verb="two_factor_failed")
    assert failed.actor == drafter and failed.data == {"device_kind": "totp"}
    assert "entered a wrong code (authenticator app)" in failed.describe()
    assert AccessAttempt.objects.get(username="drafter").failures_since_start == 1


def test_a_wrong_code_in_french_is_refused_in_french_words(client, drafter):
    """The message goes through gettext: the person's language once translated."""
    add_totp(drafter)
    password_step(client, "drafter")
    response = client.post(VERIFY, {"totp-code": "12"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_an_expired_code_is_refused(client, drafter):
    device = add_totp(drafter)
    password_step(client, "drafter")
    response = client.post(VERIFY, {"totp-code": code_for(device, steps_ago=3)})
    assert response.status_code == 400
    assert logged_in_user_id(client) is None


def test_a_code_is_accepted_once_only(client, drafter):
    device = add_totp(drafter)
    code = code_for(device)
    password_step(client, "drafter")
    assert client.post(VERIFY, {"totp-code": code}).status_code == 302
    client.post("/accounts/logout/")
    other = Client()
    password_step(other, "drafter")
    response = other.post(VERIFY, {"totp-code": code})
    assert response.status_code == 400
    assert logged_in_user_id(other) is None


def test_wrong_codes_are_throttled_by_django_otp(client, drafter):
    device = add_totp(drafter)
    password_step(client, "drafter")
    client.post(VERIFY, {"totp-code": "000000"})
    response = client.post(VERIFY, {"totp-code": code_for(device)})  # within the 1 s wait
    assert response.status_code == 400
    assert "Too many wrong codes" in response.content.decode()
    assert logged_in_user_id(client) is None
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_wrong_codes_count_towards_the_login_lock_out(client, drafter, settings):
    settings.AXES_FAILURE_LIMIT = 3
    device = add_totp(drafter)
    password_step(client, "drafter")
    for _attempt in range(3):
        client.post(VERIFY, {"totp-code": "000000"})
    device.throttle_reset()
    response = client.post(VERIFY, {"totp-code": code_for(device)})
    assert response.status_code in (403, 429)
    assert logged_in_user_id(client) is None
    # ...and the password step is locked too.
    assert Client().post(LOGIN, {"username": "drafter", "password": "pw"}).status_code in (
        403,
        429,
    )


def test_a_recovery_code_works_once(client, drafter):
    add_totp(drafter)
    add_recovery_codes(drafter, "abcd2345", "wxyz6789")
    password_step(client, "drafter")
    response = client.post(VERIFY, {"recovery-recovery_code": "ABCD 2345"})
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(drafter.pk)
    client.post("/accounts/logout/")
    other = Client()
    password_step(other, "drafter")
    response = other.post(VERIFY, {"recovery-recovery_code": "abcd2345"})
    assert response.status_code == 400
    assert "not valid, or was used already" in response.content.decode()
    assert logged_in_user_id(other) is None


def test_a_pending_login_expires(client, drafter):
    device = add_totp(drafter)
    password_step(client, "drafter")
    session = client.session
    pending = session[two_factor.SESSION_PENDING]
    pending["at"] -= two_factor.PENDING_SECONDS + 1
    session[two_factor.SESSION_PENDING] = pending
    session.save()
    response = client.post(VERIFY, {"totp-code": code_for(device)})
    assert response.status_code == 302 and response.url == LOGIN
    assert logged_in_user_id(client) is None


def test_another_session_of_a_person_with_a_factor_must_verify(client, drafter):
    """A session from before the device (force_login: no second step) reaches nothing."""
    device = add_totp(drafter)
    client.force_login(drafter)
    response = client.get("/recommendations/")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    api = client.get("/api/recommendations/")
    assert api.status_code == 403 and api.json()["code"] == "two_factor_required"
    assert "Second step of the login" in client.get(VERIFY).content.decode()
    client.post(VERIFY, {"totp-code": code_for(device)})
    assert client.get("/recommendations/").status_code == 200


# --- set-up ---------------------------------------------------------------------------------
def test_a_required_person_without_a_factor_sets_one_up_right_after_the_password(
    client, required, moderator
):
    response = password_step(client, "moderator")
    assert response.status_code == 302 and response.url.startswith("/accounts/two-factor/setup/")
    for url in ("/recommendations/", "/accounts/profile/", "/admin/"):
        assert client.get(url).url.startswith("/accounts/two-factor/setup/"), url
    assert client.get("/api/recommendations/").json()["code"] == "two_factor_required"
    page = client.get("/accounts/two-factor/setup/").content.decode()
    assert "<svg" in page and "<title>" in page
    secret = re.search(r"data-totp-secret>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
    device = TOTPDevice.objects.get(user=moderator, confirmed=False)
    assert b32decode(secret) == device.bin_key
    response = client.post("/accounts/two-factor/setup/", {"totp-code": code_for(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(codes) == 10 == len(set(codes))
    assert client.get("/recommendations/").status_code == 200
    assert two_factor.has_second_factor(moderator)
    verbs = list(Activity.objects.filter(actor=moderator).values_list("verb", flat=True))
    assert {"two_factor_added", "recovery_codes_regenerated"} <= set(verbs)


def test_the_setup_page_keeps_the_csp_and_has_no_inline_style(client, drafter):
    client.force_login(drafter)
    response = client.get("/accounts/two-factor/setup/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert "style=" not in page and "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_a_wrong_setup_code_leaves_the_device_unconfirmed(client, drafter):
    client.force_login(drafter)
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"totp-code": "000000"})
    assert response.status_code == 400
    assert not two_factor.has_second_factor(drafter)


def test_offered_setup_from_the_profile_then_regenerate_and_remove(client, drafter):
    client.force_login(drafter)
    profile = client.get("/accounts/profile/").content.decode()
    assert 'data-two-factor-status="off"' in profile
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=drafter)
    client.post("/accounts/two-factor/setup/", {"totp-code": code_for(device)})
    assert 'data-two-factor-status="on"' in client.get("/accounts/profile/").content.decode()
    old = set(StaticToken.objects.values_list("token", flat=True))
    page = client.post("/accounts/two-factor/recovery-codes/").content.decode()
    new = set(re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page))
    assert len(new) == 10 and not old & new
    assert set(StaticToken.objects.values_list("token", flat=True)) == new
    # Removing everything needs the password.
    response = client.post("/accounts/two-factor/disable/", {"password": "nope"})
    assert response.status_code == 400 and two_factor.has_second_factor(drafter)
    client.post("/accounts/two-factor/disable/", {"password": "pw"})
    assert not two_factor.has_second_factor(drafter)
    assert not StaticToken.objects.exists()
    assert Activity.objects.filter(verb="two_factor_disabled", actor=drafter).exists()
    assert client.get("/recommendations/").status_code == 200


def test_a_required_person_keeps_their_last_factor(client, required, moderator):
    device = add_totp(moderator)
    verified_session(client, moderator, device)
    client.post(f"/accounts/two-factor/totp/{device.pk}/remove/")
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    client.post("/accounts/two-factor/disable/", {"password": "pw"})
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_removing_a_device_is_recorded(client, drafter):
    first, second = add_totp(drafter), add_totp(drafter)
    verified_session(client, drafter, first)
    client.post(f"/accounts/two-factor/totp/{second.pk}/remove/")
    assert not TOTPDevice.objects.filter(pk=second.pk).exists()
    removed = Activity.objects.get(verb="two_factor_removed")
    assert removed.actor == drafter and removed.data["device_kind"] == "totp"


def test_nobody_removes_another_persons_device(client, drafter, other_participant):
    device = add_totp(other_participant)
    client.force_login(drafter)
    assert client.post(f"/accounts/two-factor/totp/{device.pk}/remove/").status_code == 404


# --- step-up before irreversible acts -------------------------------------------------------
@pytest.fixture
def in_review(drafter):
    from tests.factories import make_recommendation

    return make_recommendation(drafter, status="in_review")


@pytest.mark.parametrize(
    ("proof", "allowed"),
    [("missing", False), ("stale", False), ("fresh", True)],
)
def test_approving_needs_a_fresh_second_factor_on_the_page(
    client, required, moderator, in_review, proof, allowed
):
    device = add_totp(moderator)
    verified_session(client, moderator, device, age=600 if proof == "stale" else 0)
    if proof == "missing":
        session = client.session
        del session[two_factor.SESSION_VERIFIED_AT]
        session.save()
    page = f"/recommendations/{in_review.pk}/"
    response = client.post(
        f"/recommendations/{in_review.pk}/approve/",
        {"version": in_review.version},
        HTTP_REFERER=f"http://testserver{page}",
    )
    in_review.refresh_from_db()
    if allowed:
        assert response.status_code == 302 and in_review.approved_version == in_review.version
        return
    assert response.status_code == 302
    assert response.url.startswith(VERIFY) and "next=" in response.url
    assert in_review.approved_version is None
    # Prove it again, come back to the page, and approve.
    back = client.post(response.url, {"totp-code": code_for(device)})
    assert back.url == f"http://testserver{page}"
    client.post(f"/recommendations/{in_review.pk}/approve/", {"version": in_review.version})
    in_review.refresh_from_db()
    assert in_review.approved_version == in_review.version


@pytest.mark.parametrize("proof", ["missing", "stale", "fresh"])
def test_approving_needs_a_fresh_second_factor_in_the_api(
    client, required, moderator, in_review, proof
):
    device = add_totp(moderator)
    verified_session(client, moderator, device, age=600 if proof == "stale" else 0)
    if proof == "missing":
        session = client.session
        del session[two_factor.SESSION_VERIFIED_AT]
        session.save()
    response = client.post(
        reverse("api-approve", args=[in_review.pk]),
        {"version": in_review.version},
        content_type="application/json",
        HTTP_X_CSRFTOKEN="x",
    )
    if proof == "fresh":
        assert response.status_code == 200, response.content
        return
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "step_up_required" and "confirm it is you" in body["detail"]
    assert body["verify_url"] == VERIFY


def test_a_token_cannot_approve_where_two_factor_is_required(
    client, required, moderator, in_review
):
    token = Token.objects.create(user=moderator)
    response = client.post(
        reverse("api-approve", args=[in_review.pk]),
        {"version": in_review.version},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 403 and response.json()["code"] == "step_up_required"


def test_in_the_demo_nobody_is_asked_for_a_step_up(client, moderator, in_review):
    client.force_login(moderator)
    client.post(f"/recommendations/{in_review.pk}/approve/", {"version": in_review.version})
    in_review.refresh_from_db()
    assert in_review.approved_version == in_review.version


def test_services_called_without_a_request_ask_for_no_step_up(required, moderator, in_review):
    from recommendations import services

    rec = services.approve_version(in_review, version=in_review.version, actor=moderator)
    assert rec.approved_version == in_review.version


@pytest.fixture
def draft_edition(drafter, moderator, secretariat):
    from publication import services as publication
    from tests.publication.helpers import final

    final(drafter, moderator, secretariat, title="Welcome points")
    return publication.create_edition(title="Beirut 2017", preamble="Text.", actor=secretariat)


@pytest.mark.parametrize("proof", ["missing", "stale", "fresh"])
def test_publishing_an_edition_needs_a_fresh_second_factor(
    client, required, secretariat, draft_edition, proof
):
    device = add_totp(secretariat)
    verified_session(client, secretariat, device, age=600 if proof == "stale" else 0)
    if proof == "missing":
        session = client.session
        del session[two_factor.SESSION_VERIFIED_AT]
        session.save()
    page = client.post(reverse("publication:publish", args=[draft_edition.pk]), {"confirm": "on"})
    draft_edition.refresh_from_db()
    if proof == "fresh":
        assert draft_edition.is_published
        return
    assert page.status_code == 302 and page.url.startswith(VERIFY)
    assert not draft_edition.is_published
    api = client.post(
        reverse("pub-api-publish", args=[draft_edition.pk]), content_type="application/json"
    )
    assert api.status_code == 403 and api.json()["code"] == "step_up_required"
    draft_edition.refresh_from_db()
    assert not draft_edition.is_published


@pytest.mark.parametrize(
    ("proof", "allowed"), [("missing", False), ("stale", False), ("fresh", True)]
)
def test_changing_a_role_needs_a_fresh_second_factor(rf, required, roles, proof, allowed):
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.exceptions import PermissionDenied

    from accounts.services import grant_role, revoke_role

    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    device = add_totp(admin)
    person = UserFactory(username="person")
    request = rf.post("/admin/accounts/user/1/change/")
    request.session = SessionStore()
    request.session[SESSION_KEY] = str(admin.pk)
    if proof != "missing":
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        request.session[two_factor.SESSION_VERIFIED_AT] = int(time.time()) - (
            600 if proof == "stale" else 0
        )
    token = two_factor.current_request.set(request)
    try:
        if allowed:
            grant_role(person, MODERATOR, actor=admin)
            revoke_role(person, MODERATOR, actor=admin)
            assert Activity.objects.filter(verb__in=["role_granted", "role_revoked"]).count() == 2
        else:
            with pytest.raises(PermissionDenied) as exc:
                grant_role(person, MODERATOR, actor=admin)
            assert exc.value.code == "step_up_required"
            grant_role(person, MODERATOR, actor=None)  # the system: no person to ask
            with pytest.raises(PermissionDenied):
                revoke_role(person, MODERATOR, actor=admin)
    finally:
        two_factor.current_request.reset(token)


def test_the_admin_sends_a_stale_session_to_prove_it_again(client, required, roles):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    device = add_totp(admin)
    person = with_role(MODERATOR, "person")
    verified_session(client, admin, device, age=600)
    url = f"/admin/accounts/user/{person.pk}/change/"
    form = client.get(url)
    assert form.status_code == 200
    data = {
        "username": "person",
        "display_name": "Person",
        "is_active": "on",
        "groups": [],
        "date_joined_0": "2017-11-07",
        "date_joined_1": "09:00:00",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data, HTTP_REFERER=f"http://testserver{url}")
    assert response.status_code == 302 and response.url.startswith(VERIFY), response.content[:2000]
    assert person.groups.filter(name=MODERATOR).exists()


# --- API tokens on the profile --------------------------------------------------------------
def test_a_token_is_created_shown_once_replaced_and_revoked(client, drafter):
    client.force_login(drafter)
    assert 'data-token-status="none"' in client.get("/accounts/profile/").content.decode()
    page = client.post("/accounts/api-token/", {"action": "create"}).content.decode()
    key = Token.objects.get(user=drafter).key
    assert f"<code data-new-token>{key}</code>" in page
    again = client.get("/accounts/profile/").content.decode()
    assert key not in again and 'data-token-status="active"' in again
    page = client.post("/accounts/api-token/", {"action": "create"}).content.decode()
    new_key = Token.objects.get(user=drafter).key
    assert new_key != key and new_key in page
    assert client.get("/api/recommendations/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    client.post("/accounts/api-token/", {"action": "revoke"})
    assert not Token.objects.filter(user=drafter).exists()
    verbs = list(Activity.objects.filter(actor=drafter).values_list("verb", "data"))
    assert verbs.count(("api_token_created", {"username": "drafter", "replaced": False})) == 1
    assert ("api_token_created", {"username": "drafter", "replaced": True}) in verbs
    assert ("api_token_revoked", {"username": "drafter"}) in verbs


@pytest.mark.parametrize("proof", ["stale", "fresh"])
def test_a_required_person_needs_a_fresh_factor_to_create_a_token(
    client, required, moderator, proof
):
    device = add_totp(moderator)
    verified_session(client, moderator, device, age=600 if proof == "stale" else 0)
    response = client.post(
        "/accounts/api-token/",
        {"action": "create"},
        HTTP_REFERER="http://testserver/accounts/profile/",
    )
    if proof == "fresh":
        assert response.status_code == 200 and Token.objects.filter(user=moderator).exists()
    else:
        assert response.status_code == 302 and response.url.startswith(VERIFY)
        assert not Token.objects.filter(user=moderator).exists()


def test_an_unverified_required_session_cannot_reach_the_token_form(client, required, moderator):
    add_totp(moderator)
    client.force_login(moderator)
    response = client.post("/accounts/api-token/", {"action": "create"})
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert not Token.objects.exists()


# --- passkeys (the ceremony itself runs in Chromium: tests/browser/test_two_factor.py) -----
def test_passkeys_are_refused_on_an_ip_address_and_offered_on_a_host_name(client, drafter):
    client.force_login(drafter)
    on_ip = client.post("/accounts/two-factor/passkeys/begin/", HTTP_HOST="127.0.0.1")
    assert on_ip.status_code == 400 and on_ip.json()["code"] == "passkeys_need_host_name"
    on_name = client.post("/accounts/two-factor/passkeys/begin/", HTTP_HOST="localhost:8000")
    assert on_name.status_code == 200
    options = on_name.json()
    assert options["rp"]["id"] == "localhost"
    assert options["rp"]["name"] == "MC2CM workspace"


def test_the_passkey_login_needs_a_password_first(client):
    response = client.post("/accounts/login/verify/passkey/begin/", HTTP_HOST="localhost")
    assert response.status_code in (401, 403)
