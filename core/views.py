"""The audit log pages (``/audit/``): a filtered, paginated list and its CSV export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import csv as core_csv
from .activity import sentences, verb_pattern
from .audit import PAGE_SIZE, AuditFilter, audit_rows, may_read_audit

EXPORT_LIMIT = 50_000


def _require_reader(request: HttpRequest) -> None:
    if not may_read_audit(request.user):
        raise PermissionDenied(_("Only moderators, the secretariat and staff read the audit log."))


@require_GET
@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    form = AuditFilter(request.GET or None)
    page = Paginator(audit_rows(form), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            # Each kind of act named by its sentence, in the reader's language and order.
            "verbs": sorted(
                ((verb, verb_pattern(verb)) for verb, _sentence in sentences.items()),
                key=lambda item: item[1].lstrip("… ").casefold(),
            ),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


@require_GET
@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered rows as CSV (UTC times, every field quoted)."""
    _require_reader(request)
    form = AuditFilter(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponse(" ".join(m for ms in form.errors.values() for m in ms), status=400)
    response = core_csv.attachment("audit.csv")
    writer = core_csv.writer(response)  # every field quoted, formula starts neutralised
    writer.writerow(
        [
            "time (UTC)",
            "who",
            "organisation",
            "role",
            "what",
            "sentence",
            "recommendation",
            "version",
            "address",
        ]
    )
    for row in audit_rows(form)[:EXPORT_LIMIT].iterator(chunk_size=2000):
        writer.writerow(
            [
                row.created_at.isoformat(),
                row.actor.username if row.actor else "",
                row.organisation.name if row.organisation else "",
                row.role,
                row.verb,
                row.describe(),
                row.recommendation_id or "",
                row.version if row.version is not None else "",
                row.address or "",
            ]
        )
    return response
