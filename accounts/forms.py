"""Forms of two-factor sign-in: one-time codes, recovery codes, the password to remove it."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _

from .models import User
from .zones import validate_zone, zone_choices

_SPACES = re.compile(r"[\s\-\u00a0]+")


class OneTimeCodeForm(forms.Form):
    """Six digits from the authenticator app. Pasted codes with spaces or a dash are fine; the
    browser and password managers may fill it in (``autocomplete="one-time-code"``)."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits, e.g. 123 456."),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
                "pattern": r"[0-9 \-]*",
                "size": "10",
            }
        ),
    )

    def clean_code(self) -> str:
        code = _SPACES.sub("", self.cleaned_data["code"])
        if not code.isdigit() or len(code) not in (6, 8):
            raise forms.ValidationError(_("Enter the six digits shown by your authenticator app."))
        return code


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label=_("Recovery code"),
        help_text=_("One of the codes you saved when you set up two-factor sign-in."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def clean_recovery_code(self) -> str:
        return _SPACES.sub("", self.cleaned_data["recovery_code"]).lower()


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        """Checked like a login (django-axes counts the wrong ones and locks out)."""
        password = self.cleaned_data["password"]
        user = self.request.user
        if authenticate(self.request, username=user.get_username(), password=password) != user:
            raise forms.ValidationError(_("That is not your password."))
        return password


class LanguageForm(forms.ModelForm):
    """The person's interface language; blank follows the browser."""

    class Meta:
        model = User
        fields = ["language"]
        labels = {"language": _("Interface language")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("As set in your browser")),
            *((code, name) for code, name in settings.LANGUAGES),
        ]


class TimeZoneForm(forms.Form):
    """The zone the person reads times in; blank: the conference's. A native list grouped by
    continent (keyboard: type the first letters of a city to reach it)."""

    time_zone = forms.ChoiceField(label=_("Time zone"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"time_zone": user.time_zone})
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = zone_choices(user.time_zone)
        self.fields["time_zone"].widget.attrs.update(
            {"autocomplete": "off", "aria-describedby": "zone-help"}
        )

    def clean_time_zone(self) -> str:
        try:
            return validate_zone(self.cleaned_data["time_zone"])
        except DjangoValidationError as error:
            raise forms.ValidationError(error.messages) from error
