from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .services import MAX_PREAMBLE


class EditionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    preamble = forms.CharField(
        label=_("Preamble (Markdown)"),
        required=False,
        max_length=MAX_PREAMBLE,
        widget=forms.Textarea(attrs={"rows": 10, "dir": "auto"}),
        help_text=_("Shown before the recommendations. Paragraphs, lists and links work."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
            "translations": {
                code: {"title": data[f"title_{code}"], "preamble": data[f"preamble_{code}"]}
                for code, _name in settings.LANGUAGES
                if f"title_{code}" in data
            },
        }

    @staticmethod
    def initial_of(edition: Any) -> dict[str, str]:
        initial = {"title": edition.title, "preamble": edition.preamble}
        for code, given in (edition.translations or {}).items():
            initial[f"title_{code}"] = given.get("title", "")
            initial[f"preamble_{code}"] = given.get("preamble", "")
        return initial
