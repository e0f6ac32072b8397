"""The audit log: every recorded act, read by the people who watch over the workspace.

Moderators, the secretariat and staff read it (page and CSV); nobody edits it: rows are only
ever written by ``core.activity``. Filters are validated by a form (bad values are a form
error, never a 500) and never expanded into the ORM from a dict.
"""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Activity

PAGE_SIZE = 50


def may_read_audit(user) -> bool:
    """Moderators, the secretariat and staff (the roles are properties of the user model)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (
            user.is_staff
            or getattr(user, "is_moderator", False)
            or getattr(user, "is_secretariat", False)
        )
    )


class AuditFilter(forms.Form):
    verb = forms.CharField(label=_("What"), required=False, max_length=40)
    person = forms.CharField(label=_("Who (user name)"), required=False, max_length=150)
    address = forms.GenericIPAddressField(label=_("From address"), required=False)
    since = forms.DateField(label=_("From"), required=False)
    until = forms.DateField(label=_("Until"), required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


def audit_rows(form: AuditFilter) -> QuerySet[Activity]:
    """The rows the (validated) filter selects, newest first, with what each row shows."""
    qs = Activity.objects.select_related("actor", "organisation", "recommendation").order_by(
        "-created_at", "-pk"
    )
    if not form.is_valid():
        return qs
    data = form.cleaned_data
    if data["verb"]:
        qs = qs.filter(verb=data["verb"])
    if data["person"]:
        qs = qs.filter(Q(actor__username__iexact=data["person"]) | Q(data__username=data["person"]))
    if data["address"]:
        qs = qs.filter(address=data["address"])
    zone = timezone.get_current_timezone()
    if data["since"]:
        qs = qs.filter(
            created_at__gte=timezone.make_aware(datetime.combine(data["since"], time.min), zone)
        )
    if data["until"]:
        qs = qs.filter(
            created_at__lte=timezone.make_aware(datetime.combine(data["until"], time.max), zone)
        )
    return qs
