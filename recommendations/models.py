"""Recommendations, their text versions, activity and live events."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from reversion.models import Revision, Version

from accounts.models import Organisation, OrganisationKind


class Theme(models.Model):
    """A conference theme, one per peer-learning event of the project."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    event_city = models.CharField(_("peer-learning event"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language: the conference's themes (workspace/demo.py) are
        in the catalogues; a theme named otherwise reads as named."""
        return gettext(self.name) if self.name else ""


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    FINAL = "final", _("Final")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")


EDITABLE_STATES = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)

# Object permissions granted to the drafting organisations' groups (only services grant them).
PERM_VIEW = "view_recommendation"
PERM_EDIT = "change_recommendation"
PERM_MANAGE = "manage_drafters"
# Granted to the groups of organisations the drafters invite as translators: they may see the
# recommendation (in every state) and add or update its translations.
PERM_TRANSLATE = "translate_recommendation"
# Who may see a recommendation before it is submitted: its drafters and its translators.
VIEW_PERMS = (PERM_VIEW, PERM_TRANSLATE)


def text_languages() -> list[tuple[str, str]]:
    """The languages a recommendation can be written or translated in: the interface's."""
    return list(settings.LANGUAGES)


class RecommendationQuerySet(models.QuerySet):
    def drafted_by(self, user) -> RecommendationQuerySet:
        """Recommendations on which one of the user's organisations holds the edit right."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(
            Exists(
                RecommendationGroupObjectPermission.objects.filter(
                    content_object=OuterRef("pk"),
                    permission__codename=PERM_EDIT,
                    group__user=user,
                )
            )
        )

    def visible_to(self, user) -> RecommendationQuerySet:
        """The rule of who sees what, as one query (no per-row permission checks).

        Drafting organisations see their recommendations in every state; moderators see all;
        every other logged-in participant sees what has been submitted for review (and what
        became of it). Anonymous users see nothing here: the public reads published editions.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_moderator:
            return self.all()
        # Not correlated (an IN, not an EXISTS per row): the database reads the user's few
        # drafting rights once and hashes them, whatever the number of rows it filters. As
        # an EXISTS, PostgreSQL ran it once per draft when the rows came from a join (search:
        # 0.3 ms x 2,884 drafts at conference scale).
        drafting = RecommendationGroupObjectPermission.objects.filter(
            permission__codename__in=VIEW_PERMS, group__user=user
        ).values("content_object_id")
        return self.filter(Q(submitted_at__isnull=False) | Q(pk__in=drafting))

    def for_list(self) -> RecommendationQuerySet:
        return self.select_related("theme", "lead_organisation").prefetch_related("co_drafters")


class Recommendation(models.Model):
    title = models.CharField(_("title"), max_length=200)
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="recommendations", verbose_name=_("theme")
    )
    # Kinds of organisation addressed, stored as ",city,state," so that one LIKE filters it on
    # every database; read and written through ``addressed_to``.
    addressed = models.CharField(_("addressed to"), max_length=200, default=",")
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(editable=False, default="")
    paragraphs = models.JSONField(editable=False, default=list)
    footnotes_html = models.TextField(editable=False, default="")
    # The language the drafters write in; translations are made from it.
    language = models.CharField(
        _("original language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        db_default="en",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_recommendations",
        verbose_name=_("lead organisation"),
    )
    co_drafters = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="co_drafted_recommendations",
        verbose_name=_("co-drafting organisations"),
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    approved_version = models.PositiveIntegerField(_("approved version"), null=True, blank=True)
    final_version = models.PositiveIntegerField(_("final version"), null=True, blank=True)
    reason = models.TextField(_("reason for rejection or withdrawal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    last_event_seq = models.PositiveIntegerField(default=0, editable=False)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["theme__position", "title", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        permissions = [
            ("manage_drafters", "Invite or remove co-drafting organisations"),
            ("moderate_recommendation", "Approve or reject recommendations"),
            ("finalise_recommendation", "Finalise recommendations"),
            ("translate_recommendation", "Translate recommendations"),
        ]
        indexes = [models.Index(fields=["status", "theme"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", args=[self.pk])

    @property
    def addressed_to(self) -> list[str]:
        return [k for k in self.addressed.strip(",").split(",") if k]

    @addressed_to.setter
    def addressed_to(self, kinds: list[str]) -> None:
        ordered = [k for k in OrganisationKind.values if k in set(kinds)]
        self.addressed = "," + ",".join(ordered) + ","

    def addressed_to_labels(self) -> list[str]:
        labels = dict(OrganisationKind.choices)
        return [str(labels[k]) for k in self.addressed_to if k in labels]

    @property
    def organisations(self) -> list[Organisation]:
        """Lead first, then co-drafters (uses the prefetch when there is one)."""
        return [self.lead_organisation, *sorted(self.co_drafters.all(), key=lambda o: o.name)]

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATES

    @property
    def text_version(self) -> int:
        """The version readers are shown and translators translate: the final text once
        final (edits made after an approval may be newer), otherwise the newest version."""
        if self.status == Status.FINAL and self.final_version:
            return self.final_version
        return self.version


class RecommendationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Recommendation, on_delete=models.CASCADE)


class RecommendationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Recommendation, on_delete=models.CASCADE)


class VersionMetaQuerySet(models.QuerySet):
    def with_text(self) -> VersionMetaQuerySet:
        """Each version with its serialized Recommendation (title, summary, body), read from the
        revision's ``Version`` row in the same query: one query for any number of versions."""
        serialized = Version.objects.filter(
            revision=OuterRef("revision"),
            content_type__app_label=Recommendation._meta.app_label,
            content_type__model=Recommendation._meta.model_name,
            object_id=Cast(OuterRef("recommendation_id"), models.CharField()),
        ).values("serialized_data")[:1]
        return self.annotate(serialized_data=Subquery(serialized))


class VersionMeta(models.Model):
    """One text version of a recommendation: a django-reversion revision and what goes with it.

    The revision's ``Version`` holds the registered fields (title, summary, body, ...); this
    row holds the version number, who saved it and why, and the HTML rendered once when it was
    saved. Only saves that make a new text version (create, edit, merge, restore) have one.
    """

    revision = models.OneToOneField(
        Revision, on_delete=models.CASCADE, related_name="recommendation_version"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    body_html = models.TextField()
    paragraphs = models.JSONField(default=list)
    footnotes_html = models.TextField(default="")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    restored_from = models.PositiveIntegerField(null=True, blank=True)
    merged_with = models.PositiveIntegerField(null=True, blank=True)
    # A version cut from the live text: everyone who typed in it since the previous version
    # ([{"id", "name"}], in order of their first change), and the last update of the live
    # document's log it includes (the next cut's co-authors are those after it).
    co_authors = models.JSONField(default=list, blank=True)
    live_seq = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = VersionMetaQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "number"], name="one_text_version_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} v{self.number}"

    @cached_property
    def _fields(self) -> dict:
        """The registered fields of the Recommendation as this revision serialized them."""
        data = self.__dict__.get("serialized_data")
        if data is None:  # not read ``with_text()``: one query for this version
            data = (
                Version.objects.get_for_object_reference(Recommendation, self.recommendation_id)
                .filter(revision_id=self.revision_id)
                .values_list("serialized_data", flat=True)
                .get()
            )
        # Registered with the "json" format: a list holding the one serialized object.
        return json.loads(data)[0]["fields"]

    @property
    def title(self) -> str:
        return self._fields["title"]

    @property
    def summary(self) -> str:
        return self._fields["summary"]

    @property
    def body(self) -> str:
        return self._fields["body"]

    @property
    def paragraph_keys(self) -> list[str]:
        return [p["key"] for p in self.paragraphs]


class Translation(models.Model):
    """The text of a recommendation in another language than its original: a translation of one
    exact version of the original (``translated_version``), with numbered versions of its own.

    It is outdated when the original's text version is no longer the one it translates."""

    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("recommendation"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("text (Markdown)"))
    body_html = models.TextField(editable=False, default="")
    paragraphs = models.JSONField(editable=False, default=list)
    footnotes_html = models.TextField(editable=False, default="")
    # The translation's own version (1, 2, ...) and the original's version it translates.
    version = models.PositiveIntegerField(_("version"), default=1)
    translated_version = models.PositiveIntegerField(_("translated version"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["recommendation", "language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "language"], name="one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} [{self.language}] v{self.version}"

    def is_outdated(self, rec: Recommendation | None = None) -> bool:
        """Whether the original's text version moved on since the one this translates."""
        rec = rec or self.recommendation
        return self.translated_version != rec.text_version


class TranslationVersion(models.Model):
    """One saved version of a translation, kept so a stale edit can be merged with the
    changes made since the version it was edited from (and for the record)."""

    translation = models.ForeignKey(Translation, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    translated_version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    body = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)
    merged_with = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["translation", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "number"], name="one_translation_version_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.translation_id} v{self.number}"


class Event(models.Model):
    """A live event, stored with its per-recommendation ``seq`` so clients can catch up."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="events"
    )
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=40)
    data = models.JSONField(default=dict)
    # Who may see the event, decided when it was made: "all" viewers of the recommendation, or
    # only the "drafters" and moderators (events of a draft nobody else can see).
    audience = models.CharField(max_length=20, default="all")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "seq"], name="one_event_per_seq")
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}#{self.seq} {self.type}"

    def as_message(self) -> dict:
        return {
            "type": self.type,
            "recommendation": self.recommendation_id,
            "seq": self.seq,
            "data": self.data,
        }


# Explicit fields: nothing else (no cached HTML, no counters) goes into the revision history.
# VersionMeta reads title, summary and body back from the "json" serialization.
import reversion  # noqa: E402

VERSIONED_FIELDS = (
    "title",
    "theme",
    "addressed",
    "summary",
    "body",
    "status",
    "lead_organisation",
    "co_drafters",
    "version",
    "approved_version",
    "final_version",
    "reason",
)
reversion.register(Recommendation, fields=list(VERSIONED_FIELDS), format="json")


class SearchDocument(models.Model):
    """One searchable text of a recommendation: the recommendation itself, one of its
    translations, or one of its comments (``recommendations.search``; sources are registered by
    the apps that own the texts).

    ``title`` and ``text`` are what a reader sees (the excerpt is cut from them); the ``*_words``
    columns are the same words folded for matching (``text.search.index_words``). The full-text
    index over the words is the database's own, made by migration 0010: a ``tsvector`` column
    with a GIN index on PostgreSQL, an FTS5 table kept in step by triggers on SQLite. Neither
    is a model field, so the ORM reads and writes the same columns on both."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="search_documents"
    )
    kind = models.CharField(max_length=20)
    # "" for the recommendation itself, the language of a translation, the id of a comment.
    key = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=8, blank=True)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    title_words = models.TextField(blank=True)
    text_words = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "kind", "key"], name="one_search_document_per_text"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} {self.kind} {self.key}"
