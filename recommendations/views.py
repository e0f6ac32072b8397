"""Pages of recommendations. Every write calls a service; every read starts from the lookup
helper (404 for who may not see, 403 for who may see but not act)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import text
from accounts.models import KIND_PLURALS, Organisation
from core import panels
from core.errors import Conflict
from core.forms import QuickSelect, apply_errors, error_messages
from core.ratelimit import RateLimited
from text.render import number_paragraphs
from text.rendered_diff import html_word_diff

from . import confirmations, listing, search, services, translations
from . import permissions as perms
from .forms import (
    CreateForm,
    EditForm,
    FilterForm,
    OrganisationChoiceForm,
    TranslationForm,
    VersionForm,
)
from .models import Recommendation, Status, VersionMeta

PAGE_SIZE = 20
HISTORY_PAGE_SIZE = 50


@require_GET
@login_required
def recommendation_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    qs = Recommendation.objects.visible_to(request.user).for_list()
    words = ""
    if form.is_bound and form.is_valid():
        qs = listing.results(qs, form.cleaned_data)
        words = form.cleaned_data["q"]
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    if words:
        search.attach_hits(page.object_list, words)
    panels.prepare("recommendation.list_row", request, page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "recommendations/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "kind_plurals": KIND_PLURALS,
            "can_draft": perms.can_draft(request.user),
        },
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
    can = {
        "edit": perms.can_edit(user, rec),
        "submit": perms.can_submit(user, rec),
        "withdraw": perms.can_withdraw(user, rec),
        "approve": perms.can_approve(user, rec),
        "reject": perms.can_reject(user, rec),
        "finalise": perms.can_finalise(user, rec),
        "manage": perms.can_manage_drafters(user, rec),
        "manage_translators": perms.can_manage_translators(user, rec),
    }
    # The questions the page's dialog asks before each step this person may take ("{version}"
    # is filled by the script with the version chosen in the form).
    questions = {
        action: confirmations.confirmation(
            action, rec, "{version}" if action == "approve" else None
        )
        for action in ("submit", "approve", "reject", "withdraw", "finalise")
        if can[action]
    }
    return {
        "rec": rec,
        "shown": shown,
        "paragraphs": number_paragraphs(shown.paragraphs),
        "footnotes_html": shown.footnotes_html,
        "versions": versions,
        "activities": activities,
        "organisations": rec.organisations,
        "can": can,
        "questions": questions,
        "translators": list(translations.translator_organisations(rec)),
        "translator_candidates": Organisation.objects.exclude(
            pk__in=[o.pk for o in rec.organisations]
        ).only("slug", "name")
        if can["manage_translators"]
        else [],
        "other_organisations": Organisation.objects.exclude(
            pk__in=[o.pk for o in rec.organisations]
        ).only("slug", "name")
        if can["manage"]
        else [],
    }


def _load(request: HttpRequest, pk: int) -> Recommendation:
    return perms.get_recommendation_for(
        request.user, pk, Recommendation.objects.prefetch_related("co_drafters")
    )


def _reading(request: HttpRequest, rec: Recommendation) -> dict:
    """Which text the reader asked for (``?lang=``: the original's language or a translation's;
    ``&side=1``: the translation beside the original) and what goes with it."""
    available = list(rec.translations.order_by("language"))
    for item in available:
        item.recommendation = rec
    lang = request.GET.get("lang") or rec.language
    chosen = None
    if lang != rec.language:
        chosen = next((t for t in available if t.language == lang), None)
        if chosen is None:
            translations.get_translation(rec, lang)  # 400 (unknown) or 404 (none yet)
    side = chosen is not None and request.GET.get("side") == "1"
    changes = (
        translations.original_changes(rec, chosen)
        if chosen is not None and chosen.is_outdated(rec)
        else None
    )
    return {
        "mode": "side" if side else ("translation" if chosen else "original"),
        "language": rec.language,
        "language_name": translations.language_name(rec.language),
        "direction": translations.text_direction(rec.language),
        "translation_direction": translations.text_direction(chosen.language) if chosen else "",
        "translation": chosen,
        "translation_name": translations.language_name(chosen.language) if chosen else "",
        "translation_paragraphs": number_paragraphs(chosen.paragraphs) if chosen else [],
        "changes": changes,
        "changes_sentence": translations.describe_changes(changes, chosen.translated_version)
        if changes
        else "",
        "translations": [
            {
                "language": t.language,
                "name": translations.language_name(t.language),
                "outdated": t.is_outdated(rec),
            }
            for t in available
        ],
        "can_translate": perms.can_translate(request.user, rec),
        "missing": [
            {"language": code, "name": translations.language_name(code)}
            for code in translations.translation_languages(rec)
            if code not in {t.language for t in available}
        ],
    }


# The parts of the recommendation page that follow its changes in place (live.js fetches them
# after a status change, an approval, a new version, an endorsement): rendered by the server for
# this viewer, so what each person may do is still decided here.
LIVE_PANELS = {
    "status": "recommendations/includes/status.html",
    "actions": "recommendations/_actions.html",
    "aside": "recommendations/includes/aside_panels.html",
    "versions": "recommendations/includes/versions.html",
    "activity": "recommendations/includes/activity.html",
}


@require_GET
@login_required
def panels_fragment(request: HttpRequest, pk: int) -> JsonResponse:
    """The page's live panels as HTML, with the event number they are current to."""
    rec = _load(request, pk)
    context = _detail_context(request, rec)
    html = {
        name: render_to_string(template, context, request) for name, template in LIVE_PANELS.items()
    }
    response = JsonResponse({"seq": rec.last_event_seq, "version": rec.version, "panels": html})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rec = _load(request, pk)
    context = _detail_context(request, rec)
    try:
        context["reading"] = _reading(request, rec)
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
        request.GET = request.GET.copy()
        request.GET.pop("lang", None)
        context["reading"] = _reading(request, rec)
        response = render(request, "recommendations/detail.html", context)
        response.status_code = 400
        return response
    return render(request, "recommendations/detail.html", context)


def _action_failed(
    request: HttpRequest, rec: Recommendation, message: str, status: int
) -> HttpResponse:
    messages.error(request, message)
    rec.refresh_from_db()
    context = _detail_context(request, rec)
    context["reading"] = _reading(request, rec)
    response = render(request, "recommendations/detail.html", context)
    response.status_code = status
    return response


def run_action(
    request: HttpRequest, pk: int, action: Callable[[Recommendation], str | None]
) -> HttpResponse:
    """Take a step on the recommendation and come back to its page with the message the step
    returns (None: the step added its own, e.g. one offering an undo, ``core.undo``); a
    refusal shows the page again with the reason and the status."""
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
    if message is not None:
        messages.success(request, message)
    return redirect(rec)


NOT_OPEN = gettext_lazy("This step is not open to you on this recommendation now.")


def _asked_version(request: HttpRequest, rec: Recommendation) -> int | None:
    """The version a confirmation names, from the form (or the address); None if absent or
    not one of this recommendation's versions."""
    raw = request.POST.get("version") or request.GET.get("version") or ""
    if not raw.isdigit():
        return None
    number = int(raw)
    return number if 1 <= number <= rec.version else None


def confirm_or_run(
    request: HttpRequest,
    pk: int,
    action: str,
    allowed: Callable[..., bool],
    act: Callable[[Recommendation], str],
) -> HttpResponse:
    """Ask first (the confirmation page) when the request asks; otherwise take the step."""
    if not confirmations.asks(request):
        return run_action(request, pk, act)
    rec = _load(request, pk)
    if not allowed(request.user, rec):
        raise PermissionDenied(NOT_OPEN)
    version = _asked_version(request, rec)
    question = confirmations.confirmation(action, rec, version)
    return render(
        request,
        "recommendations/confirm.html",
        {
            "rec": rec,
            "question": question,
            "version": version or rec.version,
            "versions": range(rec.version, 0, -1) if question.needs_version else (),
            "reason": request.POST.get("reason", ""),
            "action_url": request.path,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    def act(rec):
        services.submit_for_review(rec, actor=request.user)
        return _("Submitted for review.")

    return confirm_or_run(request, pk, "submit", perms.can_submit, act)


@require_http_methods(["GET", "POST"])
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

    return confirm_or_run(request, pk, "approve", perms.can_approve, act)


def _reason_action(service, action: str, allowed: Callable[..., bool], done: str):
    @require_http_methods(["GET", "POST"])
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        def act(rec):
            service(rec, reason=request.POST.get("reason", ""), actor=request.user)
            return done

        return confirm_or_run(request, pk, action, allowed, act)

    return view


reject = _reason_action(
    services.reject_recommendation, "reject", perms.can_reject, gettext_lazy("Rejected.")
)
withdraw = _reason_action(
    services.withdraw_recommendation, "withdraw", perms.can_withdraw, gettext_lazy("Withdrawn.")
)


@require_http_methods(["GET", "POST"])
@login_required
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    def act(rec):
        rec = services.finalise_recommendation(rec, actor=request.user)
        return _("Finalised: version %(n)s is the final text.") % {"n": rec.final_version}

    return confirm_or_run(request, pk, "finalise", perms.can_finalise, act)


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
    if not perms.can_draft(request.user):
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
                language=data["language"] or None,
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
    # A text can have hundreds of versions: the table is paged, newest first; the choice of
    # two versions to compare offers them all (drawn in Python, not a template per option).
    page = Paginator(versions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    numbers = [(n, n) for n in range(rec.version, 0, -1)]
    return render(
        request,
        "recommendations/history.html",
        {
            "rec": rec,
            "page": page,
            "query": "",
            "can_restore": perms.can_edit(request.user, rec),
            "compare_from": QuickSelect(choices=numbers).render(
                "from", max(rec.version - 1, 1), {"id": "cmp-from"}
            ),
            "compare_to": QuickSelect(choices=numbers).render("to", rec.version, {"id": "cmp-to"}),
        },
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
            # As people read it: the title apart (the page has one h1), then the text.
            "rendered_title": html_word_diff(escape(old.title), escape(new.title)),
            "rendered": text.diff_rendered(old.body, new.body),
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


@require_POST
@login_required
def translators(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite an organisation to translate, or remove it (the drafters decide)."""

    def act(rec):
        form = OrganisationChoiceForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose an organisation."))
        org = form.cleaned_data["organisation"]
        if request.POST.get("action") == "remove":
            translations.remove_translator(rec, organisation=org, actor=request.user)
            return _("%(org)s no longer translates this.") % {"org": org.name}
        translations.add_translator(rec, organisation=org, actor=request.user)
        return _("%(org)s may now translate this.") % {"org": org.name}

    return run_action(request, pk, act)


@require_http_methods(["GET", "POST"])
@login_required
def translate(request: HttpRequest, pk: int, lang: str) -> HttpResponse:
    """The translator's page: the translation into ``lang`` (new or existing), what changed in
    the original since the version it translates (word diff, paragraph numbers), and the form
    that saves it as a translation of the original's current text version."""
    rec = _load(request, pk)
    try:
        lang = translations.clean_language(rec, lang)
    except ValidationError as exc:
        return _action_failed(request, rec, " ".join(error_messages(exc)), 400)
    perms.require(
        perms.can_translate(request.user, rec),
        _("Only the drafting organisations and the translators they invite can translate."),
    )
    current = rec.translations.filter(language=lang).first()
    original = VersionMeta.objects.with_text().get(recommendation=rec, number=rec.text_version)
    initial = {"base_version": original.number, "translation_version": 0}
    if current is not None:
        current.recommendation = rec
        initial.update(
            title=current.title,
            summary=current.summary,
            body=current.body,
            translation_version=current.version,
        )
    form = TranslationForm(request.POST or None, initial=initial)
    conflict = None
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = translations.save_translation(
                rec,
                actor=request.user,
                language=lang,
                base_version=data["base_version"],
                translation_version=data["translation_version"],
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                note=data["note"],
            )
        except translations.TranslationConflict as exc:
            conflict, status = exc, 409
            current = rec.translations.get(language=lang)
            current.recommendation = rec
            data = request.POST.copy()
            data["translation_version"] = str(current.version)
            form = TranslationForm(data, initial=initial)
            form.is_valid()
        except Conflict as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            apply_errors(form, exc)
        except Http404 as exc:
            form.add_error(None, str(exc))
            status = 404
        else:
            if not result.saved:
                messages.info(request, _("Nothing changed; no new version was made."))
            else:
                messages.success(
                    request,
                    _("Translation saved as version %(n)s (of version %(o)s of the original).")
                    % {"n": result.translation.version, "o": result.translation.translated_version},
                )
            return redirect(f"{rec.get_absolute_url()}?lang={lang}")
    if status == 200 and form.is_bound and form.errors:
        status = 400
    return render(
        request,
        "recommendations/translate.html",
        {
            "rec": rec,
            "form": form,
            "language": lang,
            "language_name": translations.language_name(lang),
            "original": original,
            "translation": current,
            "changes": translations.original_changes(rec, current) if current else None,
            "conflict": conflict,
            "conflicts": conflict.payload.get("conflicts", []) if conflict else [],
        },
        status=status,
    )
