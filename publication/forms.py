from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Edition
from .services import MAX_CORRECTION, MAX_PREAMBLE


class EditionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    preamble = forms.CharField(
        label=_("Preamble (Markdown)"),
        required=False,
        max_length=MAX_PREAMBLE,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_(
            "Shown before the recommendations; needed to publish. Paragraphs, lists and links work."
        ),
    )
    adopted_on = forms.DateField(
        label=_("Adopted on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the conference adopted the text (the publication date is added)."),
    )
    corrects = forms.ModelChoiceField(
        label=_("Corrects edition"),
        required=False,
        queryset=Edition.objects.none(),
        empty_label=_("Nothing: this is not a correction"),
    )
    correction_note = forms.CharField(
        label=_("What it corrects"),
        required=False,
        max_length=MAX_CORRECTION,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Required for a correction; printed at the top of the new edition."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["corrects"]
        field.queryset = Edition.objects.published().only("number", "title")
        field.label_from_instance = lambda e: (
            _("Edition %(n)s: %(title)s")
            % {
                "n": e.number,
                "title": e.title,
            }
        )
        # The title and preamble in the other languages, for the edition's documents in them.
        for code, name in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE:
                continue
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"dir": "auto", "lang": code}),
            )
            self.fields[f"preamble_{code}"] = forms.CharField(
                label=_("Preamble (%(language)s)") % {"language": name},
                required=False,
                max_length=MAX_PREAMBLE,
                widget=forms.Textarea(attrs={"rows": 6, "dir": "auto", "lang": code}),
            )

    def edition_data(self) -> dict[str, Any]:
        """The cleaned data as the edition services take it."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "preamble": data["preamble"],
            "adopted_on": data.get("adopted_on"),
            "corrects": data.get("corrects"),
            "correction_note": data.get("correction_note", ""),
            "translations": {
                code: {"title": data[f"title_{code}"], "preamble": data[f"preamble_{code}"]}
                for code, _name in settings.LANGUAGES
                if f"title_{code}" in data
            },
        }

    @staticmethod
    def initial_of(edition: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": edition.title,
            "preamble": edition.preamble,
            "adopted_on": edition.adopted_on,
            "corrects": edition.corrects_id,
            "correction_note": edition.correction_note,
        }
        for code, given in (edition.translations or {}).items():
            initial[f"title_{code}"] = given.get("title", "")
            initial[f"preamble_{code}"] = given.get("preamble", "")
        return initial


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the recommendations and the warnings above."),
        error_messages={"required": _("Confirm that you checked the edition before publishing.")},
    )
    count = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    warnings = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
