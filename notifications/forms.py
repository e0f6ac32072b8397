from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .kinds import KINDS, Channel
from .models import Preferences


class PreferencesForm(forms.Form):
    """One choice per kind of notification, and the digest's hour."""

    def __init__(self, *args: Any, preferences: Preferences, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, kind in KINDS.items():
            self.fields[f"kind_{key}"] = forms.ChoiceField(
                label=kind.label,
                choices=Channel.choices,
                initial=preferences.channel_for(key),
                widget=forms.RadioSelect,
            )
        self.fields["digest_hour"] = forms.TypedChoiceField(
            label=_("Hour of the daily digest, in your time zone"),
            choices=[(h, f"{h:02d}:00") for h in range(24)],
            coerce=int,
            initial=preferences.digest_hour,
        )

    def kind_fields(self) -> list[forms.BoundField]:
        return [self[f"kind_{key}"] for key in KINDS]

    def as_api_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kinds": {key: data[f"kind_{key}"] for key in KINDS},
            "digest_hour": data["digest_hour"],
        }
