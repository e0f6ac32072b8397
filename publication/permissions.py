"""Who may endorse, withdraw and re-confirm for an organisation, and who composes and
publishes editions: one place, used by pages, API and services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404

from accounts.models import Organisation
from core.cleaning import non_negative_int
from recommendations import permissions as rec_perms

from .models import Edition


def is_active_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def represents(user, organisation: Organisation) -> bool:
    """Whether ``user`` is a representative of ``organisation`` (may act in its name)."""
    return (
        is_active_user(user)
        and Organisation.objects.represented_by(user).filter(pk=organisation.pk).exists()
    )


def is_secretariat(user) -> bool:
    return is_active_user(user) and user.is_secretariat


def require_representative(actor, organisation: Organisation, message: str) -> None:
    rec_perms.require(represents(actor, organisation), message % {"org": organisation.name})


def require_secretariat(actor, message: str) -> None:
    rec_perms.require(is_secretariat(actor), message)


def get_edition_for(user, pk: int | str) -> Edition:
    """A published edition (anyone), or a draft (the secretariat only); else 404 exactly like
    an edition that does not exist."""
    try:
        pk = non_negative_int(pk, "pk")
    except ValidationError:
        raise Http404("No such edition") from None
    edition = Edition.objects.filter(pk=pk).first()
    if edition is None or not (edition.is_published or is_secretariat(user)):
        raise Http404("No such edition")
    return edition
