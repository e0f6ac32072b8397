from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Edition
from .services import MAX_CORRECTION, MAX_PREAMBLE


class EditionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    preamble = forms.CharField(
        label=_("Introduction (Markdown)"),
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

    def __init__(self, *args, **kwargs) -> None:
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


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked the recommendations and the warnings above."),
        error_messages={"required": _("Confirm that you checked the edition before publishing.")},
    )
    count = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    warnings = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
