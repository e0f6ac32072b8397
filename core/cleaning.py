"""The one cleaner of text, and the one reader of whole numbers, that come from outside (forms,
query strings, JSON bodies, URLs, admin, commands)."""

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


# The largest value of the database's integer columns (a signed 32-bit ``IntegerField``):
# a number past it is refused here as bad input instead of reaching a query.
MAX_INT = 2**31 - 1

_DIGITS = frozenset("0123456789")


def non_negative_int(
    raw: object,
    field: str,
    *,
    default: int | None = None,
    maximum: int = MAX_INT,
    message: str | None = None,
) -> int:
    """A whole number from 0 to ``maximum`` read from outside (a query string, a form, a URL):
    ASCII digits only (``[0-9]+``, no sign, blank, separator, exponent or other script's
    digits, which ``str.isdigit()`` and ``int()`` let through), or an ``int``. ``None`` (the
    value is absent) is ``default`` when one is given. Anything else is a ``ValidationError``
    naming ``field``, with ``message`` if given."""
    if raw is None and default is not None:
        return default
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str) and raw and _DIGITS.issuperset(raw):
        significant = raw.lstrip("0") or "0"
        # Longer than the maximum is larger than it: never convert a huge string.
        number = int(significant) if len(significant) <= len(str(maximum)) else maximum + 1
    else:
        number = -1
    if not 0 <= number <= maximum:
        if message is None:
            message = _("A whole number from 0 to %(maximum)s is required.") % {"maximum": maximum}
        raise ValidationError({field: [message]})
    return number
