"""The conference: where and when it meets, its deadlines, its themes' peer-learning meetings
and its programme. One conference today (Beirut, 7-8 November 2017); a model, so a follow-up
meeting can be another. Writes go through ``conference/services.py``."""

from __future__ import annotations

import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


def default_time_zone() -> str:
    return settings.WORKSPACE_TIME_ZONE


def current_zone_name() -> str:
    """The current conference's zone, the workspace's (``core.zones``); "" without one, and
    when the conference cannot be read (before ``migrate`` made its table, or where there is
    no database at all): the setting says then."""
    try:
        return Conference.objects.current_zone()
    except Exception:
        return ""


# The rules of good input, written once: the services, the admin's forms and the database
# constraints all hold them.
def validate_days(starts_on, ends_on) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": [_("The last day cannot be before the first day.")]})


def validate_deadlines(drafting, endorsement) -> None:
    """Drafting closes before (or when) endorsing does: texts are approved in between."""
    if drafting and endorsement and endorsement < drafting:
        raise ValidationError(
            {
                "endorsement_closes_at": [
                    _("Endorsement cannot close before drafting closes: set a later date.")
                ]
            }
        )


def validate_times(starts_at, ends_at) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValidationError({"ends_at": [_("A session must end after it starts.")]})


class ConferenceQuerySet(models.QuerySet):
    def current(self) -> Conference | None:
        """The conference the workspace works towards: the latest to start."""
        return self.order_by("-starts_on", "-pk").first()

    def current_zone(self) -> str:
        zone = self.order_by("-starts_on", "-pk").values_list("time_zone", flat=True).first()
        return zone or ""


class Conference(models.Model):
    name = models.CharField(_("name"), max_length=200)
    place = models.CharField(_("place"), max_length=200)
    host = models.CharField(_("host"), max_length=200, blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    time_zone = models.CharField(_("time zone"), max_length=64, default=default_time_zone)
    drafting_closes_at = models.DateTimeField(_("drafting closes"), null=True, blank=True)
    endorsement_closes_at = models.DateTimeField(_("endorsement closes"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConferenceQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="conference_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("conference:detail")

    def clean(self) -> None:
        validate_days(self.starts_on, self.ends_on)
        validate_deadlines(self.drafting_closes_at, self.endorsement_closes_at)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone or settings.WORKSPACE_TIME_ZONE)

    @property
    def drafting_closed(self) -> bool:
        return self.drafting_closes_at is not None and timezone.now() >= self.drafting_closes_at

    @property
    def endorsement_closed(self) -> bool:
        return (
            self.endorsement_closes_at is not None and timezone.now() >= self.endorsement_closes_at
        )


class ThemeMeeting(models.Model):
    """The peer-learning meeting where a theme's recommendations began (Lisbon, Madrid...)."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("conference")
    )
    theme = models.ForeignKey(
        "recommendations.Theme",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("theme"),
    )
    city = models.CharField(_("city"), max_length=100)
    held_on = models.DateField(_("date"))

    class Meta:
        ordering = ["theme__position", "theme__name"]
        verbose_name = _("peer-learning meeting")
        verbose_name_plural = _("peer-learning meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "theme"], name="one_meeting_per_theme_and_conference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.theme} ({self.city})"


class SessionQuerySet(models.QuerySet):
    def for_programme(self) -> SessionQuerySet:
        return (
            self.select_related("theme", "conference")
            .prefetch_related("organisations", "recommendations")
            .order_by("starts_at", "room", "pk")
        )


class Session(models.Model):
    """One session of the programme, with the recommendations discussed in it."""

    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("conference")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    theme = models.ForeignKey(
        "recommendations.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("theme"),
    )
    speakers = models.TextField(_("speakers"), blank=True, help_text=_("One per line."))
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="sessions", verbose_name=_("speaking organisations")
    )
    recommendations = models.ManyToManyField(
        "recommendations.Recommendation",
        blank=True,
        related_name="sessions",
        verbose_name=_("recommendations discussed"),
    )
    # Calendar identity: the UID never changes, SEQUENCE grows with every change.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "room", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conference:session", args=[self.pk])

    def clean(self) -> None:
        validate_times(self.starts_at, self.ends_at)

    @property
    def speaker_lines(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]


class OverviewVisit(models.Model):
    """When a person last opened the overview: it shows what changed since."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="overview_visit"
    )
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("overview visit")
        verbose_name_plural = _("overview visits")

    def __str__(self) -> str:
        return f"{self.user_id} at {self.seen_at:%Y-%m-%d %H:%M}"
