"""The audit log: security-relevant acts recorded with who, when and from where; read (and
exported) by moderators, the secretariat and staff only; never editable."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import SECRETARIAT
from core.models import Activity
from recommendations import services as recs
from tests.factories import UserFactory, make_recommendation, with_role

pytestmark = pytest.mark.django_db


def _login(username: str, password: str = "pw", address: str = "203.0.113.5") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.post(reverse("login"), {"username": username, "password": password})
    return client


def test_sign_in_and_failed_sign_in_are_recorded_with_the_address(drafter):
    _login("drafter")
    _login("drafter", password="wrong", address="198.51.100.9")
    signed_in = Activity.objects.get(verb="signed_in")
    assert (signed_in.actor, signed_in.address) == (drafter, "203.0.113.5")
    failed = Activity.objects.get(verb="sign_in_failed")
    assert (failed.actor, failed.data["username"], failed.address) == (
        None,
        "drafter",
        "198.51.100.9",
    )
    assert failed.describe() == "A sign-in as drafter failed"


def test_a_lock_out_is_recorded(settings, drafter):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(3):
        _login("drafter", password="wrong")
    assert Activity.objects.filter(verb="locked_out", data__username="drafter").exists()


def test_approvals_are_recorded_with_the_address_of_the_request(client, drafter, moderator):
    rec = make_recommendation(drafter, status="in_review")
    client.force_login(moderator)
    client.post(
        reverse("recommendations:approve", args=[rec.pk]), {"version": 1}, REMOTE_ADDR="192.0.2.44"
    )
    approved = Activity.objects.get(recommendation=rec, verb="approved")
    assert (approved.actor, approved.address) == (moderator, "192.0.2.44")


@pytest.mark.parametrize("who", ["moderator", "secretariat", "staff"])
def test_moderators_the_secretariat_and_staff_read_the_log(client, roles, drafter, who):
    reader = {
        "moderator": lambda: with_role("moderator", "mod"),
        "secretariat": lambda: with_role(SECRETARIAT, "sec"),
        "staff": lambda: UserFactory(username="staffer", is_staff=True),
    }[who]()
    _login("drafter")
    client.force_login(reader)
    response = client.get(reverse("audit:log"))
    assert response.status_code == 200
    assert "<bdi>Drafter</bdi> signed in" in response.content.decode()


def test_participants_may_not_read_it_and_anonymous_people_are_sent_to_log_in(
    client, drafter, observer
):
    client.force_login(drafter)
    assert client.get(reverse("audit:log")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403
    client.logout()
    response = client.get(reverse("audit:log"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_log_cannot_be_changed_through_it(client, moderator):
    client.force_login(moderator)
    assert client.post(reverse("audit:log"), {"verb": "x"}).status_code == 405
    assert client.delete(reverse("audit:log")).status_code == 405


def test_filters_select_rows_and_bad_filters_are_a_form_error(client, moderator, drafter):
    _login("drafter", address="203.0.113.5")
    _login("drafter", password="wrong", address="198.51.100.9")
    client.force_login(moderator)
    # The names in the sentences are isolated for direction.
    signed_in, failed = "<bdi>Drafter</bdi> signed in", "A sign-in as <bdi>drafter</bdi> failed"
    page = client.get(reverse("audit:log"), {"verb": "sign_in_failed"}).content.decode()
    assert failed in page and signed_in not in page
    page = client.get(reverse("audit:log"), {"address": "203.0.113.5"}).content.decode()
    assert signed_in in page and failed not in page
    page = client.get(reverse("audit:log"), {"person": "drafter"}).content.decode()
    assert signed_in in page and failed in page
    bad = client.get(reverse("audit:log"), {"since": "2017-11-08", "until": "2017-11-07"})
    assert bad.status_code == 400
    assert "The start date is after the end date." in bad.content.decode()
    assert client.get(reverse("audit:log"), {"address": "not-an-ip"}).status_code == 400
    assert client.get(reverse("audit:export"), {"since": "yesterday"}).status_code == 400


def test_the_export_quotes_every_field_and_writes_utc(client, moderator, drafter):
    _login("drafter")
    client.force_login(moderator)
    response = client.get(reverse("audit:export"), {"verb": "signed_in"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")  # the BOM tells spreadsheets it is UTF-8
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "time (UTC)"
    drafter_rows = [r for r in rows[1:] if r[1] == "drafter"]
    assert drafter_rows and drafter_rows[0][4] == "signed_in"
    assert drafter_rows[0][0].endswith("+00:00")
    assert all(line.startswith('"') for line in text.splitlines() if line)


def test_the_page_costs_the_same_queries_with_many_rows(
    client, moderator, drafter, django_assert_max_num_queries
):
    rec = make_recommendation(drafter, status="in_review")
    for _ in range(60):
        recs.record_on_recommendation(rec, actor=drafter, verb="edited", version=1)
    client.force_login(moderator)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("audit:log")).status_code == 200


def test_refusals_of_signed_in_people_are_recorded(client, drafter, other_participant):
    draft = make_recommendation(drafter)
    client.force_login(other_participant)
    assert client.get(f"/recommendations/{draft.pk}/", REMOTE_ADDR="192.0.2.7").status_code == 404
    assert client.post(f"/recommendations/{draft.pk}/approve/", {"version": 1}).status_code == 404
    refused = Activity.objects.filter(verb="refused", actor=other_participant).order_by("pk")
    assert [(a.data["method"], a.data["status"]) for a in refused] == [("GET", 404), ("POST", 404)]
    assert refused[0].address == "192.0.2.7"
    assert (
        refused[0].describe()
        == f"{other_participant} was refused GET /recommendations/{draft.pk}/ (404)"
    )


def test_the_log_names_acts_and_roles_in_the_readers_language(client, moderator, drafter):
    _login("drafter")
    client.force_login(moderator)
    page = client.get(reverse("audit:log"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # The filter names each kind of act by its sentence, the rows the role in words.
    assert '<option value="signed_in">… s\u2019est connecté</option>' in page
    assert "<bdi>Drafter</bdi> s\u2019est connecté" in page
    assert '<span class="meta">(participant)</span>' in page
    page = client.get(reverse("audit:log"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<span class="meta">(مشارك)</span>' in page
    assert ">signed_in<" not in page


def test_codes_in_sentences_read_as_words_and_names_are_isolated(roles, drafter):
    from django.utils import translation

    from accounts import services as accounts

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    accounts.grant_role(drafter, "moderator", actor=admin)
    granted = Activity.objects.get(verb="role_granted")
    assert granted.describe() == f"{admin} gave drafter the role moderator"
    with translation.override("fr"):
        assert granted.describe() == f"{admin} a attribué le rôle de modérateur à drafter"
        assert str(granted.describe_isolated()) == (
            f"<bdi>{admin}</bdi> a attribué le rôle de modérateur à <bdi>drafter</bdi>"
        )
        assert granted.role_label == "administrateur"
    with translation.override("ar"):
        assert "دور مشرف" in granted.describe()
    # A value that is not a known code is someone's text: shown as written, isolated.
    odd = Activity(
        verb="role_granted", role="system", data={"username": "x", "workspace_role": "<b>"}
    )
    assert str(odd.describe_isolated()) == (
        "The workspace gave <bdi>x</bdi> the role <bdi>&lt;b&gt;</bdi>"
    )
