"""Every write on a recommendation: permission check, atomic change, activity, event, and a
reversion revision (with its VersionMeta) for each new text version.

Views, API views, admin actions, commands and consumers call these functions; none of them
re-implements a rule. Each takes the acting user as the keyword-only ``actor``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

import text
from accounts.models import Organisation, OrganisationKind
from accounts.two_factor import require_recent_second_factor
from core import activity as core_activity
from core import rules
from core.cleaning import clean_text, non_negative_int
from core.errors import Conflict
from core.models import Activity
from live import coedit

from . import permissions as perms
from .events import emit
from .models import (
    EDITABLE_STATES,
    PERM_EDIT,
    PERM_MANAGE,
    PERM_VIEW,
    Recommendation,
    Status,
    Theme,
    VersionMeta,
)

MAX_BODY = 100_000
MAX_NOTE = 300


class EditConflict(Conflict):
    """A stale edit changed the same paragraphs as a newer version; nothing was saved."""


@dataclass
class EditResult:
    recommendation: Recommendation
    saved: bool
    merged_with: int | None = None
    notes: list[str] = field(default_factory=list)


# --- helpers ---------------------------------------------------------------------------------
def locked(rec: Recommendation) -> Recommendation:
    """Re-read the row under a lock: concurrent transitions on one recommendation queue up."""
    return (
        Recommendation.objects.select_for_update()
        .select_related("theme", "lead_organisation")
        .get(pk=rec.pk)
    )


def actor_organisation(actor, rec: Recommendation | None = None) -> Organisation | None:
    """The organisation the actor acts for: the drafting one they belong to, else their first."""
    orgs = list(Organisation.objects.of_user(actor).order_by("name"))
    # One organisation (most people) is the answer whatever the drafters: no query for them.
    if rec is not None and len(orgs) > 1:
        for org in orgs:
            if org.pk == rec.lead_organisation_id:
                return org
        drafting = set(rec.co_drafters.values_list("pk", flat=True))
        for org in orgs:
            if org.pk in drafting:
                return org
    return orgs[0] if orgs else None


def record_on_recommendation(
    rec: Recommendation | None, *, actor, verb: str, version: int | None = None, **data
) -> Activity:
    """Decide in which role the actor acted on ``rec`` (a moderator's approval or rejection
    and the secretariat's finalisation in their role, anything else for the organisation they
    act for on this recommendation), then write the row with ``core.activity``, the one
    writer."""
    org = None
    if actor is not None and actor.is_moderator and verb in {"approved", "rejected"}:
        role = "moderator"
    elif actor is not None and actor.is_secretariat and verb == "finalised":
        role = "secretariat"
    else:
        org = actor_organisation(actor, rec) if actor is not None else None
        role = "drafter" if org is not None else "participant"
    return core_activity.record_activity(
        rec, actor=actor, verb=verb, role=role, organisation=org, version=version, **data
    )


def clean_language_code(language: object, *, interface_default: bool = False) -> str:
    """One of the workspace's languages (a 400 naming the field otherwise). None given: the
    interface's language of the request if ``interface_default``, else the site's default
    language."""
    codes = dict(settings.LANGUAGES)
    if language in (None, ""):
        if not interface_default:
            return settings.LANGUAGE_CODE
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return language if language in codes else settings.LANGUAGE_CODE
    if language not in codes:
        raise ValidationError(
            {"language": [_("Unknown language: %(k)s.") % {"k": str(language)[:20]}]}
        )
    return language


def _clean_kinds(kinds) -> list[str]:
    if isinstance(kinds, str):
        kinds = [kinds]
    if not isinstance(kinds, list | tuple) or not kinds:
        raise ValidationError({"addressed_to": [_("Name at least one kind of organisation.")]})
    unknown = [k for k in kinds if k not in OrganisationKind.values]
    if unknown:
        raise ValidationError(
            {"addressed_to": [_("Unknown kind: %(k)s.") % {"k": ", ".join(map(str, unknown))}]}
        )
    return list(kinds)


def _render_into(target, body: str, previous_blocks: list[str], previous_keys: list[str]) -> None:
    """Render ``body`` once and keep paragraph keys stable against the previous version."""
    blocks = text.split_blocks(body)
    keys = text.assign_keys(previous_blocks, previous_keys, blocks)
    paragraphs, footnotes = text.render_paragraphs(blocks, keys)
    target.body = body
    target.paragraphs = paragraphs
    target.footnotes_html = footnotes
    target.body_html = "".join(p["html"] for p in paragraphs) + footnotes


def _save_version(rec: Recommendation, *, actor, note: str, comment: str, **extra) -> None:
    """Save ``rec`` as a new text version: a reversion revision (the registered fields) with
    its VersionMeta (number, note, author, the HTML rendered once). Saves that do not change
    the text (status, approval, drafters) are plain saves, recorded by Activity rows."""
    with reversion.create_revision(atomic=False):
        rec.save()
        reversion.set_user(actor)
        reversion.set_comment(comment[:MAX_NOTE])
        reversion.add_meta(
            VersionMeta,
            recommendation=rec,
            number=rec.version,
            body_html=rec.body_html,
            paragraphs=rec.paragraphs,
            footnotes_html=rec.footnotes_html,
            author=actor,
            organisation=actor_organisation(actor, rec),
            note=note,
            created_at=reversion.get_date_created(),
            **extra,
        )


def _grant_drafting(rec: Recommendation, org: Organisation, *, lead: bool) -> None:
    for codename in (PERM_VIEW, PERM_EDIT):
        assign_perm(codename, org.group, rec)
    if lead:
        assign_perm(PERM_MANAGE, org.group, rec)


def get_version(rec: Recommendation, number) -> VersionMeta:
    number = non_negative_int(number, "version", message=_("A version number is required."))
    found = VersionMeta.objects.with_text().filter(recommendation=rec, number=number).first()
    if found is None:
        raise ValidationError({"version": [_("There is no version %(n)s.") % {"n": number}]})
    return found


def _status_event(rec: Recommendation, actor) -> None:
    emit(
        rec,
        "recommendation.status",
        {
            "status": rec.status,
            "approved_version": rec.approved_version,
            "final_version": rec.final_version,
            "version": rec.version,
            "reason": rec.reason,
            "actor": str(actor),
        },
    )


def _translations_outdated(rec: Recommendation) -> None:
    """A new text version outdates the translations of the previous one (``translations``
    builds on this module, hence the late import)."""
    from .translations import announce_outdated

    announce_outdated(rec, rec.version - 1)


# --- the live text (co-editing, live.coedit) ----------------------------------------------
def live_key(rec: Recommendation) -> str:
    """The key of the recommendation's live document in ``live``'s log."""
    return coedit.document_key("recommendation", rec.pk)


def _live_cut_meta(rec: Recommendation, seq: int) -> dict:
    """What a version cut from the live text records: its co-authors since the previous cut,
    and the last update of the log it includes."""
    previous = (
        VersionMeta.objects.filter(recommendation=rec, live_seq__isnull=False)
        .order_by("-number")
        .values_list("live_seq", flat=True)
        .first()
    )
    ids = coedit.authors_since(live_key(rec), previous or 0, upto=seq)
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)}
    co_authors = [{"id": i, "name": str(users[i])} for i in ids if i in users]
    return {"co_authors": co_authors, "live_seq": seq}


def carry_into_live_text(key: str, base: str | None, saved: str, author_id: int | None) -> None:
    """Bring a version saved outside the live editor (the plain form, the API's PATCH) into
    the live document: its changes merged with what is being typed there (the saved text
    wins where both changed the same paragraph), applied as a text change. Without ``base``
    (a restore) the live text becomes the saved one, still as a text change."""
    live = coedit.current_text(key)
    if live is None:
        return  # never opened: it will be created from the saved text
    target = saved
    if base is not None:
        merged = text.merge_blocks(base, saved, live)
        target = merged.merged.strip() if merged.ok else saved
    if live.strip() == target:
        return
    coedit.apply_text(key, target, author_id=author_id)


def _carry_on_commit(rec: Recommendation, base: str | None, actor) -> None:
    key, saved, author = live_key(rec), rec.body, actor.pk
    transaction.on_commit(lambda: carry_into_live_text(key, base, saved, author))


# --- creation and editing --------------------------------------------------------------------
@transaction.atomic
def create_recommendation(
    *,
    actor,
    title: str,
    theme: Theme,
    addressed_to: list[str],
    body: str,
    summary: str = "",
    organisation: Organisation | None = None,
    note: str = "",
    language: str | None = None,
) -> Recommendation:
    """A new draft, led by the author's organisation (or the one they chose of theirs), in
    ``language`` (the pages offer the author's interface language; by default the site's)."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Log in to draft a recommendation."))
    mine = Organisation.objects.of_user(actor)
    if organisation is None:
        organisation = mine.order_by("name").first()
        if organisation is None:
            raise PermissionDenied(_("Only members of an organisation can draft."))
    elif not mine.filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You can only draft for your own organisation."))
    rules.check("drafting", recommendation=None, actor=actor)
    rec = Recommendation(
        title=clean_text(title, "title", required=True, limit=200),
        theme=theme,
        summary=clean_text(summary, "summary", required=False, limit=2000),
        lead_organisation=organisation,
        created_by=actor,
        version=1,
        language=clean_language_code(language),
    )
    rec.addressed_to = _clean_kinds(addressed_to)
    _render_into(rec, clean_text(body, "body", required=True, limit=MAX_BODY), [], [])
    note = clean_text(note, "note", required=False, limit=MAX_NOTE) or _("First draft")
    _save_version(rec, actor=actor, note=note, comment=note)
    _grant_drafting(rec, organisation, lead=True)
    record_on_recommendation(rec, actor=actor, verb="created", version=1)
    emit(rec, "recommendation.created", {"version": 1, "title": rec.title})
    return rec


def _merge_field(name: str, base: str, mine: str, theirs: str) -> str:
    if mine == base:
        return theirs
    if theirs in (base, mine):
        return mine
    raise EditConflict(
        _("Someone changed the %(field)s since your version.") % {"field": name},
        conflicts=[{"field": name, "base": base, "mine": mine, "theirs": theirs}],
    )


@transaction.atomic
def edit_recommendation(
    rec: Recommendation,
    *,
    actor,
    base_version,
    title: str | None = None,
    body: str | None = None,
    summary: str | None = None,
    addressed_to: list[str] | None = None,
    theme: Theme | None = None,
    note: str = "",
    live: bool = False,
) -> EditResult:
    """Save an edit made on ``base_version``. Never overwrites a newer version silently:
    a stale edit is merged paragraph by paragraph, or refused with ``EditConflict``.

    ``live``: "Save as version" in the co-editing editor: the text is the live document's as
    stored in its log (not what the browser posted), cut with everyone who typed in it since
    the previous cut. Otherwise (the plain form, the API) the saved text is carried into the
    live document, if one is open, as a text change merged with what is being typed there.
    """
    rec = locked(rec)
    perms.require(perms.is_drafter(actor, rec), _("Only the drafting organisations can edit."))
    if not rec.is_editable:
        raise Conflict(
            _("A %(status)s recommendation cannot be edited.")
            % {"status": rec.get_status_display()},
            status=rec.status,
        )
    rules.check("drafting", recommendation=rec, actor=actor)
    base_version = non_negative_int(
        base_version, "base_version", message=_("The version you edited is required.")
    )
    if base_version < 1 or base_version > rec.version:
        raise ValidationError(
            {"base_version": [_("There is no version %(n)s.") % {"n": base_version}]}
        )
    note = clean_text(note, "note", required=False, limit=MAX_NOTE)
    new_title = rec.title if title is None else clean_text(title, "title", required=True, limit=200)
    new_summary = (
        rec.summary
        if summary is None
        else clean_text(summary, "summary", required=False, limit=2000)
    )
    live_cut = coedit.current(live_key(rec)) if live else None
    if live_cut is not None:
        body = live_cut[0]
    new_body = rec.body if body is None else clean_text(body, "body", required=True, limit=MAX_BODY)
    new_kinds = rec.addressed_to if addressed_to is None else _clean_kinds(addressed_to)
    new_theme = rec.theme if theme is None else theme
    merged_with = None
    if base_version != rec.version:
        base = get_version(rec, base_version)
        # The live text already holds every version saved since (carried into it).
        merged = text.merge_blocks(rec.body if live_cut else base.body, new_body, rec.body)
        if not merged.ok:
            raise EditConflict(
                _("Version %(n)s changed the same paragraphs; nothing was saved.")
                % {"n": rec.version},
                conflicts=[
                    {"field": "body", "base": b, "mine": m, "theirs": t}
                    for _i, b, m, t in merged.conflicts
                ],
            )
        new_body = merged.merged.strip()
        if title is not None:
            new_title = _merge_field("title", base.title, new_title, rec.title)
        if summary is not None:
            new_summary = _merge_field("summary", base.summary, new_summary, rec.summary)
        merged_with = rec.version
    changed = (
        new_title != rec.title
        or new_summary != rec.summary
        or new_body != rec.body
        or new_kinds != rec.addressed_to
        or new_theme.pk != rec.theme_id
    )
    if not changed:
        return EditResult(rec, saved=False, notes=[_("Nothing changed; no new version.")])
    previous_body = rec.body
    previous_blocks = text.split_blocks(rec.body)
    previous_keys = [p["key"] for p in rec.paragraphs]
    rec.title, rec.summary, rec.theme = new_title, new_summary, new_theme
    rec.addressed_to = new_kinds
    _render_into(rec, new_body, previous_blocks, previous_keys)
    rec.version += 1
    note = note or (_("Merged with version %(n)s") % {"n": merged_with} if merged_with else "")
    extra_meta = _live_cut_meta(rec, live_cut[1]) if live_cut else {}
    _save_version(
        rec,
        actor=actor,
        note=note,
        comment=note or _("Edited"),
        merged_with=merged_with,
        **extra_meta,
    )
    if not live_cut and new_body != previous_body:
        _carry_on_commit(rec, previous_body, actor)
    verb = "merged" if merged_with else "edited"
    extra = {"merged_with": merged_with} if merged_with else {}
    record_on_recommendation(rec, actor=actor, verb=verb, version=rec.version, **extra)
    emit(
        rec,
        "recommendation.updated",
        {
            "version": rec.version,
            "title": rec.title,
            "author": str(actor),
            "note": note,
            "merged_with": merged_with,
        },
    )
    _translations_outdated(rec)
    return EditResult(rec, saved=True, merged_with=merged_with)


@transaction.atomic
def restore_version(rec: Recommendation, *, actor, version, note: str = "") -> Recommendation:
    """Make the text of an old version the newest version (history keeps everything)."""
    rec = locked(rec)
    perms.require(perms.is_drafter(actor, rec), _("Only the drafting organisations can restore."))
    if not rec.is_editable:
        raise Conflict(_("This recommendation can no longer be edited."), status=rec.status)
    rules.check("drafting", recommendation=rec, actor=actor)
    old = get_version(rec, version)
    if old.number == rec.version:
        raise ValidationError({"version": [_("That is already the current version.")]})
    previous_blocks = text.split_blocks(rec.body)
    previous_keys = [p["key"] for p in rec.paragraphs]
    rec.title, rec.summary = old.title, old.summary
    _render_into(rec, old.body, previous_blocks, previous_keys)
    rec.version += 1
    note = clean_text(note, "note", required=False, limit=MAX_NOTE) or (
        _("Restored version %(n)s") % {"n": old.number}
    )
    _save_version(rec, actor=actor, note=note, comment=note, restored_from=old.number)
    _carry_on_commit(rec, None, actor)
    record_on_recommendation(
        rec, actor=actor, verb="restored", version=rec.version, restored_from=old.number
    )
    emit(
        rec,
        "recommendation.updated",
        {
            "version": rec.version,
            "title": rec.title,
            "author": str(actor),
            "note": note,
            "restored_from": old.number,
        },
    )
    _translations_outdated(rec)
    return rec


# --- lifecycle -------------------------------------------------------------------------------
@transaction.atomic
def submit_for_review(rec: Recommendation, *, actor) -> Recommendation:
    rec = locked(rec)
    perms.require(perms.is_drafter(actor, rec), _("Only the drafting organisations can submit."))
    if rec.status != Status.DRAFT:
        raise Conflict(_("Only a draft can be submitted for review."), status=rec.status)
    rules.check("drafting", recommendation=rec, actor=actor)
    rec.status = Status.IN_REVIEW
    rec.submitted_at = timezone.now()
    rec.save()
    record_on_recommendation(rec, actor=actor, verb="submitted", version=rec.version)
    _status_event(rec, actor)
    return rec


@transaction.atomic
def approve_version(rec: Recommendation, *, version, actor) -> Recommendation:
    """Approve one exact version; a newer one can be approved later."""
    rec = locked(rec)
    perms.require(perms.can_moderate(actor, rec), _("Only moderators approve versions."))
    require_recent_second_factor(actor)
    if rec.status not in (Status.IN_REVIEW, Status.APPROVED):
        raise Conflict(_("Only a recommendation in review can be approved."), status=rec.status)
    number = get_version(rec, version).number
    if rec.approved_version is not None and number <= rec.approved_version:
        raise Conflict(
            _("Version %(n)s is not newer than the approved version %(a)s.")
            % {"n": number, "a": rec.approved_version},
            approved_version=rec.approved_version,
        )
    rec.status = Status.APPROVED
    rec.approved_version = number
    rec.approved_at = timezone.now()
    rec.save()
    record_on_recommendation(rec, actor=actor, verb="approved", version=number)
    _status_event(rec, actor)
    return rec


def _clean_reason(reason: str) -> str:
    return clean_text(reason, "reason", required=True, limit=2000)


def _close_with_reason(
    rec: Recommendation,
    *,
    actor,
    reason: str,
    status: str,
    verb: str,
    allowed: bool,
    denied: str,
    too_late: str,
) -> Recommendation:
    """End a recommendation before final (rejected or withdrawn), with a required reason."""
    perms.require(allowed, denied)
    reason = _clean_reason(reason)
    if rec.status not in EDITABLE_STATES:
        raise Conflict(too_late, status=rec.status)
    rec.status, rec.reason = status, reason
    rec.save()
    record_on_recommendation(rec, actor=actor, verb=verb, version=rec.version, reason=reason)
    _status_event(rec, actor)
    return rec


@transaction.atomic
def reject_recommendation(rec: Recommendation, *, reason: str, actor) -> Recommendation:
    rec = locked(rec)
    return _close_with_reason(
        rec,
        actor=actor,
        reason=reason,
        status=Status.REJECTED,
        verb="rejected",
        allowed=perms.can_moderate(actor, rec),
        denied=_("Only moderators reject recommendations."),
        too_late=_("This recommendation can no longer be rejected."),
    )


@transaction.atomic
def withdraw_recommendation(rec: Recommendation, *, reason: str, actor) -> Recommendation:
    rec = locked(rec)
    return _close_with_reason(
        rec,
        actor=actor,
        reason=reason,
        status=Status.WITHDRAWN,
        verb="withdrawn",
        allowed=perms.is_drafter(actor, rec),
        denied=_("Only the drafting organisations can withdraw."),
        too_late=_("This recommendation can no longer be withdrawn."),
    )


@transaction.atomic
def finalise_recommendation(rec: Recommendation, *, actor) -> Recommendation:
    """Freeze the approved version as the final text; no edit is possible afterwards."""
    rec = locked(rec)
    perms.require(
        bool(actor.is_authenticated and actor.is_secretariat),
        _("Only the conference secretariat finalises recommendations."),
    )
    if rec.status != Status.APPROVED or rec.approved_version is None:
        raise Conflict(_("Only an approved recommendation can be finalised."), status=rec.status)
    rec.status = Status.FINAL
    rec.final_version = rec.approved_version
    rec.finalised_at = timezone.now()
    rec.save()
    record_on_recommendation(rec, actor=actor, verb="finalised", version=rec.final_version)
    _status_event(rec, actor)
    return rec


# --- drafting organisations ------------------------------------------------------------------
@transaction.atomic
def add_co_drafter(rec: Recommendation, *, organisation: Organisation, actor) -> Recommendation:
    rec = locked(rec)
    perms.require(
        perms.can_manage_drafters(actor, rec),
        _("Only the lead organisation invites co-drafters, while the text is open."),
    )
    if (
        organisation.pk == rec.lead_organisation_id
        or rec.co_drafters.filter(pk=organisation.pk).exists()
    ):
        raise Conflict(_("%(org)s already drafts this.") % {"org": organisation.name})
    rec.co_drafters.add(organisation)
    _grant_drafting(rec, organisation, lead=False)
    rec.save()
    record_on_recommendation(
        rec,
        actor=actor,
        verb="drafter_added",
        organisation_name=organisation.name,
        organisation_slug=organisation.slug,
    )
    emit(rec, "recommendation.drafters", {"added": organisation.slug})
    return rec


@transaction.atomic
def remove_co_drafter(rec: Recommendation, *, organisation: Organisation, actor) -> Recommendation:
    rec = locked(rec)
    perms.require(
        perms.can_manage_drafters(actor, rec),
        _("Only the lead organisation removes co-drafters, while the text is open."),
    )
    if organisation.pk == rec.lead_organisation_id:
        raise ValidationError({"organisation": [_("The lead organisation cannot be removed.")]})
    if not rec.co_drafters.filter(pk=organisation.pk).exists():
        raise ValidationError(
            {"organisation": [_("%(org)s does not draft this.") % {"org": organisation.name}]}
        )
    rec.co_drafters.remove(organisation)
    for codename in (PERM_VIEW, PERM_EDIT, PERM_MANAGE):
        remove_perm(codename, organisation.group, rec)
    rec.save()
    record_on_recommendation(
        rec,
        actor=actor,
        verb="drafter_removed",
        organisation_name=organisation.name,
        organisation_slug=organisation.slug,
    )
    emit(rec, "recommendation.drafters", {"removed": organisation.slug})
    return rec
