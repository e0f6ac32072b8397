"""Commitments, progress and organisation pages: every write, with its checks.

Each function takes the acting user as ``actor``; locks the row concurrent writers meet;
checks the permission (403); validates (400); refuses what clashes with the current state
(409); records the activity (``core.activity``); and sends the live events after commit
(``events.py``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, OrganisationKind
from core.activity import record_activity
from core.cleaning import clean_text
from core.errors import Conflict
from core.ratelimit import hit_by_person
from publication import services as publication
from publication.models import Endorsement
from publication.permissions import require_representative, require_secretariat
from publication.selectors import is_older_than_approved
from recommendations.models import Recommendation, Status, Theme
from recommendations.services import locked

from . import events, images
from .models import (
    OPEN_STATUSES,
    Commitment,
    OrganisationPage,
    PilotProject,
    ProfileRevision,
    ProfileSection,
    ProgressStatus,
    ProgressUpdate,
)

MAX_ACTION = 2000
MAX_NOTE = 4000
MAX_INDICATOR = 200
MAX_UNIT = 50
MAX_DESCRIPTION = 1500
MAX_PROFILE = 8000
MAX_VALUE = Decimal("999999999999.99")
# Fields of a commitment its organisation may change later (each change is recorded).
EDITABLE = ("action", "target_date", "indicator", "indicator_unit", "target_value", "is_public")
# The ones the commitment page's form sends (visibility has its own switch).
EDITABLE_TEXT = ("action", "target_date", "indicator", "indicator_unit", "target_value")


# --- reading input ------------------------------------------------------------------------------
def followup_opens() -> dt.date:
    """The day progress can first be reported: the day after the conference by default."""
    return settings.WORKSPACE_FOLLOWUP_FROM


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationError({field: [_("Enter a date as YYYY-MM-DD.")]}) from None


def _number(value: Any, field: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValidationError({field: [_("Enter a number.")]})
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationError({field: [_("Enter a number.")]}) from None
    if not number.is_finite() or not Decimal(0) <= number <= MAX_VALUE:
        raise ValidationError({field: [_("Enter a number from 0 to 999,999,999,999.")]})
    return number.quantize(Decimal("0.01"))


def _choice(value: Any, field: str, choices) -> str:
    if value not in choices.values:
        raise ValidationError({field: [_("Choose one of the options.")]})
    return value


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "on", "yes"}
    return bool(value)


def _indicator(indicator: str, unit: str, target_value: Decimal | None) -> None:
    if indicator and not unit:
        raise ValidationError({"indicator_unit": [_("An indicator needs its unit.")]})
    if unit and not indicator:
        raise ValidationError({"indicator": [_("Name the indicator this unit measures.")]})
    if target_value is not None and not indicator:
        raise ValidationError({"target_value": [_("A target value needs an indicator.")]})


def _future(target: dt.date) -> dt.date:
    if target < timezone.localdate():
        raise ValidationError({"target_date": [_("The target date cannot be in the past.")]})
    return target


def _commitable_version(rec: Recommendation) -> int:
    if rec.status == Status.APPROVED and rec.approved_version is not None:
        return rec.approved_version
    if rec.status == Status.FINAL and rec.final_version is not None:
        return rec.final_version
    raise Conflict(_("Commitments are made on an approved or final version."), status=rec.status)


def _locked_commitment(commitment: Commitment) -> Commitment:
    return (
        Commitment.objects.select_for_update()
        .select_related("organisation", "recommendation", "recommendation__theme")
        .get(pk=commitment.pk)
    )


def _require_rep(actor, commitment: Commitment) -> None:
    require_representative(
        actor,
        commitment.organisation,
        _("Only representatives of %(org)s can act on its commitments."),
    )


# --- commitments --------------------------------------------------------------------------------
@transaction.atomic
def make_commitment(
    rec: Recommendation,
    *,
    organisation: Organisation,
    actor,
    action: str,
    target_date: Any,
    actor_kind: str | None = None,
    indicator: str = "",
    indicator_unit: str = "",
    target_value: Any = None,
    is_public: bool = True,
    endorse: bool = False,
    statement: str = "",
) -> Commitment:
    """Pledge, in the name of ``organisation``, what it will do about ``rec`` (on the
    version approved or final now); with ``endorse``, endorse that version as well."""
    rec = locked(rec)
    require_representative(
        actor, organisation, _("Only representatives of %(org)s can commit in its name.")
    )
    action = clean_text(action, "action", required=True, limit=MAX_ACTION)
    actor_kind = _choice(actor_kind or organisation.kind, "actor_kind", OrganisationKind)
    target = _future(_date(target_date, "target_date"))
    indicator = clean_text(indicator, "indicator", required=False, limit=MAX_INDICATOR)
    indicator_unit = clean_text(indicator_unit, "indicator_unit", required=False, limit=MAX_UNIT)
    value = _number(target_value, "target_value")
    _indicator(indicator, indicator_unit, value)
    version = _commitable_version(rec)
    hit_by_person("endorse", actor)
    if endorse and not (
        Endorsement.objects.live().filter(recommendation=rec, organisation=organisation).exists()
    ):
        publication.endorse(rec, organisation=organisation, statement=statement, actor=actor)
    commitment = Commitment.objects.create(
        recommendation=rec,
        organisation=organisation,
        representative=actor,
        version=version,
        actor_kind=actor_kind,
        action=action,
        target_date=target,
        indicator=indicator,
        indicator_unit=indicator_unit,
        target_value=value,
        is_public=_bool(is_public),
    )
    record_activity(
        rec,
        actor=actor,
        verb="committed",
        role="representative",
        organisation=organisation,
        version=version,
        commitment=commitment.pk,
    )
    events.commitment_changed(commitment, "commitment.created")
    return commitment


@transaction.atomic
def update_commitment(commitment: Commitment, *, actor, **changes: Any) -> Commitment:
    """Change what the organisation committed to (its action, target, indicator, whether it
    is public). Nothing is changed silently: the activity row keeps each old and new value."""
    commitment = _locked_commitment(commitment)
    _require_rep(actor, commitment)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({sorted(unknown)[0]: [_("This field cannot be changed.")]})
    new: dict[str, Any] = {}
    if "action" in changes:
        new["action"] = clean_text(changes["action"], "action", required=True, limit=MAX_ACTION)
    if "target_date" in changes:
        new["target_date"] = _date(changes["target_date"], "target_date")
        if new["target_date"] != commitment.target_date:
            _future(new["target_date"])
    for field, limit in (("indicator", MAX_INDICATOR), ("indicator_unit", MAX_UNIT)):
        if field in changes:
            new[field] = clean_text(changes[field], field, required=False, limit=limit)
    if "target_value" in changes:
        new["target_value"] = _number(changes["target_value"], "target_value")
    if "is_public" in changes:
        new["is_public"] = _bool(changes["is_public"])
    _indicator(
        new.get("indicator", commitment.indicator),
        new.get("indicator_unit", commitment.indicator_unit),
        new.get("target_value", commitment.target_value),
    )
    changed = {
        field: [_jsonable(getattr(commitment, field)), _jsonable(value)]
        for field, value in new.items()
        if getattr(commitment, field) != value
    }
    if not changed:
        return commitment
    was_public = commitment.is_public
    for field, value in new.items():
        setattr(commitment, field, value)
    commitment.save(update_fields=list(new))
    record_activity(
        commitment.recommendation,
        actor=actor,
        verb="commitment_changed",
        role="representative",
        organisation=commitment.organisation,
        version=commitment.version,
        commitment=commitment.pk,
        changes=changed,
        fields=", ".join(sorted(changed)),
    )
    if commitment.is_public and not was_public:
        events.commitment_changed(commitment, "commitment.created")
    elif was_public and not commitment.is_public:
        events.commitment_hidden(commitment)
    else:
        events.commitment_changed(commitment, "commitment.updated")
    return commitment


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def needs_reconfirmation(commitment: Commitment) -> bool:
    """Made on a version older than the one approved now (the endorsements' rule)."""
    return is_older_than_approved(commitment.version, commitment.recommendation)


@transaction.atomic
def reconfirm_commitment(commitment: Commitment, *, actor) -> Commitment:
    """Move the commitment to the newly approved version, in one step."""
    commitment = _locked_commitment(commitment)
    _require_rep(actor, commitment)
    rec = locked(commitment.recommendation)
    commitment.recommendation = rec
    if not needs_reconfirmation(commitment):
        raise Conflict(
            _("This commitment is on the version approved now; there is nothing to re-confirm."),
            version=commitment.version,
        )
    previous = commitment.version
    commitment.version = rec.approved_version
    commitment.save(update_fields=["version"])
    record_activity(
        rec,
        actor=actor,
        verb="commitment_reconfirmed",
        role="representative",
        organisation=commitment.organisation,
        version=commitment.version,
        previous_version=previous,
        commitment=commitment.pk,
    )
    events.commitment_changed(commitment, "commitment.updated")
    return commitment


# --- follow-up ----------------------------------------------------------------------------------
@transaction.atomic
def post_progress(
    commitment: Commitment,
    *,
    actor,
    status: str,
    note: str = "",
    current_value: Any = None,
    link: str = "",
    reason: str = "",
) -> ProgressUpdate:
    """The committed organisation reports where it stands (after the conference). Appended,
    never replacing an earlier update."""
    commitment = _locked_commitment(commitment)
    _require_rep(actor, commitment)
    status = _choice(status, "status", ProgressStatus)
    note = clean_text(note, "note", required=False, limit=MAX_NOTE)
    reason = clean_text(reason, "reason", required=False, limit=MAX_NOTE)
    if status == ProgressStatus.DROPPED and not reason:
        raise ValidationError({"reason": [_("Say why the commitment is dropped.")]})
    if status != ProgressStatus.DROPPED:
        reason = ""
    value = _number(current_value, "current_value")
    if value is not None and not commitment.indicator:
        raise ValidationError(
            {"current_value": [_("This commitment has no indicator to measure.")]}
        )
    link = clean_text(link, "link", required=False, limit=500)
    if link:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            raise ValidationError(
                {"link": [_("Enter a web address starting with https://.")]}
            ) from None
    if timezone.localdate() < followup_opens():
        raise Conflict(
            _("Progress can be reported from %(date)s, after the conference.")
            % {"date": followup_opens().isoformat()}
        )
    hit_by_person("endorse", actor)
    update = ProgressUpdate.objects.create(
        commitment=commitment,
        author=actor,
        status=status,
        reason=reason,
        note=note,
        current_value=value,
        link=link,
    )
    commitment.status = status
    if value is not None:
        commitment.current_value = value
    commitment.last_update_at = update.created_at
    commitment.save(update_fields=["status", "current_value", "last_update_at"])
    record_activity(
        commitment.recommendation,
        actor=actor,
        verb="progress_reported",
        role="representative",
        organisation=commitment.organisation,
        version=commitment.version,
        commitment=commitment.pk,
        status=status,
        status_label=str(ProgressStatus(status).label),
    )
    events.commitment_changed(commitment, "commitment.updated")
    return update


@transaction.atomic
def verify_progress(update: ProgressUpdate, *, actor) -> ProgressUpdate:
    """The secretariat marks an update verified (the organisation's claim is left as it is)."""
    require_secretariat(actor, _("Only the secretariat can verify progress."))
    update = ProgressUpdate.objects.select_for_update().get(pk=update.pk)
    if update.verified_at is not None:
        raise Conflict(_("This update is verified already."))
    update.verified_at = timezone.now()
    update.verified_by = actor
    update.save(update_fields=["verified_at", "verified_by"])
    commitment = update.commitment
    record_activity(
        commitment.recommendation,
        actor=actor,
        verb="progress_verified",
        role="secretariat",
        version=commitment.version,
        commitment=commitment.pk,
        organisation_name=commitment.organisation.name,
    )
    events.commitment_changed(commitment, "commitment.updated")
    return update


@transaction.atomic
def request_update(commitment: Commitment, *, actor) -> Commitment:
    """The secretariat asks the organisation for a progress update. Recorded as an activity
    of the organisation (what notifications pick up), and shown on its page."""
    require_secretariat(actor, _("Only the secretariat can ask for an update."))
    commitment = _locked_commitment(commitment)
    if commitment.status not in OPEN_STATUSES:
        raise Conflict(_("This commitment is closed: it is done or dropped."))
    if commitment.update_requested_at is not None and (
        commitment.last_update_at is None
        or commitment.last_update_at < commitment.update_requested_at
    ):
        raise Conflict(_("An update was asked for already and has not come yet."))
    commitment.update_requested_at = timezone.now()
    commitment.save(update_fields=["update_requested_at"])
    record_activity(
        commitment.recommendation,
        actor=actor,
        verb="update_requested",
        role="secretariat",
        organisation=commitment.organisation,
        version=commitment.version,
        commitment=commitment.pk,
        organisation_name=commitment.organisation.name,
    )
    return commitment


# --- organisation pages -------------------------------------------------------------------------
def _require_page_rep(actor, organisation: Organisation) -> None:
    require_representative(
        actor, organisation, _("Only representatives of %(org)s can edit its page.")
    )


def _require_city(organisation: Organisation) -> None:
    if organisation.kind != OrganisationKind.CITY:
        raise Conflict(_("Migration profiles and pilot projects are kept by cities."))


@transaction.atomic
def save_page(
    organisation: Organisation,
    *,
    actor,
    description: str,
    logo=None,
    remove_logo: bool = False,
) -> OrganisationPage:
    """Change the description and the logo (re-encoded on the server: ``images``)."""
    _require_page_rep(actor, organisation)
    description = clean_text(description, "description", required=False, limit=MAX_DESCRIPTION)
    cleaned = images.clean_logo(logo) if logo else None
    page, _created = OrganisationPage.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    old = page.logo.name if page.logo else ""
    page.description = description
    if cleaned is not None:
        content, content_type = cleaned
        page.logo.save(content.name, content, save=False)
        page.logo_type = content_type
    elif remove_logo:
        page.logo = ""
        page.logo_type = ""
    page.save()
    if old and old != (page.logo.name if page.logo else ""):
        storage, name = page.logo.storage, old
        transaction.on_commit(lambda: storage.delete(name))
    record_activity(
        None,
        actor=actor,
        verb="organisation_page_changed",
        role="representative",
        organisation=organisation,
        organisation_name=organisation.name,
    )
    return page


@transaction.atomic
def add_profile_revision(
    organisation: Organisation, *, actor, section: str, text: str, publish: bool = True
) -> ProfileRevision:
    """A new dated revision of one section of a city's migration profile."""
    _require_page_rep(actor, organisation)
    _require_city(organisation)
    section = _choice(section, "section", ProfileSection)
    text = clean_text(text, "text", required=True, limit=MAX_PROFILE)
    revision = ProfileRevision.objects.create(
        organisation=organisation,
        section=section,
        text=text,
        is_published=_bool(publish),
        author=actor,
    )
    record_activity(
        None,
        actor=actor,
        verb="profile_revised",
        role="representative",
        organisation=organisation,
        organisation_name=organisation.name,
        section=section,
    )
    return revision


@transaction.atomic
def save_pilot(
    organisation: Organisation,
    *,
    actor,
    title: str,
    summary: str,
    results: str = "",
    theme: Theme | None,
    publish: bool = True,
) -> PilotProject:
    """The city's pilot project (one per city): title, summary, results, theme."""
    _require_page_rep(actor, organisation)
    _require_city(organisation)
    title = clean_text(title, "title", required=True, limit=200)
    summary = clean_text(summary, "summary", required=True, limit=MAX_PROFILE)
    results = clean_text(results, "results", required=False, limit=MAX_PROFILE)
    if theme is None:
        raise ValidationError({"theme": [_("Choose one of the options.")]})
    pilot, _created = PilotProject.objects.select_for_update().update_or_create(
        organisation=organisation,
        defaults={
            "title": title,
            "summary": summary,
            "results": results,
            "theme": theme,
            "is_published": _bool(publish),
        },
    )
    record_activity(
        None,
        actor=actor,
        verb="pilot_saved",
        role="representative",
        organisation=organisation,
        organisation_name=organisation.name,
        title=title,
    )
    return pilot
