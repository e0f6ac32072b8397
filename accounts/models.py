from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.places import country_name

MODERATOR = "moderator"
SECRETARIAT = "secretariat"
WORKSPACE_ROLES = (MODERATOR, SECRETARIAT)


class User(AbstractUser):
    """A person using the workspace; organisations come through memberships."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    # The interface language this person chose; blank: the browser's (or the cookie's).
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
        db_default="",
    )
    # The IANA zone this person reads times in; blank: the conference's (core.zones).
    # Validated against the zones the system knows (accounts.zones.validate_zone).
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, default="", db_default=""
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def has_role(self, role: str) -> bool:
        """Workspace-wide role held through the group of that name (cached per instance)."""
        if not self.is_active:
            return False
        cache = self.__dict__.get("_role_cache")
        if cache is None:
            cache = set(self.groups.filter(name__in=WORKSPACE_ROLES).values_list("name", flat=True))
            self.__dict__["_role_cache"] = cache
        return role in cache

    @property
    def is_moderator(self) -> bool:
        return self.has_role(MODERATOR)

    @property
    def is_secretariat(self) -> bool:
        return self.has_role(SECRETARIAT)


class OrganisationKind(models.TextChoices):
    CITY = "city", _("City")
    REGION = "region", _("Region")
    STATE = "state", _("National government")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    DONOR = "donor", _("Donor")


KIND_PLURALS = {
    OrganisationKind.CITY: _("Cities"),
    OrganisationKind.REGION: _("Regions"),
    OrganisationKind.STATE: _("States"),
    OrganisationKind.CIVIL_SOCIETY: _("Civil society"),
    OrganisationKind.INTERNATIONAL_ORGANISATION: _("International organisations"),
    OrganisationKind.DONOR: _("Donors"),
}


class OrganisationQuerySet(models.QuerySet):
    def of_user(self, user) -> OrganisationQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(memberships__user=user)

    def represented_by(self, user) -> OrganisationQuerySet:
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(memberships__user=user, memberships__role=Membership.Role.REPRESENTATIVE)


class Organisation(models.Model):
    """A stakeholder group: a city, region, government, NGO, international body or donor."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=100, blank=True)
    is_demo = models.BooleanField(_("demo organisation"), default=False)
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="organisation", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.group_id is None:
            self.group, _created = Group.objects.get_or_create(name=f"org:{self.slug}")
        super().save(*args, **kwargs)

    @property
    def country_label(self) -> str:
        """The country in the reader's language, when it is one CLDR knows by name."""
        return country_name(self.country)


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        REPRESENTATIVE = "representative", _("Representative")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_membership_per_org")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        from django.utils import timezone

        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mail invitation to join an organisation as a member or representative. The link
    carries a signed token (``accounts.invitations``); it works once, until ``expires_at``."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    # The language the invitation is written in (the inviter's, at the time).
    language = models.CharField(max_length=10, blank=True, default="")
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation_id} ({self.role})"

    @property
    def state(self) -> str:
        from django.utils import timezone

        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
