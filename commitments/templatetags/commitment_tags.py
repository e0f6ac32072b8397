from django import template

from accounts.models import KIND_PLURALS
from commitments.models import plain_number

register = template.Library()


@register.filter
def kind_plural(kind: str) -> str:
    """``"city"`` -> "Cities" (translated)."""
    return str(KIND_PLURALS.get(kind, kind))


@register.filter
def plain(value) -> str:
    """A stored amount without trailing zeros: ``60.00`` -> ``60``."""
    text = plain_number(value)
    return "" if text is None else text
