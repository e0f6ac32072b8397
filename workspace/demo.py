"""Demo data of the conference: themes, organisations, users. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import MODERATOR, SECRETARIAT, Membership, Organisation, User
from accounts.services import grant_role, set_membership
from recommendations.models import Theme

from .roles import ensure_roles

THEMES = [
    ("social-inclusion", "Social inclusion", "Lisbon"),
    ("employment", "Employment", "Madrid"),
    ("human-rights-basic-services", "Human rights and access to basic services", "Tangier"),
    ("refugee-accommodation", "Refugee accommodation", "Vienna"),
    ("social-housing-urbanisation", "Social housing and urbanisation", "Amman"),
    ("education", "Education", "Turin"),
    ("inter-institutional-coordination", "Inter-institutional coordination", "Lyon"),
]

CITIES = [
    ("Amman", "Jordan"),
    ("Beirut", "Lebanon"),
    ("Lisbon", "Portugal"),
    ("Lyon", "France"),
    ("Madrid", "Spain"),
    ("Tangier", "Morocco"),
    ("Tunis", "Tunisia"),
    ("Turin", "Italy"),
    ("Vienna", "Austria"),
]

# (slug, name, kind, country, is_demo)
OTHER_ORGANISATIONS = [
    ("uclg", "UCLG - United Cities and Local Governments", "international_organisation", "", False),
    ("demo-region", "Demo Region (demo organisation)", "region", "", True),
    ("demo-state", "Demo National Government (demo organisation)", "state", "", True),
    (
        "demo-civil-society",
        "Demo Civil Society Network (demo organisation)",
        "civil_society",
        "",
        True,
    ),
    ("demo-donor", "Demo Donor Agency (demo organisation)", "donor", "", True),
]


@dataclass
class Login:
    username: str
    role: str


def _user(username: str, display_name: str, password: str, force_password: bool) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name}
    )
    if user.display_name != display_name:
        user.display_name = display_name
        user.save(update_fields=["display_name"])
    if created or force_password:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def seed_accounts(password: str = "demo", *, force_password: bool = False) -> list[Login]:
    ensure_roles()
    for position, (slug, name, city) in enumerate(THEMES):
        Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "event_city": city, "position": position}
        )
    logins: list[Login] = []
    orgs = [(c.lower(), c, "city", country, False) for c, country in CITIES]
    for slug, name, kind, country, is_demo in orgs + OTHER_ORGANISATIONS:
        org = Organisation.objects.filter(slug=slug).first() or Organisation(slug=slug)
        org.name, org.kind, org.country, org.is_demo = name, kind, country, is_demo
        org.save()
        rep = _user(slug.lower(), f"{name.split(' (')[0]} representative", password, force_password)
        set_membership(rep, org, role=Membership.Role.REPRESENTATIVE)
        logins.append(Login(rep.username, f"representative of {org.name}"))
    for username, role in ((MODERATOR, MODERATOR), (SECRETARIAT, SECRETARIAT)):
        user = _user(username, f"Conference {role}", password, force_password)
        grant_role(user, role)
        logins.append(Login(username, role))
    _user("observer", "Observer", password, force_password)
    logins.append(Login("observer", "participant without an organisation"))
    return logins
