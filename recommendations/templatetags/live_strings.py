"""``{% live_strings %}``: the words ``static/js/live.js`` shows (connection state, banners,
status names), as ``data-t-*`` attributes of the live indicator, in the page's language. The
JavaScript has no catalogue of its own; its sentences are translated with the templates'."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..models import Status

register = template.Library()


def _strings() -> dict[str, str]:
    strings = {
        "connecting": _("Connecting…"),
        "live": _("Live"),
        "ended": _("Not live: access ended"),
        "offline": _("Offline, reconnecting…"),
        "catchup": _("Could not catch up; will retry"),
        # {author}, {n} and {note} are filled in by the script (names and notes isolated).
        "saved-editing": _(
            "{author} saved version {n}. Your text is kept: when you save, their changes are "
            "merged into yours (or you are shown both texts)."
        ),
        "saved": _("{author} saved version {n}."),
        "saved-note": _("{author} saved version {n} ({note})."),
        "see-changes": _("See what changed"),
        "refresh": _("Refresh"),
        "status-changed": _("Status changed to “{status}”."),
        "refresh-actions": _("Refresh for the actions"),
        "approved": _("approved version {n}"),
        "editing": _("editing"),
    }
    for code, label in Status.choices:
        strings[f"status-{code.replace('_', '-')}"] = str(label)
    return strings


@register.simple_tag
def live_strings() -> SafeString:
    return format_html_join(" ", 'data-t-{}="{}"', _strings().items())
