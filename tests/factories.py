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
    set_membership(user, org, role=role, actor=None)
    return user


def representative_of(org: Organisation, username: str | None = None) -> User:
    return member_of(org, username, role=Membership.Role.REPRESENTATIVE)


def with_role(role: str, username: str | None = None) -> User:
    Group.objects.get_or_create(name=role)
    user = UserFactory(username=username or role)
    grant_role(user, role, actor=None)
    return user


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "recommendations.Theme"
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


BODY = (
    "Cities should open a single welcome point.\n\n"
    "The welcome point should work in the main languages of arrival.\n\n"
    "National governments should fund these points."
)


def make_recommendation(
    author: User,
    *,
    status: str = "draft",
    versions: int = 1,
    title: str = "Welcome points",
    body: str = BODY,
    theme=None,
    co_drafters=(),
    moderator: User | None = None,
    secretariat: User | None = None,
):
    """A recommendation brought to ``status`` through the services, as people would."""
    from recommendations import services

    rec = services.create_recommendation(
        actor=author,
        title=title,
        theme=theme or ThemeFactory(slug="social-inclusion"),
        addressed_to=["city", "state"],
        body=body,
    )
    for org in co_drafters:
        services.add_co_drafter(rec, organisation=org, actor=author)
    for n in range(2, versions + 1):
        rec = services.edit_recommendation(
            rec, actor=author, base_version=n - 1, body=f"{rec.body}\n\nAddition {n}."
        ).recommendation
    if status == "draft":
        return rec
    if status == "withdrawn":
        return services.withdraw_recommendation(rec, reason="Not needed", actor=author)
    rec = services.submit_for_review(rec, actor=author)
    if status == "in_review":
        return rec
    moderator = moderator or with_role("moderator", "auto-moderator")
    if status == "rejected":
        return services.reject_recommendation(rec, reason="Out of scope", actor=moderator)
    rec = services.approve_version(rec, version=rec.version, actor=moderator)
    if status == "approved":
        return rec
    secretariat = secretariat or with_role("secretariat", "auto-secretariat")
    return services.finalise_recommendation(rec, actor=secretariat)
