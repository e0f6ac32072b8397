"""Endorsements and published editions (issue 5). Imported by recommendations.models.

An endorsement names the exact approved version it supports. An edition copies everything it
shows (titles, texts, versions, endorsing organisations, the canonical Markdown and its SHA-256)
when it is published, so later changes of recommendations, organisations or endorsements never
alter it. Writes go through ``recommendations/publication.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

__all__ = ["Edition", "EditionDocument", "EditionEntry", "Endorsement", "FrozenEditionError"]


class FrozenEditionError(RuntimeError):
    """Something tried to change a published edition (services answer 409 before this)."""


class EndorsementQuerySet(models.QuerySet):
    def live(self) -> EndorsementQuerySet:
        """Endorsements that have not been withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def for_display(self) -> EndorsementQuerySet:
        return self.select_related("organisation", "representative").order_by(
            "organisation__name", "pk"
        )


class Endorsement(models.Model):
    """An organisation's support, given by one of its representatives, for one approved version."""

    recommendation = models.ForeignKey(
        "recommendations.Recommendation",
        on_delete=models.CASCADE,
        related_name="endorsements",
        verbose_name=_("recommendation"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="endorsements",
        verbose_name=_("organisation"),
    )
    representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("representative"),
    )
    version = models.PositiveIntegerField(_("version endorsed"))
    statement = models.TextField(_("statement"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = EndorsementQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation", "organisation__name", "pk"]
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        constraints = [
            # One live endorsement per organisation and recommendation; withdrawn ones stay
            # as the record. The database enforces it (partial unique index).
            models.UniqueConstraint(
                fields=["recommendation", "organisation"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_live_endorsement_per_organisation",
            )
        ]
        indexes = [models.Index(fields=["organisation", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.organisation_id} endorses {self.recommendation_id} v{self.version}"

    @property
    def is_live(self) -> bool:
        return self.withdrawn_at is None

    def snapshot(self) -> dict:
        """What an edition keeps of this endorsement (copied, never referenced)."""
        return {
            "organisation": self.organisation.slug,
            "name": self.organisation.name,
            "kind": self.organisation.kind,
            "statement": self.statement,
            "version": self.version,
        }


class EditionQuerySet(models.QuerySet):
    def published(self) -> EditionQuerySet:
        """Published editions, newest first, without the PDF's bytes (``pdf_bytes`` reads
        them when someone downloads it)."""
        return self.filter(published_at__isnull=False).defer("pdf").order_by("-number")

    def drafts(self) -> EditionQuerySet:
        return self.filter(published_at__isnull=True).order_by("-created_at", "-pk")


class Edition(models.Model):
    """The conference text as published: composed as a draft, frozen when published."""

    title = models.CharField(_("title"), max_length=200)
    preamble = models.TextField(_("preamble (Markdown)"), blank=True)
    preamble_html = models.TextField(editable=False, default="")
    # Given when published: 1, 2, 3... (drafts have none, so numbers have no gaps).
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The canonical document: these exact characters, encoded as UTF-8, are served for
    # download and hashed.
    markdown = models.TextField(editable=False, default="")
    sha256 = models.CharField(editable=False, max_length=64, default="")
    # When the conference adopted the text (the publication date is ``published_at``).
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    # A correction is a new edition that names the one it corrects and says what changed.
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects edition"),
    )
    correction_note = models.TextField(_("what this edition corrects"), blank=True)
    # The recommendations the secretariat chose, in its order (ids); frozen into entries.
    chosen = models.JSONField(editable=False, default=list)
    # The PDF made from the published edition at publication: stored, so its bytes (and the
    # SHA-256 shown next to the Markdown's) never change.
    pdf = models.BinaryField(editable=False, default=bytes)
    pdf_sha256 = models.CharField(editable=False, max_length=64, default="")
    # What the sections registered by higher apps (core.documents) froze at publication:
    # {section key: JSON data}. The Markdown and the page are made from it, never from live rows.
    sections = models.JSONField(editable=False, default=dict)
    # The title and preamble in other languages, for the edition's documents in those
    # languages: {language: {"title", "preamble", "preamble_html"}} (absent: as written above).
    translations = models.JSONField(editable=False, default=dict)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        permissions = [("publish_edition", "Publish editions")]

    def __str__(self) -> str:
        return f"{self.title} ({self.number or 'draft'})"

    def save(self, *args, **kwargs) -> None:
        if self._stored_as_published():
            raise FrozenEditionError(f"Edition {self.number} is published and never changes.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        if self.number is None:
            return reverse("publication:draft", args=[self.pk])
        return reverse("publication:edition", args=[self.number])

    def delete(self, *args, **kwargs):
        if self._stored_as_published():
            raise FrozenEditionError(f"Edition {self.number} is published and never changes.")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def markdown_filename(self) -> str:
        return f"edition-{self.number}.md"

    @property
    def pdf_filename(self) -> str:
        return f"edition-{self.number}.pdf"

    def heading_in(self, language: str | None) -> dict[str, str]:
        """The title, preamble and its HTML in ``language``: the translation the secretariat
        gave, else as written."""
        given = (self.translations or {}).get(language or "", {})
        return {
            "title": given.get("title") or self.title,
            "preamble": given.get("preamble") or self.preamble,
            "preamble_html": given.get("preamble_html") or self.preamble_html,
        }

    def _stored_as_published(self) -> bool:
        return (
            self.pk is not None
            and type(self)._default_manager.filter(pk=self.pk, published_at__isnull=False).exists()
        )


class EditionEntry(models.Model):
    """One final recommendation as an edition shows it: a copy, made when it was published."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="entries")
    recommendation = models.ForeignKey(
        "recommendations.Recommendation", on_delete=models.PROTECT, related_name="edition_entries"
    )
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    theme_name = models.CharField(max_length=200)
    theme_slug = models.SlugField(max_length=80)
    addressed_to = models.JSONField(default=list)
    version = models.PositiveIntegerField()
    text = models.TextField()
    text_html = models.TextField()
    # [{"organisation": slug, "name", "kind", "statement", "version"}], as they were.
    endorsements = models.JSONField(default=list)

    class Meta:
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "position"], name="one_entry_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.edition_id}#{self.position} {self.title}"

    def save(self, *args, **kwargs) -> None:
        if self._edition_published():
            raise FrozenEditionError("The entries of a published edition never change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._edition_published():
            raise FrozenEditionError("The entries of a published edition never change.")
        return super().delete(*args, **kwargs)

    def _edition_published(self) -> bool:
        return Edition.objects.filter(pk=self.edition_id, published_at__isnull=False).exists()


class EditionDocument(models.Model):
    """An edition in one language: its own canonical Markdown and SHA-256, made when it was
    published from the originals written in that language and the translations into it that
    were complete and up to date (translating the final version) for every recommendation.

    The edition's own ``markdown`` stays the document of the originals (its URL and bytes
    never change); a language whose every text is an original has a document with the same
    text as that one."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="documents")
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    markdown = models.TextField(editable=False)
    sha256 = models.CharField(editable=False, max_length=64)
    # [{"position", "title", "theme_name", "text", "text_html", "translated_version"}] in the
    # language (translated_version: null for an original), as they were.
    entries = models.JSONField(default=list)

    class Meta:
        ordering = ["edition", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "language"], name="one_document_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.edition_id} [{self.language}]"

    def save(self, *args, **kwargs) -> None:
        if Edition.objects.filter(pk=self.edition_id, published_at__isnull=False).exists():
            raise FrozenEditionError("The documents of a published edition never change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Edition.objects.filter(pk=self.edition_id, published_at__isnull=False).exists():
            raise FrozenEditionError("The documents of a published edition never change.")
        return super().delete(*args, **kwargs)

    @property
    def markdown_filename(self) -> str:
        return f"edition-{self.edition.number}.{self.language}.md"
