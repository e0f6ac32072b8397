"""Endorsements and published editions: every write, and the reads their pages need.

Writes follow ``services.py``: keyword-only ``actor``, ``transaction.atomic``, the
recommendation row locked with ``_locked`` (concurrent attempts queue up), a permission check
(``PermissionDenied`` -> 403), ``ValidationError`` -> 400, ``Conflict`` -> 409, an activity row
and a live event sent after commit. Views, API views and the demo seed call these functions.

Rules:
- Only representatives of an organisation endorse for it, withdraw or re-confirm its endorsement.
- An endorsement names the approved version it was made on. Endorsing is possible while the
  recommendation is approved (before it is final); withdrawing is always possible.
- Publishing copies everything an edition shows into it; a published edition never changes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import text
from accounts.models import KIND_PLURALS, Organisation, OrganisationKind

from . import permissions as perms
from .events import emit
from .models import (
    Activity,
    Edition,
    EditionEntry,
    Endorsement,
    Recommendation,
    Status,
    VersionMeta,
)
from .services import Conflict, _locked, clean_text

MAX_STATEMENT = 2000
MAX_PREAMBLE = 20_000
PROMPT_LIMIT = 10
KIND_ORDER = {kind: i for i, kind in enumerate(OrganisationKind.values)}


# --- permissions -----------------------------------------------------------------------------
def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def represents(user, organisation: Organisation) -> bool:
    """Whether ``user`` is a representative of ``organisation`` (may act in its name)."""
    return (
        _active(user)
        and Organisation.objects.represented_by(user).filter(pk=organisation.pk).exists()
    )


def is_secretariat(user) -> bool:
    return _active(user) and user.is_secretariat


def _require_representative(actor, organisation: Organisation, message: str) -> None:
    perms.require(represents(actor, organisation), message % {"org": organisation.name})


def _require_secretariat(actor, message: str) -> None:
    perms.require(is_secretariat(actor), message)


def get_edition_for(user, pk: int | str) -> Edition:
    """A published edition (anyone), or a draft (the secretariat only); else 404 exactly like
    an edition that does not exist."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404("No such edition") from None
    edition = Edition.objects.filter(pk=pk).first()
    if edition is None or not (edition.is_published or is_secretariat(user)):
        raise Http404("No such edition")
    return edition


# --- helpers ---------------------------------------------------------------------------------
def _activity(
    rec: Recommendation | None,
    *,
    actor,
    verb: str,
    role: str,
    organisation: Organisation | None = None,
    version: int | None = None,
    **data: Any,
) -> Activity:
    """An audit row naming exactly the organisation acted for (a representative of several
    organisations endorses for one of them, not for the first of theirs)."""
    return Activity.objects.create(
        recommendation=rec,
        actor=actor,
        organisation=organisation,
        role=role,
        verb=verb,
        version=version,
        data=data,
    )


def event_data(endorsement: Endorsement) -> dict[str, Any]:
    """The data of ``endorsement.created`` / ``endorsement.withdrawn`` live events."""
    org = endorsement.organisation
    return {
        "organisation": org.slug,
        "name": org.name,
        "kind": org.kind,
        "version": endorsement.version,
        "statement": endorsement.statement,
    }


def _live_endorsement(rec: Recommendation, organisation: Organisation) -> Endorsement | None:
    return (
        Endorsement.objects.live()
        .filter(recommendation=rec, organisation=organisation)
        .select_related("organisation")
        .first()
    )


def _create_endorsement(
    rec: Recommendation, organisation: Organisation, actor, statement: str
) -> Endorsement:
    try:
        with transaction.atomic():
            return Endorsement.objects.create(
                recommendation=rec,
                organisation=organisation,
                representative=actor,
                version=rec.approved_version,
                statement=statement,
            )
    except IntegrityError:  # the partial unique index: another request got there first
        raise Conflict(
            _("%(org)s already endorses this recommendation.") % {"org": organisation.name}
        ) from None


def _require_endorsable(rec: Recommendation) -> None:
    if rec.status != Status.APPROVED or rec.approved_version is None:
        raise Conflict(
            _("Only an approved version can be endorsed, and only before the text is final."),
            status=rec.status,
        )


def _withdraw(endorsement: Endorsement, actor) -> None:
    endorsement.withdrawn_at = timezone.now()
    endorsement.withdrawn_by = actor
    endorsement.save(update_fields=["withdrawn_at", "withdrawn_by"])


# --- endorsements ----------------------------------------------------------------------------
@transaction.atomic
def endorse(
    rec: Recommendation, *, organisation: Organisation, statement: str = "", actor
) -> Endorsement:
    """Endorse the currently approved version in the name of ``organisation``."""
    rec = _locked(rec)
    _require_representative(
        actor, organisation, _("Only representatives of %(org)s can endorse in its name.")
    )
    statement = clean_text(statement, "statement", required=False, limit=MAX_STATEMENT)
    _require_endorsable(rec)
    current = _live_endorsement(rec, organisation)
    if current is not None:
        raise Conflict(
            _("%(org)s already endorses version %(n)s.")
            % {"org": organisation.name, "n": current.version},
            version=current.version,
        )
    endorsement = _create_endorsement(rec, organisation, actor, statement)
    _activity(
        rec,
        actor=actor,
        verb="endorsed",
        role="representative",
        organisation=organisation,
        version=endorsement.version,
    )
    emit(rec, "endorsement.created", event_data(endorsement))
    return endorsement


@transaction.atomic
def withdraw_endorsement(rec: Recommendation, *, organisation: Organisation, actor) -> Endorsement:
    """Withdraw the organisation's live endorsement (possible at any time: an organisation can
    always take its name back; published editions keep what they showed)."""
    rec = _locked(rec)
    _require_representative(
        actor, organisation, _("Only representatives of %(org)s can withdraw its endorsement.")
    )
    current = _live_endorsement(rec, organisation)
    if current is None:
        raise Conflict(
            _("%(org)s does not endorse this recommendation.") % {"org": organisation.name}
        )
    _withdraw(current, actor)
    _activity(
        rec,
        actor=actor,
        verb="endorsement_withdrawn",
        role="representative",
        organisation=organisation,
        version=current.version,
    )
    emit(rec, "endorsement.withdrawn", event_data(current))
    return current


@transaction.atomic
def reconfirm_endorsement(
    rec: Recommendation, *, organisation: Organisation, actor, statement: str | None = None
) -> Endorsement:
    """One action: move the organisation's endorsement of an older version to the newly
    approved one (the old one is withdrawn, a new one made, keeping the statement)."""
    rec = _locked(rec)
    _require_representative(
        actor, organisation, _("Only representatives of %(org)s can re-confirm in its name.")
    )
    _require_endorsable(rec)
    current = _live_endorsement(rec, organisation)
    if current is None:
        raise Conflict(
            _("%(org)s has no endorsement to re-confirm; endorse the approved version instead.")
            % {"org": organisation.name}
        )
    if current.version >= rec.approved_version:
        raise Conflict(
            _("%(org)s already endorses the approved version %(n)s.")
            % {"org": organisation.name, "n": current.version},
            version=current.version,
        )
    if statement is None:
        statement = current.statement
    else:
        statement = clean_text(statement, "statement", required=False, limit=MAX_STATEMENT)
    _withdraw(current, actor)
    endorsement = _create_endorsement(rec, organisation, actor, statement)
    _activity(
        rec,
        actor=actor,
        verb="reconfirmed",
        role="representative",
        organisation=organisation,
        version=endorsement.version,
        previous_version=current.version,
    )
    emit(rec, "endorsement.withdrawn", event_data(current))
    emit(rec, "endorsement.created", event_data(endorsement))
    return endorsement


# --- editions --------------------------------------------------------------------------------
def _clean_edition(title: str, preamble: str) -> tuple[str, str, str]:
    title = clean_text(title, "title", required=True, limit=200)
    preamble = clean_text(preamble, "preamble", required=False, limit=MAX_PREAMBLE)
    return title, preamble, text.render_markdown(preamble) if preamble else ""


@transaction.atomic
def create_edition(*, title: str, preamble: str = "", actor) -> Edition:
    """Compose a draft edition; it collects the final recommendations when it is published."""
    _require_secretariat(actor, _("Only the conference secretariat composes editions."))
    title, preamble, preamble_html = _clean_edition(title, preamble)
    edition = Edition.objects.create(
        title=title, preamble=preamble, preamble_html=preamble_html, created_by=actor
    )
    _activity(None, actor=actor, verb="edition_created", role="secretariat", title=title)
    return edition


def _frozen(edition: Edition) -> Conflict:
    return Conflict(
        _("Edition %(n)s is published and never changes; compose a new edition instead.")
        % {"n": edition.number},
        number=edition.number,
    )


@transaction.atomic
def update_edition(edition: Edition, *, title: str, preamble: str = "", actor) -> Edition:
    """Change the title or preamble of a draft edition."""
    _require_secretariat(actor, _("Only the conference secretariat composes editions."))
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_published:
        raise _frozen(edition)
    edition.title, edition.preamble, edition.preamble_html = _clean_edition(title, preamble)
    edition.save(update_fields=["title", "preamble", "preamble_html"])
    return edition


def collect_entries(edition: Edition | None = None) -> list[EditionEntry]:
    """The final recommendations as an edition would show them now, ordered by theme (unsaved
    copies: their frozen title and text, theme, addressees and live endorsements)."""
    recs = list(
        Recommendation.objects.filter(status=Status.FINAL, final_version__isnull=False)
        .select_related("theme")
        .order_by("pk")
    )
    finals = {
        v.recommendation_id: v
        for v in VersionMeta.objects.with_text().filter(
            recommendation__in=recs, number=F("recommendation__final_version")
        )
    }
    supporters: dict[int, list[dict]] = defaultdict(list)
    for endorsement in (
        Endorsement.objects.live().filter(recommendation__in=recs).select_related("organisation")
    ):
        supporters[endorsement.recommendation_id].append(endorsement.snapshot())
    recs.sort(key=lambda r: (r.theme.position, r.theme.name, finals[r.pk].title.casefold(), r.pk))
    entries = []
    for position, rec in enumerate(recs, start=1):
        final = finals[rec.pk]
        entries.append(
            EditionEntry(
                edition=edition,
                recommendation=rec,
                position=position,
                title=final.title,
                theme_name=rec.theme.name,
                theme_slug=rec.theme.slug,
                addressed_to=rec.addressed_to,
                version=final.number,
                text=final.body,
                text_html=final.body_html,
                endorsements=sorted(
                    supporters[rec.pk],
                    key=lambda s: (
                        KIND_ORDER.get(s["kind"], 99),
                        s["name"].casefold(),
                        s["organisation"],
                    ),
                ),
            )
        )
    return entries


def utc_iso(moment: datetime) -> str:
    """``2017-11-08T16:30:00Z``: the publication time as the Markdown and the JSON write it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _one_line(value: str) -> str:
    return " ".join(value.split())


def canonical_markdown(edition: Edition, entries: list[EditionEntry]) -> str:
    """The edition's one canonical document. Deterministic: the same edition and entries give
    the same characters, whatever the language of the request that published it."""
    with translation.override(settings.LANGUAGE_CODE):
        plural = {kind: str(label) for kind, label in KIND_PLURALS.items()}
        singular = {kind: str(label) for kind, label in OrganisationKind.choices}
    lines = [
        f"# {_one_line(edition.title)}",
        "",
        f"Edition {edition.number}, published {utc_iso(edition.published_at)}",
    ]
    if edition.preamble:
        lines += ["", edition.preamble]
    theme = None
    for entry in entries:
        if entry.theme_slug != theme:
            theme = entry.theme_slug
            lines += ["", f"## {_one_line(entry.theme_name)}"]
        addressed = ", ".join(plural.get(k, k) for k in entry.addressed_to)
        lines += [
            "",
            f"### {_one_line(entry.title)}",
            "",
            f"Addressed to: {addressed}",
            "",
            f"Version {entry.version}",
            "",
            entry.text,
            "",
        ]
        if not entry.endorsements:
            lines.append("Endorsed by: no organisation")
            continue
        lines += ["Endorsed by:", ""]
        for s in entry.endorsements:
            line = f"- {_one_line(s['name'])} ({singular.get(s['kind'], s['kind'])})"
            if s["version"] != entry.version:
                line += f", endorsed version {s['version']}"
            if s["statement"]:
                line += f" — {_one_line(s['statement'])}"
            lines.append(line)
    return "\n".join(lines).rstrip() + "\n"


@transaction.atomic
def publish_edition(edition: Edition, *, actor) -> Edition:
    """Copy the final recommendations, as they are now, into the edition; give it the next
    number, its canonical Markdown and that document's SHA-256. Afterwards it never changes."""
    _require_secretariat(actor, _("Only the conference secretariat publishes editions."))
    # Lock every edition row, in key order: publications queue up, so an edition is published
    # once and two editions never take the same number (the unique number is the backstop).
    list(Edition.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    edition = Edition.objects.get(pk=edition.pk)
    if edition.is_published:
        raise _frozen(edition)
    entries = collect_entries(edition)
    if not entries:
        raise Conflict(_("No recommendation is final yet: there is nothing to publish."))
    edition.number = (Edition.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    edition.published_at = timezone.now().replace(microsecond=0)
    edition.published_by = actor
    edition.markdown = canonical_markdown(edition, entries)
    edition.sha256 = hashlib.sha256(edition.markdown.encode("utf-8")).hexdigest()
    try:
        with transaction.atomic():
            EditionEntry.objects.bulk_create(entries)
            edition.save()
    except IntegrityError:
        raise Conflict(_("Another edition was published at the same moment; try again.")) from None
    _activity(
        None,
        actor=actor,
        verb="edition_published",
        role="secretariat",
        number=edition.number,
        title=edition.title,
    )
    Activity.objects.bulk_create(
        Activity(
            recommendation=entry.recommendation,
            actor=actor,
            role="secretariat",
            verb="published",
            version=entry.version,
            data={"number": edition.number},
        )
        for entry in entries
    )
    return edition


# --- reads -----------------------------------------------------------------------------------
def with_support(qs: QuerySet) -> QuerySet:
    """Recommendations with their live endorsements and organisations in ``live_endorsements``
    (one more query for the whole page, however many rows and endorsements)."""
    return qs.prefetch_related(
        Prefetch(
            "endorsements",
            queryset=Endorsement.objects.live()
            .select_related("organisation")
            .order_by("organisation__name", "pk"),
            to_attr="live_endorsements",
        )
    )


def detail_context(user, rec: Recommendation) -> dict[str, Any]:
    """What the endorsements panel of a recommendation page needs (two queries at most)."""
    endorsements = list(Endorsement.objects.live().filter(recommendation=rec).for_display())
    endorse_as = []
    if _active(user):
        by_org = {e.organisation_id: e for e in endorsements}
        for org in Organisation.objects.represented_by(user).order_by("name"):
            endorse_as.append({"organisation": org, "endorsement": by_org.get(org.pk)})
    return {
        "endorsements": endorsements,
        "endorse_as": endorse_as,
        "endorsing_open": rec.status == Status.APPROVED and rec.approved_version is not None,
    }


def reconfirm_prompts(user) -> list[Endorsement]:
    """Endorsements by the user's organisations of a version older than the one approved now,
    on recommendations still open for endorsement: each asks to be re-confirmed."""
    if not _active(user):
        return []
    return list(
        Endorsement.objects.live()
        .filter(
            organisation__in=Organisation.objects.represented_by(user),
            recommendation__status=Status.APPROVED,
            version__lt=F("recommendation__approved_version"),
        )
        .select_related("recommendation", "recommendation__theme", "organisation")
        .order_by("-recommendation__approved_at", "organisation__name")[:PROMPT_LIMIT]
    )


def latest_edition() -> Edition | None:
    return Edition.objects.published().first()


def published_edition(number: int) -> Edition:
    edition = Edition.objects.published().filter(number=number).first()
    if edition is None:
        raise Http404("No such edition")
    return edition
