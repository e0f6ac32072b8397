"""Reads of endorsements and editions, each a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import F, Prefetch, prefetch_related_objects
from django.http import Http404

from accounts.models import Organisation
from core import rules
from recommendations.models import Recommendation, Status

from .models import Edition, Endorsement
from .permissions import is_active_user

PROMPT_LIMIT = 10


def attach_support(recommendations: Sequence[Recommendation]) -> None:
    """Give each recommendation of a list page its ``live_endorsements`` (one query for the
    page, however many rows and endorsements)."""
    prefetch_related_objects(
        list(recommendations),
        Prefetch(
            "endorsements",
            queryset=Endorsement.objects.live()
            .select_related("organisation")
            .order_by("organisation__name", "pk"),
            to_attr="live_endorsements",
        ),
    )


def detail_context(user, rec: Recommendation) -> dict[str, Any]:
    """What the endorsements panel of a recommendation page needs (two queries at most)."""
    endorsements = list(Endorsement.objects.live().filter(recommendation=rec).for_display())
    endorse_as = []
    if is_active_user(user):
        by_org = {e.organisation_id: e for e in endorsements}
        for org in Organisation.objects.represented_by(user).order_by("name"):
            endorse_as.append({"organisation": org, "endorsement": by_org.get(org.pk)})
    deadline = rules.deadline("endorsement")
    return {
        "endorsements": endorsements,
        "endorse_as": endorse_as,
        "endorsement_deadline": deadline,
        "endorsing_open": rec.status == Status.APPROVED
        and rec.approved_version is not None
        and not (deadline is not None and deadline.closed),
    }


def reconfirm_prompts(user) -> list[Endorsement]:
    """Endorsements by the user's organisations of a version older than the one approved now,
    on recommendations still open for endorsement: each asks to be re-confirmed."""
    if not is_active_user(user):
        return []
    return list(
        Endorsement.objects.live()
        .filter(
            organisation__in=Organisation.objects.represented_by(user),
            recommendation__status=Status.APPROVED,
            version__lt=F("recommendation__approved_version"),
        )
        .select_related("recommendation", "recommendation__theme", "organisation")
        .order_by("-recommendation__approved_at", "organisation__name")[:PROMPT_LIMIT]
    )


def latest_edition() -> Edition | None:
    return Edition.objects.published().first()


def published_edition(number: int) -> Edition:
    edition = Edition.objects.published().filter(number=number).first()
    if edition is None:
        raise Http404("No such edition")
    return edition


def edition_stamps(
    number: int | None = None, extra: tuple[str, ...] = ()
) -> tuple[Edition | None, Edition | None]:
    """The published edition ``number`` (the latest if None) and the latest edition, with
    only what identifies their content (``number``, ``sha256``, ``published_at``): one small
    query, for the validators of conditional requests, before any page is built. The first
    is None if there is no such edition."""
    published = Edition.objects.published().only("number", "sha256", "published_at", *extra)
    if number is None:
        latest = published.first()
        return latest, latest
    from_number = list(published.filter(number__gte=number))  # newest first; a few rows
    latest = from_number[0] if from_number else None
    if not from_number or from_number[-1].number != number:
        return None, latest
    return from_number[-1], latest


def pdf_bytes(edition: Edition) -> bytes:
    """The stored PDF of a published edition (deferred by ``published()``)."""
    data = Edition.objects.filter(pk=edition.pk).values_list("pdf", flat=True).first()
    return bytes(data or b"")
