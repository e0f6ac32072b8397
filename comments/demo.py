"""Demo comments on the demo recommendations that are open for discussion. Idempotent.

Called from the ``seed_demo`` command after the recommendations exist. Everything goes through
the services, as people would do it: comments on a paragraph and on a quoted passage, a reply,
an official response and a resolved thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.models import User
from recommendations.models import Recommendation

from . import anchors, services
from .models import Comment
from .permissions import is_open_for_discussion


@dataclass
class Demo:
    """One thread: who writes what, where, and what happens to it."""

    title: str
    author: str
    body: str
    # Words of the paragraph to anchor to ("" for a general comment) and, optionally, quote.
    paragraph: str = ""
    quote: str = ""
    replies: list[tuple[str, str]] = field(default_factory=list)
    response: tuple[str, str, str] | None = None  # (responder, status, reason)
    resolved_by: str = ""


THREADS = [
    Demo(
        title="Give newcomers one front door to local services",
        author="tunis",
        paragraph="main languages of arrival",
        quote="main languages of arrival",
        body=(
            "Which languages? In Tunis most people arriving speak Arabic, French or English, "
            "and Tigrinya is rising. A fixed list will be out of date within a year."
        ),
        replies=[
            (
                "lisbon",
                "Agreed that a fixed list ages badly. We propose the three most common "
                "languages at every point and the others through the cultural mediators.",
            ),
        ],
        response=(
            "lisbon",
            "partly_accepted",
            "Three languages at every welcome point; other languages through trained cultural "
            "mediators rather than at every desk.",
        ),
    ),
    Demo(
        title="Give newcomers one front door to local services",
        author="beirut",
        paragraph="single welcome point",
        body="Please add **legal advice on family reunification**: it is the first question "
        "families ask us.",
        replies=[
            ("madrid", "Legal advice is already in the list of services of the first paragraph."),
            ("beirut", "Indeed, I missed it. Resolving."),
        ],
        resolved_by="beirut",
    ),
    Demo(
        title="Give newcomers one front door to local services",
        author="vienna",
        body="Five years of national funding is short for a service that people will rely on. "
        "Could the text ask for a review after five years instead of an end date?",
    ),
    Demo(
        title="A standing city-state migration dialogue",
        author="amman",
        paragraph="twice a year",
        quote="twice a year",
        body="Twice a year is not enough in an emergency. Could the dialogue also meet at the "
        "request of a third of the cities?",
        response=(
            "lyon",
            "accepted",
            "We will add extraordinary sessions at the request of a third of the cities.",
        ),
    ),
    Demo(
        title="Recognise foreign qualifications within three months",
        author="lisbon",
        paragraph="provisional work",
        body="Provisional work should include supervised practice for health professions, "
        "where most delays are.",
    ),
]


def _paragraph_key(rec: Recommendation, words: str) -> str:
    if not words:
        return ""
    for paragraph in rec.paragraphs:
        if words in anchors.plain_text(paragraph["html"]):
            return paragraph["key"]
    return ""


def seed_comments() -> int:
    """Create the demo threads that do not exist yet; returns how many threads were made."""
    made = 0
    for demo in THREADS:
        rec = Recommendation.objects.filter(title=demo.title).first()
        author = User.objects.filter(username=demo.author).first()
        if rec is None or author is None or not is_open_for_discussion(rec):
            continue
        if Comment.objects.filter(recommendation=rec, author=author, body=demo.body).exists():
            continue
        key = _paragraph_key(rec, demo.paragraph)
        comment = services.post_comment(
            rec,
            actor=author,
            body=demo.body,
            anchor=key,
            quote=demo.quote if key else "",
        )
        for username, body in demo.replies:
            services.post_comment(
                rec, actor=User.objects.get(username=username), body=body, parent=comment
            )
        if demo.response is not None:
            username, status, reason = demo.response
            services.respond_to_comment(
                comment, actor=User.objects.get(username=username), status=status, reason=reason
            )
        if demo.resolved_by:
            services.resolve_comment(comment, actor=User.objects.get(username=demo.resolved_by))
        made += 1
    return made
