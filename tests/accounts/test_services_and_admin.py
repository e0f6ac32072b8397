"""Account writes go through the services, whoever calls them: the admin's single edits,
inline edits and bulk deletions change rights (groups, sockets) and leave an activity row;
people without the right to manage accounts are refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from accounts import services
from accounts.models import MODERATOR, Membership
from core.models import Activity
from recommendations.models import Recommendation
from recommendations.permissions import can_view
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_recommendation,
    member_of,
    with_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _fresh(user):
    """The user as a new request would load it (no cached roles or permissions)."""
    return type(user).objects.get(pk=user.pk)


def test_bulk_deletion_of_memberships_in_the_admin_ends_access_to_the_drafts(
    admin_client, drafter, lead_org
):
    draft = make_recommendation(drafter)
    assert can_view(_fresh(drafter), draft)
    other = member_of(lead_org, "second")
    ids = list(Membership.objects.filter(organisation=lead_org).values_list("pk", flat=True))
    response = admin_client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(organisation=lead_org).exists()
    for person in (drafter, other):
        person = _fresh(person)
        assert not person.groups.filter(pk=lead_org.group_id).exists()
        assert not can_view(person, Recommendation.objects.get(pk=draft.pk))
    removed = Activity.objects.filter(verb="membership_removed")
    assert sorted(a.data["username"] for a in removed) == ["drafter", "second"]


def test_deleting_one_membership_in_the_admin_takes_the_group_away(admin_client, drafter, lead_org):
    membership = Membership.objects.get(user=drafter, organisation=lead_org)
    response = admin_client.post(
        reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not _fresh(drafter).groups.filter(pk=lead_org.group_id).exists()


def test_removing_a_membership_inline_on_the_user_page_takes_the_group_away(
    admin_client, drafter, lead_org
):
    membership = Membership.objects.get(user=drafter, organisation=lead_org)
    url = reverse("admin:accounts_user_change", args=[drafter.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        "username": drafter.username,
        "display_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": form.initial["date_joined"].strftime("%Y-%m-%d"),
        "date_joined_1": form.initial["date_joined"].strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": membership.pk,
        "memberships-0-user": drafter.pk,
        "memberships-0-organisation": lead_org.pk,
        "memberships-0-role": "member",
        "memberships-0-DELETE": "on",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not Membership.objects.filter(user=drafter).exists()
    assert not _fresh(drafter).groups.filter(pk=lead_org.group_id).exists()
    assert Activity.objects.filter(verb="membership_removed", data__username="drafter").exists()


def test_moving_a_membership_to_another_organisation_in_the_admin_moves_the_group(
    admin_client, drafter, lead_org, other_org
):
    membership = Membership.objects.get(user=drafter, organisation=lead_org)
    response = admin_client.post(
        reverse("admin:accounts_membership_change", args=[membership.pk]),
        {"user": drafter.pk, "organisation": other_org.pk, "role": "representative"},
    )
    assert response.status_code == 302
    groups = set(_fresh(drafter).groups.values_list("pk", flat=True))
    assert other_org.group_id in groups and lead_org.group_id not in groups
    assert Membership.objects.get(user=drafter).role == "representative"


def test_a_participant_cannot_change_memberships_through_the_services(drafter, other_org):
    with pytest.raises(PermissionDenied):
        services.set_membership(drafter, other_org, actor=drafter)
    with pytest.raises(PermissionDenied):
        services.remove_membership(drafter, drafter.memberships.get().organisation, actor=drafter)
    with pytest.raises(PermissionDenied):
        services.grant_role(drafter, MODERATOR, actor=drafter)
    assert not Membership.objects.filter(user=drafter, organisation=other_org).exists()
    assert not Activity.objects.filter(actor=drafter).exists()


def test_staff_need_the_model_permission_and_an_active_account(drafter, other_org):
    staff = UserFactory(username="staff", is_staff=True)
    with pytest.raises(PermissionDenied):
        services.set_membership(drafter, other_org, actor=staff)
    staff.user_permissions.add(Permission.objects.get(codename="change_membership"))
    staff = _fresh(staff)
    services.set_membership(drafter, other_org, actor=staff)
    assert Membership.objects.filter(user=drafter, organisation=other_org).exists()
    staff.is_active = False
    with pytest.raises(PermissionDenied):
        services.remove_membership(drafter, other_org, actor=staff)


def test_account_changes_leave_activity_rows_naming_who_did_what(roles, drafter):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    org = OrganisationFactory(name="Lyon", slug="lyon")
    services.set_membership(drafter, org, role="representative", actor=admin)
    services.set_active(drafter, False, actor=admin)
    services.grant_role(drafter, MODERATOR, actor=admin)
    services.revoke_role(drafter, MODERATOR, actor=admin)
    by_admin = Activity.objects.filter(actor=admin).order_by("pk")
    assert [a.describe() for a in by_admin] == [
        f"{admin} made drafter a representative of Lyon",
        f"{admin} deactivated the account of drafter",
        f"{admin} gave drafter the role moderator",
        f"{admin} took the role moderator from drafter",
    ]
    assert {a.role for a in by_admin} == {"staff"}
    # The fixture's membership was made by the system (no acting person), and says so.
    assert (
        Activity.objects.get(actor=None).describe()
        == "The workspace made drafter a member of Lisbon"
    )


def test_unticking_the_moderator_group_in_the_admin_is_recorded_as_a_role_taken_away(
    admin_client, roles
):
    moderator = with_role(MODERATOR, "mod")
    url = reverse("admin:accounts_user_change", args=[moderator.pk])
    form = admin_client.get(url).context["adminform"].form
    response = admin_client.post(
        url,
        {
            "username": "mod",
            "is_active": "on",
            "date_joined_0": form.initial["date_joined"].strftime("%Y-%m-%d"),
            "date_joined_1": form.initial["date_joined"].strftime("%H:%M:%S"),
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not _fresh(moderator).is_moderator
    assert Activity.objects.filter(verb="role_revoked", data__username="mod").exists()


def test_deactivating_in_the_admin_goes_through_the_service(admin_client, drafter):
    url = reverse("admin:accounts_user_change", args=[drafter.pk])
    form = admin_client.get(url).context["adminform"].form
    response = admin_client.post(
        url,
        {
            "username": drafter.username,
            "date_joined_0": form.initial["date_joined"].strftime("%Y-%m-%d"),
            "date_joined_1": form.initial["date_joined"].strftime("%H:%M:%S"),
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not _fresh(drafter).is_active
    assert Activity.objects.filter(verb="account_deactivated", data__username="drafter").exists()


def test_a_new_password_or_a_closed_account_revokes_the_api_tokens(drafter, observer):
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=drafter)
    Token.objects.create(user=observer)
    drafter.set_password("A-new-secret-42")
    drafter.save()
    assert not Token.objects.filter(user=drafter).exists()
    services.set_active(observer, False, actor=None)
    assert not Token.objects.filter(user=observer).exists()


def test_other_changes_of_the_account_keep_the_token(drafter):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=drafter)
    drafter.display_name = "Ana"
    drafter.save()
    assert Token.objects.filter(pk=token.pk).exists()
