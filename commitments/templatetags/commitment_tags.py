from django import template

from accounts.models import KIND_PLURALS

register = template.Library()


@register.filter
def kind_plural(kind: str) -> str:
    """``"city"`` -> "Cities" (translated)."""
    return str(KIND_PLURALS.get(kind, kind))
