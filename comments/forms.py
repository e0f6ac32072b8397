"""Forms of the pages (the API validates with serializers; the services decide)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import MAX_BODY, MAX_QUOTE, MAX_REASON, ResponseStatus


class CommentForm(forms.Form):
    anchor = forms.ChoiceField(label=_("Comment on"), required=False)
    quote = forms.CharField(
        label=_("Quoted passage (optional)"), required=False, max_length=MAX_QUOTE
    )
    body = forms.CharField(
        label=_("Your comment"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput(), min_value=1)
    language = forms.ChoiceField(
        label=_("Language of the comment"), choices=settings.LANGUAGES, required=False
    )
    # Set once the author was told who among the mentioned cannot see the text.
    mentions_checked = forms.BooleanField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, paragraphs: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["anchor"].choices = [("", _("The whole text (general comment)")), *paragraphs]


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Edit your comment"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class RespondForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Official response"), choices=ResponseStatus.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason for the response"),
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
    )


class EmptyForm(forms.Form):
    pass
