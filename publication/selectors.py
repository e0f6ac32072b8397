"""Reads of endorsements and editions, each a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.urls import reverse

from accounts.models import Organisation
from core import rules
from recommendations.models import Recommendation, Status

from .models import Edition, EditionDocument, Endorsement
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


def most_supported(qs: QuerySet) -> QuerySet:
    """The list's "Most supported" order: most organisations endorsing now first."""
    live = Q(endorsements__withdrawn_at__isnull=True)
    return qs.annotate(support=Count("endorsements", filter=live, distinct=True)).order_by(
        "-support", "theme__position", "title", "pk"
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


def older_than_approved(prefix: str = "recommendation") -> Q:
    """The re-confirmation rule, as a filter on rows with a ``version`` and a ``prefix``
    recommendation: made on a version older than the one approved now, on a recommendation
    still open for endorsement (approved, not final). Endorsements and commitments (the
    ``commitments`` app) both ask it."""
    return Q(**{f"{prefix}__status": Status.APPROVED}) & Q(
        version__lt=F(f"{prefix}__approved_version")
    )


def is_older_than_approved(version: int, rec: Recommendation) -> bool:
    """The same rule for one row already loaded: ``older_than_approved`` in Python."""
    return (
        rec.status == Status.APPROVED
        and rec.approved_version is not None
        and version < rec.approved_version
    )


def reconfirm_prompts(user) -> list[Endorsement]:
    """Endorsements by the user's organisations of a version older than the one approved now,
    on recommendations still open for endorsement: each asks to be re-confirmed."""
    if not is_active_user(user):
        return []
    return list(
        Endorsement.objects.live()
        .filter(
            older_than_approved(),
            organisation__in=Organisation.objects.represented_by(user),
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


def edition_document(number: int, language: str) -> EditionDocument:
    """The document of a published edition in ``language``, or 404."""
    document = (
        EditionDocument.objects.filter(
            edition__number=number, edition__published_at__isnull=False, language=language
        )
        .select_related("edition")
        .first()
    )
    if document is None:
        raise Http404("No such document")
    return document


def document_links(edition: Edition) -> list[dict[str, Any]]:
    """Each language's document of a published edition: its language, file name, SHA-256 and
    URL (one query)."""
    return [
        {
            "language": d.language,
            "name": str(dict(settings.LANGUAGES).get(d.language, d.language)),
            "sha256": d.sha256,
            "filename": f"edition-{edition.number}.{d.language}.md",
            "url": reverse(
                "publication:language_markdown",
                kwargs={"number": edition.number, "language": d.language},
            ),
            "entries": d.entries,
        }
        for d in edition.documents.order_by("language").only("language", "sha256", "entries")
    ]


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
