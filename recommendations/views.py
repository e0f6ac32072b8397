"""Pages of recommendations. Every write calls a service; every read starts from the lookup
helper (404 for who may not see, 403 for who may see but not act)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import text
from accounts.models import KIND_PLURALS, Organisation
from core import panels
from core.errors import Conflict
from core.forms import apply_errors, error_messages
from core.ratelimit import RateLimited

from . import permissions as perms
from . import services
from .forms import (
    CreateForm,
    EditForm,
    FilterForm,
    OrganisationChoiceForm,
    VersionForm,
)
from .models import Recommendation, Status, VersionMeta

PAGE_SIZE = 20


@require_GET
@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    qs = Recommendation.objects.visible_to(request.user).for_list()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(
                Q(title__icontains=data["q"])
                | Q(summary__icontains=data["q"])
                | Q(body__icontains=data["q"])
            )
        if data["theme"]:
            qs = qs.filter(theme=data["theme"])
        if data["actor"]:
            qs = qs.filter(addressed__contains=f",{data['actor']},")
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["organisation"]:
            qs = qs.filter(
                Q(lead_organisation=data["organisation"]) | Q(co_drafters=data["organisation"])
            ).distinct()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    panels.prepare("recommendation.list_row", request, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "recommendations/list.html",
        {"form": form, "page": page, "query": query.urlencode(), "kind_plurals": KIND_PLURALS},
    )


def _detail_context(request: HttpRequest, rec: Recommendation) -> dict:
    user = request.user
    shown = rec
    if rec.status == Status.FINAL and rec.final_version:
        shown = VersionMeta.objects.with_text().get(recommendation=rec, number=rec.final_version)
    versions = list(
        VersionMeta.objects.filter(recommendation=rec)
        .select_related("author", "organisation")
        .only(
            "number",
            "note",
            "created_at",
            "author__username",
            "author__display_name",
            "author__first_name",
            "author__last_name",
            "organisation__name",
            "restored_from",
            "merged_with",
            "recommendation_id",
        )
    )
    activities = list(
        rec.activities.select_related("actor", "organisation").order_by("-created_at", "-pk")[:50]
    )
    return {
        "rec": rec,
        "shown": shown,
        "paragraphs": shown.paragraphs,
        "footnotes_html": shown.footnotes_html,
        "versions": versions,
        "activities": activities,
        "organisations": rec.organisations,
        "can": {
            "edit": perms.can_edit(user, rec),
            "submit": perms.can_submit(user, rec),
            "withdraw": perms.can_withdraw(user, rec),
            "approve": perms.can_approve(user, rec),
            "reject": perms.can_reject(user, rec),
            "finalise": perms.can_finalise(user, rec),
            "manage": perms.can_manage_drafters(user, rec),
        },
        "other_organisations": Organisation.objects.exclude(
            pk__in=[o.pk for o in rec.organisations]
        ).only("slug", "name")
        if perms.can_manage_drafters(user, rec)
        else [],
    }


def _load(request: HttpRequest, pk: int) -> Recommendation:
    return perms.get_recommendation_for(
        request.user, pk, Recommendation.objects.prefetch_related("co_drafters")
    )


@require_GET
@login_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _load(request, pk)
    return render(request, "recommendations/detail.html", _detail_context(request, rec))


def _action_failed(
    request: HttpRequest, rec: Recommendation, message: str, status: int
) -> HttpResponse:
    messages.error(request, message)
    rec.refresh_from_db()
    response = render(request, "recommendations/detail.html", _detail_context(request, rec))
    response.status_code = status
    return response


def run_action(
    request: HttpRequest, pk: int, action: Callable[[Recommendation], str]
) -> HttpResponse:
    rec = _load(request, pk)
    try:
        message = action(rec)
    except Conflict as exc:
        return _action_failed(request, rec, exc.message, 409)
    except ValidationError as exc:
        return _action_failed(request, rec, " ".join(error_messages(exc)), 400)
    except RateLimited as exc:
        response = _action_failed(request, rec, exc.message, 429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    messages.success(request, message)
    return redirect(rec)


@require_POST
@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    def act(rec):
        services.submit_for_review(rec, actor=request.user)
        return _("Submitted for review.")

    return run_action(request, pk, act)


@require_POST
@login_required
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    def act(rec):
        form = VersionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose the version to approve."))
        rec = services.approve_version(
            rec, version=form.cleaned_data["version"], actor=request.user
        )
        return _("Version %(n)s approved.") % {"n": rec.approved_version}

    return run_action(request, pk, act)


def _reason_action(service, done: str):
    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        def act(rec):
            service(rec, reason=request.POST.get("reason", ""), actor=request.user)
            return done

        return run_action(request, pk, act)

    return view


reject = _reason_action(services.reject_recommendation, gettext_lazy("Rejected."))
withdraw = _reason_action(services.withdraw_recommendation, gettext_lazy("Withdrawn."))


@require_POST
@login_required
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    def act(rec):
        rec = services.finalise_recommendation(rec, actor=request.user)
        return _("Finalised: version %(n)s is the final text.") % {"n": rec.final_version}

    return run_action(request, pk, act)


@require_POST
@login_required
def restore(request: HttpRequest, pk: int) -> HttpResponse:
    def act(rec):
        rec = services.restore_version(rec, actor=request.user, version=request.POST.get("version"))
        return _("Restored as version %(n)s.") % {"n": rec.version}

    return run_action(request, pk, act)


@require_POST
@login_required
def drafters(request: HttpRequest, pk: int) -> HttpResponse:
    def act(rec):
        form = OrganisationChoiceForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose an organisation."))
        org = form.cleaned_data["organisation"]
        if request.POST.get("action") == "remove":
            services.remove_co_drafter(rec, organisation=org, actor=request.user)
            return _("%(org)s no longer drafts this.") % {"org": org.name}
        services.add_co_drafter(rec, organisation=org, actor=request.user)
        return _("%(org)s now co-drafts this.") % {"org": org.name}

    return run_action(request, pk, act)


@require_http_methods(["GET", "POST"])
@login_required
def create(request: HttpRequest) -> HttpResponse:
    if not Organisation.objects.of_user(request.user).exists():
        raise PermissionDenied(_("Only members of an organisation can draft."))
    form = CreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            rec = services.create_recommendation(
                actor=request.user,
                title=data["title"],
                theme=data["theme"],
                addressed_to=data["addressed_to"],
                body=data["body"],
                summary=data["summary"],
                organisation=data["organisation"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Draft saved as version 1."))
            return redirect(rec)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request, "recommendations/edit.html", {"form": form, "creating": True}, status=status
    )


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _load(request, pk)
    perms.require(perms.can_edit(request.user, rec), _("You cannot edit this recommendation."))
    initial = {
        "title": rec.title,
        "theme": rec.theme.slug,
        "addressed_to": rec.addressed_to,
        "summary": rec.summary,
        "body": rec.body,
        "base_version": rec.version,
    }
    form = EditForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.edit_recommendation(
                rec,
                actor=request.user,
                base_version=data["base_version"],
                title=data["title"],
                body=data["body"],
                summary=data["summary"],
                addressed_to=data["addressed_to"],
                theme=data["theme"],
                note=data["note"],
                live=data.get("live", False),
            )
        except services.EditConflict as exc:
            rec.refresh_from_db()
            conflict = exc
        except Conflict as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if not result.saved:
                messages.info(request, _("Nothing changed; no new version was made."))
            elif result.merged_with:
                messages.success(
                    request,
                    _("Saved as version %(n)s, merged with the changes of version %(m)s.")
                    % {"n": result.recommendation.version, "m": result.merged_with},
                )
            else:
                messages.success(
                    request, _("Saved as version %(n)s.") % {"n": result.recommendation.version}
                )
            return redirect(rec)
    if conflict is not None:
        # Nothing was saved. Show both texts; the form keeps what the user typed and now
        # builds on the current version, so saving it again is a deliberate resolution.
        data = request.POST.copy()
        data["base_version"] = str(rec.version)
        form = EditForm(data, initial=initial)
        form.is_valid()
        return render(
            request,
            "recommendations/conflict.html",
            {
                "rec": rec,
                "form": form,
                "conflict": conflict,
                "conflicts": conflict.payload.get("conflicts", []),
            },
            status=409,
        )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "recommendations/edit.html", {"form": form, "rec": rec}, status=status)


@require_GET
@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _load(request, pk)
    versions = (
        VersionMeta.objects.filter(recommendation=rec)
        .select_related("author", "organisation")
        .defer("body_html", "paragraphs", "footnotes_html")
    )
    return render(
        request,
        "recommendations/history.html",
        {"rec": rec, "versions": versions, "can_restore": perms.can_edit(request.user, rec)},
    )


@require_GET
@login_required
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _load(request, pk)
    try:
        old = services.get_version(rec, request.GET.get("from", max(rec.version - 1, 1)))
        new = services.get_version(rec, request.GET.get("to", rec.version))
    except ValidationError as exc:
        return render(
            request,
            "recommendations/compare.html",
            {"rec": rec, "error": " ".join(error_messages(exc))},
            status=400,
        )
    old_text = f"# {old.title}\n\n{old.body}"
    new_text = f"# {new.title}\n\n{new.body}"
    return render(
        request,
        "recommendations/compare.html",
        {
            "rec": rec,
            "old": old,
            "new": new,
            "inline": text.diff_inline(old_text, new_text),
            "rows": text.diff_side_by_side(old_text, new_text),
            "numbers": range(1, rec.version + 1),
        },
    )


@require_POST
@login_required
def preview(request: HttpRequest) -> JsonResponse:
    """Server-side preview with the same renderer and sanitiser as the stored text."""
    body = request.POST.get("body", "")
    if len(body) > 100_000:
        return JsonResponse({"error": _("The text is too long.")}, status=400)
    blocks = text.split_blocks(body)
    paragraphs, footnotes = text.render_paragraphs(
        blocks, [f"preview-{i}" for i in range(len(blocks))]
    )
    return JsonResponse({"html": "".join(p["html"] for p in paragraphs) + footnotes})
