"""What domain apps add to the live transport, registered at start-up (``AppConfig.ready``).

- ``topics``: what can be followed over a WebSocket (``ObjectTopic``: one object at
  ``/ws/<things>/<pk>/``; ``ListTopic``: a feed such as ``/ws/overview/``), with the rule of
  who may subscribe and what they receive. The routing and the consumers are built from it.
  ``PersonalTopic``: one person's own feed at a fixed path such as ``/ws/notifications/``,
  joined only by that person, whatever the path says.
- ``documents``: texts that several people edit at once over a co-editing socket
  (``CoeditDocument``: ``/ws/<things>/<pk>/text/``), with the rule of who may read and who may
  write, and the text a document is created from (``live.coedit``, ``docs/realtime.md``).
- ``redactors``: functions ``(user, obj, messages) -> messages`` that remove from replayed
  events what the reader may no longer see (the catch-up endpoint applies them all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.registry import Registry

# (user_id, pk, user=None, *, decide_all_events=False) -> subscription dict or None.
# The dict has "all_events" (True / False / None: undecided, may the user receive events of
# the audience "drafters") and "info" (what presence shows of the user).
ObjectSubscribe = Callable[..., dict[str, Any] | None]
# (user_id, user=None) -> subscription dict or None
ListSubscribe = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class ObjectTopic:
    name: str  # "recommendation": groups are "recommendation.<pk>", messages name it
    route: str  # "ws/recommendations/<int:pk>/"
    subscribe: ObjectSubscribe
    # Event types after which the subscriber's access is checked again (rights changed).
    recheck_on: frozenset[str] = field(default_factory=frozenset)
    presence: bool = True


@dataclass(frozen=True)
class ListTopic:
    name: str  # the group name: "overview"
    route: str  # "ws/overview/"
    subscribe: ListSubscribe
    # (subscription, event) -> may this subscriber receive this restricted event?
    admits: Callable[[dict[str, Any], dict[str, Any]], bool]
    # Event types after which the subscription is read again before deciding.
    refresh_on: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class PersonalTopic:
    """One person's own feed: the group is ``<name>.<user id>`` of the socket's own user, so
    nobody can join another person's (the path names nobody)."""

    name: str  # "notifications": groups are "notifications.<user id>"
    route: str  # "ws/notifications/"
    subscribe: ListSubscribe  # (user_id, user=None) -> dict or None (refused)


# (user_id, pk, user=None) -> {"write": bool, "info": {"user", "name", "organisation"}}, or
# None when the user may not even read the text.
DocumentAccess = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class CoeditDocument:
    name: str  # "recommendation": document keys are "recommendation.<pk>"
    route: str  # "ws/recommendations/<int:pk>/text/"
    access: DocumentAccess
    # pk -> the current text: what the live document is created from, once, on the server.
    initial_text: Callable[[int], str]
    # Event types of the object's group (``<name>.<pk>``) after which a socket's rights are
    # read again at once (a lifecycle step, a drafter removed).
    recheck_on: frozenset[str] = field(default_factory=frozenset)


topics: Registry[ObjectTopic | ListTopic | PersonalTopic] = Registry("live topics")
documents: Registry[CoeditDocument] = Registry("co-edited documents")
redactors: Registry[Callable[[Any, Any, list[dict]], list[dict]]] = Registry("event redactors")


def redact(user: Any, obj: Any, messages: list[dict]) -> list[dict]:
    """Apply every registered redactor to replayed events, in registration order."""
    for redactor in redactors:
        messages = redactor(user, obj, messages)
    return messages
