"""What a person's role lets them do, in one sentence per role (issue 13): shown on the home
page and the profile, so nobody has to find out by clicking."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from .models import Membership


def _names(memberships: Iterable[Membership]) -> str:
    return ", ".join(m.organisation.name for m in memberships)


def what_you_can_do(user, memberships: list[Membership]) -> list[str]:
    """One sentence per role ``user`` holds, most powerful first (plain text: the template
    isolates it for direction)."""
    if not getattr(user, "is_authenticated", False):
        return []
    sentences: list[str] = []
    if user.is_secretariat:
        sentences.append(
            _(
                "As the conference secretariat, you finalise approved versions and publish "
                "the editions of the final text."
            )
        )
    if user.is_moderator:
        sentences.append(
            _(
                "As a moderator, you approve or reject the versions that drafters submit, "
                "and handle reported comments."
            )
        )
    representing = [m for m in memberships if m.role == Membership.Role.REPRESENTATIVE]
    members = [m for m in memberships if m.role != Membership.Role.REPRESENTATIVE]
    if representing:
        sentences.append(
            _(
                "As a representative of %(organisations)s, you draft recommendations with "
                "your organisation, comment, and endorse approved versions in its name."
            )
            % {"organisations": _names(representing)}
        )
    if members:
        sentences.append(
            _(
                "As a member of %(organisations)s, you draft recommendations with your "
                "organisation and comment on the texts open for comments; its "
                "representatives endorse them."
            )
            % {"organisations": _names(members)}
        )
    if not sentences:
        sentences.append(
            _(
                "You can read the recommendations and comment on those open for comments. "
                "To draft or endorse, ask a representative of your organisation to add you."
            )
        )
    return sentences
