"""What domain apps add to the live transport, registered at start-up (``AppConfig.ready``).

- ``topics``: what can be followed over a WebSocket (``ObjectTopic``: one object at
  ``/ws/<things>/<pk>/``; ``ListTopic``: a feed such as ``/ws/overview/``), with the rule of
  who may subscribe and what they receive. The routing and the consumers are built from it.
  ``PersonalTopic``: one person's own feed at a fixed path such as ``/ws/notifications/``,
  joined only by that person, whatever the path says).
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


topics: Registry[ObjectTopic | ListTopic | PersonalTopic] = Registry("live topics")
redactors: Registry[Callable[[Any, Any, list[dict]], list[dict]]] = Registry("event redactors")


def redact(user: Any, obj: Any, messages: list[dict]) -> list[dict]:
    """Apply every registered redactor to replayed events, in registration order."""
    for redactor in redactors:
        messages = redactor(user, obj, messages)
    return messages
