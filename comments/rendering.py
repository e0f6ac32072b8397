"""The HTML of a comment and its replies, for the recommendation page and its script.

A discussion of 300 comments is rendered on every view of the page: through the template
engine (an ``{% include %}`` and some twenty tags per comment) that was most of the page's
time (docs/performance.md). Here the same markup is written in Python: the translated words,
the URL patterns and the month names are looked up once per page (``Labels``), each comment
costs a few string joins, and everything from people is escaped (``escape``) except
``body_html``, sanitised when it was saved. What a viewer may do is not rendered here: the
comment names its tools (``data-tools``) and links to its action page; the forms are rendered
once per page (``comments/_tools.html``).
"""

from __future__ import annotations

import datetime as dt

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from core.times import STYLES, format_local, zone_label

from .display import Node, show_replies
from .models import CommentStatus, ResponseStatus, comment_link

_MARK = 987654321  # a pk no comment has, replaced in the reversed URL patterns


class Labels:
    """Words and URL patterns of one page, in the active language."""

    def __init__(self, wanted: str = "all") -> None:
        self.language = get_language()
        # A folded thread's link keeps the page's filter (``?comments=``).
        self._filter = "" if wanted == "all" else f"comments={escape(wanted)}&amp;"
        self.edited = escape(gettext("edited"))
        self.outdated = escape(gettext("Outdated"))
        self.hidden = escape(gettext("This comment was hidden by a moderator."))
        self.reason = escape(gettext("Reason:"))
        self.response = escape(gettext("Response of the drafting organisations:"))
        self.actions = escape(gettext("Actions"))
        self.reported = escape(gettext("You reported this comment."))
        self.statuses = {value: escape(label) for value, label in CommentStatus.choices}
        self.answers = {value: escape(label) for value, label in ResponseStatus.choices}
        self._history = reverse("comments:history", args=[_MARK])
        self._actions = reverse("comments:actions", args=[_MARK])
        self._versions: dict[int, tuple[str, str, str]] = {}
        self.zone = timezone.get_current_timezone()
        self.format = get_format(STYLES["short"][0])
        self._zone_labels: dict[dt.timedelta | None, str] = {}

    def history(self, pk: int) -> str:
        return self._history.replace(str(_MARK), str(pk))

    def actions_url(self, pk: int) -> str:
        return self._actions.replace(str(_MARK), str(pk))

    def unfold_url(self, pk: int) -> str:
        """The page again, with the thread of ``pk`` open (the way without a script)."""
        return comment_link("", pk, keep=self._filter)

    def show_replies(self, n: int) -> str:
        return escape(show_replies(n))

    def version(self, n: int) -> tuple[str, str, str]:
        """("on version n", "Made on version n; ...", "led to version n"), once per n."""
        if n not in self._versions:
            self._versions[n] = (
                escape(gettext("on version %(n)s") % {"n": n}),
                escape(
                    gettext("Made on version %(n)s; its paragraph is no longer in the text.")
                    % {"n": n}
                ),
                escape(gettext("led to version %(n)s") % {"n": n}),
            )
        return self._versions[n]

    def stamp(self, moment) -> str:
        """The ``<time>`` of ``moment`` as ``{{ moment|when }}`` writes it (core.times: the
        reader's zone and language, the zone named), with the format and each offset's zone
        label looked up once per page."""
        local = timezone.localtime(moment, self.zone)
        offset = local.utcoffset()
        label = self._zone_labels.get(offset)
        if label is None:
            label = self._zone_labels[offset] = escape(zone_label(local, self.zone))
        text = escape(format_local(local, self.format))
        machine = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return f'<time datetime="{machine}">{text} <span class="zone">({label})</span></time>'


def render_nodes(nodes: list[Node], labels: Labels | None = None) -> SafeString:
    """The ``<li>`` of each node, its replies nested in it."""
    labels = labels or Labels()
    out: list[str] = []
    for node in nodes:
        _render(node, labels, out)
    return mark_safe("".join(out))  # noqa: S308 - every piece from people is escaped


def _render(node: Node, labels: Labels, out: list[str]) -> None:
    c = node.comment
    pk = c.pk
    root = c.parent_id is None
    on_version, made_on, _ = labels.version(c.version)
    when = labels.stamp(c.created_at)
    attrs = f' data-anchor="{escape(c.anchor)}" data-status="{node.thread_status}"' if root else ""
    if node.outdated:
        attrs += ' data-outdated="true"'
    if c.hidden:
        attrs += ' data-hidden="true"'
    hidden = " hidden" if getattr(node, "filtered_out", False) else ""
    article = "comment"
    if c.hidden:
        article += " is-hidden"
    if node.outdated:
        article += " is-outdated"
    org = f" · <bdi>{escape(c.organisation.name)}</bdi>" if c.organisation_id else ""
    edited = (
        f' · <a href="{labels.history(pk)}">{labels.edited}</a>' if c.edited_at is not None else ""
    )
    out.append(
        f'<li class="{"comment-item thread" if root else "comment-item"}" id="comment-{pk}" data-comment="{pk}"{attrs} data-js="comment"{hidden}>\n'
        f'<article class="{article}" aria-labelledby="comment-{pk}-by"><div class="comment-view">\n'
        f'<header class="comment-head"><span class="comment-author" id="comment-{pk}-by">'
        f"<strong><bdi>{escape(str(c.author))}</bdi></strong>{org}</span>\n"
        f'<span class="meta">{on_version} · {when}{edited}</span>\n'
    )
    if root:
        out.append(
            f'<span class="badge comment-status comment-status-{c.status}" '
            f'data-field="comment-status">{labels.statuses.get(c.status, c.status)}</span>'
        )
    if node.outdated:
        out.append(
            f'<span class="badge comment-outdated" data-field="outdated">{labels.outdated}</span>'
        )
    out.append("</header>\n")
    if node.outdated:
        out.append(f'<p class="meta outdated-note">{made_on}</p>')
    if c.quote:
        out.append(f'<blockquote class="comment-quote" dir="auto">{escape(c.quote)}</blockquote>')
    if c.hidden:
        reason = ""
        if node.show_reason:
            reason = (
                f' {labels.reason} <bdi data-field="hidden-reason">{escape(c.hidden_reason)}</bdi>'
            )
        out.append(
            f'<p class="comment-hidden-notice" data-field="hidden">{labels.hidden}{reason}</p>'
        )
    if node.show_body:
        out.append(
            f'\n<div class="comment-body" lang="{escape(c.language)}" dir="auto">{c.body_html}</div>'
        )
    r = node.response
    if r is not None:
        led = labels.version(r.version)[2]
        rorg = f" · <bdi>{escape(r.organisation.name)}</bdi>" if r.organisation_id else ""
        out.append(
            f'\n<div class="comment-response response-{r.status}" data-field="response"><p>'
            f"<strong>{labels.response}</strong> "
            f'<span class="badge response-badge response-{r.status}">'
            f"{labels.answers.get(r.status, r.status)}</span> "
            f'<span class="meta">{led}{rorg}</span></p>\n'
            f'<p dir="auto">{linebreaksbr(r.reason, autoescape=True)}</p></div>'
        )
    tools = node.tools
    link = f'<a href="{labels.actions_url(pk)}">{labels.actions}</a>' if tools else ""
    if node.already_reported:
        link += f' <span class="meta" data-field="reported">{labels.reported}</span>'
    out.append(
        f'\n</div>\n<div class="comment-tools" data-tools="{tools}">{link}</div>\n</article>\n'
    )
    if node.folded:
        replies = node.folded
        out.append(
            f'<p class="folded-replies" data-js="folded" data-thread="{pk}" '
            f'data-count="{len(replies)}" data-ids="{" ".join(map(str, replies))}">'
            f'<a href="{labels.unfold_url(pk)}">{labels.show_replies(len(replies))}</a></p>'
        )
    elif node.children:
        out.append('<ol class="replies">')
        for child in node.children:
            _render(child, labels, out)
        out.append("</ol>")
    out.append("\n</li>")
