from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationKind

from .models import Status, Theme


class RecommendationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="slug"
    )
    addressed_to = forms.MultipleChoiceField(
        label=_("Addressed to"),
        choices=OrganisationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Which actors should commit to this recommendation."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    body = forms.CharField(
        label=_("Text (Markdown)"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 20, "data-preview-source": "body"}),
        help_text=_(
            "Paragraphs are separated by a blank line. Lists, tables, footnotes and headings work."
        ),
    )
    note = forms.CharField(
        label=_("Change note"),
        required=False,
        max_length=300,
        help_text=_("What you changed and why; shown in the history."),
    )


class CreateForm(RecommendationForm):
    organisation = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        mine = list(Organisation.objects.of_user(user).order_by("name"))
        self.fields["organisation"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in mine]
        )
        self.only_organisation = mine[0] if len(mine) == 1 else None
        if self.only_organisation is not None:
            # One organisation: it leads; no need to ask.
            self.fields["organisation"].required = False
            self.fields["organisation"].widget = forms.HiddenInput()

    def clean_organisation(self):
        return self.cleaned_data.get("organisation") or self.only_organisation


class EditForm(RecommendationForm):
    base_version = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(label=_("Version"), min_value=1)


class OrganisationChoiceForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), to_field_name="slug"
    )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
    )
    actor = forms.ChoiceField(
        label=_("Addressed to"),
        required=False,
        choices=[("", _("All actors")), *OrganisationKind.choices],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Status.choices]
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any organisation"),
    )
