"""Comments on recommendations: threads anchored to paragraphs, responses, edits, moderation."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from recommendations.models import Recommendation

MAX_BODY = 10_000
MAX_QUOTE = 500
MAX_REASON = 2000


class CommentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class ResponseStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PARTLY_ACCEPTED = "partly_accepted", _("Partly accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


def _share(obj: models.Model, field: str, loaded: dict) -> None:
    """Give ``obj`` the already loaded object of its foreign key ``field``, if there is one
    (one deleted meanwhile is left to load on its own, rather than set to nothing)."""
    found = loaded.get(getattr(obj, f"{field}_id"))
    if found is not None:
        setattr(obj, field, found)


class CommentQuerySet(models.QuerySet):
    def of(self, rec: Recommendation) -> CommentQuerySet:
        return self.filter(recommendation=rec)

    def for_display(self) -> CommentQuerySet:
        """Everything a page or an API list shows of a comment, in one query."""
        return self.select_related(
            "author",
            "organisation",
            "hidden_by",
            "response",
            "response__author",
            "response__organisation",
        ).order_by("created_at", "pk")

    def list_for_display(self) -> list[Comment]:
        """What ``for_display`` shows, as a list, with each person and organisation built once.

        A discussion names the same few dozen people and organisations hundreds of times;
        ``select_related`` builds one object per mention, which was most of the cost of reading
        a 300-comment discussion (docs/performance.md). Here the comments (with their
        responses) come in one query, the people in a second and the organisations in a third,
        whatever the number of comments."""
        comments = list(self.select_related("response").order_by("created_at", "pk"))
        people: set[int] = set()
        organisations: set[int] = set()
        for comment in comments:
            people.update((comment.author_id, comment.hidden_by_id))
            organisations.add(comment.organisation_id)
            response = getattr(comment, "response", None)
            if response is not None:
                people.add(response.author_id)
                organisations.add(response.organisation_id)
        people.discard(None)
        organisations.discard(None)
        users = get_user_model().objects.in_bulk(people) if people else {}
        orgs = Organisation.objects.in_bulk(organisations) if organisations else {}
        for comment in comments:
            _share(comment, "author", users)
            _share(comment, "hidden_by", users)
            _share(comment, "organisation", orgs)
            response = getattr(comment, "response", None)
            if response is not None:
                _share(response, "author", users)
                _share(response, "organisation", orgs)
        return comments

    def body_visible_to(self, user) -> CommentQuerySet:
        """The comments whose text ``user`` may read: ``Comment.body_visible_to`` as a filter,
        for counts made in the database (tested to agree with it)."""
        if not getattr(user, "is_authenticated", False):
            return self.filter(hidden=False)
        if user.is_moderator:
            return self.all()
        return self.filter(Q(hidden=False) | Q(author_id=user.pk))

    def reported(self) -> CommentQuerySet:
        """Comments with at least one report that no moderator has handled yet."""
        return self.filter(
            Exists(CommentReport.objects.filter(comment=OuterRef("pk"), resolved_at__isnull=True))
        )


def comment_link(page: str, pk: int, *, keep: str = "") -> str:
    """A comment on its recommendation's page: ``?comment=`` opens its thread where a long
    discussion folds the replies (``comments.display.FOLD_ABOVE``), ``#comment-`` goes to it.
    ``keep``: the page's other parameters, escaped, each followed by ``&amp;``."""
    return f"{page}?{keep}comment={pk}#comment-{pk}"


class Comment(models.Model):
    recommendation = models.ForeignKey(
        Recommendation,
        on_delete=models.CASCADE,
        related_name="comments",
        verbose_name=_("recommendation"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("author"),
    )
    # The author's organisation when they wrote it (memberships change; the record does not).
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    body = models.TextField(_("comment (Markdown)"))
    # The language it is written in (any of the workspace's, whatever the text's language):
    # chosen on the form, by default the interface's.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        db_default="en",
    )
    body_html = models.TextField(editable=False, default="")
    # A paragraph key of the recommendation's text ("" for a comment on the whole text).
    anchor = models.CharField(_("paragraph"), max_length=40, blank=True, db_index=True)
    quote = models.CharField(_("quoted passage"), max_length=MAX_QUOTE, blank=True)
    version = models.PositiveIntegerField(_("version commented on"))
    status = models.CharField(
        _("status"), max_length=20, choices=CommentStatus.choices, default=CommentStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Hiding is a flag: the text stays in the database (and in the audit trail).
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        permissions = [("moderate_comment", "Hide and restore comments")]
        indexes = [models.Index(fields=["recommendation", "created_at"])]

    def __str__(self) -> str:
        return f"#{self.pk} on {self.recommendation_id} by {self.author_id}"

    def get_absolute_url(self) -> str:
        return comment_link(self.recommendation.get_absolute_url(), self.pk)

    @property
    def is_resolved(self) -> bool:
        return self.status == CommentStatus.RESOLVED

    def body_visible_to(self, user) -> bool:
        """A hidden comment's text is for moderators and its author only."""
        if not self.hidden:
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        return user.pk == self.author_id or user.is_moderator


class CommentRevision(models.Model):
    """An earlier text of an edited comment (the current text is on the comment)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    body_html = models.TextField()
    # When that text was written (the comment's creation or its previous edit).
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["comment", "-replaced_at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.comment_id} before {self.replaced_at:%Y-%m-%d %H:%M}"


class CommentResponse(models.Model):
    """The drafting organisations' official answer to a comment."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="response")
    status = models.CharField(_("response"), max_length=20, choices=ResponseStatus.choices)
    reason = models.TextField(_("reason"))
    # The recommendation's version when the answer was given: the version the input led to.
    version = models.PositiveIntegerField(_("version it led to"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.status} to #{self.comment_id}"


class CommentReport(models.Model):
    """A participant's report of a comment to the moderators."""

    class Outcome(models.TextChoices):
        HIDDEN = "hidden", _("Comment hidden")
        DISMISSED = "dismissed", _("Dismissed")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_report_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"report of #{self.comment_id} by {self.reporter_id}"
