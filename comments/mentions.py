"""Mentions in comments: ``@lyon`` names an organisation by its slug first, otherwise a person
by user name. Found in the Markdown source, rendered as links in the comment's cached HTML
(once, when it is saved); a mention of nobody stays plain text. Notifying the people mentioned
is the notifications app's job: it reads them back with ``mentioned_in``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Organisation
from recommendations.models import Recommendation

# Not inside a word, an address (a@lyon.org) or a path (/@lyon): after a start, a space or
# punctuation that opens.
MENTION_RE = re.compile(r"(?<![\w@/.+-])@([A-Za-z0-9][A-Za-z0-9_.-]{0,79}[A-Za-z0-9]|[A-Za-z0-9])")
MAX_MENTIONS = 20
_TAG_RE = re.compile(r"(<[^>]*>)")
_SKIP = {"a", "code", "pre"}


@dataclass(frozen=True)
class Mention:
    name: str  # as written, without "@"
    organisation: Any = None
    user: Any = None

    @property
    def url(self) -> str:
        if self.organisation is not None:
            return f"{reverse('recommendations:list')}?organisation={self.organisation.pk}"
        return ""


def names_in(body: str) -> list[str]:
    """The distinct names mentioned, in order of appearance (at most MAX_MENTIONS)."""
    seen: list[str] = []
    for match in MENTION_RE.finditer(body or ""):
        name = match.group(1).lower()
        if name not in seen:
            seen.append(name)
        if len(seen) >= MAX_MENTIONS:
            break
    return seen


def resolve(names: list[str]) -> dict[str, Mention]:
    """Each name that names someone: an organisation's slug first, otherwise an active user."""
    if not names:
        return {}
    found: dict[str, Mention] = {}
    for org in Organisation.objects.filter(slug__in=names):
        found[org.slug.lower()] = Mention(org.slug, organisation=org)
    rest = [n for n in names if n not in found]
    if rest:
        user_model = get_user_model()
        lookup = {n.lower(): n for n in rest}
        for user in user_model.objects.filter(username__in=rest, is_active=True):
            key = user.username.lower()
            if key in lookup:
                found[key] = Mention(user.username, user=user)
    return found


def mentioned_in(body: str) -> dict[str, Mention]:
    return resolve(names_in(body))


def cannot_see(rec: Any, body: str) -> list[str]:
    """The names mentioned in ``body`` who would not see ``rec`` (an organisation none of
    whose active members may, a person who may not): they are not told of the comment. The
    page without JavaScript asks before posting; the editor's script warns while typing."""
    blind = []
    for mention in mentioned_in(body).values():
        if mention.organisation is not None:
            people = get_user_model().objects.filter(
                memberships__organisation=mention.organisation, is_active=True
            )[:20]
        else:
            people = [mention.user]
        if not any(
            Recommendation.objects.visible_to(person).filter(pk=rec.pk).exists()
            for person in people
        ):
            blind.append(mention.name)
    return blind


def link(html: str, mentions: dict[str, Mention]) -> str:
    """Wrap each known mention in the sanitised HTML's text (not inside links, code or tags)
    in a link (organisations) or a marked span (people)."""
    if not mentions:
        return html
    parts = _TAG_RE.split(html)
    skipping: list[str] = []
    out: list[str] = []
    for part in parts:
        if part.startswith("<"):
            tag = (
                part[1:].lstrip("/").split(None, 1)[0].rstrip(">/").lower() if len(part) > 2 else ""
            )
            if tag in _SKIP:
                if part.startswith("</"):
                    if skipping and skipping[-1] == tag:
                        skipping.pop()
                elif not part.endswith("/>"):
                    skipping.append(tag)
            out.append(part)
            continue
        if skipping:
            out.append(part)
            continue

        def replace(match: re.Match) -> str:
            mention = mentions.get(match.group(1).lower())
            if mention is None:
                return match.group(0)
            if mention.url:
                return f'<a class="mention" href="{escape(mention.url)}">{match.group(0)}</a>'
            return f'<span class="mention">{match.group(0)}</span>'

        out.append(MENTION_RE.sub(replace, part))
    return "".join(out)


def render(body: str, html: str) -> str:
    """The comment's cached HTML with its mentions linked."""
    return link(html, mentioned_in(body))
