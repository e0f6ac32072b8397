"""``{% live_strings %}``: the words ``static/js/live.js`` shows (connection state, banners,
status names), as ``data-t-*`` attributes of the live indicator, in the page's language. The
JavaScript has no catalogue of its own; its sentences are translated with the templates'."""

from __future__ import annotations

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.plurals import plural_phrases

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
        "refresh": _("Show the new text"),
        "status-changed": _("Status changed to “{status}”."),
        "endorsed": _("{organisation} endorsed version {n}."),
        "endorsement-withdrawn": _("{organisation} withdrew its endorsement."),
        "new-comment-by": _("New comment by {author}."),
        "show": _("Show"),
        "pause": _("Pause live updates"),
        "resume": _("Resume live updates"),
        "panel-stale": _("This part of the page changed while you were filling it in."),
        "panel-show": _("Show the current version (discards what you typed here)"),
        # JSON {CLDR category: phrase}: the script picks the phrase for the count.
        "new-comments": plural_phrases(
            lambda n: ngettext("%(n)s new comment", "%(n)s new comments", n) % {"n": "{n}"}
        ),
        "paused": plural_phrases(
            lambda n: (
                ngettext(
                    "Live updates paused: %(n)s change waiting.",
                    "Live updates paused: %(n)s changes waiting.",
                    n,
                )
                % {"n": "{n}"}
            )
        ),
        "approved": _("approved version {n}"),
        "editing": _("editing"),
    }
    for code, label in Status.choices:
        strings[f"status-{code.replace('_', '-')}"] = str(label)
    return strings


@register.simple_tag
def live_strings() -> SafeString:
    return format_html_join(" ", 'data-t-{}="{}"', _strings().items())
