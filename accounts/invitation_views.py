"""Pages of invitations: a representative's list and form for their organisation, withdrawing
one, and the invitee's page behind the e-mailed link (set a password, join, land in the
workspace)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import Conflict
from core.forms import apply_errors

from . import invitations
from .models import Invitation, Membership


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Membership.Role.choices)


class AcceptForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    display_name = forms.CharField(
        label=gettext_lazy("Your name as others see it"), max_length=150, required=False
    )
    password1 = forms.CharField(
        label=gettext_lazy("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("The same password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = invitations.get_organisation_for(request.user, slug)
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitations.invite(organisation, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(
                    request,
                    _("The invitation is on its way to %(email)s.") % form.cleaned_data,
                )
                return redirect("invitations", slug=organisation.slug)
        if form.errors and status == 200:
            status = 400
    items = Invitation.objects.filter(organisation=organisation).select_related("invited_by")[:100]
    return render(
        request,
        "accounts/invitations.html",
        {"organisation": organisation, "form": form, "invitations": items},
        status=status,
    )


@require_POST
@login_required
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = invitations.get_invitation_for(request.user, pk)
    try:
        invitations.revoke(invitation, actor=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The invitation was withdrawn."))
    return redirect("invitations", slug=invitation.organisation.slug)


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitations.invitation_for_token(token)
    except ValidationError as exc:
        return render(
            request, "accounts/invitation_invalid.html", {"message": exc.messages[0]}, status=400
        )
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptForm(request.POST or None)
    if request.method == "POST" and (signed_in or form.is_valid()):
        data = {} if signed_in else form.cleaned_data
        try:
            user = invitations.accept(
                token,
                actor=request.user if signed_in else None,
                username=data.get("username", ""),
                display_name=data.get("display_name", ""),
                password=data.get("password1", ""),
            )
        except ValidationError as exc:
            if form is None:
                return render(
                    request,
                    "accounts/invitation_invalid.html",
                    {"message": exc.messages[0]},
                    status=400,
                )
            apply_errors(form, exc)
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Welcome to %(org)s in the workspace.") % {"org": invitation.organisation.name},
            )
            return redirect("home")
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form},
        status=status,
    )
