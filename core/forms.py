"""Service errors on HTML forms: the one mapper from ``ValidationError`` to form errors."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def error_messages(exc: ValidationError) -> list[str]:
    """Every message of ``exc``, field messages included, in order."""
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put the messages of a service's ``ValidationError`` on ``form``: under their field when
    the form has it, else at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
