"""Who sees and changes what of the conference: one place for pages, API and services.

Everyone (signed in or not) reads the conference, its themes and its programme; only the
secretariat changes them. The overview is for signed-in people (it counts drafts they may see).
"""

from __future__ import annotations

from django.http import Http404

from publication.permissions import is_active_user, is_secretariat
from recommendations import permissions as rec_perms
from recommendations.models import Recommendation

from .models import Conference, Session

__all__ = ["get_session", "is_active_user", "is_secretariat", "require_secretariat"]


def require_secretariat(actor, message: str) -> None:
    rec_perms.require(is_secretariat(actor), message)


def current_conference() -> Conference:
    """The conference, or 404 (none configured yet)."""
    conference = Conference.objects.current()
    if conference is None:
        raise Http404("No conference is configured yet.")
    return conference


def get_session(pk: int | str) -> Session:
    """A session of the programme (public), or 404."""
    try:
        return Session.objects.for_programme().get(pk=int(pk))
    except (Session.DoesNotExist, TypeError, ValueError):
        raise Http404("No such session") from None


def discussed_recommendations(user, session: Session) -> list[Recommendation]:
    """The recommendations discussed in ``session`` that ``user`` may read (none for the
    public: the programme is public, texts in discussion are not)."""
    return list(
        Recommendation.objects.visible_to(user)
        .filter(sessions=session)
        .select_related("theme")
        .order_by("theme__position", "title", "pk")
    )


def visible_ids(user, sessions: list[Session]) -> set[int]:
    """Of the recommendations discussed in ``sessions``, those ``user`` may read (one query)."""
    return set(
        Recommendation.objects.visible_to(user)
        .filter(sessions__in=sessions)
        .values_list("pk", flat=True)
    )
