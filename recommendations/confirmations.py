"""What each irreversible step of a recommendation says before it is taken (issue 13).

One text per action, used by the confirmation page (without JavaScript) and by the dialog
that the page's script opens (with it): the form carries ``confirm=ask``; the server answers
it with the confirmation page, whose own form confirms. A POST without ``confirm=ask`` (a
script, the API's clients, the confirmation page itself) acts at once, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _

from .models import Recommendation

ASK = "ask"


@dataclass(frozen=True)
class Confirmation:
    action: str
    title: str
    text: str
    button: str
    danger: bool = False
    needs_version: bool = False
    needs_reason: bool = False
    reason_label: str = ""


def confirmation(
    action: str, rec: Recommendation, version: int | str | None = None
) -> Confirmation:
    """The question for ``action`` on ``rec``. ``version`` is the version the step names (the
    one to approve; the submitted or approved one otherwise); ``"{version}"`` leaves a slot
    that the page's script fills with the version chosen in the form."""
    title = rec.title
    if action == "submit":
        n = version or rec.version
        return Confirmation(
            action,
            _("Submit version %(n)s for review?") % {"n": n},
            _(
                "Moderators are asked to approve “%(title)s”. You can keep editing; a moderator "
                "approves one exact version, and a change after that needs a new approval."
            )
            % {"title": title},
            _("Submit for review"),
        )
    if action == "approve":
        n = version or rec.version
        return Confirmation(
            action,
            _("Approve version %(n)s?") % {"n": n},
            _(
                "Representatives can then endorse exactly version %(n)s of “%(title)s”. "
                "A later version needs its own approval."
            )
            % {"n": n, "title": title},
            _("Approve version %(n)s") % {"n": n},
            needs_version=True,
        )
    if action == "finalise":
        n = version or rec.approved_version
        return Confirmation(
            action,
            _("Finalise version %(n)s?") % {"n": n},
            _(
                "Version %(n)s of “%(title)s” becomes the final text: nobody can change it "
                "any more, and the secretariat can publish it. This cannot be undone."
            )
            % {"n": n, "title": title},
            _("Finalise version %(n)s") % {"n": n},
        )
    if action == "reject":
        return Confirmation(
            action,
            _("Reject “%(title)s”?") % {"title": title},
            _(
                "The recommendation leaves the process for good: it can no longer be edited, "
                "approved or endorsed. Its drafters and every reader see your reason."
            ),
            _("Reject"),
            danger=True,
            needs_reason=True,
            reason_label=_("Reason for rejection"),
        )
    if action == "withdraw":
        return Confirmation(
            action,
            _("Withdraw “%(title)s”?") % {"title": title},
            _(
                "The recommendation leaves the process for good: it can no longer be edited, "
                "approved or endorsed. Every reader sees your reason."
            ),
            _("Withdraw"),
            danger=True,
            needs_reason=True,
            reason_label=_("Reason for withdrawal"),
        )
    raise ValueError(f"no confirmation for {action!r}")


def asks(request: HttpRequest) -> bool:
    """Whether this request wants the question rather than the step: a GET (the confirmation
    page by its address) or a form posted with ``confirm=ask``."""
    return request.method == "GET" or request.POST.get("confirm") == ASK
