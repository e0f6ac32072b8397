"""Every channel-layer group name, built from primary keys only (never from user input)."""

from __future__ import annotations

import hashlib

OVERVIEW_GROUP = "overview"


def object_group(topic: str, pk: int) -> str:
    """The group of one object of a topic: ``recommendation.12``."""
    return f"{topic}.{int(pk)}"


def recommendation_group(pk: int) -> str:
    """The channel-layer group of one recommendation."""
    return object_group("recommendation", pk)


def user_group(user_id: int) -> str:
    """Every socket of one user (told when their rights change)."""
    return f"user.{int(user_id)}"


def session_group(session_key: str) -> str:
    """Every socket opened with one session (closed when it logs out)."""
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()[:40]
