from __future__ import annotations

from django import forms
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
