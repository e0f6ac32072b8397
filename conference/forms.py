from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class DeadlinesForm(forms.Form):
    """The deadlines, typed in the conference's zone (shown next to the fields)."""

    drafting_closes_at = forms.DateTimeField(
        label=_("Drafting closes"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("After it, nobody creates, edits or submits a recommendation."),
    )
    endorsement_closes_at = forms.DateTimeField(
        label=_("Endorsement closes"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("After it, organisations can no longer endorse."),
    )
