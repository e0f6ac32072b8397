"""Pages of endorsements and published editions.

Public pages (no login) read only a published edition's own copy, never live recommendation
data; they touch neither the session nor the CSRF token, so they carry nothing personal and
are cacheable (``ETag``, ``Last-Modified``, ``Cache-Control: public``; see ``caching.py``).
The secretariat's pages for composing and publishing, and the representatives' endorsement
forms, call the services.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    condition,
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts.models import Organisation
from core import documents
from core.cleaning import non_negative_int
from core.errors import Conflict
from core.forms import apply_errors, error_messages
from core.undo import offer_undo
from recommendations import permissions as rec_perms
from recommendations.models import Recommendation, Status
from recommendations.views import run_action

from . import caching, selectors, services
from . import permissions as perms
from .canonical import utc_iso
from .forms import EditionForm, PublishForm
from .models import Edition, EditionEntry

# Each language's name in that language, for the links to a page in the other languages.
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "ar": "العربية"}


class LanguageConverter:
    """A language of ``settings.LANGUAGES`` as the first segment of a public page's URL; any
    other code (``/xx/published/``) matches no URL: 404."""

    regex = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        if value not in dict(settings.LANGUAGES):
            raise ValueError(value)
        return value


def in_url_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page under a language prefix answers in that language (before its ``ETag``, which
    names the language, is computed); without a prefix, in the person's language."""

    @functools.wraps(view)
    def wrapper(
        request: HttpRequest, *args: Any, language: str | None = None, **kwargs: Any
    ) -> HttpResponse:
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return view(request, *args, **kwargs)

    return wrapper


def _url_language(request: HttpRequest) -> str | None:
    match = request.resolver_match
    return match.kwargs.get("language") if match is not None else None


def _public_url(name: str, language: str | None, number: int | None = None) -> str:
    kwargs: dict[str, Any] = {} if number is None else {"number": number}
    if language is not None:
        kwargs["language"] = language
    return reverse(f"publication:{name}", kwargs=kwargs)


def _entries(edition: Edition) -> list[EditionEntry]:
    """The edition's entries, each with the language its text is written in."""
    return list(edition.entries.annotate(text_language=F("recommendation__language")))


def _alternates(request: HttpRequest, number: int | None) -> list[dict[str, Any]]:
    """The same page in every language: ``hreflang`` links and the "Read in" list."""
    match = request.resolver_match
    name = match.url_name if match is not None else "latest"
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code) or translation.get_language_info(code)["name_local"],
            "url": _public_url(name, code, None if name == "latest" else number),
            "bidi": translation.get_language_info(code)["bidi"],
            "current": code == current,
        }
        for code, _name in settings.LANGUAGES
    ]


def _edition_context(request: HttpRequest, edition: Edition, latest: Edition) -> dict:
    language = _url_language(request)
    editions = list(Edition.objects.published().only("number", "title", "published_at", "corrects"))
    for e in editions:
        e.page_url = _public_url("edition", language, e.number)
    corrections = [e for e in editions if e.corrects_id == edition.pk]
    match = request.resolver_match
    entries = _entries(edition)
    language_documents = selectors.document_links(edition)
    shown = next(
        (d for d in language_documents if d["language"] == translation.get_language()), None
    )
    if shown is not None:
        # The texts in the page's language: that language's document (copies, never saved).
        texts = {item["position"]: item for item in shown["entries"]}
        for entry in entries:
            item = texts.get(entry.position)
            if item is not None:
                entry.title, entry.text_html = item["title"], item["text_html"]
                entry.theme_name = item["theme_name"] or entry.theme_name
                entry.text_language = shown["language"]
    return {
        "edition": edition,
        "entries": entries,
        "front": documents.rendered("front_matter", edition.sections),
        "language_documents": language_documents,
        "heading": edition.heading_in(translation.get_language()),
        "text_language": shown["language"] if shown else "",
        "sections_before": documents.rendered("before_recommendations", edition.sections),
        "sections_after": documents.rendered("after_recommendations", edition.sections),
        "editions": editions,
        "latest": latest,
        "published_iso": utc_iso(edition.published_at),
        "corrections": corrections,
        "markdown_url": reverse("publication:markdown", args=[edition.number]),
        "pdf_url": reverse("publication:pdf", args=[edition.number]),
        "print_url": _public_url("print", language, edition.number),
        "json_url": reverse("pub-api-published-edition", args=[edition.number]),
        "page_url": _public_url("edition", language, edition.number),
        "latest_url": _public_url("latest", language),
        "latest_edition_url": _public_url("edition", language, latest.number),
        "alternates": _alternates(request, edition.number),
        "default_url": (
            _public_url(
                match.url_name, None, None if match.url_name == "latest" else edition.number
            )
            if match is not None
            else _public_url("latest", None)
        ),
    }


def _edition_page(request: HttpRequest, edition: Edition, template: str) -> HttpResponse:
    return render(request, template, _edition_context(request, edition, selectors.latest_edition()))


# The public answers: conditional GETs (validators read before anything is rendered), and
# cacheable by anyone (see caching.py).
public_page = condition(etag_func=caching.page_etag, last_modified_func=caching.page_last_modified)


@require_safe
@in_url_language
@caching.public()
@public_page
def latest(request: HttpRequest) -> HttpResponse:
    """The latest published edition, with links to the earlier ones."""
    edition = selectors.latest_edition()
    if edition is None:
        response = render(
            request,
            "publication/nothing.html",
            {"latest_url": _public_url("latest", _url_language(request))},
            status=404,
        )
        patch_cache_control(response, public=True, max_age=60)
        return response
    return _edition_page(request, edition, "publication/edition.html")


@require_safe
@in_url_language
@caching.public()
@public_page
def edition_page(request: HttpRequest, number: int) -> HttpResponse:
    edition = selectors.published_edition(number)
    return _edition_page(request, edition, "publication/edition.html")


@require_safe
@in_url_language
@caching.public()
@public_page
def print_page(request: HttpRequest, number: int) -> HttpResponse:
    edition = selectors.published_edition(number)
    return _edition_page(request, edition, "publication/print.html")


@require_safe
@caching.public(max_age=caching.IMMUTABLE_MAX_AGE, immutable=True)
@condition(etag_func=caching.markdown_etag, last_modified_func=caching.edition_last_modified)
def markdown(request: HttpRequest, number: int) -> HttpResponse:
    """The canonical document: the stored characters as UTF-8, the bytes its SHA-256 is of."""
    edition = selectors.published_edition(number)
    response = HttpResponse(
        edition.markdown.encode("utf-8"), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{edition.markdown_filename}"'
    response["X-Content-SHA256"] = edition.sha256
    return response


@require_safe
@caching.public(max_age=caching.IMMUTABLE_MAX_AGE, immutable=True)
@condition(etag_func=caching.pdf_etag, last_modified_func=caching.edition_last_modified)
def pdf(request: HttpRequest, number: int) -> HttpResponse:
    """The PDF made when the edition was published: the stored bytes its SHA-256 is of."""
    edition = selectors.published_edition(number)
    data = selectors.pdf_bytes(edition)
    if not data:
        raise Http404("This edition was published before PDFs were made.")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{edition.pdf_filename}"'
    response["X-Content-SHA256"] = edition.pdf_sha256
    return response


@condition(etag_func=caching.document_etag, last_modified_func=caching.document_last_modified)
def language_markdown(request: HttpRequest, number: int, language: str) -> HttpResponse:
    """The edition's document in one language: its stored characters as UTF-8, the bytes its
    own SHA-256 is of."""
    document = selectors.edition_document(number, language)
    response = HttpResponse(
        document.markdown.encode("utf-8"), content_type="text/markdown; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{document.markdown_filename}"'
    response["X-Content-SHA256"] = document.sha256
    response["Content-Language"] = language
    return response


# --- the secretariat's pages -----------------------------------------------------------------
def _require_secretariat(request: HttpRequest) -> None:
    rec_perms.require(
        perms.is_secretariat(request.user),
        _("Only the conference secretariat composes and publishes editions."),
    )


def _compose_page(
    request: HttpRequest, form: EditionForm, status: int = 200, error: str = ""
) -> HttpResponse:
    return render(
        request,
        "publication/compose.html",
        {
            "form": form,
            "error": error,
            "drafts": list(Edition.objects.drafts()),
            "editions": list(Edition.objects.published().only("number", "title", "published_at")),
            "final_count": Recommendation.objects.filter(status=Status.FINAL).count(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def compose(request: HttpRequest) -> HttpResponse:
    """Compose a new edition (title, preamble); list drafts and published editions."""
    _require_secretariat(request)
    form = EditionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.create_edition(actor=request.user, **form.edition_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Draft edition saved. Check it, then publish it."))
            return redirect(edition.get_absolute_url())
    return _compose_page(request, form, 400 if form.is_bound and form.errors else 200)


def _edition_initial(edition: Edition) -> dict[str, Any]:
    return EditionForm.initial_of(edition)


def _candidates(edition: Edition, entries: list[EditionEntry]) -> list[dict[str, Any]]:
    """Every final recommendation, for the choice: the chosen ones first, in their order."""
    chosen = {e.recommendation_id: i for i, e in enumerate(entries, start=1)}
    finals = (
        Recommendation.objects.filter(status=Status.FINAL, final_version__isnull=False)
        .select_related("theme")
        .order_by("theme__position", "theme__name", "title", "pk")
    )
    return [
        {
            "rec": rec,
            "chosen": rec.pk in chosen if edition.chosen else True,
            "position": chosen.get(rec.pk, ""),
        }
        for rec in finals
    ]


def _draft_page(
    request: HttpRequest,
    edition: Edition,
    form,
    status: int = 200,
    error: str = "",
    publish_form: PublishForm | None = None,
) -> HttpResponse:
    entries = services.collect_entries(edition)
    warnings = services.warnings_for(entries)
    for entry in entries:
        entry.warnings = warnings.get(entry.recommendation_id, [])
    count = services.warning_count(warnings)
    return render(
        request,
        "publication/draft.html",
        {
            "edition": edition,
            "form": form,
            "entries": entries,
            "candidates": _candidates(edition, entries),
            "warning_count": count,
            "publish_form": publish_form
            or PublishForm(initial={"count": len(entries), "warnings": count}),
            "coverage": services.language_coverage(entries),
            "error": error,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft edition: what it would publish now, with warnings; its title, introduction,
    adoption date and what it corrects."""
    edition = perms.get_edition_for(request.user, pk)
    if edition.is_published:
        return redirect(edition.get_absolute_url())
    _require_secretariat(request)
    form = EditionForm(request.POST or None, initial=EditionForm.initial_of(edition))
    if request.method == "POST" and form.is_valid():
        try:
            edition = services.update_edition(edition, actor=request.user, **form.edition_data())
        except Conflict as exc:
            return _draft_page(request, edition, form, 409, exc.message)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Draft edition saved."))
            return redirect(edition.get_absolute_url())
    status = 400 if form.is_bound and form.errors else 200
    return _draft_page(request, edition, form, status)


def _chosen_in_order(request: HttpRequest) -> list[str]:
    """The ticked recommendations, ordered by the position typed next to each (blank: after
    the numbered ones, in the page's order)."""
    ticked = request.POST.getlist("recommendations")
    order = []
    for index, raw in enumerate(ticked):
        position = request.POST.get(f"position-{raw}", "").strip()
        rank = int(position) if position.isascii() and position.isdigit() else 10**6
        order.append((rank, index, raw))
    return [raw for _rank, _index, raw in sorted(order)]


@require_POST
@login_required
def choose(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose which final recommendations the draft publishes, and their order in each theme."""
    edition = perms.get_edition_for(request.user, pk)
    form = EditionForm(initial=_edition_initial(edition))
    try:
        edition = services.choose_recommendations(
            edition, recommendations=_chosen_in_order(request), actor=request.user
        )
    except Conflict as exc:
        if edition.is_published:
            return _compose_page(request, EditionForm(), 409, exc.message)
        return _draft_page(request, edition, form, 409, exc.message)
    except ValidationError as exc:
        return _draft_page(request, edition, form, 400, " ".join(error_messages(exc)))
    messages.success(request, _("The edition's recommendations are saved."))
    return redirect(edition.get_absolute_url())


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    edition = perms.get_edition_for(request.user, pk)
    publish_form = PublishForm(request.POST)
    form = EditionForm(initial=_edition_initial(edition))
    if not edition.is_published:
        _require_secretariat(request)
        if not publish_form.is_valid():
            return _draft_page(request, edition, form, 400, publish_form=publish_form)
    confirmed = (
        publish_form.cleaned_data if publish_form.is_bound and publish_form.is_valid() else {}
    )
    try:
        edition = services.publish_edition(
            edition,
            actor=request.user,
            confirm_count=confirmed.get("count"),
            confirm_warnings=confirmed.get("warnings"),
        )
    except Conflict as exc:
        if edition.is_published:
            return _compose_page(request, EditionForm(), 409, exc.message)
        return _draft_page(request, edition, form, 409, exc.message)
    except ValidationError as exc:
        return _draft_page(request, edition, form, 400, " ".join(error_messages(exc)))
    messages.success(
        request,
        _("Edition %(n)s is published. It will never change.") % {"n": edition.number},
    )
    return redirect(edition.get_absolute_url())


# --- endorsement forms (on the recommendation page and the home page) -----------------------
def _organisation(request: HttpRequest) -> Organisation:
    slug = request.POST.get("organisation", "")
    org = Organisation.objects.filter(slug=slug).first() if slug else None
    if org is None:
        raise ValidationError(_("Choose the organisation you act for."))
    return org


def _version(request: HttpRequest) -> int | None:
    """The version the form names (the undo of a withdrawal does), or None (the approved one)."""
    raw = request.POST.get("version") or None
    return None if raw is None else non_negative_int(raw, "version")


@require_POST
@login_required
def endorse(request: HttpRequest, pk: int) -> HttpResponse:
    def act(rec):
        org = _organisation(request)
        endorsement = services.endorse(
            rec,
            organisation=org,
            statement=request.POST.get("statement", ""),
            actor=request.user,
            version=_version(request),
        )
        return _("%(org)s endorses version %(n)s.") % {"org": org.name, "n": endorsement.version}

    return run_action(request, pk, act)


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def act(rec):
        org = _organisation(request)
        withdrawn = services.withdraw_endorsement(rec, organisation=org, actor=request.user)
        message = _("%(org)s no longer endorses this recommendation.") % {"org": org.name}
        if not services.can_endorse_again(
            rec, organisation=org, version=withdrawn.version, actor=request.user
        ):
            return message
        # The undo: the same version, with the same statement, through the endorse form.
        offer_undo(
            request,
            message,
            url=reverse("publication:endorse", args=[rec.pk]),
            label=_("Endorse again"),
            fields={
                "organisation": org.slug,
                "statement": withdrawn.statement,
                "version": withdrawn.version,
            },
        )
        return None

    return run_action(request, pk, act)


@require_POST
@login_required
def reconfirm(request: HttpRequest, pk: int) -> HttpResponse:
    def act(rec):
        org = _organisation(request)
        endorsement = services.reconfirm_endorsement(rec, organisation=org, actor=request.user)
        return _("%(org)s now endorses version %(n)s.") % {
            "org": org.name,
            "n": endorsement.version,
        }

    return run_action(request, pk, act)
