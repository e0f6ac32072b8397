"""The one activity writer, and the sentences that describe each verb.

Every service records what it did here: who acted, for which organisation and in which role,
on what (a recommendation, or nothing for workspace-wide acts), at which version. Apps
register the sentences of their verbs at start-up (``sentences.register(verb, sentence)``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.functional import Promise

from .middleware import current_address
from .models import Activity
from .registry import Registry

# verb -> lazy sentence with %(who)s, %(version)s and the activity's data, e.g.
# "%(who)s approved version %(version)s".
sentences: Registry[str | Promise] = Registry("activity sentences")

# data key -> {stored code: lazy label}: the words a sentence shows for the codes an activity
# stores ("moderator", "totp"), in the reader's language, e.g.
# ``value_labels.register("workspace_role", {"moderator": _("moderator")})``. A value that is
# not a registered code is a name or a text someone wrote: shown as it is, isolated.
value_labels: Registry[Mapping[str, str | Promise]] = Registry("activity value labels")
# name -> function(activities) called once the transaction that recorded them commits (never
# before the data is saved, nothing if it rolls back). Higher apps (notifications) learn what
# happened here without any lower app naming them. A listener that fails is logged: the write
# it follows is saved already.
Listener = Callable[[list[Activity]], None]
listeners: Registry[Listener] = Registry("activity listeners")

logger = logging.getLogger(__name__)


def _announce(activities: list[Activity]) -> None:
    if not len(listeners) or not activities:
        return

    def run() -> None:
        for listener in listeners:
            try:
                listener(activities)
            except Exception:
                logger.exception("activity listener %r failed", listener)

    transaction.on_commit(run)


def register_sentences(entries: Mapping[str, str | Promise]) -> None:
    for verb, sentence in entries.items():
        sentences.register(verb, sentence)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def verb_pattern(verb: str) -> str:
    """What a verb says, with its names left out ("… approved version …"), in the reader's
    language: how the audit log's filter names each kind of act."""
    template = sentences.get(verb)
    if template is None:
        return verb
    return str(template) % _Blank()


def register_value_labels(entries: Mapping[str, Mapping[str, str | Promise]]) -> None:
    for key, labels in entries.items():
        value_labels.register(key, labels)


def record_activity(
    recommendation: Any | None,
    /,
    *,
    actor: Any | None,
    verb: str,
    role: str = "",
    organisation: Any | None = None,
    version: int | None = None,
    **data: Any,
) -> Activity:
    """Write one audit row. ``organisation`` is the one acted for (None: acting in a role)."""
    activity = Activity.objects.create(
        address=current_address.get(),
        recommendation=recommendation,
        actor=actor,
        organisation=organisation,
        role=role,
        verb=verb,
        version=version,
        data=data,
    )
    _announce([activity])
    return activity


def record_activities(rows: Iterable[dict[str, Any]]) -> list[Activity]:
    """Several rows at once (one query): each a dict of ``record_activity``'s arguments."""
    activities = []
    for row in rows:
        row = dict(row)
        fields = {
            name: row.pop(name, default)
            for name, default in (
                ("recommendation", None),
                ("actor", None),
                ("organisation", None),
                ("role", ""),
                ("version", None),
            )
        }
        verb = row.pop("verb")
        activities.append(Activity(verb=verb, data=row, address=current_address.get(), **fields))
    created = Activity.objects.bulk_create(activities)
    _announce(created)
    return created
