"""Editions: the secretariat composes a draft, then publishes it. Publishing copies
everything the edition shows (titles, texts, versions, endorsing organisations) and the
canonical Markdown with its SHA-256 into it; a published edition never changes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

import text
from accounts.models import OrganisationKind
from accounts.two_factor import require_recent_second_factor
from core import documents
from core.activity import record_activities, record_activity
from core.cleaning import clean_text
from core.errors import Conflict
from recommendations.models import Recommendation, Status, VersionMeta

from ..canonical import canonical_markdown
from ..models import Edition, EditionEntry, Endorsement
from ..permissions import require_secretariat

MAX_PREAMBLE = 20_000
KIND_ORDER = {kind: i for i, kind in enumerate(OrganisationKind.values)}


def _clean_edition(title: str, preamble: str) -> tuple[str, str, str]:
    title = clean_text(title, "title", required=True, limit=200)
    preamble = clean_text(preamble, "preamble", required=False, limit=MAX_PREAMBLE)
    return title, preamble, text.render_markdown(preamble) if preamble else ""


@transaction.atomic
def create_edition(*, title: str, preamble: str = "", actor) -> Edition:
    """Compose a draft edition; it collects the final recommendations when it is published."""
    require_secretariat(actor, _("Only the conference secretariat composes editions."))
    title, preamble, preamble_html = _clean_edition(title, preamble)
    edition = Edition.objects.create(
        title=title, preamble=preamble, preamble_html=preamble_html, created_by=actor
    )
    record_activity(None, actor=actor, verb="edition_created", role="secretariat", title=title)
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
    require_secretariat(actor, _("Only the conference secretariat composes editions."))
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


@transaction.atomic
def publish_edition(edition: Edition, *, actor) -> Edition:
    """Copy the final recommendations, as they are now, into the edition; give it the next
    number, its canonical Markdown and that document's SHA-256. Afterwards it never changes."""
    require_secretariat(actor, _("Only the conference secretariat publishes editions."))
    require_recent_second_factor(actor)
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
    edition.sections = documents.take_snapshots(edition, entries)
    edition.markdown = canonical_markdown(edition, entries)
    edition.sha256 = hashlib.sha256(edition.markdown.encode("utf-8")).hexdigest()
    try:
        with transaction.atomic():
            EditionEntry.objects.bulk_create(entries)
            edition.save()
    except IntegrityError:
        raise Conflict(_("Another edition was published at the same moment; try again.")) from None
    record_activity(
        None,
        actor=actor,
        verb="edition_published",
        role="secretariat",
        number=edition.number,
        title=edition.title,
    )
    record_activities(
        {
            "recommendation": entry.recommendation,
            "actor": actor,
            "role": "secretariat",
            "verb": "published",
            "version": entry.version,
            "number": edition.number,
        }
        for entry in entries
    )
    return edition
