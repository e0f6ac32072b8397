"""Pages of the conference: its facts, themes and deadlines (and the secretariat's deadline
form), the public programme and its calendars, and the overview for signed-in people."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.forms import apply_errors

from . import overview, permissions, services
from .calendar import programme_calendar
from .forms import DeadlinesForm
from .models import Session


def _deadlines_form(conference, data=None) -> DeadlinesForm:
    zone = conference.zone
    initial = {
        name: getattr(conference, name).astimezone(zone).replace(tzinfo=None)
        for name in ("drafting_closes_at", "endorsement_closes_at")
        if getattr(conference, name)
    }
    return DeadlinesForm(data, initial=initial)


@require_http_methods(["GET", "HEAD", "POST"])
def detail(request: HttpRequest) -> HttpResponse:
    """The conference: where, when, its themes and their meetings, its deadlines; the
    secretariat moves the deadlines here."""
    conference = permissions.current_conference()
    form = None
    status = 200
    if permissions.is_secretariat(request.user):
        form = _deadlines_form(conference, request.POST if request.method == "POST" else None)
        with timezone.override(conference.zone):  # typed times are the conference's
            valid = request.method == "POST" and form.is_valid()
        if valid:
            try:
                services.set_deadlines(conference, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The deadlines are saved."))
                return redirect("conference:detail")
        status = 400 if form.is_bound and form.errors else 200
    elif request.method == "POST":
        permissions.require_secretariat(
            request.user, _("Only the conference secretariat sets the deadlines.")
        )
    themes = overview.theme_rows(request.user)
    return render(
        request,
        "conference/detail.html",
        {"conference": conference, "themes": themes, "form": form},
        status=status,
    )


@require_safe
def programme(request: HttpRequest) -> HttpResponse:
    conference = permissions.current_conference()
    sessions = list(Session.objects.filter(conference=conference).for_programme())
    readable = permissions.visible_ids(request.user, sessions)
    for item in sessions:
        item.readable = [r for r in item.recommendations.all() if r.pk in readable]
        item.unreadable = len(item.recommendations.all()) - len(item.readable)
    return render(
        request,
        "conference/programme.html",
        {"conference": conference, "sessions": sessions},
    )


@require_safe
def session(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_session(pk)
    return render(
        request,
        "conference/session.html",
        {
            "conference": item.conference,
            "session": item,
            "recommendations": permissions.discussed_recommendations(request.user, item),
        },
    )


def _ics(request: HttpRequest, conference, sessions, filename: str) -> HttpResponse:
    sessions = list(sessions)
    readable = permissions.visible_ids(request.user, sessions)
    response = HttpResponse(
        programme_calendar(conference, sessions, request.build_absolute_uri, readable),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Language"] = request.LANGUAGE_CODE
    return response


@require_safe
def programme_ics(request: HttpRequest) -> HttpResponse:
    conference = permissions.current_conference()
    sessions = Session.objects.filter(conference=conference).for_programme()
    return _ics(request, conference, sessions, "programme.ics")


@require_safe
def session_ics(request: HttpRequest, pk: int) -> HttpResponse:
    item = permissions.get_session(pk)
    return _ics(request, item.conference, [item], f"session-{item.pk}.ics")


@require_safe
@login_required
def overview_page(request: HttpRequest) -> HttpResponse:
    """The conference at a glance, live; what changed since the person's previous visit."""
    since = overview.last_visit(request.user)
    data = overview.overview_for(request.user, since=since, support_limit=overview.SUPPORT_SHOWN)
    if request.headers.get("X-Overview-Refresh") != "1":
        overview.mark_visited(request.user, timezone.now())
    return render(request, "conference/overview.html", data)
