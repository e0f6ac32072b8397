"""Who may follow a recommendation (or the overview) live, and what they receive: the rule
that ``live`` applies at each WebSocket handshake and again when rights may have changed.
Registered as topics in ``RecommendationsConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from .models import Recommendation
from .permissions import can_edit, can_view, is_drafter


def _active_user(user_id: int | None, user: Any) -> Any:
    if user_id is None:
        return None
    if user is None:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return user if user is not None and user.is_active else None


# A submission is never undone (``events.emit``): a process may remember which texts are
# submitted, with their lead organisation. Following one of those needs nothing but an active
# user, which the handshake's session load has just checked, and every event of it goes to
# everyone; so a handshake reads no recommendation row and no role for it. Drafts are never
# remembered: their check is read from the database each time, so a revoked right is seen.
_SUBMITTED: dict[int, int] = {}
_SUBMITTED_MAX = 50_000


def forget_submitted() -> None:
    """Start again from the database (tests, whose rolled-back ids come back)."""
    _SUBMITTED.clear()


def _remember_submitted(rec: Recommendation) -> None:
    if len(_SUBMITTED) >= _SUBMITTED_MAX:
        _SUBMITTED.clear()
    _SUBMITTED[rec.pk] = rec.lead_organisation_id


def follow_recommendation(
    user_id: int | None, rec_id: int, user: Any = None, *, decide_all_events: bool = False
) -> dict | None:
    """What a user may receive on one recommendation, or None if they may not see it.

    ``user``: the user this handshake has just loaded from the session (active, as
    ``AuthMiddleware`` checked); without it the user is read again (a later re-check).

    ``all_events`` (may the user receive drafters-only events) is None when it cannot matter
    and was not asked for: every event of a submitted recommendation goes to everyone
    (``events.emit``; a submission is never undone), so asking the object permissions for it
    at each handshake (half the check's cost) decided nothing.
    """
    user = _active_user(user_id, user)
    if user is None:
        return None
    from .services import actor_organisation

    lead = None if decide_all_events else _SUBMITTED.get(rec_id)
    if lead is not None:  # submitted: no row to read (the presence label needs the drafters)
        rec = Recommendation(pk=rec_id, lead_organisation_id=lead)
        all_events: bool | None = None
    else:
        # A plain get: select_related() and first()'s ordering made this query three times
        # dearer (the checks read the row's own fields only).
        rec = next(iter(Recommendation.objects.filter(pk=rec_id)[:1]), None)
        if rec is None or not can_view(user, rec):
            return None
        if rec.submitted_at is not None:
            _remember_submitted(rec)
        if user.is_moderator:
            all_events = True
        elif decide_all_events or rec.submitted_at is None:
            all_events = is_drafter(user, rec)
        else:
            all_events = None
    org = actor_organisation(user, rec)
    return {
        "all_events": all_events,
        "info": {
            "user": user.username,
            "name": str(user),
            "organisation": org.name if org else None,
        },
    }


def follow_overview(user_id: int | None, user: Any = None) -> dict | None:
    """Any active participant follows the overview; drafters-only events reach moderators
    and the drafters of that recommendation only."""
    user = _active_user(user_id, user)
    if user is None:
        return None
    drafted = set(Recommendation.objects.drafted_by(user).values_list("pk", flat=True))
    return {"moderator": user.is_moderator, "drafted": drafted}


def overview_admits(subscription: dict, event: dict) -> bool:
    return subscription["moderator"] or event["recommendation"] in subscription["drafted"]


def coedit_text(user_id: int | None, rec_id: int, user: Any = None) -> dict | None:
    """Who may open the live text of a recommendation (anyone who may see it) and who may type
    in it (its drafters while the lifecycle allows edits: draft, in review, approved); read
    at the handshake and again for every message that writes (``live.coedit_consumer``)."""
    subscription = follow_recommendation(user_id, rec_id, user)
    if subscription is None:
        return None
    user = _active_user(user_id, user)
    rec = Recommendation.objects.filter(pk=rec_id).first()
    if user is None or rec is None:
        return None
    return {"write": can_edit(user, rec), "info": subscription["info"]}


def live_text_source(rec_id: int) -> str:
    """The text a recommendation's live document is created from: its current version."""
    return Recommendation.objects.filter(pk=rec_id).values_list("body", flat=True).first() or ""
