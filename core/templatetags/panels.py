"""``{% panels "slot" %}``: render the panels other apps registered for a slot of this page."""

from __future__ import annotations

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from ..panels import panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context: template.Context, slot: str) -> SafeString:
    request = context.get("request")
    parts = []
    for panel in panels_for(slot):
        extra = panel.context(request, context.flatten()) if panel.context else {}
        with context.push(**extra):
            parts.append(get_template(panel.template).template.render(context))
    return mark_safe("".join(parts))  # noqa: S308 - rendered templates, autoescaped
