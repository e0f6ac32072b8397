"""``{% deadline "endorsement" as d %}``: the deadline a higher app registered for a rule
(``core.rules``), or None; ``d.closed`` says whether it has passed."""

from __future__ import annotations

from django import template

from core import rules

register = template.Library()


@register.simple_tag
def deadline(name: str) -> rules.Deadline | None:
    return rules.deadline(name)
