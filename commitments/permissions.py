"""Who may see and do what with commitments and organisation pages: one place, asked by the
pages, the API, the sockets and the services.

- A commitment, its progress and its re-confirmation: the representatives of its
  organisation. Verifying an update and asking for one: the secretariat.
- An organisation's page, profile and pilot project: its representatives.
- Reading: ``Commitment.objects.visible_to`` (public commitments on published texts for
  everyone, every public one for participants, private ones for the organisation's members,
  the moderators and the secretariat); 404 for the others, exactly like a missing one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.models import Organisation
from core.cleaning import non_negative_int
from publication.permissions import is_active_user, is_secretariat, represents
from recommendations import permissions as rec_perms
from recommendations.models import Recommendation

from .models import Commitment, published_recommendations

__all__ = [
    "can_edit_page",
    "can_see_private",
    "get_commitment_for",
    "get_organisation",
    "get_recommendation_for_followup",
    "is_secretariat",
    "represents",
    "require",
]

require = rec_perms.require


def can_see_private(user, organisation: Organisation) -> bool:
    """Members of the organisation, moderators and the secretariat see its private
    commitments, draft profile revisions and an unpublished pilot project."""
    if not is_active_user(user):
        return False
    if user.is_moderator or user.is_secretariat:
        return True
    return Organisation.objects.of_user(user).filter(pk=organisation.pk).exists()


def can_edit_page(user, organisation: Organisation) -> bool:
    return represents(user, organisation)


def get_organisation(slug: str) -> Organisation:
    """Every organisation has a public page: 404 only for a slug that names none."""
    organisation = Organisation.objects.filter(slug=str(slug)[:80]).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


def get_commitment_for(user, pk: int | str) -> Commitment:
    """The commitment if ``user`` may see it; else 404 exactly like a missing one."""
    try:
        pk = non_negative_int(pk, "pk")
    except ValidationError:
        raise Http404("No such commitment") from None
    commitment = (
        Commitment.objects.visible_to(user)
        .select_related("organisation", "recommendation", "recommendation__theme")
        .filter(pk=pk)
        .first()
    )
    if commitment is None:
        raise Http404("No such commitment")
    return commitment


def get_recommendation_for_followup(user, pk: int | str) -> Recommendation:
    """A recommendation's follow-up: participants see what they may see; the public sees the
    recommendations a published edition carries; 404 otherwise."""
    if is_active_user(user):
        return rec_perms.get_recommendation_for(user, pk)
    try:
        pk = non_negative_int(pk, "pk")
    except ValidationError:
        raise Http404("No such recommendation") from None
    rec = (
        Recommendation.objects.filter(pk=pk, pk__in=published_recommendations())
        .select_related("theme")
        .first()
    )
    if rec is None:
        raise Http404("No such recommendation")
    return rec
