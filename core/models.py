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

    @property
    def role_label(self) -> str:
        """The role the actor acted in, as a word of the reader's language."""
        from .activity import value_labels

        labels = value_labels.get("role") or {}
        return str(labels.get(self.role, self.role))

    def _who_is_a_name(self) -> bool:
        """An organisation or a person, not a word of the interface ("Moderator")."""
        if self.organisation is not None:
            return True
        return self.role not in ("moderator", "secretariat", "system") and self.actor is not None

    def _sentence_values(self, isolate: Any) -> dict[str, Any]:
        """The values of the sentence: a stored code (a role, a kind of device) as its label in
        the reader's language, anything else (names, titles, reasons) passed to ``isolate``."""
        from .activity import value_labels

        values = {}
        for key, value in self.data.items():
            labels = value_labels.get(key)
            if labels is not None and isinstance(value, str) and value in labels:
                values[key] = str(labels[value])
            else:
                values[key] = isolate(value)
        values["who"] = isolate(self.who) if self._who_is_a_name() else self.who
        values["version"] = self.version
        return values

    def _template(self) -> Any:
        from .activity import sentences

        return sentences.get(self.verb) or _("%(who)s changed this")

    def describe(self) -> str:
        """One sentence for the page: "Lisbon submitted this for review"."""
        return str(self._template()) % self._sentence_values(lambda value: value)

    def describe_isolated(self) -> SafeString:
        """The sentence as HTML, with the names and texts people wrote escaped and isolated
        for direction (``<bdi>``), so an Arabic organisation's name reads right in an English
        sentence and the reverse (and the text a reader copies or searches has no invisible
        marks in it). The codes of the workspace (roles, kinds of device) read as words of the
        page's language."""

        def iso(value: Any) -> Any:
            return format_html("<bdi>{}</bdi>", value) if isinstance(value, str) else value

        sentence = conditional_escape(str(self._template()))
        values = {
            key: conditional_escape(value) if isinstance(value, str) else value
            for key, value in self._sentence_values(iso).items()
        }
        return mark_safe(sentence % values)  # noqa: S308 - every value escaped
