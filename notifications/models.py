"""Who is told what: notifications in the workspace, follows, e-mail preferences, and the
outbox of e-mail messages (each with its own key, so that nothing is sent twice)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from comments.models import Comment
from recommendations.models import Recommendation

from .kinds import DEFAULT_DIGEST_HOUR, KIND_CHOICES, KINDS, Channel


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def for_display(self) -> NotificationQuerySet:
        """What a list shows of each, in one query."""
        return self.select_related("actor", "recommendation", "comment", "organisation").order_by(
            "-created_at", "-pk"
        )


class Notification(models.Model):
    class Mail(models.TextChoices):
        NONE = "", _("No e-mail")
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        LEFT_OUT = "left_out", _("Left out: no longer visible to the reader")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    # The activity row this is about ("activity" + recipient is unique: never told twice).
    activity = models.ForeignKey(
        "core.Activity", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    verb = models.CharField(max_length=40, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # E-mail: "digest" items wait for the person's digest, "immediate" ones for the worker.
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.NEVER)
    mail = models.CharField(max_length=20, choices=Mail.choices, blank=True, default="")
    mailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread"
            ),
            models.Index(fields=["channel", "mail"], name="notif_mail_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "recipient"],
                condition=Q(activity__isnull=False),
                name="one_notification_per_activity_and_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Follow(models.Model):
    """A person follows (or, ``active=False``, chose to stop following) a recommendation.
    Drafting organisations' members follow their recommendations without a row; a row with
    ``active=False`` is how one of them stops."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="follows"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "recommendation"], name="one_follow_per_person")
        ]

    def __str__(self) -> str:
        return (
            f"{self.user_id} {'follows' if self.active else 'unfollowed'} {self.recommendation_id}"
        )


class Preferences(models.Model):
    """A person's e-mail choices: per kind (only the ones that differ from the defaults are
    stored) and the hour of their daily digest in their own time zone."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    channels = models.JSONField(default=dict, blank=True)
    digest_hour = models.PositiveSmallIntegerField(_("digest hour"), default=DEFAULT_DIGEST_HOUR)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"preferences of {self.user_id}"

    def channel_for(self, kind: str) -> str:
        chosen = self.channels.get(kind)
        return chosen if chosen in Channel.values else KINDS[kind].default


class OutgoingMail(models.Model):
    """One e-mail message in the outbox. ``key`` names what it is (``notification:12``,
    ``digest:7:2017-11-07``, ``invitation:3``): a message is made once per key, and marked
    sent only when the mail server accepted it (a crash between the two can resend at most
    this one message)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(max_length=120, unique=True)
    to = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.key} to {self.to} ({self.state})"
