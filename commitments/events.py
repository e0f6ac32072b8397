"""Live events of commitments: ``commitment.created`` and ``commitment.updated``.

Each is stored with the recommendation's ``seq`` (``recommendations.events.emit``: viewers of
the recommendation, catch-up included), and sent, without a ``seq``, to the organisation's
page (``organisation.<pk>``) and to the follow-up overview (``followup``). Only public
commitments make events; a commitment made private sends ``commitment.updated`` with
``public: false`` so that pages drop it. Events of a commitment whose recommendation is not
yet published reach logged-in participants only (the public reads published texts).
"""

from __future__ import annotations

from typing import Any

from live.broadcast import AUDIENCE_ALL, send_event_on_commit
from live.groups import object_group
from recommendations.events import emit

from .models import Commitment, plain_number, published_recommendations

ORGANISATION_TOPIC = "organisation"
FOLLOWUP_GROUP = "followup"
# Events that only logged-in participants may receive on the public sockets.
AUDIENCE_PARTICIPANTS = "participants"


def event_data(commitment: Commitment) -> dict[str, Any]:
    """The public fields of a commitment, as every event carries them."""
    org = commitment.organisation
    return {
        "id": commitment.pk,
        "public": True,
        "organisation": org.slug,
        "name": org.name,
        "kind": commitment.actor_kind,
        "action": commitment.action,
        "target_date": commitment.target_date.isoformat(),
        "indicator": commitment.indicator,
        "unit": commitment.indicator_unit,
        "target_value": plain_number(commitment.target_value),
        "current_value": plain_number(commitment.current_value),
        "status": commitment.status,
        "version": commitment.version,
        "last_update_at": (
            commitment.last_update_at.isoformat() if commitment.last_update_at else None
        ),
        "recommendation": commitment.recommendation_id,
        "theme": commitment.recommendation.theme.slug,
        "url": commitment.get_absolute_url(),
    }


def _send(commitment: Commitment, type_: str, data: dict[str, Any]) -> None:
    emit(commitment.recommendation, type_, data)
    published = (
        published_recommendations().filter(recommendation_id=commitment.recommendation_id).exists()
    )
    audience = AUDIENCE_ALL if published else AUDIENCE_PARTICIPANTS
    org_id = commitment.organisation_id
    send_event_on_commit(
        [
            (
                object_group(ORGANISATION_TOPIC, org_id),
                {"type": type_, ORGANISATION_TOPIC: org_id, "seq": None, "data": data},
            ),
            (FOLLOWUP_GROUP, {"type": type_, "seq": None, "data": data}),
        ],
        audience,
    )


def commitment_changed(commitment: Commitment, type_: str) -> None:
    """Announce a new (or newly public) commitment, or a change of a public one."""
    if commitment.is_public:
        _send(commitment, type_, event_data(commitment))


def commitment_hidden(commitment: Commitment) -> None:
    """A public commitment became private: pages remove it (nothing else is sent)."""
    data = {"id": commitment.pk, "public": False, "organisation": commitment.organisation.slug}
    _send(commitment, "commitment.updated", data)
