"""Editions: the secretariat composes a draft, then publishes it. Publishing copies
everything the edition shows (titles, texts, versions, endorsing organisations) and the
canonical Markdown with its SHA-256 into it; a published edition never changes.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import text
from accounts.models import OrganisationKind
from accounts.two_factor import require_recent_second_factor
from comments.models import Comment, CommentStatus
from core import documents
from core.activity import record_activities, record_activity
from core.cleaning import clean_text, non_negative_int
from core.errors import Conflict
from recommendations.models import Recommendation, Status, Translation, VersionMeta

from ..canonical import canonical_markdown
from ..models import Edition, EditionDocument, EditionEntry, Endorsement
from ..pdf import edition_pdf
from ..permissions import require_secretariat

MAX_PREAMBLE = 20_000
MAX_CORRECTION = 2000
KIND_ORDER = {kind: i for i, kind in enumerate(OrganisationKind.values)}


def _clean_edition(title: str, preamble: str) -> tuple[str, str, str]:
    title = clean_text(title, "title", required=True, limit=200)
    preamble = clean_text(preamble, "preamble", required=False, limit=MAX_PREAMBLE)
    return title, preamble, text.render_markdown(preamble) if preamble else ""


def _clean_correction(corrects: Edition | None, note: str) -> tuple[Edition | None, str]:
    note = clean_text(note, "correction_note", required=False, limit=MAX_CORRECTION)
    if corrects is None:
        if note:
            raise ValidationError(
                {"corrects": [_("Choose the edition that this edition corrects.")]}
            )
        return None, ""
    if not corrects.is_published:
        raise ValidationError({"corrects": [_("Only a published edition can be corrected.")]})
    if not note:
        raise ValidationError(
            {"correction_note": [_("Say what this edition corrects in the earlier one.")]}
        )
    return corrects, note


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
    *,
    title: str,
    preamble: str = "",
    adopted_on: date | None = None,
    corrects: Edition | None = None,
    correction_note: str = "",
    translations: dict | None = None,
    actor,
) -> Edition:
    """Compose a draft edition; it collects the chosen final recommendations (every final
    one, by theme, until the secretariat chooses) when it is published. ``translations``:
    its title and preamble in other languages (see ``_clean_translations``)."""
    require_secretariat(actor, _("Only the conference secretariat composes editions."))
    title, preamble, preamble_html = _clean_edition(title, preamble)
    corrects, correction_note = _clean_correction(corrects, correction_note)
    edition = Edition.objects.create(
        title=title,
        preamble=preamble,
        preamble_html=preamble_html,
        adopted_on=adopted_on,
        corrects=corrects,
        correction_note=correction_note,
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
    adopted_on: date | None = None,
    corrects: Edition | None = None,
    correction_note: str = "",
    translations: dict | None = None,
    actor,
) -> Edition:
    """Change the title, intro, adoption date or what a draft edition corrects (and, when
    given, the title and preamble's translations)."""
    require_secretariat(actor, _("Only the conference secretariat composes editions."))
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_published:
        raise _frozen(edition)
    edition.title, edition.preamble, edition.preamble_html = _clean_edition(title, preamble)
    edition.corrects, edition.correction_note = _clean_correction(corrects, correction_note)
    edition.adopted_on = adopted_on
    fields = ["title", "preamble", "preamble_html", "adopted_on", "corrects", "correction_note"]
    if translations is not None:
        edition.translations = _clean_translations(translations)
        fields.append("translations")
    edition.save(update_fields=fields)
    return edition


def _final_recommendations(ids: list[int] | None) -> list[Recommendation]:
    qs = Recommendation.objects.select_related("theme").order_by("pk")
    if ids is None:
        return list(qs.filter(status=Status.FINAL, final_version__isnull=False))
    return list(qs.filter(pk__in=ids))


def clean_choice(ids: Iterable[Any]) -> list[int]:
    """The chosen recommendations' ids, in order: each a final recommendation, once."""
    chosen = []
    for raw in ids:
        pk = non_negative_int(raw, "recommendations")
        if pk in chosen:
            raise ValidationError(
                {"recommendations": [_("A recommendation can be in an edition only once.")]}
            )
        chosen.append(pk)
    if not chosen:
        raise ValidationError(
            {
                "recommendations": [
                    _("Choose at least one final recommendation: an edition cannot be empty.")
                ]
            }
        )
    found = {r.pk: r for r in _final_recommendations(chosen)}
    for pk in chosen:
        rec = found.get(pk)
        if rec is None or rec.status != Status.FINAL or rec.final_version is None:
            raise ValidationError(
                {
                    "recommendations": [
                        _(
                            "Only final recommendations go into an edition; “%(title)s” is not final."
                        )
                        % {"title": rec.title if rec is not None else pk}
                    ]
                }
            )
    return chosen


@transaction.atomic
def choose_recommendations(edition: Edition, *, recommendations: Iterable[Any], actor) -> Edition:
    """Choose which final recommendations the draft edition publishes, in which order (kept
    within each theme; themes follow their own order)."""
    require_secretariat(actor, _("Only the conference secretariat composes editions."))
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_published:
        raise _frozen(edition)
    edition.chosen = clean_choice(recommendations)
    edition.save(update_fields=["chosen"])
    return edition


def collect_entries(edition: Edition | None = None) -> list[EditionEntry]:
    """The recommendations as ``edition`` would show them now (unsaved copies: their frozen
    title and text, theme, addressees and live endorsements): the ones it chose, in its order
    within each theme, or every final one by theme when it chose none. A chosen one that is
    no longer final is left out (``publish_edition`` refuses then)."""
    chosen = list(edition.chosen) if edition is not None and edition.chosen else None
    recs = [
        r
        for r in _final_recommendations(chosen)
        if r.status == Status.FINAL and r.final_version is not None
    ]
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
    if chosen is None:
        recs.sort(
            key=lambda r: (r.theme.position, r.theme.name, finals[r.pk].title.casefold(), r.pk)
        )
    else:
        order = {pk: i for i, pk in enumerate(chosen)}
        recs.sort(key=lambda r: (r.theme.position, r.theme.name, order[r.pk]))
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


def warnings_for(entries: list[EditionEntry]) -> dict[int, list[str]]:
    """What the secretariat should know before publishing, per recommendation id: no
    endorsement, open comment threads, support from one kind of organisation only (and what
    registered checks add, e.g. an incomplete language)."""
    ids = [e.recommendation_id for e in entries]
    translations = _translations(entries)
    languages = _languages_in_play(entries, translations)
    open_threads = dict(
        Comment.objects.filter(
            recommendation__in=ids, parent__isnull=True, status=CommentStatus.OPEN, hidden=False
        )
        .values_list("recommendation")
        .annotate(n=Count("pk"))
        .values_list("recommendation", "n")
    )
    found: dict[int, list[str]] = {}
    for entry in entries:
        items = []
        kinds = {s["kind"] for s in entry.endorsements}
        if not entry.endorsements:
            items.append(_("No organisation endorsed it."))
        elif len(kinds) == 1:
            items.append(_("Only one kind of organisation supports it."))
        threads = open_threads.get(entry.recommendation_id, 0)
        if threads:
            items.append(
                ngettext(
                    "%(n)s comment thread is still open.",
                    "%(n)s comment threads are still open.",
                    threads,
                )
                % {"n": threads}
            )
        items.extend(_language_warnings(entry, languages, translations))
        if items:
            found[entry.recommendation_id] = items
    return found


def _languages_in_play(
    entries: list[EditionEntry], found: dict[tuple[int, str], Translation]
) -> list[str]:
    """The languages some recommendation of the edition is written or translated in: the
    edition is meant to exist in them. A language none is in is simply not published."""
    return [
        language
        for language, _name in settings.LANGUAGES
        if any(_text_in(entry, language, found) != "missing" for entry in entries)
    ]


def _language_warnings(
    entry: EditionEntry, languages: list[str], found: dict[tuple[int, str], Translation]
) -> list[str]:
    """An incomplete language: the edition is published in a language only if every
    recommendation is written in it or translated from its final version
    (``language_coverage``); this one stands in the way."""
    names = dict(settings.LANGUAGES)
    items = []
    for language in languages:
        state = _text_in(entry, language, found)
        if state == "missing":
            items.append(
                _("Not translated into %(language)s: the edition will not appear in that language.")
                % {"language": names[language]}
            )
        elif state == "outdated":
            items.append(
                _(
                    "Its %(language)s translation is of an older version: the edition will not "
                    "appear in that language."
                )
                % {"language": names[language]}
            )
    return items


def warning_count(warnings: dict[int, list[str]]) -> int:
    return sum(len(items) for items in warnings.values())


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


def _translations(entries: list[EditionEntry]) -> dict[tuple[int, str], Translation]:
    """Every translation of every entry, by (recommendation, language): one query."""
    return {
        (t.recommendation_id, t.language): t
        for t in Translation.objects.filter(
            recommendation__in=[e.recommendation_id for e in entries]
        )
    }


def _text_in(
    entry: EditionEntry, language: str, found: dict[tuple[int, str], Translation]
) -> Translation | str:
    """The entry in ``language``: "original" (written in it), its ``Translation`` of exactly
    the final version, or why there is none: "missing" or "outdated" (of an older version)."""
    if entry.recommendation.language == language:
        return "original"
    t = found.get((entry.recommendation_id, language))
    if t is None:
        return "missing"
    if t.translated_version != entry.version:
        return "outdated"
    return t


def language_coverage(entries: list[EditionEntry]) -> list[LanguageCoverage]:
    """For each language of the workspace, what an edition of ``entries`` would hold in it
    (one query for every translation of every entry)."""
    found = _translations(entries)
    coverage = []
    for language, _name in settings.LANGUAGES:
        state = LanguageCoverage(language)
        with translation.override(language):
            for entry in entries:
                theme_name = translation.gettext(entry.theme_name) if entry.theme_name else ""
                text = _text_in(entry, language, found)
                if text == "original":
                    state.texts[entry.position] = {
                        "title": entry.title,
                        "text": entry.text,
                        "text_html": entry.text_html,
                        "theme_name": theme_name,
                        "translated_version": None,
                    }
                elif text == "missing":
                    state.missing.append(entry.title)
                elif text == "outdated":
                    state.outdated.append(entry.title)
                else:
                    state.texts[entry.position] = {
                        "title": text.title,
                        "text": text.body,
                        "text_html": text.body_html,
                        "theme_name": theme_name,
                        "translated_version": text.translated_version,
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
def publish_edition(
    edition: Edition,
    *,
    actor,
    confirm_count: int | None = None,
    confirm_warnings: int | None = None,
) -> Edition:
    """Copy the chosen final recommendations, as they are now, into the edition; give it the
    next number, its canonical Markdown, its PDF and their SHA-256. Afterwards it never
    changes. ``confirm_count`` / ``confirm_warnings``: what the publisher confirmed on the
    page; if the edition would now hold another count or other warnings, nothing is published
    (409) so nobody publishes what they did not see."""
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
    if not edition.preamble:
        raise ValidationError(
            {"preamble": [_("Write the edition's introduction before publishing it.")]}
        )
    if edition.chosen and len(entries) != len(edition.chosen):
        raise Conflict(
            _("A chosen recommendation is no longer final; choose the recommendations again.")
        )
    warnings = warning_count(warnings_for(entries))
    if (confirm_count is not None and confirm_count != len(entries)) or (
        confirm_warnings is not None and confirm_warnings != warnings
    ):
        raise Conflict(
            _(
                "The edition changed since you confirmed it: it would now publish %(n)s "
                "recommendations with %(w)s warnings. Check it again."
            )
            % {"n": len(entries), "w": warnings},
            count=len(entries),
            warnings=warnings,
        )
    edition.number = (Edition.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    edition.published_at = timezone.now().replace(microsecond=0)
    edition.published_by = actor
    edition.sections = documents.take_snapshots(edition, entries)
    edition.markdown = canonical_markdown(edition, entries)
    edition.sha256 = hashlib.sha256(edition.markdown.encode("utf-8")).hexdigest()
    edition.pdf = edition_pdf(edition, entries)
    edition.pdf_sha256 = hashlib.sha256(edition.pdf).hexdigest()
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
