"""Editions: the secretariat composes a draft, then publishes it. Publishing copies
everything the edition shows (titles, texts, versions, endorsing organisations) and the
canonical Markdown with its SHA-256 into it; a published edition never changes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from copy import copy
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import text
from accounts.models import OrganisationKind
from accounts.two_factor import require_recent_second_factor
from core import documents
from core.activity import record_activities, record_activity
from core.cleaning import clean_text
from core.errors import Conflict
from recommendations.models import Recommendation, Status, Translation, VersionMeta

from ..canonical import canonical_markdown
from ..models import Edition, EditionDocument, EditionEntry, Endorsement
from ..permissions import require_secretariat

MAX_PREAMBLE = 20_000
KIND_ORDER = {kind: i for i, kind in enumerate(OrganisationKind.values)}


def _clean_edition(title: str, preamble: str) -> tuple[str, str, str]:
    title = clean_text(title, "title", required=True, limit=200)
    preamble = clean_text(preamble, "preamble", required=False, limit=MAX_PREAMBLE)
    return title, preamble, text.render_markdown(preamble) if preamble else ""


def _clean_translations(translations: dict | None) -> dict:
    """The title and preamble in other languages: ``{language: {"title", "preamble"}}``, each
    optional; what is left blank is left out (the documents then use the text as written)."""
    cleaned = {}
    codes = dict(settings.LANGUAGES)
    for language, given in (translations or {}).items():
        if language not in codes or not isinstance(given, dict):
            raise ValidationError(
                {"translations": [_("Unknown language: %(k)s.") % {"k": str(language)[:20]}]}
            )
        title = clean_text(given.get("title"), f"title_{language}", required=False, limit=200)
        preamble = clean_text(
            given.get("preamble"), f"preamble_{language}", required=False, limit=MAX_PREAMBLE
        )
        if title or preamble:
            cleaned[language] = {
                "title": title,
                "preamble": preamble,
                "preamble_html": text.render_markdown(preamble) if preamble else "",
            }
    return cleaned


@transaction.atomic
def create_edition(
    *, title: str, preamble: str = "", translations: dict | None = None, actor
) -> Edition:
    """Compose a draft edition; it collects the final recommendations when it is published.
    ``translations``: its title and preamble in other languages (see ``_clean_translations``)."""
    require_secretariat(actor, _("Only the conference secretariat composes editions."))
    title, preamble, preamble_html = _clean_edition(title, preamble)
    edition = Edition.objects.create(
        title=title,
        preamble=preamble,
        preamble_html=preamble_html,
        translations=_clean_translations(translations),
        created_by=actor,
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
def update_edition(
    edition: Edition,
    *,
    title: str,
    preamble: str = "",
    translations: dict | None = None,
    actor,
) -> Edition:
    """Change the title or preamble of a draft edition (and, when given, their translations)."""
    require_secretariat(actor, _("Only the conference secretariat composes editions."))
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_published:
        raise _frozen(edition)
    edition.title, edition.preamble, edition.preamble_html = _clean_edition(title, preamble)
    fields = ["title", "preamble", "preamble_html"]
    if translations is not None:
        edition.translations = _clean_translations(translations)
        fields.append("translations")
    edition.save(update_fields=fields)
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


@dataclass
class LanguageCoverage:
    """Whether an edition can be published in ``language``: every recommendation is written
    in it or has a translation into it of exactly its final version. ``missing`` and
    ``outdated`` name the recommendations (their titles) that stand in the way."""

    language: str
    texts: dict[int, dict] = field(default_factory=dict)  # position -> the text in language
    missing: list[str] = field(default_factory=list)
    outdated: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.texts) and not self.missing and not self.outdated

    @property
    def name(self) -> str:
        return str(dict(settings.LANGUAGES).get(self.language, self.language))


def language_coverage(entries: list[EditionEntry]) -> list[LanguageCoverage]:
    """For each language of the workspace, what an edition of ``entries`` would hold in it
    (one query for every translation of every entry)."""
    found = {
        (t.recommendation_id, t.language): t
        for t in Translation.objects.filter(
            recommendation__in=[e.recommendation_id for e in entries]
        )
    }
    coverage = []
    for language, _name in settings.LANGUAGES:
        state = LanguageCoverage(language)
        with translation.override(language):
            for entry in entries:
                rec = entry.recommendation
                theme_name = translation.gettext(entry.theme_name) if entry.theme_name else ""
                if rec.language == language:
                    state.texts[entry.position] = {
                        "title": entry.title,
                        "text": entry.text,
                        "text_html": entry.text_html,
                        "theme_name": theme_name,
                        "translated_version": None,
                    }
                    continue
                t = found.get((rec.pk, language))
                if t is None:
                    state.missing.append(entry.title)
                elif t.translated_version != entry.version:
                    state.outdated.append(entry.title)
                else:
                    state.texts[entry.position] = {
                        "title": t.title,
                        "text": t.body,
                        "text_html": t.body_html,
                        "theme_name": theme_name,
                        "translated_version": t.translated_version,
                    }
        coverage.append(state)
    return coverage


def _language_document(
    edition: Edition, entries: list[EditionEntry], state: LanguageCoverage
) -> EditionDocument:
    localised = []
    for entry in entries:
        texts = state.texts[entry.position]
        copied = copy(entry)
        copied.title, copied.text, copied.theme_name = (
            texts["title"],
            texts["text"],
            texts["theme_name"],
        )
        localised.append(copied)
    markdown = canonical_markdown(edition, localised, state.language)
    return EditionDocument(
        edition=edition,
        language=state.language,
        markdown=markdown,
        sha256=hashlib.sha256(markdown.encode("utf-8")).hexdigest(),
        entries=[{"position": p, **texts} for p, texts in sorted(state.texts.items())],
    )


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
    language_documents = [
        _language_document(edition, entries, state)
        for state in language_coverage(entries)
        if state.complete
    ]
    try:
        with transaction.atomic():
            EditionEntry.objects.bulk_create(entries)
            EditionDocument.objects.bulk_create(language_documents)
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
