"""The person behind ``request.user``."""

from __future__ import annotations

from typing import Any

from django.utils.functional import LazyObject, empty


def unwrapped(user: Any) -> Any:
    """The user object itself, not Django's lazy ``request.user`` (evaluated if it was not).

    Every attribute read through the lazy object is a proxy call: a discussion page asks the
    viewer's id and state thousands of times (docs/performance.md)."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user
