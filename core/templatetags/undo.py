"""``{% undo_form message %}``: the undo a message offers (``core.undo``), as a small POST
form beside it; nothing for a message that offers none."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ..undo import take_undo

register = template.Library()


@register.simple_tag(takes_context=True)
def undo_form(context: template.Context, message) -> SafeString | str:
    request = context.get("request")
    if request is None:
        return ""
    offer = take_undo(request, message)
    if offer is None:
        return ""
    html = render_to_string("core/undo_form.html", {"undo": offer}, request=request)
    return mark_safe(html)  # noqa: S308 - a rendered template, autoescaped
