"""Endorsements: an organisation's support, given by a representative, for one exact
approved version; withdrawn at any time; re-confirmed on a newer approved version in one step.

Every function takes the acting user as ``actor``, locks the recommendation row (concurrent
attempts queue up), checks the permission (403), validates (400), refuses what clashes with
the current state (409), records the activity and sends the live event after commit.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation
from core import rules
from core.activity import record_activity
from core.cleaning import clean_text
from core.errors import Conflict
from core.ratelimit import hit_by_person
from recommendations.events import emit
from recommendations.models import Recommendation, Status
from recommendations.services import locked

from ..models import Endorsement
from ..permissions import represents, require_representative

MAX_STATEMENT = 2000


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


def _require_version(rec: Recommendation, version: int | None) -> None:
    if version is not None and version != rec.approved_version:
        raise Conflict(
            _("Version %(n)s is no longer the approved version; nothing was endorsed.")
            % {"n": version},
            version=rec.approved_version,
        )


def can_endorse_again(
    rec: Recommendation, *, organisation: Organisation, version: int, actor
) -> bool:
    """Whether ``actor`` may now endorse ``version`` again for ``organisation`` (the undo
    of a withdrawal offers it only then): the checks of ``endorse`` that do not write, on the
    state as it is (``endorse`` checks them all again, the row locked)."""
    if not represents(actor, organisation):
        return False
    try:
        _require_endorsable(rec)
        _require_version(rec, version)
        rules.check("endorsement", recommendation=rec, actor=actor)
    except Conflict:
        return False
    return _live_endorsement(rec, organisation) is None


@transaction.atomic
def endorse(
    rec: Recommendation,
    *,
    organisation: Organisation,
    statement: str = "",
    actor,
    version: int | None = None,
) -> Endorsement:
    """Endorse the currently approved version in the name of ``organisation``; with
    ``version``, only if that is the version approved now (409 otherwise: the form named a
    version, e.g. to endorse again what was withdrawn)."""
    rec = locked(rec)
    require_representative(
        actor, organisation, _("Only representatives of %(org)s can endorse in its name.")
    )
    statement = clean_text(statement, "statement", required=False, limit=MAX_STATEMENT)
    _require_endorsable(rec)
    _require_version(rec, version)
    rules.check("endorsement", recommendation=rec, actor=actor)
    hit_by_person("endorse", actor)
    current = _live_endorsement(rec, organisation)
    if current is not None:
        raise Conflict(
            _("%(org)s already endorses version %(n)s.")
            % {"org": organisation.name, "n": current.version},
            version=current.version,
        )
    endorsement = _create_endorsement(rec, organisation, actor, statement)
    record_activity(
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
    rec = locked(rec)
    require_representative(
        actor, organisation, _("Only representatives of %(org)s can withdraw its endorsement.")
    )
    current = _live_endorsement(rec, organisation)
    if current is None:
        raise Conflict(
            _("%(org)s does not endorse this recommendation.") % {"org": organisation.name}
        )
    _withdraw(current, actor)
    record_activity(
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
    rec = locked(rec)
    require_representative(
        actor, organisation, _("Only representatives of %(org)s can re-confirm in its name.")
    )
    _require_endorsable(rec)
    rules.check("endorsement", recommendation=rec, actor=actor)
    hit_by_person("endorse", actor)
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
    record_activity(
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
