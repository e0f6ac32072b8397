import pytest
from django.core.management import call_command

from accounts.models import Membership, Organisation, User
from comments.models import Comment
from recommendations.models import Theme

pytestmark = pytest.mark.django_db

THEME_SLUGS = {
    "social-inclusion",
    "employment",
    "human-rights-basic-services",
    "refugee-accommodation",
    "social-housing-urbanisation",
    "education",
    "inter-institutional-coordination",
}
CITIES = {"amman", "beirut", "lisbon", "lyon", "madrid", "tangier", "tunis", "turin", "vienna"}


def snapshot():
    return (
        sorted(Theme.objects.values_list("slug", "name", "position")),
        sorted(Organisation.objects.values_list("slug", "name", "kind", "country", "is_demo")),
        sorted(User.objects.values_list("username", "display_name", "is_active")),
        sorted(Membership.objects.values_list("user__username", "organisation__slug", "role")),
        sorted(User.objects.filter(groups__isnull=False).values_list("username", "groups__name")),
        sorted(Comment.objects.values_list("recommendation__title", "author__username", "body")),
    )


def test_seed_twice_gives_the_same_data(capsys):
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    assert Comment.objects.exists()
    out = capsys.readouterr().out
    assert "beirut" in out and "moderator" in out and "observer" in out


def test_seed_creates_the_conference_data():
    call_command("seed_demo")
    assert set(Theme.objects.values_list("slug", flat=True)) == THEME_SLUGS
    cities = set(Organisation.objects.filter(kind="city").values_list("slug", flat=True))
    assert cities == CITIES
    assert Organisation.objects.get(slug="uclg").kind == "international_organisation"
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == {
        "city",
        "region",
        "state",
        "civil_society",
        "international_organisation",
        "donor",
    }
    for org in Organisation.objects.exclude(kind__in=["city"]).exclude(slug="uclg"):
        assert org.is_demo and "demo" in org.name.lower()
    for org in Organisation.objects.all():
        rep = User.objects.get(username=org.slug.lower())
        assert Membership.objects.get(user=rep, organisation=org).role == "representative"
        assert rep.check_password("demo")
    assert User.objects.get(username="moderator").is_moderator
    assert User.objects.get(username="secretariat").is_secretariat
    observer = User.objects.get(username="observer")
    assert not observer.memberships.exists() and not observer.is_moderator


def test_seed_password_option_sets_every_demo_password():
    call_command("seed_demo")
    call_command("seed_demo", password="conference-2017")
    assert User.objects.get(username="beirut").check_password("conference-2017")
    assert User.objects.get(username="observer").check_password("conference-2017")
