"""Demo data of the follow-up: the cities' migration profiles and pilot projects, and a dozen
commitments on the recommendations of the published edition, a few with progress.

Made through the services, as representatives would. The profiles describe each city's
situation in general terms, without figures; the pilot projects and commitments are
illustrative (written for the demo, not records of the project). Dates are relative to the
day the demo is loaded: after creation, the demo moves the commitments' and updates' dates
back in time (so that the timelines, the charts and the "overdue" and "update due" flags have
something to show); those are the only writes here that bypass the services. Idempotent.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import Organisation, User
from recommendations.models import Recommendation, Status, Theme

from . import services
from .models import Commitment, PilotProject, ProfileRevision, ProgressUpdate

# city slug -> (origins, spatial distribution, services and policies, national framework)
PROFILES = {
    "amman": (
        "Refugees from Syria and Iraq live alongside Palestinian refugees settled over "
        "several generations, and migrant workers, many from Egypt and South and South-East "
        "Asia.",
        "Most refugees live in the city rather than in camps, in rented flats of the dense "
        "eastern neighbourhoods, where rents are lowest.",
        "The Greater Amman Municipality works through community centres and local "
        "committees; health and education are open to refugees registered with UNHCR.",
        "Jordan is not a party to the 1951 Refugee Convention; a memorandum of understanding "
        "with UNHCR frames protection, and work permits are issued by sector.",
    ),
    "beirut": (
        "Refugees from Syria and Palestine, and migrant workers, many of them domestic "
        "workers from Africa and Asia.",
        "Newcomers live in the densest and oldest neighbourhoods and in the informal areas "
        "around the administrative city.",
        "Municipal services are stretched; much of the support is given by local NGOs and "
        "international organisations, with which the municipality coordinates.",
        "Lebanon is not a party to the 1951 Refugee Convention; migrant domestic workers "
        "depend on the sponsorship (kafala) system.",
    ),
    "lisbon": (
        "Migrants come mainly from Portuguese-speaking countries (Brazil, Cabo Verde, Angola, "
        "Guinea-Bissau), and increasingly from South Asia and other EU countries.",
        "Settlement is concentrated in some central and northern parishes of the city and in "
        "the municipalities of the metropolitan area.",
        "A municipal plan for the integration of migrants, local support centres and the "
        "national one-stop centres for migrants.",
        "The High Commission for Migration coordinates national integration policy; "
        "regularisation is possible for people with a work contract.",
    ),
    "lyon": (
        "Long-established migration from North Africa, Southern Europe and sub-Saharan "
        "Africa, and asylum seekers from several continents.",
        "Migrants live throughout the metropolis, more often in the eastern suburbs and in "
        "neighbourhoods covered by the urban policy programmes.",
        "The City and the Metropolis share social services, housing and support to "
        "associations; the State runs reception of asylum seekers.",
        "France's republican integration contract, signed with the French Office for "
        "Immigration and Integration, offers language and civic training.",
    ),
    "madrid": (
        "Migrants come from Latin America, Romania, Morocco and China, among others.",
        "They live in every district, with higher shares in the southern and central ones.",
        "Municipal employment services, intercultural mediation in health centres and "
        "registration in the municipal register, which opens access to services.",
        "Spanish law sets entry and residence; the regions hold health and education, and "
        "registration in the municipal register gives access to them.",
    ),
    "tangier": (
        "Migrants from West and Central Africa, many on their way to Europe, and people "
        "moving from rural areas of Morocco.",
        "Newcomers live in the peripheral neighbourhoods, often in shared housing.",
        "Access to primary health care and to school for children, supported by associations "
        "working with the city.",
        "Morocco's National Strategy on Immigration and Asylum (2013) and its regularisation "
        "campaigns opened residence permits to many migrants.",
    ),
    "tunis": (
        "Students and workers from sub-Saharan Africa, people who left Libya, and Tunisians "
        "leaving for or returning from Europe.",
        "Migrants live mostly in the northern and western districts of Greater Tunis, close "
        "to universities and work.",
        "Support is given mainly by associations and international organisations; the city "
        "is building its own reception services.",
        "A national law on asylum is still in preparation; residence depends on study or "
        "work permits.",
    ),
    "turin": (
        "Migrants come from Romania, Morocco, Albania, Peru, China and Nigeria, among others.",
        "They are most numerous in the northern districts of the city.",
        "Intercultural centres, language courses and school support for newly arrived "
        "children; a network of reception for asylum seekers.",
        "Italy's system for the protection of asylum seekers and refugees is run with the "
        "municipalities that take part in it.",
    ),
    "vienna": (
        "People from other EU countries, Turkey and the countries of former Yugoslavia, and "
        "refugees from Syria, Afghanistan and Iraq who arrived since 2015.",
        "Migrants live in every district; the city's large stock of social housing limits "
        "segregation.",
        'The "Start Wien" programme offers newcomers orientation, language courses and '
        "counselling from their first weeks.",
        "Austria's Integration Act (2017) sets language and values courses; the city runs its "
        "own integration programmes.",
    ),
}
SECTIONS = ("origins", "distribution", "inclusion", "framework")

# city slug -> (theme slug, title, summary, results): illustrative summaries.
PILOTS = {
    "lisbon": (
        "social-inclusion",
        "Neighbourhood welcome points",
        "Illustrative summary: welcome desks in parish offices where newcomers find housing, "
        "health, language and legal advice in one visit, with cultural mediators.",
        "Parishes and associations now share one referral sheet; the model is being "
        "extended to more parishes.",
    ),
    "madrid": (
        "employment",
        "Skills first: job matching for newcomers",
        "Illustrative summary: the municipal employment agency records newcomers' skills "
        "before their diplomas are recognised and matches them with employers.",
        "Employers of the hospitality and care sectors joined; the matching criteria are "
        "published.",
    ),
    "tangier": (
        "human-rights-basic-services",
        "Health and civil registration for every resident",
        "Illustrative summary: mobile teams with associations help migrants register births "
        "and reach primary health care, whatever their status.",
        "",
    ),
    "vienna": (
        "refugee-accommodation",
        "Shared flats for young refugees",
        "Illustrative summary: young refugees leaving reception centres share flats with "
        "young Viennese, with a social worker per house.",
        "Tenancies have lasted; the housing association will open more flats.",
    ),
    "amman": (
        "social-housing-urbanisation",
        "Planning with host neighbourhoods",
        "Illustrative summary: neighbourhood plans drawn with residents, refugees and hosts, "
        "for public space and services in the areas that received most newcomers.",
        "",
    ),
    "turin": (
        "education",
        "Italian as a second language in every school",
        "Illustrative summary: trained teachers and mediators give newly arrived pupils "
        "Italian lessons within the school day.",
        "The lessons are part of the timetable in the schools of the northern districts.",
    ),
    "lyon": (
        "inter-institutional-coordination",
        "One table for city, metropolis and state",
        "Illustrative summary: a standing table where the services of the City, the "
        "Metropolis and the State agree on the reception of newcomers, case by case.",
        "",
    ),
}

# (recommendation title, organisation slug, actor kind, action, days to the target,
#  indicator, unit, target value, public): illustrative commitments.
COMMITMENTS = [
    (
        "Small-scale accommodation before large reception centres",
        "vienna",
        "city",
        "Open shared flats for young refugees in every district instead of large shelters.",
        540,
        "Shared flats opened",
        "flats",
        "60",
        True,
    ),
    (
        "Small-scale accommodation before large reception centres",
        "lyon",
        "city",
        "Offer the inter-institutional table's model of small-scale reception to the "
        "municipalities of the metropolis.",
        365,
        "",
        "",
        None,
        True,
    ),
    (
        "Small-scale accommodation before large reception centres",
        "demo-state",
        "state",
        "Fund municipalities that replace collective centres by flats.",
        720,
        "Municipalities funded",
        "municipalities",
        "20",
        True,
    ),
    (
        "Small-scale accommodation before large reception centres",
        "demo-civil-society",
        "civil_society",
        "Train volunteer mentors for households hosted in flats.",
        300,
        "Mentors trained",
        "people",
        "150",
        True,
    ),
    (
        "Language support in every school that receives newcomers",
        "turin",
        "city",
        "Make Italian as a second language part of the timetable in every primary school "
        "that receives newcomers.",
        400,
        "Schools with lessons in the timetable",
        "schools",
        "40",
        True,
    ),
    (
        "Language support in every school that receives newcomers",
        "madrid",
        "city",
        "Recruit intercultural mediators for the schools of the southern districts.",
        600,
        "",
        "",
        None,
        True,
    ),
    (
        "Language support in every school that receives newcomers",
        "demo-state",
        "state",
        "Fund the training of teachers in teaching the language as a second language.",
        730,
        "Teachers trained",
        "teachers",
        "500",
        True,
    ),
    (
        "Language support in every school that receives newcomers",
        "uclg",
        "international_organisation",
        "Gather the cities' school practices in a peer-learning note for the network.",
        200,
        "",
        "",
        None,
        True,
    ),
    (
        "Direct access to funding for cities",
        "demo-donor",
        "donor",
        "Open a call for proposals reserved for cities hosting migrants and refugees.",
        240,
        "Cities funded",
        "cities",
        "10",
        True,
    ),
    (
        "Direct access to funding for cities",
        "amman",
        "city",
        "Prepare a neighbourhood investment plan to submit to the donors' call.",
        180,
        "",
        "",
        None,
        True,
    ),
    (
        "Direct access to funding for cities",
        "beirut",
        "city",
        "Set up a municipal unit able to manage funds received directly.",
        420,
        "",
        "",
        None,
        True,
    ),
    (
        "Direct access to funding for cities",
        "tunis",
        "city",
        "Publish the city's reception needs so that donors can fund them directly.",
        150,
        "",
        "",
        None,
        True,
    ),
    (
        "Direct access to funding for cities",
        "uclg",
        "international_organisation",
        "Advocate with the donors for a city window in migration funds.",
        365,
        "",
        "",
        None,
        False,
    ),
]

# (organisation slug, recommendation title): [(days ago, status, value, note, reason)]
PROGRESS = {
    ("vienna", "Small-scale accommodation before large reception centres"): [
        (150, "in_progress", "12", "The first flats opened in three districts.", ""),
        (60, "in_progress", "27", "A second housing association joined.", ""),
        (12, "in_progress", "41", "Flats open in nine districts.", ""),
    ],
    ("turin", "Language support in every school that receives newcomers"): [
        (120, "in_progress", "15", "Fifteen schools of the northern districts started.", ""),
        (20, "done", "40", "Every primary school concerned now has the lessons.", ""),
    ],
    ("demo-donor", "Direct access to funding for cities"): [
        (100, "in_progress", "0", "The call is drafted with the cities' networks.", ""),
    ],
    ("tunis", "Direct access to funding for cities"): [
        (
            30,
            "dropped",
            None,
            "",
            "The needs assessment is now led nationally; the city contributes to it.",
        ),
    ],
}
# Commitments whose target date the demo moves into the past (shown as overdue).
OVERDUE = {
    ("amman", "Direct access to funding for cities"): 25,
    ("demo-civil-society", "Small-scale accommodation before large reception centres"): 40,
}
CREATED_DAYS_AGO = 200


def seed_profiles() -> int:
    made = 0
    now = timezone.now()
    for slug, texts in PROFILES.items():
        org = Organisation.objects.filter(slug=slug).first()
        if org is None or ProfileRevision.objects.filter(organisation=org).exists():
            continue
        rep = User.objects.get(username=slug)
        for section, text in zip(SECTIONS, texts, strict=True):
            revision = services.add_profile_revision(
                org, actor=rep, section=section, text=text, publish=True
            )
            ProfileRevision.objects.filter(pk=revision.pk).update(
                created_at=now - dt.timedelta(days=CREATED_DAYS_AGO + 30)
            )
        made += 1
    for slug, (theme, title, summary, results) in PILOTS.items():
        org = Organisation.objects.filter(slug=slug).first()
        if org is None or PilotProject.objects.filter(organisation=org).exists():
            continue
        services.save_pilot(
            org,
            actor=User.objects.get(username=slug),
            title=title,
            summary=summary,
            results=results,
            theme=Theme.objects.get(slug=theme),
        )
    return made


def seed_commitments() -> int:
    """Profiles, pilot projects, commitments and progress. Call before the edition is
    published (so that it carries the commitments)."""
    seed_profiles()
    made = 0
    now = timezone.now()
    today = timezone.localdate()
    for title, slug, kind, action, days, indicator, unit, target, public in COMMITMENTS:
        rec = Recommendation.objects.filter(
            title=title, status__in=(Status.APPROVED, Status.FINAL)
        ).first()
        org = Organisation.objects.filter(slug=slug).first()
        if rec is None or org is None:
            continue
        if Commitment.objects.filter(recommendation=rec, organisation=org).exists():
            continue
        commitment = services.make_commitment(
            rec,
            organisation=org,
            actor=User.objects.get(username=slug),
            action=action,
            actor_kind=kind,
            target_date=today + dt.timedelta(days=days),
            indicator=indicator,
            indicator_unit=unit,
            target_value=target,
            is_public=public,
        )
        created = now - dt.timedelta(days=CREATED_DAYS_AGO)
        moved = {"created_at": created}
        if (slug, title) in OVERDUE:
            moved["target_date"] = today - dt.timedelta(days=OVERDUE[(slug, title)])
        Commitment.objects.filter(pk=commitment.pk).update(**moved)
        commitment.refresh_from_db()
        for days_ago, status, value, note, reason in PROGRESS.get((slug, title), []):
            update = services.post_progress(
                commitment,
                actor=User.objects.get(username=slug),
                status=status,
                current_value=value,
                note=note,
                reason=reason,
            )
            moment = now - dt.timedelta(days=days_ago)
            ProgressUpdate.objects.filter(pk=update.pk).update(created_at=moment)
            Commitment.objects.filter(pk=commitment.pk).update(last_update_at=moment)
        made += 1
    _verify_first_updates()
    return made


def _verify_first_updates() -> None:
    secretariat = User.objects.get(username="secretariat")
    for update in ProgressUpdate.objects.filter(
        verified_at__isnull=True, commitment__organisation__slug__in=["vienna", "turin"]
    ).order_by("created_at")[:3]:
        services.verify_progress(update, actor=secretariat)
