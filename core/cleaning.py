"""The one cleaner of text that comes from outside (forms, JSON bodies, admin, commands)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def clean_text(value: str | None, field_name: str, *, required: bool, limit: int) -> str:
    """Line endings normalised, trimmed, required and length checked; a ``ValidationError``
    names the field."""
    if value is not None and not isinstance(value, str):
        raise ValidationError({field_name: [_("Enter text.")]})
    value = (value or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise ValidationError({field_name: [_("This field is required.")]})
    if len(value) > limit:
        raise ValidationError({field_name: [_("At most %(n)s characters.") % {"n": limit}]})
    return value
