"""Demo data of the conference: themes, organisations, users. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_noop

from accounts.models import MODERATOR, SECRETARIAT, Membership, Organisation, User
from accounts.services import grant_role, set_membership
from recommendations.demo_translations import EDITION_TRANSLATIONS, seed_translations
from recommendations.models import Theme

from .roles import ensure_roles

# The names are stored in English and read in the reader's language (Theme.label): they are
# marked here so that they are in the catalogues.
THEMES = [
    ("social-inclusion", gettext_noop("Social inclusion"), "Lisbon"),
    ("employment", gettext_noop("Employment"), "Madrid"),
    (
        "human-rights-basic-services",
        gettext_noop("Human rights and access to basic services"),
        "Tangier",
    ),
    ("refugee-accommodation", gettext_noop("Refugee accommodation"), "Vienna"),
    ("social-housing-urbanisation", gettext_noop("Social housing and urbanisation"), "Amman"),
    ("education", gettext_noop("Education"), "Turin"),
    ("inter-institutional-coordination", gettext_noop("Inter-institutional coordination"), "Lyon"),
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
        set_membership(rep, org, role=Membership.Role.REPRESENTATIVE, actor=None)
        logins.append(Login(rep.username, f"representative of {org.name}"))
    for username, role in ((MODERATOR, MODERATOR), (SECRETARIAT, SECRETARIAT)):
        user = _user(username, f"Conference {role}", password, force_password)
        grant_role(user, role, actor=None)
        logins.append(Login(username, role))
    _user("observer", "Observer", password, force_password)
    logins.append(Login("observer", "participant without an organisation"))
    return logins


# --- recommendations ----------------------------------------------------------------------
# (title, theme, addressed_to, lead, co-drafters, status, [body versions...], summary)
RECOMMENDATIONS = [
    (
        "Give newcomers one front door to local services",
        "social-inclusion",
        ["city", "state"],
        "lisbon",
        ["madrid"],
        "approved",
        [
            "Cities should open a single welcome point where newcomers find housing, health, "
            "language and legal advice.\n\nThe welcome point should work in the main languages "
            "of arrival.",
            "Cities should open a single welcome point where newcomers find housing, health, "
            "language and legal advice in one visit.\n\nThe welcome point should work in the "
            "main languages of arrival, with trained cultural mediators.\n\nNational "
            "governments should fund these points for at least five years.",
        ],
        "One place, one visit, several languages.",
    ),
    (
        "Recognise foreign qualifications within three months",
        "employment",
        ["state", "region"],
        "madrid",
        ["turin"],
        "in_review",
        [
            "National governments should decide on the recognition of diplomas within three "
            "months of a complete application.\n\n- publish the criteria\n- accept translations "
            "certified by the city\n- allow provisional work while the decision is pending",
        ],
        "",
    ),
    (
        "Open municipal job-matching to refugees from day one",
        "employment",
        ["city", "civil_society"],
        "turin",
        [],
        "draft",
        [
            "Municipal employment services should register refugees and asylum seekers from "
            "their first week in the city.",
            "Municipal employment services should register refugees and asylum seekers from "
            "their first week in the city, together with local employers' networks.",
        ],
        "",
    ),
    (
        "Access to basic services regardless of status",
        "human-rights-basic-services",
        ["city", "state", "international_organisation"],
        "tangier",
        ["tunis"],
        "approved",
        [
            "Every person living in the city should have access to water, sanitation, primary "
            "health care and schooling, whatever their administrative status.",
            "Every person living in the city should have access to water, sanitation, primary "
            "health care and schooling, whatever their administrative status.\n\nData collected "
            "to provide these services must never be used for immigration enforcement.",
            "Every person living in the city should have access to water, sanitation, primary "
            "health care and schooling, whatever their administrative status.\n\nData collected "
            "to provide these services must never be used for immigration enforcement (a "
            "firewall between services and enforcement).",
        ],
        "A firewall between services and enforcement.",
    ),
    (
        "Small-scale accommodation before large reception centres",
        "refugee-accommodation",
        ["city", "region", "state"],
        "vienna",
        ["lyon"],
        "final",
        [
            "Reception should favour small, dispersed accommodation in ordinary neighbourhoods "
            "over large collective centres.\n\n| Option | Residents | Integration |\n|---|---|---|"
            "\n| Flats | 2-6 | high |\n| Centres | 200+ | low |",
        ],
        "",
    ),
    (
        "Private rooms for refugees: a guarantee scheme",
        "refugee-accommodation",
        ["city", "donor"],
        "vienna",
        [],
        "withdrawn",
        ["A municipal guarantee should cover landlords who rent rooms to refugees."],
        "",
    ),
    (
        "Plan social housing with the people who will live in it",
        "social-housing-urbanisation",
        ["city", "region"],
        "amman",
        ["beirut"],
        "in_review",
        [
            "Urban plans for areas receiving refugees should be drawn up with host and refugee "
            "residents together.\n\nSocial housing programmes should be open to both.",
            "Urban plans for areas receiving refugees should be drawn up with host and refugee "
            "residents together, through neighbourhood committees.\n\nSocial housing "
            "programmes should be open to both.",
        ],
        "",
    ),
    (
        "Informal settlements: upgrade rather than evict",
        "social-housing-urbanisation",
        ["state", "international_organisation", "donor"],
        "beirut",
        [],
        "rejected",
        ["Informal settlements should be upgraded in place wherever it is safe to do so."],
        "",
    ),
    (
        "Language support in every school that receives newcomers",
        "education",
        ["city", "state"],
        "turin",
        ["lisbon"],
        "approved",
        [
            "Schools receiving newcomer pupils should offer intensive language support during "
            "ordinary school hours.[^1]\n\n[^1]: Not instead of, but alongside, regular classes.",
        ],
        "",
    ),
    (
        "Adult education open to asylum seekers",
        "education",
        ["city", "civil_society"],
        "lyon",
        [],
        "draft",
        ["Adult education courses should be open to asylum seekers while their claim is examined."],
        "",
    ),
    (
        "A standing city-state migration dialogue",
        "inter-institutional-coordination",
        ["city", "state", "international_organisation"],
        "lyon",
        ["uclg", "tunis"],
        "in_review",
        [
            "Each country should hold a standing dialogue between national ministries and "
            "cities on migration, meeting at least twice a year.",
            "Each country should hold a standing dialogue between national ministries and "
            "cities on migration, meeting at least twice a year, with civil society invited.",
            "Each country should hold a standing dialogue between national ministries and "
            "cities on migration, meeting at least twice a year, with civil society invited."
            "\n\nThe dialogue should publish its conclusions.",
        ],
        "",
    ),
    (
        "Direct access to funding for cities",
        "inter-institutional-coordination",
        ["donor", "international_organisation"],
        "uclg",
        ["amman"],
        "approved",
        [
            "Donors should open funding lines that cities can apply to directly, without "
            "passing through national intermediaries.",
        ],
        "",
    ),
]


def seed_recommendations() -> int:
    """Create the demo recommendations through the services, as people would. Idempotent."""
    from recommendations import services
    from recommendations.models import Recommendation

    moderator = User.objects.get(username=MODERATOR)
    secretariat = User.objects.get(username=SECRETARIAT)
    created = 0
    for title, theme, kinds, lead, co, status, bodies, summary in RECOMMENDATIONS:
        if Recommendation.objects.filter(title=title).exists():
            continue
        lead_user = User.objects.get(username=lead)
        rec = services.create_recommendation(
            actor=lead_user,
            title=title,
            theme=Theme.objects.get(slug=theme),
            addressed_to=kinds,
            body=bodies[0],
            summary=summary,
            organisation=Organisation.objects.get(slug=lead),
        )
        for slug in co:
            services.add_co_drafter(
                rec, organisation=Organisation.objects.get(slug=slug), actor=lead_user
            )
        authors = [User.objects.get(username=s) for s in [lead, *co]]
        for number, body in enumerate(bodies[1:], start=2):
            author = authors[(number - 1) % len(authors)]
            rec = services.edit_recommendation(
                rec,
                actor=author,
                base_version=number - 1,
                body=body,
                note=f"Wording from {author.username.title()}",
            ).recommendation
        if status == "draft":
            created += 1
            continue
        if status == "withdrawn" and len(bodies) == 1:
            services.withdraw_recommendation(
                rec, reason="Merged into the accommodation recommendation.", actor=lead_user
            )
            created += 1
            continue
        services.submit_for_review(rec, actor=lead_user)
        if status == "rejected":
            services.reject_recommendation(
                rec,
                reason="Outside the mandate of the conference; to be discussed bilaterally.",
                actor=moderator,
            )
        elif status in ("approved", "final"):
            services.approve_version(
                rec, version=max(1, rec.version - (1 if rec.version > 2 else 0)), actor=moderator
            )
            if status == "final":
                services.finalise_recommendation(rec, actor=secretariat)
        created += 1
    return created


# --- endorsements and the published text ---------------------------------------------------
# (recommendation title, [(organisation slug, statement)]): made by each organisation's
# representative (the demo user named like the organisation) on the approved version.
ENDORSEMENTS = [
    (
        "Give newcomers one front door to local services",
        [
            ("lisbon", "Lisbon has run such a welcome point since 2004 and will share its model."),
            ("demo-region", ""),
            ("demo-civil-society", "Civil society organisations are ready to staff the desks."),
            ("uclg", "UCLG will bring this to its migration network."),
        ],
    ),
    (
        # Approved at version 2 while version 3 waits: when a moderator approves version 3,
        # Tangier's and Tunis's representatives are asked to re-confirm on their home page.
        "Access to basic services regardless of status",
        [
            ("tangier", "Access to services must never depend on papers."),
            ("tunis", ""),
            ("demo-civil-society", "A firewall protects the people we serve."),
        ],
    ),
    (
        "Language support in every school that receives newcomers",
        [
            ("turin", "Turin's schools do this already; it works."),
            ("madrid", ""),
            ("demo-state", "The ministry will fund teacher training for this."),
            ("demo-civil-society", ""),
        ],
    ),
    (
        "Direct access to funding for cities",
        [
            ("uclg", "Cities are where migrants arrive; funding should reach them directly."),
            ("amman", ""),
            ("beirut", "Beirut needs this to plan beyond emergency cycles."),
            ("demo-donor", "We will open a pilot call for cities in 2018."),
        ],
    ),
]
TO_FINALISE = [
    "Language support in every school that receives newcomers",
    "Direct access to funding for cities",
]
EDITION_TITLE = "Recommendations of the MC2CM conference, Beirut 2017"
EDITION_PREAMBLE = (
    "These recommendations were drafted by the cities of the Mediterranean City-to-City "
    "Migration project and their partners, discussed in the peer-learning events, approved by "
    "the moderators and finalised by the conference secretariat.\n\n"
    "Each recommendation names the actors it addresses and the organisations that endorse it."
)


def seed_publication(adopted_on: date | None = None) -> int:
    """Endorsements from several kinds of organisation, two more final recommendations and
    one published edition, through the services. Idempotent: what exists is left alone."""
    from publication import services as publication
    from publication.models import Edition, Endorsement
    from recommendations import services
    from recommendations.models import Recommendation, Status

    secretariat = User.objects.get(username=SECRETARIAT)
    made = 0
    for title, supporters in ENDORSEMENTS:
        rec = Recommendation.objects.filter(title=title).first()
        if rec is None:
            continue
        for slug, statement in supporters:
            org = Organisation.objects.get(slug=slug)
            if (
                rec.status != Status.APPROVED
                or Endorsement.objects.filter(recommendation=rec, organisation=org).exists()
            ):
                continue
            publication.endorse(
                rec, organisation=org, statement=statement, actor=User.objects.get(username=slug)
            )
            made += 1
    for title in TO_FINALISE:
        rec = Recommendation.objects.filter(title=title, status=Status.APPROVED).first()
        if rec is not None and not Edition.objects.filter(title=EDITION_TITLE).exists():
            services.finalise_recommendation(rec, actor=secretariat)
    made += seed_translations()  # French and Arabic, before the edition is published
    if not Edition.objects.filter(title=EDITION_TITLE).exists():
        edition = publication.create_edition(
            title=EDITION_TITLE,
            preamble=EDITION_PREAMBLE,
            adopted_on=adopted_on,
            translations=EDITION_TRANSLATIONS,
            actor=secretariat,
        )
        publication.publish_edition(edition, actor=secretariat)
        made += 1
    return made
