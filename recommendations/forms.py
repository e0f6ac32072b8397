from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationKind
from core.forms import QuickSelect

from . import listing
from .models import Status, Theme


class IsolatedNameChoiceField(forms.ModelChoiceField):
    """Organisations (or themes) by name, each isolated for direction (FSI … PDI: an ``<option>`` holds
    no ``<bdi>``), so an Arabic name reads right in an English list and the reverse. Drawn
    by ``QuickSelect``: the lists of organisations are long."""

    widget = QuickSelect

    def label_from_instance(self, obj: Organisation | Theme) -> str:
        return f"\u2068{getattr(obj, 'label', obj.name)}\u2069"


class RecommendationForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    theme = IsolatedNameChoiceField(
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
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    body = forms.CharField(
        label=_("Text (Markdown)"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 20, "data-preview-source": "body", "dir": "auto"}),
        help_text=_(
            "Paragraphs are separated by a blank line. Lists, tables, footnotes and headings work."
        ),
    )
    note = forms.CharField(
        label=_("Change note"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("What you changed and why; shown in the history."),
    )


class CreateForm(RecommendationForm):
    language = forms.ChoiceField(
        label=_("Language of the text"),
        choices=settings.LANGUAGES,
        required=False,
        help_text=_("The language you write in; translations into the others are made from it."),
    )
    organisation = IsolatedNameChoiceField(
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
        self.fields["language"].initial = (get_language() or settings.LANGUAGE_CODE)[:2]

    def clean_organisation(self):
        return self.cleaned_data.get("organisation") or self.only_organisation


class EditForm(RecommendationForm):
    base_version = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)
    # Set by the co-editing editor (static/js/coedit.bundle.js): the version is cut from the
    # live text the server holds, not from the posted body.
    live = forms.BooleanField(required=False, widget=forms.HiddenInput())


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"})
    )


class VersionForm(forms.Form):
    version = forms.IntegerField(label=_("Version"), min_value=1)


class OrganisationChoiceForm(forms.Form):
    organisation = IsolatedNameChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), to_field_name="slug"
    )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    theme = IsolatedNameChoiceField(
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
        widget=QuickSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *Status.choices],
        widget=QuickSelect,
    )
    organisation = IsolatedNameChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any organisation"),
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=(), widget=QuickSelect)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Read when the form is made: apps register their orders at start-up.
        self.fields["sort"].choices = listing.sort_choices()


class TranslationForm(forms.Form):
    """A translation as the translator's page sends it; the service checks the versions."""

    title = forms.CharField(
        label=_("Title"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )
    body = forms.CharField(
        label=_("Text (Markdown)"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 20, "data-preview-source": "body", "dir": "auto"}),
        help_text=_(
            "Keep the paragraphs of the original, separated by a blank line, so that readers "
            "can follow them side by side."
        ),
    )
    note = forms.CharField(
        label=_("Change note"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput(), min_value=1)
    translation_version = forms.IntegerField(widget=forms.HiddenInput(), min_value=0)
