"""Who may follow an organisation's page and the follow-up overview live: anyone (they are
public pages); logged-in participants also receive the events of commitments on texts not
yet published. Registered as topics in ``registration.py``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from accounts.models import Organisation


def _participant(user_id: int | None, user: Any) -> bool:
    if user_id is None:
        return False
    if user is None:
        user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return bool(user is not None and user.is_active)


def follow_organisation(
    user_id: int | None, pk: int, user: Any = None, *, decide_all_events: bool = False
) -> dict | None:
    if not Organisation.objects.filter(pk=pk).exists():
        return None
    return {"all_events": _participant(user_id, user), "info": {}}


def follow_followup(user_id: int | None, user: Any = None) -> dict | None:
    return {"participant": _participant(user_id, user)}


def followup_admits(subscription: dict, event: dict) -> bool:
    return bool(subscription["participant"])
