"""The audit rows of the workspace: what happened, by whom, for which organisation, when.

The table is the one the recommendations app created (``recommendations_activity``, moved here
without copying); rows may name a recommendation (most do) or nothing (an edition published).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _


class Activity(models.Model):
    """What happened, by whom, on behalf of which organisation, on which version (audit)."""

    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        related_name="activities",
        null=True,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(max_length=30, blank=True)
    verb = models.CharField(max_length=40)
    version = models.PositiveIntegerField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Where the request came from (the trusted-proxy rule of core.http.client_address).
    address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return f"{self.verb} by {self.actor_id}"

    @property
    def who(self) -> str:
        if self.organisation is not None:
            return self.organisation.name
        if self.role == "moderator":
            return str(_("Moderator"))
        if self.role == "secretariat":
            return str(_("Secretariat"))
        if self.role == "system":
            return str(_("The workspace"))
        return str(self.actor) if self.actor else str(_("Someone"))

    def describe(self) -> str:
        """One sentence for the page: "Lisbon submitted this for review"."""
        from .activity import sentences

        template = sentences.get(self.verb) or _("%(who)s changed this")
        return str(template) % {"who": self.who, "version": self.version, **self.data}

    def describe_isolated(self) -> SafeString:
        """The sentence as HTML, with the names and texts people wrote escaped and isolated
        for direction (``<bdi>``), so an Arabic organisation's name reads right in an English
        sentence and the reverse (and the text a reader copies or searches has no invisible
        marks in it)."""
        from .activity import sentences

        def iso(value: Any) -> Any:
            return format_html("<bdi>{}</bdi>", value) if isinstance(value, str) else value

        template = sentences.get(self.verb) or _("%(who)s changed this")
        data = {key: iso(value) for key, value in self.data.items()}
        sentence = conditional_escape(str(template))
        return mark_safe(sentence % {"who": iso(self.who), "version": self.version, **data})  # noqa: S308 - every value escaped
