"""The kinds of notification, and for each whether its e-mail goes out at once, in the daily
digest or not at all unless the person asks (the defaults, chosen not to flood: what asks
something of you now is immediate, what you may read later is in the digest).

This table is the public contract of ``GET/PUT /api/notification-preferences/`` and is tested
as data (``tests/notifications/test_kinds.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    DIGEST = "digest", _("In the daily digest")
    NEVER = "never", _("Never")


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    default: str  # a Channel value


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("comment", _("A comment on a recommendation you draft or follow"), Channel.DIGEST),
        Kind("reply", _("A reply to your comment"), Channel.IMMEDIATE),
        Kind("response", _("An official response to your comment"), Channel.IMMEDIATE),
        Kind("mention", _("A mention of you or your organisation"), Channel.IMMEDIATE),
        Kind("status", _("A recommendation you draft or follow changed status"), Channel.DIGEST),
        Kind("endorse", _("An approved version your organisation may endorse"), Channel.IMMEDIATE),
        Kind("reconfirm", _("A newer approved version to re-confirm"), Channel.IMMEDIATE),
        Kind("report", _("A reported comment (moderators)"), Channel.DIGEST),
        Kind("finalise", _("A recommendation ready to finalise (secretariat)"), Channel.DIGEST),
        Kind(
            "edition", _("An edition of the conference text was published"), Channel.NEVER
        ),  # secretariat; others opt in
    )
}
KIND_CHOICES = [(kind.key, kind.label) for kind in KINDS.values()]

# The hour of the daily digest in the person's own time zone, unless they choose another.
DEFAULT_DIGEST_HOUR = 8
