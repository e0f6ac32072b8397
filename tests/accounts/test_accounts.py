import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation
from accounts.services import remove_membership, set_membership
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_organisation_gets_its_own_permission_group():
    org = OrganisationFactory(slug="amman", name="Amman")
    assert org.group.name == "org:amman"
    assert Organisation.objects.get(slug="amman").group_id == org.group_id


def test_membership_puts_the_user_in_the_organisation_group_and_removal_takes_it_out():
    org = OrganisationFactory()
    user = UserFactory()
    set_membership(user, org, role=Membership.Role.REPRESENTATIVE, actor=None)
    assert user.groups.filter(pk=org.group_id).exists()
    assert Organisation.objects.represented_by(user).get() == org
    remove_membership(user, org, actor=None)
    assert not user.groups.filter(pk=org.group_id).exists()
    assert not Organisation.objects.of_user(user).exists()


def test_unknown_membership_role_is_refused():
    with pytest.raises(ValueError):
        set_membership(UserFactory(), OrganisationFactory(), role="owner", actor=None)


def test_member_is_not_a_representative(drafter, lead_org):
    assert not Organisation.objects.represented_by(drafter).exists()
    assert list(Organisation.objects.of_user(drafter)) == [lead_org]


def test_roles_come_from_groups(moderator, secretariat, drafter):
    assert moderator.is_moderator and not moderator.is_secretariat
    assert secretariat.is_secretariat and not secretariat.is_moderator
    assert not drafter.is_moderator and not drafter.is_secretariat


def test_inactive_user_holds_no_role(moderator):
    moderator.is_active = False
    moderator.save()
    moderator.refresh_from_db()
    assert not moderator.is_moderator


def test_moderator_role_has_its_model_permissions(moderator):
    assert moderator.has_perm("recommendations.view_theme") is False
    assert moderator.groups.get(name="moderator")


def test_anonymous_user_is_sent_to_login_from_profile(client):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_profile_shows_organisations_and_roles(client, representative, lead_org):
    client.force_login(representative)
    response = client.get(reverse("profile"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lisbon" in body and "Representative" in body
    assert 'data-organisation="lisbon"' in body


def test_profile_of_observer_says_no_organisation(client, observer):
    client.force_login(observer)
    body = client.get(reverse("profile")).content.decode()
    assert "not a member of any organisation" in body


def test_login_with_username_and_password_then_logout(client, drafter):
    response = client.post(reverse("login"), {"username": "drafter", "password": "pw"})
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("profile")).status_code == 302


def test_wrong_password_shows_a_form_error_not_a_crash(client, drafter):
    response = client.post(reverse("login"), {"username": "drafter", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_logout_by_get_is_refused(client, drafter):
    client.force_login(drafter)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("profile")).status_code == 200


def test_password_change_needs_the_old_password(client, drafter):
    client.force_login(drafter)
    url = reverse("password_change")
    bad = client.post(
        url,
        {
            "old_password": "wrong",
            "new_password1": "S3cure-enough!",
            "new_password2": "S3cure-enough!",
        },
    )
    assert bad.status_code == 200 and "incorrectly" in bad.content.decode()
    good = client.post(
        url,
        {
            "old_password": "pw",
            "new_password1": "S3cure-enough!",
            "new_password2": "S3cure-enough!",
        },
    )
    assert good.status_code == 302
    drafter.refresh_from_db()
    assert drafter.check_password("S3cure-enough!")


def test_admin_pages_for_users_organisations_and_memberships(client, roles):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for name in ("accounts_user", "accounts_organisation", "accounts_membership"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_admin_membership_edit_syncs_the_group(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    org = OrganisationFactory()
    user = UserFactory()
    client.force_login(admin)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {"user": user.pk, "organisation": org.pk, "role": "member"},
    )
    assert response.status_code == 302
    assert user.groups.filter(pk=org.group_id).exists()
