"""Translations of recommendations: who may translate, saving a translation of one exact version
of the original (stale edits merge or answer 409, by the same rules as the original's edits),
inviting organisations as translators, and what changed in the original since a translation.

Writes take the acting user as the keyword-only ``actor``, like every service of the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import get_language_info, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

import text
from accounts.models import Organisation
from core.cleaning import clean_text, non_negative_int
from core.errors import Conflict

from . import permissions as perms
from .events import emit
from .models import PERM_TRANSLATE, Recommendation, Translation, TranslationVersion
from .services import (
    MAX_BODY,
    MAX_NOTE,
    EditConflict,
    _merge_field,
    _render_into,
    actor_organisation,
    get_version,
    locked,
    record_on_recommendation,
)

# The activity verb of a saved translation, one per language so that its sentence names the
# language in the reader's words ("a enregistré la traduction arabe").
TRANSLATED_VERB = "translated_%s"
ACTIVITY_SENTENCES = {
    TRANSLATED_VERB % "en": gettext_lazy(
        "%(who)s saved the English translation of version %(version)s"
    ),
    TRANSLATED_VERB % "fr": gettext_lazy(
        "%(who)s saved the French translation of version %(version)s"
    ),
    TRANSLATED_VERB % "ar": gettext_lazy(
        "%(who)s saved the Arabic translation of version %(version)s"
    ),
    "translator_added": gettext_lazy("%(who)s invited %(organisation_name)s to translate"),
    "translator_removed": gettext_lazy(
        "%(who)s removed %(organisation_name)s from the translators"
    ),
}


class TranslationConflict(EditConflict):
    """A stale translation edit changed the same paragraphs as a newer version of the
    translation; nothing was saved."""


@dataclass
class TranslationResult:
    translation: Translation
    saved: bool
    merged_with: int | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OriginalChanges:
    """What changed in the original between the version a translation translates and now."""

    since: int
    to: int
    changed: list[int]
    removed: int
    inline: str

    @property
    def any(self) -> bool:
        return self.since != self.to


# --- languages -------------------------------------------------------------------------------
def language_name(code: str) -> str:
    """The language's name in the reader's language ("French", « français »...)."""
    return str(dict(settings.LANGUAGES).get(code, code))


def text_direction(code: str) -> str:
    """``rtl`` or ``ltr`` for a text in this language (``auto`` for one Django does not know)."""
    try:
        return "rtl" if get_language_info(code)["bidi"] else "ltr"
    except KeyError:
        return "auto"


def translation_languages(rec: Recommendation) -> list[str]:
    """The languages a recommendation can be translated into: every other one."""
    return [code for code, _name in settings.LANGUAGES if code != rec.language]


def clean_language(rec: Recommendation, language: object) -> str:
    """A language the recommendation can be translated into, or a 400 saying why not."""
    codes = dict(settings.LANGUAGES)
    if not isinstance(language, str) or language not in codes:
        raise ValidationError(
            {
                "language": [
                    _("Unknown language %(code)s: use one of %(codes)s.")
                    % {"code": str(language)[:20], "codes": ", ".join(codes)}
                ]
            }
        )
    if language == rec.language:
        raise ValidationError(
            {
                "language": [
                    _("This recommendation is written in that language: it is the original.")
                ]
            }
        )
    return language


def get_translation(rec: Recommendation, language: str) -> Translation:
    """The translation into ``language`` (validated), or a 404 naming what is missing."""
    language = clean_language(rec, language)
    found = Translation.objects.filter(recommendation=rec, language=language).first()
    if found is None:
        raise Http404(
            _("There is no %(language)s translation yet.") % {"language": language_name(language)}
        )
    return found


# --- what changed in the original ------------------------------------------------------------
def original_changes(rec: Recommendation, translation: Translation) -> OriginalChanges:
    """The word diff of the original from the translated version to the one readers see, and
    which of its paragraphs changed (numbers of the current text)."""
    now = rec.text_version
    if translation.translated_version == now:
        return OriginalChanges(now, now, [], 0, "")
    old = get_version(rec, translation.translated_version)
    new = get_version(rec, now)
    changed, removed = text.changed_paragraphs(old.body, new.body)
    if old.title != new.title:
        changed = [0, *changed]  # 0: the title
    return OriginalChanges(
        since=old.number,
        to=new.number,
        changed=changed,
        removed=removed,
        inline=text.diff_inline(f"# {old.title}\n\n{old.body}", f"# {new.title}\n\n{new.body}"),
    )


def describe_changes(changes: OriginalChanges, translated: int) -> str:
    """ "Translated from version 4; version 6 changed paragraphs 2 and 5.", in the reader's
    language."""
    parts = []
    paragraphs = [n for n in changes.changed if n]
    if 0 in changes.changed:
        parts.append(_("the title"))
    if paragraphs:
        numbers = ", ".join(str(n) for n in paragraphs)
        parts.append(
            ngettext("paragraph %(numbers)s", "paragraphs %(numbers)s", len(paragraphs))
            % {"numbers": numbers}
        )
    if changes.removed:
        parts.append(
            ngettext("removed %(count)s paragraph", "removed %(count)s paragraphs", changes.removed)
            % {"count": changes.removed}
        )
    if not parts:
        return _(
            "Translated from version %(n)s; outdated: the original is now at version %(o)s."
        ) % {"n": translated, "o": changes.to}
    return _("Translated from version %(n)s; outdated: version %(o)s changed %(what)s.") % {
        "n": translated,
        "o": changes.to,
        "what": "; ".join(parts),
    }


def translation_event(rec: Recommendation, translation: Translation) -> None:
    emit(
        rec,
        "translation.updated",
        {
            "language": translation.language,
            "original_version": rec.text_version,
            "translated_version": translation.translated_version,
            "outdated": translation.is_outdated(rec),
        },
    )


def announce_outdated(rec: Recommendation, previous_version: int) -> None:
    """After the original got a new text version: the translations that were up to date are
    now outdated; tell whoever is looking (inside the transaction that saved the version)."""
    for translation in Translation.objects.filter(
        recommendation=rec, translated_version=previous_version
    ):
        if translation.is_outdated(rec):
            translation_event(rec, translation)


# --- saving a translation --------------------------------------------------------------------
def _version_of(translation: Translation, number: int) -> TranslationVersion:
    found = translation.versions.filter(number=number).first()
    if found is None:
        raise Http404(
            _("There is no version %(n)s of the %(language)s translation.")
            % {"n": number, "language": language_name(translation.language)}
        )
    return found


@transaction.atomic
def save_translation(
    rec: Recommendation,
    *,
    actor,
    language: str,
    base_version,
    translation_version=None,
    title: str | None,
    body: str | None,
    summary: str | None = "",
    note: str = "",
) -> TranslationResult:
    """Save the translation into ``language`` of version ``base_version`` of the original,
    edited from version ``translation_version`` of the translation (none for the first one).

    A stale edit (an older ``translation_version``) is merged paragraph by paragraph with the
    versions saved since, or refused with ``TranslationConflict`` (409): nothing is lost."""
    rec = locked(rec)
    language = clean_language(rec, language)
    perms.require(
        perms.is_translator(actor, rec),
        _("Only the drafting organisations and the translators they invite can translate."),
    )
    if rec.status not in perms.TRANSLATABLE_STATES:
        raise Conflict(
            _("A %(status)s recommendation is not translated.")
            % {"status": rec.get_status_display()},
            status=rec.status,
        )
    base_version = non_negative_int(
        base_version,
        "base_version",
        message=_("The version of the original you translated is required."),
    )
    if not 1 <= base_version <= rec.version:
        raise Http404(_("There is no version %(n)s of the original.") % {"n": base_version})
    new_title = clean_text(title, "title", required=True, limit=200)
    new_summary = clean_text(summary, "summary", required=False, limit=2000)
    new_body = clean_text(body, "body", required=True, limit=MAX_BODY)
    note = clean_text(note, "note", required=False, limit=MAX_NOTE)
    current = (
        Translation.objects.select_for_update()
        .filter(recommendation=rec, language=language)
        .first()
    )
    merged_with = None
    translated = base_version
    if current is None:
        if translation_version not in (None, "", 0, "0"):
            raise Http404(
                _("There is no %(language)s translation yet.")
                % {"language": language_name(language)}
            )
        current = Translation(
            recommendation=rec, language=language, version=0, translated_version=base_version
        )
        previous_blocks, previous_keys = [], []
    else:
        number = non_negative_int(
            translation_version,
            "translation_version",
            message=_("The version of the translation you edited is required."),
        )
        if number != current.version:
            base = _version_of(current, number)
            merged = text.merge_blocks(base.body, new_body, current.body)
            if not merged.ok:
                raise TranslationConflict(
                    _(
                        "Version %(n)s of the translation changed the same paragraphs; nothing was saved."
                    )
                    % {"n": current.version},
                    conflicts=[
                        {"field": "body", "base": b, "mine": m, "theirs": t}
                        for _i, b, m, t in merged.conflicts
                    ],
                    translation_version=current.version,
                )
            new_body = merged.merged.strip()
            new_title = _merge_field("title", base.title, new_title, current.title)
            new_summary = _merge_field("summary", base.summary, new_summary, current.summary)
            merged_with = current.version
            # Both edits are in: the text translates the newer of the two originals.
            translated = max(base_version, current.translated_version)
        unchanged = (
            new_title == current.title
            and new_summary == current.summary
            and new_body == current.body
            and translated == current.translated_version
        )
        if unchanged:
            return TranslationResult(
                current, saved=False, notes=[_("Nothing changed; no new version.")]
            )
        previous_blocks = text.split_blocks(current.body)
        previous_keys = [p["key"] for p in current.paragraphs]
    organisation = actor_organisation(actor, rec)
    current.title, current.summary = new_title, new_summary
    current.translated_version = translated
    _render_into(current, new_body, previous_blocks, previous_keys)
    current.version += 1
    current.updated_by = actor
    current.organisation = organisation
    current.save()
    note = note or (_("Merged with version %(n)s") % {"n": merged_with} if merged_with else "")
    TranslationVersion.objects.create(
        translation=current,
        number=current.version,
        translated_version=translated,
        title=new_title,
        summary=new_summary,
        body=new_body,
        author=actor,
        organisation=organisation,
        note=note,
        merged_with=merged_with,
    )
    record_on_recommendation(
        rec,
        actor=actor,
        verb=TRANSLATED_VERB % language,
        version=translated,
        language=language,
        translation_version=current.version,
    )
    translation_event(rec, current)
    return TranslationResult(current, saved=True, merged_with=merged_with)


# --- translators -----------------------------------------------------------------------------
@transaction.atomic
def add_translator(rec: Recommendation, *, organisation: Organisation, actor) -> Recommendation:
    """Invite an organisation to translate: its members may then see the recommendation (in
    every state) and save its translations."""
    rec = locked(rec)
    perms.require(
        perms.can_manage_translators(actor, rec),
        _("Only the drafting organisations invite translators."),
    )
    if translator_organisations(rec).filter(pk=organisation.pk).exists():
        raise Conflict(_("%(org)s already translates this.") % {"org": organisation.name})
    assign_perm(PERM_TRANSLATE, organisation.group, rec)
    rec.save(update_fields=["updated_at"])
    record_on_recommendation(
        rec,
        actor=actor,
        verb="translator_added",
        organisation_name=organisation.name,
        organisation_slug=organisation.slug,
    )
    emit(rec, "recommendation.drafters", {"translator_added": organisation.slug})
    return rec


@transaction.atomic
def remove_translator(rec: Recommendation, *, organisation: Organisation, actor) -> Recommendation:
    rec = locked(rec)
    perms.require(
        perms.can_manage_translators(actor, rec),
        _("Only the drafting organisations remove translators."),
    )
    if not translator_organisations(rec).filter(pk=organisation.pk).exists():
        raise ValidationError(
            {"organisation": [_("%(org)s does not translate this.") % {"org": organisation.name}]}
        )
    remove_perm(PERM_TRANSLATE, organisation.group, rec)
    rec.save(update_fields=["updated_at"])
    record_on_recommendation(
        rec,
        actor=actor,
        verb="translator_removed",
        organisation_name=organisation.name,
        organisation_slug=organisation.slug,
    )
    # "recommendation.drafters" makes every open socket check its rights again.
    emit(rec, "recommendation.drafters", {"translator_removed": organisation.slug})
    return rec


def translator_organisations(rec: Recommendation):
    """The organisations invited to translate ``rec``."""
    return Organisation.objects.filter(
        group__recommendationgroupobjectpermission__content_object=rec,
        group__recommendationgroupobjectpermission__permission__codename=PERM_TRANSLATE,
    ).order_by("name")
