"""Pages of commitments, follow-up and organisations. The public ones (organisation pages,
follow-up) need no login and show what ``Commitment.objects.visible_to`` allows; every form
calls a service, and a refusal re-renders the page with the message and its status code."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import Organisation
from core.errors import Conflict
from core.forms import error_messages
from core.ratelimit import RateLimited
from recommendations.models import Theme
from recommendations.views import run_action

from . import permissions as perms
from . import selectors, services
from .models import ProfileSection, ProgressStatus, ProgressUpdate


def _failed(request: HttpRequest, exc: Exception) -> tuple[str, int]:
    if isinstance(exc, Conflict):
        return exc.message, 409
    if isinstance(exc, ValidationError):
        return " ".join(error_messages(exc)), 400
    if isinstance(exc, RateLimited):
        return exc.message, 429
    return str(exc) or _("You may not do this."), 403


def _act(
    request: HttpRequest,
    action: Callable[[], str],
    page: Callable[[], HttpResponse],
    success_url: str,
) -> HttpResponse:
    """Run a service; on success a message and a redirect, on refusal the page again with
    the message and the status (400, 403, 409, 429)."""
    try:
        message = action()
    except (Conflict, ValidationError, RateLimited, PermissionDenied) as exc:
        text, status = _failed(request, exc)
        messages.error(request, text)
        response = page()
        response.status_code = status
        if isinstance(exc, RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response
    messages.success(request, message)
    return redirect(success_url)


def _organisation(request: HttpRequest) -> Organisation:
    slug = request.POST.get("organisation", "")
    org = Organisation.objects.filter(slug=slug[:80]).first() if slug else None
    if org is None:
        raise ValidationError(_("Choose the organisation you act for."))
    return org


# --- commitments ---------------------------------------------------------------------------------
@require_POST
@login_required
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    """The commitment form of a recommendation page."""

    def act(rec):
        org = _organisation(request)
        services.make_commitment(
            rec,
            organisation=org,
            actor=request.user,
            action=request.POST.get("action", ""),
            actor_kind=request.POST.get("actor_kind") or None,
            target_date=request.POST.get("target_date", ""),
            indicator=request.POST.get("indicator", ""),
            indicator_unit=request.POST.get("indicator_unit", ""),
            target_value=request.POST.get("target_value", ""),
            is_public=request.POST.get("is_public") == "on",
            endorse=request.POST.get("endorse") == "on",
            statement=request.POST.get("statement", ""),
        )
        return _("%(org)s's commitment is recorded.") % {"org": org.name}

    return run_action(request, pk, act)


def _commitment_page(request: HttpRequest, commitment) -> HttpResponse:
    updates = selectors.updates_of(commitment)
    selectors.decorate([commitment])
    can_act = perms.represents(request.user, commitment.organisation)
    return render(
        request,
        "commitments/detail.html",
        {
            "c": commitment,
            "updates": updates,
            "chart": selectors.chart_points(commitment, updates),
            "can_act": can_act,
            "can_verify": perms.is_secretariat(request.user),
            "reconfirm": can_act and services.needs_reconfirmation(commitment),
            "statuses": ProgressStatus.choices,
            "followup_open": services.followup_opens(),
            "changes": selectors.changes_of(commitment),
        },
    )


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _commitment_page(request, perms.get_commitment_for(request.user, pk))


def _commitment_action(request: HttpRequest, pk: int, action: Callable[[Any], str]) -> HttpResponse:
    commitment = perms.get_commitment_for(request.user, pk)

    def page() -> HttpResponse:
        fresh = perms.get_commitment_for(request.user, pk)
        return _commitment_page(request, fresh)

    return _act(request, lambda: action(commitment), page, commitment.get_absolute_url())


@require_POST
@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    def act(commitment) -> str:
        services.post_progress(
            commitment,
            actor=request.user,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
            current_value=request.POST.get("current_value", ""),
            link=request.POST.get("link", ""),
            reason=request.POST.get("reason", ""),
        )
        return _("Progress update posted.")

    return _commitment_action(request, pk, act)


@require_POST
@login_required
def verify(request: HttpRequest, pk: int, update: int) -> HttpResponse:
    def act(commitment) -> str:
        row = ProgressUpdate.objects.filter(pk=update, commitment=commitment).first()
        if row is None:
            raise Http404("No such update")
        services.verify_progress(row, actor=request.user)
        return _("Update marked as verified.")

    return _commitment_action(request, pk, act)


@require_POST
@login_required
def request_update(request: HttpRequest, pk: int) -> HttpResponse:
    def act(commitment) -> str:
        services.request_update(commitment, actor=request.user)
        return _("%(org)s is asked for an update.") % {"org": commitment.organisation.name}

    return _commitment_action(request, pk, act)


@require_POST
@login_required
def reconfirm(request: HttpRequest, pk: int) -> HttpResponse:
    def act(commitment) -> str:
        c = services.reconfirm_commitment(commitment, actor=request.user)
        return _("The commitment now stands on version %(n)s.") % {"n": c.version}

    return _commitment_action(request, pk, act)


@require_POST
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change what was committed to; every change is recorded and shown on the page."""

    def act(commitment) -> str:
        services.update_commitment(
            commitment,
            actor=request.user,
            **{field: request.POST.get(field, "") for field in services.EDITABLE_TEXT},
        )
        return _("The commitment is changed; the change is recorded.")

    return _commitment_action(request, pk, act)


@require_POST
@login_required
def visibility(request: HttpRequest, pk: int) -> HttpResponse:
    def act(commitment) -> str:
        public = request.POST.get("is_public") == "on"
        services.update_commitment(commitment, actor=request.user, is_public=public)
        return _("The commitment is public.") if public else _("The commitment is private.")

    return _commitment_action(request, pk, act)


# --- follow-up -----------------------------------------------------------------------------------
@require_safe
def followup(request: HttpRequest) -> HttpResponse:
    numbers = selectors.overview_numbers()
    return render(
        request,
        "commitments/followup.html",
        {
            "numbers": numbers,
            "commitments": selectors.public_list(),
            "chart": _bars(numbers["by_kind"]),
        },
    )


def _bars(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """SVG geometry of the bar chart by kind of actor (a 100-unit bar for the largest)."""
    top = max([row["total"] for row in rows] or [1]) or 1
    bars = [
        {
            "label": row["label"],
            "y": 10 * i + 2,
            "text_y": 10 * i + 7,
            "total": round(100 * row["total"] / top, 1),
            "done": round(100 * row["done"] / top, 1),
        }
        for i, row in enumerate(rows)
    ]
    return {"bars": bars, "height": 10 * len(bars) + 2}


@require_safe
def followup_recommendation(request: HttpRequest, pk: int) -> HttpResponse:
    rec = perms.get_recommendation_for_followup(request.user, pk)
    context = selectors.recommendation_context(request.user, rec)
    return render(request, "commitments/followup_recommendation.html", {"rec": rec, **context})


# --- organisations -------------------------------------------------------------------------------
@require_safe
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    org = perms.get_organisation(slug)
    return render(
        request, "commitments/organisation.html", selectors.organisation_context(request.user, org)
    )


@require_safe
def logo(request: HttpRequest, slug: str) -> HttpResponse:
    """The re-encoded logo, with the content type of its format (never the upload's)."""
    org = perms.get_organisation(slug)
    page = getattr(org, "page", None)
    if page is None or not page.logo or not page.logo_type:
        raise Http404("No logo")
    with page.logo.open("rb") as stored:  # small: re-encoded to at most 400 px a side
        response = HttpResponse(stored.read(), content_type=page.logo_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _edit_page(request: HttpRequest, org: Organisation) -> HttpResponse:
    context = selectors.organisation_context(request.user, org)
    context.update(
        {
            "sections": ProfileSection.choices,
            "themes": Theme.objects.order_by("position", "name"),
            "latest": {r.section: r for r in context["profile"]},
        }
    )
    return render(request, "commitments/organisation_edit.html", context)


def _editable(request: HttpRequest, slug: str) -> Organisation:
    org = perms.get_organisation(slug)
    perms.require(
        perms.can_edit_page(request.user, org),
        _("Only representatives of %(org)s can edit its page.") % {"org": org.name},
    )
    return org


@login_required
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    org = _editable(request, slug)
    if request.method != "POST":
        return _edit_page(request, org)

    def act() -> str:
        services.save_page(
            org,
            actor=request.user,
            description=request.POST.get("description", ""),
            logo=request.FILES.get("logo"),
            remove_logo=request.POST.get("remove_logo") == "on",
        )
        return _("The page of %(org)s is saved.") % {"org": org.name}

    return _act(request, act, lambda: _edit_page(request, org), _edit_url(org))


def _edit_url(org: Organisation) -> str:
    return reverse("commitments:organisation_edit", args=[org.slug])


@require_POST
@login_required
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    org = _editable(request, slug)

    def act() -> str:
        services.add_profile_revision(
            org,
            actor=request.user,
            section=request.POST.get("section", ""),
            text=request.POST.get("text", ""),
            publish=request.POST.get("publish") == "on",
        )
        return _("A new revision of the profile is saved.")

    return _act(request, act, lambda: _edit_page(request, org), _edit_url(org))


@require_POST
@login_required
def pilot(request: HttpRequest, slug: str) -> HttpResponse:
    org = _editable(request, slug)

    def act() -> str:
        theme = Theme.objects.filter(slug=request.POST.get("theme", "")[:80]).first()
        services.save_pilot(
            org,
            actor=request.user,
            title=request.POST.get("title", ""),
            summary=request.POST.get("summary", ""),
            results=request.POST.get("results", ""),
            theme=theme,
            publish=request.POST.get("publish") == "on",
        )
        return _("The pilot project is saved.")

    return _act(request, act, lambda: _edit_page(request, org), _edit_url(org))


@require_safe
def profile_history(request: HttpRequest, slug: str, section: str) -> HttpResponse:
    org = perms.get_organisation(slug)
    if section not in ProfileSection.values:
        raise Http404("No such section")
    return render(
        request,
        "commitments/profile_history.html",
        {
            "organisation": org,
            "section": ProfileSection(section),
            "revisions": selectors.profile_history(request.user, org, section),
        },
    )
