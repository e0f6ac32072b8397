"""The service error family. Services raise these; pages, the API and consumers map them.

- ``django.core.exceptions.ValidationError``: bad input, by field where there is one (400).
- ``django.core.exceptions.PermissionDenied``: may see the object but not do this (403).
- ``StepUpRequired`` (a ``PermissionDenied``): may do this, after proving a second factor
  again (403 with ``"code": "step_up_required"``; pages send the person to prove it).
- ``django.http.Http404``: may not see the object, or it does not exist (404, identical).
- ``Conflict``: valid input that clashes with the current state (409), with what a client needs
  to recover (the current version, the status...) in ``payload``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied


class Conflict(Exception):
    """The request is valid but clashes with the current state (HTTP 409)."""

    def __init__(self, message: str, **payload: Any) -> None:
        super().__init__(message)
        self.message = message
        self.payload = payload


class StepUpRequired(PermissionDenied):
    """An irreversible act needs a second factor proved a moment ago (HTTP 403)."""

    code = "step_up_required"

    def __init__(self, message: str, *, verify_url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.verify_url = verify_url
