"""What a notification says and where it leads, in the reader's language (the caller
activates it): the same sentence in the bell, on the page, in the e-mail and the digest."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from comments.models import ResponseStatus, comment_link

from .models import Notification


def _who(n: Notification) -> str:
    if n.organisation is not None and n.kind in {"response", "endorse", "reconfirm"}:
        return n.organisation.name
    if n.actor is not None:
        return str(n.actor)
    return _("Someone")


def text(n: Notification) -> str:
    rec = n.recommendation
    values = {
        "who": _who(n),
        "title": rec.title if rec is not None else "",
        "version": n.version or n.data.get("version") or "",
        "org": n.organisation.name if n.organisation is not None else "",
        "reason": n.data.get("reason", ""),
        "number": n.data.get("number", ""),
    }
    kind, verb = n.kind, n.verb
    if kind == "comment":
        sentence = _("%(who)s commented on “%(title)s”")
    elif kind == "reply":
        sentence = _("%(who)s replied to your comment on “%(title)s”")
    elif kind == "response":
        values["response"] = str(
            dict(ResponseStatus.choices).get(n.data.get("response"), "")
        ).lower()
        sentence = _("%(who)s responded to your comment on “%(title)s”: %(response)s")
    elif kind == "mention" and n.data.get("organisation_mention"):
        sentence = _("%(who)s mentioned %(org)s in a comment on “%(title)s”")
    elif kind == "mention":
        sentence = _("%(who)s mentioned you in a comment on “%(title)s”")
    elif kind == "status" and verb == "submitted":
        sentence = _("“%(title)s” was submitted for review")
    elif kind == "status" and verb == "approved":
        sentence = _("Version %(version)s of “%(title)s” was approved")
    elif kind == "status" and verb == "rejected":
        sentence = _("“%(title)s” was rejected: %(reason)s")
    elif kind == "status" and verb == "withdrawn":
        sentence = _("“%(title)s” was withdrawn: %(reason)s")
    elif kind == "status":
        sentence = _("“%(title)s” is final (version %(version)s)")
    elif kind == "endorse":
        sentence = _("Version %(version)s of “%(title)s” is approved: %(org)s may endorse it")
    elif kind == "reconfirm":
        sentence = _(
            "Version %(version)s of “%(title)s” is approved: re-confirm the endorsement of %(org)s"
        )
    elif kind == "report":
        sentence = _("A comment on “%(title)s” was reported")
    elif kind == "finalise":
        sentence = _("Version %(version)s of “%(title)s” is approved and ready to finalise")
    else:  # edition
        sentence = _("Edition %(number)s of the conference text was published")
    return sentence % values


def path(n: Notification) -> str:
    """The exact place: the comment, the diff of the approved version, the endorsement form."""
    rec = n.recommendation
    if n.kind == "report":
        return reverse("comments:moderation")
    if n.kind == "edition":
        number = n.data.get("number")
        return (
            reverse("publication:edition", args=[number])
            if number
            else reverse("publication:latest")
        )
    if rec is None:
        return reverse("notifications:list")
    detail = reverse("recommendations:detail", args=[rec.pk])
    if n.comment_id is not None:
        return comment_link(detail, n.comment_id)
    if n.kind in {"endorse", "reconfirm"}:
        return f"{detail}#endorsements"
    if n.verb == "approved" and n.version and n.version > 1:
        compare = reverse("recommendations:compare", args=[rec.pk])
        return f"{compare}?from={n.version - 1}&to={n.version}"
    return detail


def as_data(n: Notification, unread_count: int | None = None) -> dict:
    data = {
        "id": n.pk,
        "kind": n.kind,
        "text": text(n),
        "url": path(n),
        "created_at": n.created_at,
        "read": n.read_at is not None,
    }
    if unread_count is not None:
        data["unread_count"] = unread_count
    return data
