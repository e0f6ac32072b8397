"""Commitments of organisations to recommendations, their progress, and the organisation pages
(description, logo, the cities' migration profiles and pilot projects).

A commitment is made by a representative, in the name of an organisation, on the exact
approved (or final) version of a recommendation, like an endorsement. Its progress updates are
append-only: an update is never edited (only the secretariat's verification is added to it);
the commitment keeps the latest state of its updates so that lists and counts are one query.
A city's migration profile is kept as dated revisions, never overwritten.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, OrganisationKind


def plain_number(value: Decimal | None) -> str | None:
    """``Decimal("60.00")`` -> ``"60"``, ``Decimal("2.50")`` -> ``"2.5"`` (no exponent)."""
    if value is None:
        return None
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


# A commitment still running: its target date can pass (overdue), an update can be asked for.
OPEN_STATUSES = (ProgressStatus.NOT_STARTED, ProgressStatus.IN_PROGRESS)


def published_recommendations():
    """Primary keys of the recommendations that a published edition carries (public)."""
    from publication.models import EditionEntry

    return EditionEntry.objects.filter(edition__published_at__isnull=False).values(
        "recommendation_id"
    )


class CommitmentQuerySet(models.QuerySet):
    def public(self) -> CommitmentQuerySet:
        """What anyone, logged in or not, may read: public commitments on recommendations a
        published edition carries."""
        return self.filter(is_public=True, recommendation__in=published_recommendations())

    def visible_to(self, user) -> CommitmentQuerySet:
        """Anonymous: the public ones. Participants: every public commitment (commitments
        are made on approved versions, which every participant sees) and all of their own
        organisations'. Moderators and the secretariat: all."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.public()
        if user.is_moderator or user.is_secretariat:
            return self.all()
        return self.filter(
            Q(is_public=True) | Q(organisation__in=Organisation.objects.of_user(user))
        )

    def for_list(self) -> CommitmentQuerySet:
        return self.select_related(
            "organisation", "recommendation", "recommendation__theme"
        ).order_by("actor_kind", "organisation__name", "pk")

    def overdue(self, today: date | None = None) -> CommitmentQuerySet:
        today = today or timezone.localdate()
        return self.filter(status__in=OPEN_STATUSES, target_date__lt=today)

    def with_unverified(self) -> CommitmentQuerySet:
        return self.annotate(
            unverified=Exists(
                ProgressUpdate.objects.filter(commitment=OuterRef("pk"), verified_at__isnull=True)
            )
        )


class Commitment(models.Model):
    """What an organisation pledges to do about a recommendation."""

    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("recommendation"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="commitments",
        verbose_name=_("organisation"),
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(_("version committed to"))
    actor_kind = models.CharField(_("commits as"), max_length=32, choices=OrganisationKind.choices)
    action = models.TextField(_("action"))
    target_date = models.DateField(_("target date"))
    indicator = models.CharField(_("indicator"), max_length=200, blank=True)
    indicator_unit = models.CharField(_("unit"), max_length=50, blank=True)
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The latest progress update's state, kept by the services (lists and counts in one query).
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProgressStatus.choices,
        default=ProgressStatus.NOT_STARTED,
        db_index=True,
    )
    current_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    last_update_at = models.DateTimeField(null=True, blank=True)
    update_requested_at = models.DateTimeField(null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation", "actor_kind", "organisation__name", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["recommendation", "is_public"]),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} commits to {self.recommendation_id} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("commitments:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.target_date < (today or timezone.localdate())

    def days_since_update(self, now=None) -> int:
        """Days since the last progress update (or since the commitment, without one)."""
        moment = self.last_update_at or self.created_at
        return ((now or timezone.now()) - moment).days

    @property
    def progress_ratio(self) -> Decimal | None:
        if self.target_value in (None, 0) or self.current_value is None:
            return None
        return min(Decimal(1), max(Decimal(0), self.current_value / self.target_value))

    def snapshot(self) -> dict:
        """What an edition keeps of this commitment (copied, never referenced)."""
        return {
            "organisation": self.organisation.slug,
            "name": self.organisation.name,
            "kind": self.actor_kind,
            "action": self.action,
            "target_date": self.target_date.isoformat(),
            "indicator": self.indicator,
            "unit": self.indicator_unit,
            "target_value": plain_number(self.target_value),
            "version": self.version,
        }


class ProgressUpdate(models.Model):
    """One dated report of the committed organisation. Append-only: never edited; the
    secretariat may mark it verified, separately from the organisation's claim."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=ProgressStatus.choices)
    reason = models.TextField(_("reason for dropping"), blank=True)
    note = models.TextField(_("note"), blank=True)
    current_value = models.DecimalField(
        _("current value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["commitment", "created_at", "pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.status} ({self.created_at:%Y-%m-%d})"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and set(kwargs.get("update_fields") or ()) - {
            "verified_at",
            "verified_by",
        }:
            raise RuntimeError("Progress updates are append-only: only verification is added.")
        if self.pk is not None and not kwargs.get("update_fields"):
            raise RuntimeError("Progress updates are append-only: only verification is added.")
        super().save(*args, **kwargs)


class OrganisationPage(models.Model):
    """What an organisation says about itself on its page (edited by its representatives)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="page")
    description = models.TextField(_("short description"), blank=True)
    # The logo as the server re-encoded it (resized, without metadata), under MEDIA_ROOT.
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    logo_type = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation page")
        verbose_name_plural = _("organisation pages")

    def __str__(self) -> str:
        return str(self.organisation_id)


class ProfileSection(models.TextChoices):
    ORIGINS = "origins", _("Origin of migrants")
    DISTRIBUTION = "distribution", _("Spatial distribution")
    INCLUSION = "inclusion", _("Services and policies for inclusion")
    FRAMEWORK = "framework", _("National framework")


class ProfileRevisionQuerySet(models.QuerySet):
    def latest_per_section(self, *, published_only: bool) -> list[ProfileRevision]:
        """The newest revision of each section (published ones only, for the public)."""
        qs = self.filter(is_published=True) if published_only else self
        newest = qs.filter(
            organisation=OuterRef("organisation"), section=OuterRef("section")
        ).order_by("-created_at", "-pk")
        rows = qs.filter(pk__in=models.Subquery(newest.values("pk")[:1])).select_related("author")
        order = list(ProfileSection.values)
        return sorted(rows, key=lambda r: order.index(r.section))


class ProfileRevision(models.Model):
    """One dated revision of one section of a city's migration profile (never overwritten:
    a change is a new revision). A draft revision is seen by the organisation's members."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="profile_revisions"
    )
    section = models.CharField(_("section"), max_length=20, choices=ProfileSection.choices)
    text = models.TextField(_("text"))
    is_published = models.BooleanField(_("published"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProfileRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "section", "-created_at", "-pk"]
        verbose_name = _("migration profile revision")
        verbose_name_plural = _("migration profile revisions")
        indexes = [models.Index(fields=["organisation", "section", "created_at"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.section} {self.created_at:%Y-%m-%d}"


class PilotProject(models.Model):
    """A city's pilot project of the MC2CM project."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="pilot_projects"
    )
    theme = models.ForeignKey(
        "recommendations.Theme", on_delete=models.PROTECT, related_name="+", verbose_name=_("theme")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    results = models.TextField(_("results"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "title"]
        verbose_name = _("pilot project")
        verbose_name_plural = _("pilot projects")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_pilot_project_per_city")
        ]

    def __str__(self) -> str:
        return self.title
