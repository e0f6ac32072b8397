"""Pages: the notifications list, e-mail preferences, following, one-click unsubscribe, and
Django's password reset with its mail sent through the outbox."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import apply_errors
from core.http import client_address
from core.ratelimit import hit
from recommendations import permissions as rec_perms

from . import delivery, display, selectors, services
from .forms import PreferencesForm
from .kinds import KINDS

PAGE_SIZE = 50


@never_cache
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    qs = selectors.listing(request.user, unread_only=unread_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    items = selectors.page_of(request.user, list(page.object_list))
    rows = [{"n": n, "text": display.text(n), "url": display.path(n)} for n in items]
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "rows": rows,
            "unread_only": unread_only,
            "query": "show=unread" if unread_only else "",
        },
    )


def _back(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
@login_required
def read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read; with ``open`` set, go on to the place it links to (the bell's links)."""
    notification = services.get_notification_for(request.user, pk)
    services.mark_read(notification, actor=request.user)
    if request.POST.get("open"):
        return redirect(display.path(notification))
    return redirect(_back(request, reverse("notifications:list")))


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(actor=request.user)
    messages.success(request, _("Every notification is marked read."))
    return redirect(_back(request, reverse("notifications:list")))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    pref = selectors.preferences_of(request.user)
    form = PreferencesForm(request.POST or None, preferences=pref)
    if request.method == "POST" and form.is_valid():
        try:
            channels, hour = services.clean_preferences(form.as_api_data())
            services.set_preferences(actor=request.user, channels=channels, digest_hour=hour)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your e-mail choices are saved."))
            return redirect("notifications:preferences")
    status = 400 if form.errors else 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)


@require_POST
@login_required
def follow(request: HttpRequest, pk: int) -> HttpResponse:
    rec = rec_perms.get_recommendation_for(request.user, pk)
    following = request.POST.get("following") != "0"
    services.set_following(rec, actor=request.user, following=following)
    messages.success(
        request,
        _("You follow this recommendation.")
        if following
        else _("You no longer follow this recommendation."),
    )
    return redirect(_back(request, rec.get_absolute_url()))


@csrf_exempt  # a mail program's one-click POST (RFC 8058) carries no CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with one button (link checkers that open links change nothing);
    POST: stop those e-mails, without logging in."""
    try:
        user_id, kind = delivery.read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return _unsubscribe_page(request, "expired", status=400)
    except signing.BadSignature:
        return _unsubscribe_page(request, "invalid", status=400)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or (kind not in KINDS and kind not in ("digest", "all")):
        return _unsubscribe_page(request, "invalid", status=400)
    label = KINDS[kind].label if kind in KINDS else ""
    if request.method == "POST":
        changed = services.unsubscribe(user, kind)
        return _unsubscribe_page(request, "done" if changed else "already", kind=kind, label=label)
    return _unsubscribe_page(request, "confirm", kind=kind, label=label)


def _unsubscribe_page(
    request: HttpRequest, state: str, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(
        request, "notifications/unsubscribe.html", {"state": state, **extra}, status=status
    )


# --- password reset --------------------------------------------------------------------------
class OutboxPasswordResetForm(PasswordResetForm):
    """Django's form; the message goes through the outbox (sent by the worker, retried)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        scheme, host = delivery.base_parts()
        context = {**context, "domain": host, "protocol": scheme}
        delivery.compose_raw(
            key=f"password-reset:{user.pk}:{timezone.now().isoformat()}",
            to=to_email,
            user=user,
            subject_template=subject_template_name,
            text_template=email_template_name,
            context=context,
        )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    success_url = reverse_lazy("password_reset_done")
    title = gettext_lazy("Forgotten password")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Throttled per address and per e-mail address (RateLimited -> the 429 page).
        hit("password-reset", f"address:{client_address(request)}")
        email = str(request.POST.get("email", ""))[:254].strip().lower()
        if email:
            hit("password-reset", f"email:{email}")
        return super().post(request, *args, **kwargs)
