from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from accounts.models import Membership, Organisation, OrganisationKind, User
from accounts.services import grant_role, set_membership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda o: o.username.title())
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"City {n}")
    slug = factory.Sequence(lambda n: f"city-{n}")
    kind = OrganisationKind.CITY
    country = "Lebanon"


def member_of(org: Organisation, username: str | None = None, *, role: str = "member") -> User:
    user = UserFactory(username=username) if username else UserFactory()
    set_membership(user, org, role=role)
    return user


def representative_of(org: Organisation, username: str | None = None) -> User:
    return member_of(org, username, role=Membership.Role.REPRESENTATIVE)


def with_role(role: str, username: str | None = None) -> User:
    Group.objects.get_or_create(name=role)
    user = UserFactory(username=username or role)
    grant_role(user, role)
    return user
