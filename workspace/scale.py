"""Large data sets for the benchmarks and the query-count tests (docs/performance.md).

``build_conference`` (``seed_demo --scale``, ``bench/http_pages.py --scale``) adds the
conference at full size to the demo: 2,000 people in 300 organisations, 10,000
recommendations, 100,000 comments, one recommendation with 500 versions.

``build_discussion`` gives one recommendation a conference-sized discussion: N comments of
about 200 characters in T threads, on its paragraphs and on the whole text, some answered by
the drafting organisations, some resolved. Rows are written with ``bulk_create`` (no service,
no signal, no activity row, no live event): this is a load for measuring pages, not a
history of things people did.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from reversion.models import Revision, Version

import text
from accounts.models import Membership, Organisation, OrganisationKind, User
from comments.models import Comment, CommentResponse, CommentStatus, ResponseStatus
from recommendations.models import (
    PERM_EDIT,
    PERM_MANAGE,
    PERM_VIEW,
    VERSIONED_FIELDS,
    Recommendation,
    RecommendationGroupObjectPermission,
    Status,
    Theme,
    VersionMeta,
)

# About 200 characters each, in the three languages of the conference.
SENTENCES = [
    "The welcome point should open in the evening as well: most newcomers work during the day "
    "and cannot come before six. Our pilot in the old port doubled its visits that way.",
    "Nous proposons d'ajouter un guichet mobile pour les quartiers éloignés : les familles "
    "arrivées récemment n'ont souvent ni le temps ni l'argent pour traverser la ville.",
    "نقترح أن تشمل نقطة الاستقبال الواحدة خدمة الترجمة الفورية باللغات الرئيسية، وأن تتعاون "
    "البلديات مع الجمعيات المحلية لتدريب الوسطاء الثقافيين في الأحياء.",
    "Funding for five years is short for a service people will rely on. Could the text ask "
    "for a review after five years, with the cities' own figures, instead of an end date?",
    "La coordination avec les services de l'État reste le point faible : sans un accord écrit "
    "sur l'échange des dossiers, le guichet unique renverra les gens d'un bureau à l'autre.",
]


def _body(index: int) -> str:
    return f"{SENTENCES[index % len(SENTENCES)]} (#{index + 1})"


@transaction.atomic
def build_discussion(
    rec: Recommendation, *, comments: int = 300, threads: int = 60, seed: int = 15
) -> int:
    """Add ``comments`` comments in ``threads`` threads to ``rec``; returns how many."""
    threads = max(1, min(threads, comments))
    rng = random.Random(seed)
    members = list(
        Membership.objects.select_related("user", "organisation")
        .filter(user__is_active=True)
        .order_by("pk")
    )
    if not members:
        raise ValueError("build_discussion needs people in organisations (run seed_demo first)")
    drafting = {rec.lead_organisation_id, *rec.co_drafters.values_list("pk", flat=True)}
    responders = [m for m in members if m.organisation_id in drafting] or members
    keys = [p["key"] for p in rec.paragraphs] or [""]
    roots: list[Comment] = []
    for t in range(threads):
        member = members[rng.randrange(len(members))]
        roots.append(
            Comment(
                recommendation=rec,
                author=member.user,
                organisation=member.organisation,
                body=_body(t),
                body_html=text.render_markdown(_body(t)),
                anchor="" if t % 4 == 3 else keys[t % len(keys)],
                version=rec.version,
                status=CommentStatus.RESOLVED if t % 5 == 4 else CommentStatus.OPEN,
            )
        )
    Comment.objects.bulk_create(roots)
    if not all(root.pk for root in roots):  # backends that do not return ids (none of ours)
        roots = list(Comment.objects.of(rec).filter(parent=None).order_by("-pk")[:threads])[::-1]
    # Replies in rounds of one per thread, so that a reply can answer the previous round's
    # reply of its thread (saved, so with an id): threads of several levels.
    previous = list(roots)
    made = threads
    rounds = 0
    while made < comments:
        batch: list[Comment] = []
        for t, root in enumerate(roots):
            if made >= comments:
                break
            member = members[rng.randrange(len(members))]
            batch.append(
                Comment(
                    recommendation=rec,
                    parent=previous[t] if (t + rounds) % 3 == 0 else root,
                    author=member.user,
                    organisation=member.organisation,
                    body=_body(made),
                    body_html=text.render_markdown(_body(made)),
                    anchor=root.anchor,
                    version=rec.version,
                )
            )
            made += 1
        Comment.objects.bulk_create(batch)
        previous[: len(batch)] = batch
        rounds += 1
    answers = []
    for t, root in enumerate(roots):
        if t % 6 == 1:
            member = responders[t % len(responders)]
            answers.append(
                CommentResponse(
                    comment=root,
                    status=ResponseStatus.values[t % len(ResponseStatus.values)],
                    reason="Taken into account in the next version of the text.",
                    version=rec.version,
                    author=member.user,
                    organisation=member.organisation,
                )
            )
    CommentResponse.objects.bulk_create(answers)
    return comments


def people(limit: int | None = None) -> list[User]:
    """Active users, oldest first (the benchmark signs each of them in)."""
    users = User.objects.filter(is_active=True).order_by("pk")
    return list(users[:limit] if limit else users)


# --- conference scale -----------------------------------------------------------------------
# ``build_conference`` adds, on top of the demo, what the conference looks like at full size:
# people in organisations, thousands of recommendations in every state with their versions,
# drafting rights and comments, and one recommendation with hundreds of versions. Everything
# is written with ``bulk_create`` (no service, signal, activity row, live event or
# notification); rows carry the values the services would have given them (rendered HTML,
# paragraph keys, reversion revisions with their VersionMeta, guardian rows, timestamps in
# order), so the pages read them as they read real data.

SCALE_PREFIX = "scale-"  # slugs of its organisations, usernames of its people
HISTORY_TITLE = "A shared register of reception places, written in the open"
# Words present in many texts (recommendations and comments), one per language.
SEARCH_WORDS = {"en": "newcomers", "fr": "guichet", "ar": "البلديات"}


class ConferenceAlreadyBuilt(RuntimeError):
    """The conference-scale data set is already in this database (it is built once)."""


PLACES = [
    ("Sfax", "Tunisia"), ("Sousse", "Tunisia"), ("Bizerte", "Tunisia"), ("Oran", "Algeria"),
    ("Constantine", "Algeria"), ("Annaba", "Algeria"), ("Casablanca", "Morocco"),
    ("Rabat", "Morocco"), ("Oujda", "Morocco"), ("Fes", "Morocco"), ("Tripoli", "Lebanon"),
    ("Saida", "Lebanon"), ("Zahle", "Lebanon"), ("Irbid", "Jordan"), ("Zarqa", "Jordan"),
    ("Mafraq", "Jordan"), ("Alexandria", "Egypt"), ("Port Said", "Egypt"), ("Izmir", "Turkey"),
    ("Gaziantep", "Turkey"), ("Mersin", "Turkey"), ("Athens", "Greece"),
    ("Thessaloniki", "Greece"), ("Patras", "Greece"), ("Palermo", "Italy"), ("Bari", "Italy"),
    ("Naples", "Italy"), ("Genoa", "Italy"), ("Marseille", "France"), ("Nice", "France"),
    ("Montpellier", "France"), ("Grenoble", "France"), ("Barcelona", "Spain"),
    ("Valencia", "Spain"), ("Malaga", "Spain"), ("Seville", "Spain"), ("Porto", "Portugal"),
    ("Faro", "Portugal"), ("Valletta", "Malta"), ("Nicosia", "Cyprus"), ("Graz", "Austria"),
    ("Linz", "Austria"), ("Ljubljana", "Slovenia"), ("Split", "Croatia"), ("Tirana", "Albania"),
    ("Podgorica", "Montenegro"), ("Misrata", "Libya"), ("Benghazi", "Libya"),
]  # fmt: skip

# (kind, share of the organisations, how its name reads)
ORGANISATION_KINDS = [
    ("city", 45, "{place} city council"),
    ("civil_society", 20, "{place} newcomers' association"),
    ("region", 10, "Region of {place}"),
    ("state", 10, "{country} ministry office in {place}"),
    ("international_organisation", 8, "International migration office, {place}"),
    ("donor", 7, "{place} development fund"),
]

FIRST_NAMES = [
    "Amina", "Youssef", "Leila", "Karim", "Sofia", "Marco", "Elena", "Pierre", "Claire",
    "Nadia", "Omar", "Fatima", "Jorge", "Lucia", "Ahmed", "Sara", "Tomas", "Ines", "Rami",
    "Hana", "Giulia", "Nikos", "Maria", "Selim", "Zeynep",
]  # fmt: skip
LAST_NAMES = [
    "Haddad", "Benali", "Rossi", "Martin", "Garcia", "Khoury", "Mansour", "Dubois", "Ferreira",
    "Papadopoulos", "Yilmaz", "El Amrani", "Bianchi", "Moreau", "Nasser", "Santos", "Saleh",
]  # fmt: skip
ARABIC_NAMES = [
    "سارة الحداد", "يوسف بن علي", "ليلى خوري", "كريم منصور", "فاطمة الزهراء", "عمر ناصر",
    "هناء صالح", "رامي العمراني", "نادية بن يوسف", "أحمد التونسي",
]  # fmt: skip

# Paragraphs of recommendation texts in the three languages; most carry the search words.
PARAGRAPHS = {
    "en": [
        "Cities should open a single welcome point where newcomers find housing, health, "
        "language and legal advice in one visit.",
        "The welcome point should work in the main languages of arrival, with trained "
        "cultural mediators from the neighbourhoods where newcomers live.",
        "National governments should fund these points for at least five years and review "
        "them with the cities' own figures.",
        "Municipal employment services should register refugees and newcomers from their "
        "first week in the city, together with local employers' networks.",
        "Schools receiving newcomer pupils should offer intensive language support during "
        "ordinary school hours, alongside regular classes.",
        "Data collected to provide basic services must never be used for immigration "
        "enforcement: a firewall between services and enforcement.",
        "Reception should favour small, dispersed accommodation in ordinary neighbourhoods "
        "over large collective centres.",
        "Urban plans for areas receiving refugees should be drawn up with host and newcomers "
        "residents together, through neighbourhood committees.",
        "Donors should open funding lines that cities can apply to directly, without passing "
        "through national intermediaries.",
        "Each country should hold a standing dialogue between ministries and cities on "
        "migration, meeting at least twice a year, with civil society invited.",
        "- publish the criteria\n- accept translations certified by the city\n- allow "
        "provisional work while the decision is pending",
    ],
    "fr": [
        "Les villes devraient ouvrir un guichet unique où les nouveaux arrivants trouvent le "
        "logement, la santé, les cours de langue et le conseil juridique.",
        "Le guichet devrait fonctionner dans les principales langues d'arrivée, avec des "
        "médiateurs culturels formés dans les quartiers.",
        "Les États devraient reconnaître les diplômes étrangers dans un délai de trois mois "
        "après une demande complète.",
        "Les services municipaux de l'emploi devraient inscrire les réfugiés dès leur première "
        "semaine dans la ville, avec le guichet de la mairie.",
        "Un accord écrit entre l'État et les villes devrait organiser l'échange des dossiers, "
        "pour que le guichet ne renvoie personne d'un bureau à l'autre.",
        "Les bailleurs de fonds devraient ouvrir des lignes de financement auxquelles les "
        "villes peuvent répondre directement.",
    ],
    "ar": [
        "على البلديات أن تفتح مراكز استقبال في الأحياء التي يسكنها الوافدون الجدد، وأن توفر "
        "فيها المعلومات بلغات متعددة.",
        "ينبغي أن تحصل البلديات على تمويل مباشر من المانحين دون المرور بالوسطاء الوطنيين.",
        "يجب ضمان حصول جميع السكان على المياه والصرف الصحي والرعاية الصحية الأولية والتعليم، "
        "بغض النظر عن وضعهم القانوني.",
        "نوصي بإنشاء حوار دائم بين الوزارات والبلديات حول الهجرة، يجتمع مرتين في السنة على الأقل.",
        "تحتاج المدارس التي تستقبل الأطفال الوافدين إلى دعم لغوي مكثف خلال ساعات الدراسة العادية.",
    ],
}
TITLES = {
    "en": [
        "One front door to local services in {place}",
        "Language support for newcomers in {place}",
        "Faster recognition of qualifications: the {place} proposal",
        "Small-scale reception in {place}'s neighbourhoods",
        "Basic services for every resident of {place}",
        "A city-state dialogue on migration, as tried in {place}",
        "Direct funding for cities like {place}",
        "Job-matching for refugees from day one in {place}",
    ],
    "fr": [
        "Un guichet unique pour les nouveaux arrivants à {place}",
        "Reconnaître les diplômes plus vite : la proposition de {place}",
        "Un accueil à petite échelle dans les quartiers de {place}",
        "Financer directement les villes comme {place}",
    ],
    "ar": [
        "نقطة استقبال واحدة للوافدين الجدد في {place}",
        "دعم لغوي في مدارس {place}",
        "تمويل مباشر للبلديات مثل {place}",
    ],
}
CLOSING = {
    "en": "Drafted by {org} for the {theme} working group (reference {n}).",
    "fr": "Rédigée par {org} pour le groupe de travail {theme} (référence {n}).",
    "ar": "أعدّتها {org} لفريق عمل {theme} (المرجع {n}).",
}
SUMMARIES = {
    "en": ["One place, one visit, several languages.", "Cities act first; states fund."],
    "fr": ["Un lieu, une visite, plusieurs langues."],
    "ar": ["مكان واحد وزيارة واحدة وعدة لغات."],
}
# (status, share of the recommendations); drafts are seen by their drafters only.
STATUS_SHARES = [
    ("draft", 12), ("in_review", 32), ("approved", 36), ("final", 8), ("withdrawn", 6),
    ("rejected", 6),
]  # fmt: skip
# The languages of SENTENCES (the comments).
SENTENCE_LANGUAGES = ["en", "fr", "ar", "en", "fr"]
# Edits of the many-version text: a word and what it becomes, and back.
SWAPS = [
    ("should", "must"), ("cities", "municipalities"), ("newcomers", "new arrivals"),
    ("at least", "no less than"), ("five years", "seven years"), ("open", "set up"),
    ("together", "jointly"), ("every", "each"), ("review", "evaluate"), ("local", "municipal"),
]  # fmt: skip
HISTORY_PARAGRAPHS = [
    "## Why a shared register",
    "Cities, regions and national governments each keep their own lists of reception places. "
    "Newcomers are sent from one office to the next while places stay empty elsewhere.",
    "A shared register of reception places should be kept together by the cities and the "
    "national government, updated every day, and open to the civil society organisations that "
    "run places.",
    "## What the register holds",
    "For each place: the municipality, the kind of accommodation, how many people it can take, "
    "whether it is accessible, and who to call. No personal data about residents is kept.",
    "- small flats in ordinary neighbourhoods first\n- then shared houses run by associations\n"
    "- collective centres only as a last resort",
    "The register should be published in the main languages of arrival, so that newcomers and "
    "the people who help them can read it too.",
    "## Who pays",
    "National governments should fund the register for at least five years; donors should "
    "open a line that cities can apply to directly for the places themselves.",
    "Cities should review the register every year with their own figures and publish what "
    "they found, including the places that were never used.",
    "## Safeguards",
    "Data collected to run the register must never be used for immigration enforcement.",
    "An independent body should check once a year that the register is complete and that no "
    "municipality is left to carry the reception of newcomers alone.",
]
HISTORY_EXTRA = [
    "Regions should lend staff to the smallest municipalities to keep their part of the "
    "register up to date.",
    "The register should show, for each municipality, how long newcomers waited for a place "
    "in the previous month.",
    "Civil society organisations should be able to add places they run without asking a "
    "ministry first.",
    "A telephone line in the main languages of arrival should answer questions about free "
    "places, day and night.",
    "The register's software should be free and open, so that other countries can use it.",
]
VERSION_NOTES = [
    "", "Wording", "Comments of the working group taken in", "Shorter", "Figures updated",
    "After the peer-learning meeting", "", "Typos",
]  # fmt: skip


def conference_exists() -> bool:
    """Whether the conference-scale data set has been built in this database."""
    return Organisation.objects.filter(slug__startswith=SCALE_PREFIX).exists()


def conference_facts() -> dict[str, Any] | None:
    """What the benchmark needs of a built conference set (None when there is none)."""
    rec = (
        Recommendation.objects.filter(
            title=HISTORY_TITLE, lead_organisation__slug__startswith=SCALE_PREFIX
        )
        .only("pk", "version")
        .first()
    )
    if rec is None:
        return None
    return {
        "history_recommendation": rec.pk,
        "history_versions": rec.version,
        "search_word": SEARCH_WORDS["en"],
        "search_words": dict(SEARCH_WORDS),
    }


@contextmanager
def _explicit_timestamps(*models: type[Model]) -> Iterator[None]:
    """Let ``bulk_create`` write the given models' ``auto_now``/``auto_now_add`` fields as set
    (Django would stamp them all with the moment of the insert): the rows get the times at
    which the things they record happened. Restored on the way out."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _spread(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders): sums to ``total``."""
    whole = sum(weights) or 1.0
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _render(body: str, previous: Recommendation | None = None) -> dict[str, Any]:
    """body, body_html, paragraphs, footnotes_html as ``recommendations.services`` renders
    them: keys kept from ``previous`` for the blocks it already had."""
    blocks = text.split_blocks(body)
    old_blocks = text.split_blocks(previous.body) if previous is not None else []
    old_keys = [p["key"] for p in previous.paragraphs] if previous is not None else []
    keys = text.assign_keys(old_blocks, old_keys, blocks)
    paragraphs, footnotes = text.render_paragraphs(blocks, keys)
    return {
        "body": body,
        "paragraphs": paragraphs,
        "footnotes_html": footnotes,
        "body_html": "".join(p["html"] for p in paragraphs) + footnotes,
    }


@dataclass
class _VersionPlan:
    number: int
    at: datetime
    author: User
    organisation: Organisation
    note: str
    state: Recommendation  # an unsaved copy holding the fields as this version saved them
    keys: list[str] = field(default_factory=list)


@dataclass
class _RecPlan:
    rec: Recommendation
    drafting: list[Organisation]
    versions: list[_VersionPlan]
    open_from: datetime
    open_until: datetime


class _Builder:
    def __init__(self, *, seed: int, batch_size: int, progress: Callable[[str], None]) -> None:
        self.rng = random.Random(seed)
        self.batch = batch_size
        self.progress = progress
        self.now = timezone.now()
        self.themes = list(Theme.objects.order_by("position", "pk"))
        if not self.themes:
            raise ValueError("build_conference needs the demo's themes (run seed_demo first)")
        ctype = self.rec_type = ContentType.objects.get_for_model(Recommendation)
        self.perms = {
            p.codename: p
            for p in Permission.objects.filter(
                content_type=ctype, codename__in=(PERM_VIEW, PERM_EDIT, PERM_MANAGE)
            )
        }
        if len(self.perms) != 3:
            raise ValueError("the recommendation permissions are missing (run migrate first)")
        self.orgs: list[Organisation] = []
        self.members: dict[int, list[User]] = {}
        self.people: list[User] = []
        self.org_of: dict[int, Organisation] = {}
        self.comment_number = 0

    # -- people --------------------------------------------------------------------------
    def organisations(self, count: int) -> None:
        kinds = _spread(count, [share for _k, share, _n in ORGANISATION_KINDS])
        specs = []
        for (kind, _share, pattern), n in zip(ORGANISATION_KINDS, kinds, strict=True):
            for i in range(n):
                place, country = PLACES[(len(specs) * 7 + i) % len(PLACES)]
                number = len(specs) + 1
                slug = f"{SCALE_PREFIX}{kind.replace('_', '-')}-{number:03d}"
                name = f"{pattern.format(place=place, country=country)} ({number:03d})"
                specs.append((slug, name, kind, country))
        groups = Group.objects.bulk_create(
            [Group(name=f"org:{slug}") for slug, *_rest in specs], batch_size=self.batch
        )
        start = self.now - timedelta(days=120)
        self.orgs = Organisation.objects.bulk_create(
            [
                Organisation(
                    slug=slug,
                    name=name[:200],
                    kind=kind,
                    country=country,
                    is_demo=True,
                    group=group,
                    created_at=start,
                )
                for (slug, name, kind, country), group in zip(specs, groups, strict=True)
            ],
            batch_size=self.batch,
        )

    def persons(self, count: int, password: str) -> None:
        hashed = make_password(password)  # once: the same hash for every one of them
        users = []
        for i in range(count):
            if i % 3 == 2:
                display = ARABIC_NAMES[i % len(ARABIC_NAMES)]
            else:
                first = FIRST_NAMES[i % len(FIRST_NAMES)]
                display = f"{first} {LAST_NAMES[(i // len(FIRST_NAMES)) % len(LAST_NAMES)]}"
            username = f"{SCALE_PREFIX}{i + 1:04d}"
            users.append(
                User(
                    username=username,
                    display_name=display,
                    email=f"{username}@example.org",
                    password=hashed,
                    language=("", "fr", "ar", "")[i % 4],
                    date_joined=self.now - timedelta(days=100),
                )
            )
        self.people = User.objects.bulk_create(users, batch_size=self.batch)
        # Each person in one organisation (the first one in each its representative), in its
        # permission group, as accounts.services.set_membership leaves them.
        memberships, group_rows = [], []
        Through = User.groups.through
        for i, user in enumerate(self.people):
            org = self.orgs[i % len(self.orgs)]
            first = i < len(self.orgs)
            memberships.append(
                Membership(
                    user=user,
                    organisation=org,
                    role=Membership.Role.REPRESENTATIVE if first else Membership.Role.MEMBER,
                    created_at=user.date_joined,
                )
            )
            group_rows.append(Through(user_id=user.pk, group_id=org.group_id))
            self.members.setdefault(org.pk, []).append(user)
            self.org_of[user.pk] = org
        Membership.objects.bulk_create(memberships, batch_size=self.batch)
        Through.objects.bulk_create(group_rows, batch_size=self.batch)

    # -- recommendations -----------------------------------------------------------------
    def _between(self, start: datetime, end: datetime, low: float, high: float) -> datetime:
        return start + (end - start) * self.rng.uniform(low, high)

    def _plan(
        self,
        number: int,
        status: str,
        lead: Organisation,
        co: list[Organisation],
        bodies: list[str],
        title: str,
        language: str,
        theme: Theme,
        summary: str,
    ) -> _RecPlan:
        """One recommendation with its versions and the times of what happened to it."""
        rng = self.rng
        created = self.now - timedelta(days=rng.uniform(3, 80))
        span = self.now - created
        drafters = [u for org in (lead, *co) for u in self.members[org.pk]]
        lead_people = self.members[lead.pk]
        rec = Recommendation(
            title=title,
            theme=theme,
            summary=summary,
            language=language,
            lead_organisation=lead,
            created_by=lead_people[number % len(lead_people)],
            created_at=created,
        )
        rec.addressed_to = rng.sample(OrganisationKind.values, rng.randint(1, 3))
        # Versions in the first third of its life, then the steps of its status.
        times = sorted(created + span * (0.33 * k / len(bodies)) for k in range(len(bodies)))
        versions: list[_VersionPlan] = []
        previous: Recommendation | None = None
        submitted = status != "draft" and not (status == "withdrawn" and number % 2)
        for k, (body, at) in enumerate(zip(bodies, times, strict=True), start=1):
            state = Recommendation(
                title=title,
                theme=theme,
                summary=summary,
                language=language,
                lead_organisation=lead,
                addressed=rec.addressed,
                version=k,
                status="draft",  # its versions come before it is submitted
                **_render(body, previous),
            )
            author = drafters[(number + k) % len(drafters)] if k > 1 else rec.created_by
            note = "First draft" if k == 1 else VERSION_NOTES[(number + k) % len(VERSION_NOTES)]
            keys = [p["key"] for p in state.paragraphs if not text.is_heading_html(p["html"])]
            versions.append(_VersionPlan(k, at, author, self.org_of[author.pk], note, state, keys))
            previous = state
        last = versions[-1]
        for name in ("body", "body_html", "paragraphs", "footnotes_html"):
            setattr(rec, name, getattr(last.state, name))
        rec.version = last.number
        rec.status = status
        rec.updated_at = last.at
        open_until = self.now
        if submitted:
            rec.submitted_at = max(last.at, created + span * rng.uniform(0.34, 0.4))
            rec.updated_at = rec.submitted_at
        if status in ("approved", "final"):
            rec.approved_version = rec.version
            rec.approved_at = created + span * rng.uniform(0.45, 0.6)
            rec.updated_at = rec.approved_at
        if status == "final":
            rec.final_version = rec.approved_version
            rec.finalised_at = created + span * rng.uniform(0.65, 0.8)
            rec.updated_at = open_until = rec.finalised_at
        if status in ("withdrawn", "rejected"):
            rec.reason = (
                "Merged into another recommendation of the theme."
                if status == "withdrawn"
                else "Outside the mandate of the conference; to be discussed bilaterally."
            )
            rec.updated_at = open_until = created + span * rng.uniform(0.5, 0.7)
        return _RecPlan(
            rec=rec,
            drafting=[lead, *co],
            versions=versions,
            open_from=rec.submitted_at or created,
            open_until=open_until,
        )

    def _write(self, plans: list[_RecPlan]) -> None:
        """The recommendations of ``plans`` and everything that comes with each of them."""
        recs = Recommendation.objects.bulk_create([p.rec for p in plans], batch_size=self.batch)
        CoDrafter = Recommendation.co_drafters.through
        co_rows, perm_rows = [], []
        for plan, rec in zip(plans, recs, strict=True):
            # As recommendations.services._grant_drafting: view and edit for every drafting
            # organisation's group, managing the drafters for the lead's.
            for org in plan.drafting:
                lead = org.pk == rec.lead_organisation_id
                if not lead:
                    co_rows.append(CoDrafter(recommendation_id=rec.pk, organisation_id=org.pk))
                for codename in (PERM_VIEW, PERM_EDIT, *((PERM_MANAGE,) if lead else ())):
                    perm_rows.append(
                        RecommendationGroupObjectPermission(
                            permission=self.perms[codename],
                            group_id=org.group_id,
                            content_object_id=rec.pk,
                        )
                    )
        CoDrafter.objects.bulk_create(co_rows, batch_size=self.batch)
        RecommendationGroupObjectPermission.objects.bulk_create(perm_rows, batch_size=self.batch)
        self._versions(plans)

    def _versions(self, plans: list[_RecPlan]) -> None:
        """A reversion revision per text version, its Version (the registered fields,
        serialized as reversion does) and its VersionMeta (as services._save_version)."""
        flat = [(plan, v) for plan in plans for v in plan.versions]
        for start in range(0, len(flat), self.batch):
            chunk = flat[start : start + self.batch]
            revisions = Revision.objects.bulk_create(
                [
                    Revision(date_created=v.at, user=v.author, comment=(v.note or "Edited")[:300])
                    for _plan, v in chunk
                ]
            )
            versions, metas = [], []
            for (plan, v), revision in zip(chunk, revisions, strict=True):
                state = v.state
                state.pk = plan.rec.pk
                versions.append(
                    Version(
                        revision=revision,
                        object_id=str(plan.rec.pk),
                        content_type=self.rec_type,
                        db="default",
                        format="json",
                        serialized_data=serializers.serialize(
                            "json", (state,), fields=list(VERSIONED_FIELDS)
                        ),
                        object_repr=str(state),
                    )
                )
                metas.append(
                    VersionMeta(
                        revision=revision,
                        recommendation_id=plan.rec.pk,
                        number=v.number,
                        body_html=state.body_html,
                        paragraphs=state.paragraphs,
                        footnotes_html=state.footnotes_html,
                        author=v.author,
                        organisation=v.organisation,
                        note=v.note,
                        created_at=v.at,
                    )
                )
            Version.objects.bulk_create(versions)
            VersionMeta.objects.bulk_create(metas)

    # -- the recommendations, chunk by chunk, with their comments ----------------------------
    def recommendations(self, count: int, comments: int, versions: int) -> dict[str, int]:
        rng = self.rng
        statuses = [
            status
            for (status, _share), n in zip(
                STATUS_SHARES, _spread(count - 1, [s for _st, s in STATUS_SHARES]), strict=True
            )
            for _i in range(n)
        ]
        rng.shuffle(statuses)
        # Comments go where people can comment, a few recommendations drawing many of them;
        # the many-version recommendation is a busy one.
        weights = [40.0] + [
            min(rng.paretovariate(1.3), 60.0)
            * {"draft": 0.3, "withdrawn": 0.5, "rejected": 0.5}.get(status, 1.0)
            for status in statuses
        ]
        per_rec = _spread(comments, weights)
        made = {"recommendations": 0, "drafts": 0, "comments": 0, "versions": 0}
        history = self._history_plan(versions)
        self._write([history])
        made["comments"] += self._comments([history], per_rec[:1])
        made["recommendations"] += 1
        made["versions"] += len(history.versions)
        self.history_pk = history.rec.pk
        self.progress(f"the recommendation with {versions} versions: #{history.rec.pk}")
        step = max(1, self.batch // 2)
        for start in range(0, count - 1, step):
            plans = [
                self._generic_plan(start + i + 1, status)
                for i, status in enumerate(statuses[start : start + step])
            ]
            self._write(plans)
            made["comments"] += self._comments(plans, per_rec[start + 1 : start + 1 + step])
            made["recommendations"] += len(plans)
            made["drafts"] += sum(p.rec.status == Status.DRAFT for p in plans)
            made["versions"] += sum(len(p.versions) for p in plans)
            self.progress(
                f"recommendations: {made['recommendations']}/{count}, "
                f"comments: {made['comments']}/{comments}"
            )
        return made

    def _generic_plan(self, number: int, status: str) -> _RecPlan:
        rng = self.rng
        lead = self.orgs[rng.randrange(len(self.orgs))]
        co: list[Organisation] = []
        if len(self.orgs) > 1 and rng.random() < 0.25:
            others = [o for o in rng.sample(self.orgs, min(3, len(self.orgs))) if o != lead]
            co = others[: rng.randint(1, 2)]
        language = rng.choices(["en", "fr", "ar"], weights=[70, 18, 12])[0]
        theme = self.themes[number % len(self.themes)]
        place = PLACES[rng.randrange(len(PLACES))][0]
        pool = PARAGRAPHS[language]
        chosen = rng.sample(pool, min(len(pool), rng.randint(2, 4)))
        closing = CLOSING[language].format(org=lead.name, theme=theme.name, n=number)
        bodies = ["\n\n".join([*chosen, closing])]
        extra = [p for p in pool if p not in chosen]
        for _k in range(rng.choices([0, 1, 2], weights=[70, 22, 8])[0]):
            blocks = text.split_blocks(bodies[-1])
            if extra:
                blocks.insert(len(blocks) - 1, extra.pop(rng.randrange(len(extra))))
            else:
                blocks[0] = f"{blocks[0]} ({len(bodies) + 1})"
            bodies.append("\n\n".join(blocks))
        summary = rng.choice(SUMMARIES[language]) if rng.random() < 0.3 else ""
        title = rng.choice(TITLES[language]).format(place=place)
        return self._plan(number, status, lead, co, bodies, title, language, theme, summary)

    def _history_plan(self, count: int) -> _RecPlan:
        """The recommendation with ``count`` versions: each one changes the text a little
        (a word, a paragraph added, removed or moved), so that far versions differ a lot."""
        rng = random.Random(self.rng.random())
        bodies, blocks = [], list(HISTORY_PARAGRAPHS)
        for k in range(1, count + 1):
            if k > 1:
                blocks = _edit(blocks, k, rng)
            bodies.append("\n\n".join(blocks))
        lead, co = self.orgs[0], self.orgs[1:3]
        plan = self._plan(
            0,
            "in_review",
            lead,
            list(co),
            bodies,
            HISTORY_TITLE,
            "en",
            self.themes[0],
            "Where the places are, kept by everyone who runs them.",
        )
        # Its versions run over two months, submitted for review after the first fifth; the
        # drafters went on editing while it was in review.
        start, end = self.now - timedelta(days=60), self.now - timedelta(hours=1)
        submitted_after = max(1, count // 5)
        for i, v in enumerate(plan.versions):
            v.at = start + (end - start) * (i / max(1, count))
            v.state.status = "in_review" if v.number > submitted_after else "draft"
        rec = plan.rec
        rec.created_at = start
        rec.submitted_at = start + (end - start) * ((submitted_after - 0.5) / max(1, count))
        rec.submitted_at = max(rec.submitted_at, plan.versions[submitted_after - 1].at)
        rec.updated_at = plan.versions[-1].at
        plan.open_from, plan.open_until = rec.submitted_at, self.now
        return plan

    def _comments(self, plans: list[_RecPlan], counts: list[int]) -> int:
        """``counts[i]`` comments on ``plans[i]``: threads of up to three levels over the
        time the recommendation was open, by people who may comment on it (the drafters
        only, on a text nobody else sees)."""
        rng = self.rng
        levels: list[list[Comment]] = [[], [], []]
        answers: list[tuple[Comment, CommentResponse]] = []
        for plan, n in zip(plans, counts, strict=False):
            if n <= 0:
                continue
            rec = plan.rec
            drafters = [u for org in plan.drafting for u in self.members[org.pk]]
            authors = self.people if rec.submitted_at is not None else drafters
            lead_people = self.members[rec.lead_organisation_id]
            span = plan.open_until - plan.open_from
            times = sorted(plan.open_from + span * rng.random() for _i in range(n))
            made: list[tuple[Comment, int]] = []  # (comment, depth)
            for at in times:
                version = next((v for v in reversed(plan.versions) if v.at <= at), plan.versions[0])
                author = authors[rng.randrange(len(authors))]
                body, html, language = self._comment_text()
                candidates = [c for c in made[-8:] if c[1] < 2]
                if not made or not candidates or rng.random() < 0.35:
                    parent, depth = None, 0
                    keys = version.keys
                    anchor = "" if not keys or rng.random() < 0.25 else rng.choice(keys)
                else:
                    parent, parent_depth = rng.choice(candidates)
                    depth = parent_depth + 1
                    anchor = parent.anchor
                comment = Comment(
                    recommendation_id=rec.pk,
                    parent=parent,
                    author=author,
                    organisation=self.org_of[author.pk],
                    body=body,
                    body_html=html,
                    language=language,
                    anchor=anchor,
                    version=version.number,
                    created_at=at,
                    updated_at=at,
                )
                if depth == 0 and rng.random() < 0.15:
                    comment.status = CommentStatus.RESOLVED
                    comment.resolved_at = min(
                        at + timedelta(hours=rng.uniform(1, 48)), plan.open_until
                    )
                    comment.resolved_by = lead_people[rng.randrange(len(lead_people))]
                    comment.updated_at = comment.resolved_at
                if depth == 0 and rec.submitted_at is not None and rng.random() < 0.08:
                    answered = min(at + timedelta(hours=rng.uniform(2, 72)), plan.open_until)
                    at_version = next(
                        (v for v in reversed(plan.versions) if v.at <= answered), version
                    )
                    responder = lead_people[rng.randrange(len(lead_people))]
                    answers.append(
                        (
                            comment,
                            CommentResponse(
                                status=rng.choice(ResponseStatus.values),
                                reason="Taken into account in the next version of the text.",
                                version=at_version.number,
                                author=responder,
                                organisation=self.org_of[responder.pk],
                                created_at=answered,
                                updated_at=answered,
                            ),
                        )
                    )
                made.append((comment, depth))
                levels[depth].append(comment)
        for level in levels:  # parents first: their ids are set by bulk_create
            Comment.objects.bulk_create(level, batch_size=self.batch)
        for comment, answer in answers:
            answer.comment = comment
        CommentResponse.objects.bulk_create([a for _c, a in answers], batch_size=self.batch)
        return sum(len(level) for level in levels)

    def _comment_text(self) -> tuple[str, str, str]:
        """A comment of SENTENCES (one, or two in the same language), numbered as
        ``build_discussion`` numbers them, rendered as ``comments.services`` renders it."""
        self.comment_number += 1
        if not hasattr(self, "_templates"):
            self._templates = []
            for i, sentence in enumerate(SENTENCES):
                language = SENTENCE_LANGUAGES[i]
                self._templates.append((sentence, language))
                for j, other in enumerate(SENTENCES):
                    if j != i and SENTENCE_LANGUAGES[j] == language:
                        self._templates.append((f"{sentence} {other}", language))
            self._rendered: dict[int, str] = {}
        index = self.rng.randrange(len(self._templates))
        sentence, language = self._templates[index]
        if index not in self._rendered:
            # The number is plain text: rendered once with a stand-in, which is replaced.
            self._rendered[index] = text.render_markdown(f"{sentence} (#{_STAND_IN})")
        number = f"#{self.comment_number}"
        body = f"{sentence} ({number})"
        return body, self._rendered[index].replace(f"#{_STAND_IN}", number), language


_STAND_IN = "9990000999"


def _edit(previous: list[str], k: int, rng: random.Random) -> list[str]:
    """Version ``k`` of the many-version text: a small change to ``previous``, never none."""
    blocks = _change(list(previous), k, rng)
    if blocks == previous:
        i = rng.choice([i for i, b in enumerate(blocks) if not b.startswith("#")])
        blocks[i] = f"{blocks[i]} (Version {k}.)"
    return blocks


def _change(blocks: list[str], k: int, rng: random.Random) -> list[str]:
    editable = [i for i, b in enumerate(blocks) if not b.startswith("#")]
    roll = rng.random()
    if roll < 0.12 and len(blocks) < 28:
        at = rng.choice(editable) + 1
        blocks.insert(at, f"{HISTORY_EXTRA[k % len(HISTORY_EXTRA)]} (Version {k}.)")
    elif roll < 0.22 and len(editable) > 10:
        del blocks[rng.choice(editable)]
    elif roll < 0.30 and len(editable) > 2:
        a, b = rng.sample(editable, 2)
        blocks[a], blocks[b] = blocks[b], blocks[a]
    else:
        i = rng.choice(editable)
        for old, new in rng.sample(SWAPS, len(SWAPS)):
            if old in blocks[i]:
                blocks[i] = blocks[i].replace(old, new, 1)
                break
            if new in blocks[i]:
                blocks[i] = blocks[i].replace(new, old, 1)
                break
        else:
            blocks[i] = f"{blocks[i]} (Version {k}.)"
    return blocks


def build_conference(
    *,
    people: int = 2000,
    organisations: int = 300,
    recommendations: int = 10_000,
    comments: int = 100_000,
    versions: int = 500,
    password: str = "demo",
    seed: int = 15,
    batch_size: int = 1000,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Add the conference-scale data set to a database holding the demo (``seed_demo``).

    ``people`` people (password ``password``), each a member of one of ``organisations`` new
    organisations of the existing kinds; ``recommendations`` recommendations over the demo's
    themes in every state (one of them with ``versions`` versions, the others with one to
    three), led and co-drafted by those organisations with the object permissions
    ``recommendations.services`` grants; ``comments`` comments over them (SENTENCES, three
    languages, in threads). Then the search index is rebuilt.
    Raises ``ConferenceAlreadyBuilt`` if the set is already there. Returns what it made and
    what the benchmark needs (``conference_facts``).
    """
    if conference_exists():
        raise ConferenceAlreadyBuilt(
            "the conference-scale data set is already in this database "
            f"(organisations {SCALE_PREFIX}*); it is built once, in a fresh database"
        )
    if organisations < 3 or people < organisations or recommendations < 1 or versions < 1:
        raise ValueError("need at least 3 organisations, one person each, a recommendation")
    say = progress or (lambda _message: None)
    started = time.monotonic()
    with (
        transaction.atomic(),
        _explicit_timestamps(Organisation, Membership, Recommendation, Comment, CommentResponse),
    ):
        builder = _Builder(seed=seed, batch_size=batch_size, progress=say)
        builder.organisations(organisations)
        say(f"organisations: {organisations}")
        builder.persons(people, password)
        say(f"people: {people}, each a member of one of them")
        made = builder.recommendations(recommendations, comments, versions)
    indexed = _rebuild_search_index()
    if indexed is not None:
        say(f"search index: {indexed} documents")
    facts = conference_facts() or {}
    return {
        **facts,
        "organisations": organisations,
        "people": people,
        **made,
        "search_documents": indexed,
        "seconds": round(time.monotonic() - started, 1),
    }


def _rebuild_search_index() -> int:
    """The search index of everything built (``recommendations.search.rebuild``)."""
    from recommendations.search import rebuild

    return rebuild()
