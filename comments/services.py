"""Every write on comments: permission check, atomic change, activity record, live event.

Pages, the API, the demo data and the admin call these; none of them re-implements a rule.
Each takes the acting user as the keyword-only ``actor``. Errors: ``Http404`` for who may not
see the recommendation, ``PermissionDenied`` (403) for who may see it but not do this,
``ValidationError`` (400) for bad input, ``Conflict`` (409) for the wrong state.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

import text
from core.cleaning import clean_text, non_negative_int
from core.errors import Conflict
from core.ratelimit import hit_by_person
from recommendations import permissions as rec_perms
from recommendations.events import emit
from recommendations.models import Recommendation
from recommendations.services import (
    actor_organisation,
    clean_language_code,
    record_on_recommendation,
)
from text.render import is_heading_html

from . import anchors, mentions
from . import permissions as perms
from .models import (
    MAX_BODY,
    MAX_QUOTE,
    MAX_REASON,
    Comment,
    CommentReport,
    CommentResponse,
    CommentRevision,
    CommentStatus,
    ResponseStatus,
)
from .serializers import public_data

CREATED = "comment.created"
UPDATED = "comment.updated"


# --- helpers ---------------------------------------------------------------------------------
def _lock_recommendation(rec: Recommendation | int, actor) -> Recommendation:
    """Re-read the recommendation under a lock (404 for who may not see it): writes on one
    recommendation's comments queue up behind each other and behind edits of its text."""
    pk = rec.pk if isinstance(rec, Recommendation) else rec
    locked = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("theme", "lead_organisation")
        .filter(pk=pk)
        .first()
    )
    if locked is None or not rec_perms.can_view(actor, locked):
        raise Http404("No such recommendation")
    return locked


def _lock(comment: Comment | int, actor) -> tuple[Comment, Recommendation]:
    """The comment and its recommendation, locked in that order (recommendation first)."""
    pk = comment.pk if isinstance(comment, Comment) else comment
    rec_id = (
        comment.recommendation_id
        if isinstance(comment, Comment)
        else Comment.objects.filter(pk=pk).values_list("recommendation_id", flat=True).first()
    )
    if rec_id is None:
        raise Http404("No such comment")
    rec = _lock_recommendation(rec_id, actor)
    # Only the comment's row is locked (its organisation is a nullable join).
    locked = Comment.objects.select_for_update(of=("self",)).select_related("author").get(pk=pk)
    locked.recommendation = rec
    return locked, rec


def _require_open(rec: Recommendation) -> None:
    if not perms.is_open_for_discussion(rec):
        raise Conflict(
            _("A %(status)s recommendation is closed for comments.")
            % {"status": rec.get_status_display().lower()},
            status=rec.status,
        )


def _event(rec: Recommendation, comment: Comment, type_: str, action: str) -> None:
    """A live event for everyone in the recommendation's group: only what every viewer may see
    (a hidden comment's text and the reason for hiding are never in it)."""
    keys = anchors.paragraph_keys(anchors.current_paragraphs(rec))
    comment = Comment.objects.for_display().get(pk=comment.pk)
    emit(rec, type_, {"comment": public_data(comment, keys), "action": action})


def _anchor_of(rec: Recommendation, anchor: str, quote: str) -> tuple[str, str]:
    anchor = (anchor or "").strip()
    quote = anchors.normalise(quote)
    if len(quote) > MAX_QUOTE:
        raise ValidationError({"quote": [_("At most %(n)s characters.") % {"n": MAX_QUOTE}]})
    if not anchor:
        if quote:
            raise ValidationError({"quote": [_("A quoted passage needs its paragraph.")]})
        return "", ""
    paragraph = next((p for p in rec.paragraphs if p["key"] == anchor), None)
    if paragraph is None:
        raise ValidationError({"anchor": [_("There is no such paragraph in the current text.")]})
    if is_heading_html(paragraph["html"]):
        raise ValidationError(
            {"anchor": [_("Headings are not commented on: choose the paragraph under it.")]}
        )
    if quote and quote not in anchors.plain_text(paragraph["html"]):
        raise ValidationError({"quote": [_("The quoted passage is not in that paragraph.")]})
    return anchor, quote


# --- writing ---------------------------------------------------------------------------------
@transaction.atomic
def post_comment(
    rec: Recommendation,
    *,
    actor,
    body: str,
    parent: Comment | int | None = None,
    anchor: str = "",
    quote: str = "",
    language: str | None = None,
) -> Comment:
    """A new comment on the current version, or a reply (which takes its thread's anchor), in
    ``language`` (by default the interface's). Anchors are paragraphs of the original, whatever
    language the commenter reads it in."""
    rec = _lock_recommendation(rec, actor)
    rec_perms.require(
        perms.may_take_part(actor, rec),
        _("Only the drafting organisations comment on a draft."),
    )
    _require_open(rec)
    hit_by_person("comment", actor)
    body = clean_text(body, "body", required=True, limit=MAX_BODY)
    language = clean_language_code(language, interface_default=True)
    parent_comment = None
    if parent not in (None, ""):
        parent_pk = parent.pk if isinstance(parent, Comment) else parent
        try:
            parent_pk = non_negative_int(parent_pk, "parent")
        except ValidationError:
            parent_pk = None
        parent_comment = (
            Comment.objects.filter(pk=parent_pk, recommendation=rec).first() if parent_pk else None
        )
        if parent_comment is None:
            raise ValidationError({"parent": [_("Reply to a comment of this recommendation.")]})
        if parent_comment.hidden:
            raise Conflict(_("A hidden comment cannot be replied to."))
        anchor, quote = parent_comment.anchor, ""
    else:
        anchor, quote = _anchor_of(rec, anchor, quote)
    comment = Comment.objects.create(
        recommendation=rec,
        parent=parent_comment,
        author=actor,
        organisation=actor_organisation(actor, rec),
        body=body,
        body_html=mentions.render(body, text.render_markdown(body)),
        anchor=anchor,
        quote=quote,
        version=rec.version,
        language=language,
    )
    verb = "comment_replied" if parent_comment else "commented"
    record_on_recommendation(rec, actor=actor, verb=verb, version=rec.version, comment=comment.pk)
    _event(rec, comment, CREATED, "created")
    return comment


@transaction.atomic
def edit_comment(comment: Comment | int, *, actor, body: str) -> Comment:
    """The author changes their text; the earlier text is kept as a revision."""
    comment, rec = _lock(comment, actor)
    rec_perms.require(perms.is_author(actor, comment), _("Only its author can edit a comment."))
    _require_open(rec)
    if comment.hidden:
        raise Conflict(_("A hidden comment cannot be edited."))
    body = clean_text(body, "body", required=True, limit=MAX_BODY)
    if body == comment.body:
        return comment
    CommentRevision.objects.create(
        comment=comment,
        body=comment.body,
        body_html=comment.body_html,
        written_at=comment.edited_at or comment.created_at,
    )
    comment.body = body
    comment.body_html = mentions.render(body, text.render_markdown(body))
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at", "updated_at"])
    record_on_recommendation(
        rec, actor=actor, verb="comment_edited", version=rec.version, comment=comment.pk
    )
    _event(rec, comment, UPDATED, "edited")
    return comment


def _set_status(comment: Comment | int, *, actor, resolved: bool) -> Comment:
    comment, rec = _lock(comment, actor)
    rec_perms.require(
        perms.may_resolve(actor, comment, rec),
        _("Only the drafting organisations and its author can resolve or reopen a thread."),
    )
    _require_open(rec)
    if comment.parent_id is not None:
        raise ValidationError(_("Resolve or reopen the thread, not a reply."))
    wanted = CommentStatus.RESOLVED if resolved else CommentStatus.OPEN
    if comment.status == wanted:
        raise Conflict(
            _("This thread is already resolved.") if resolved else _("This thread is open."),
            comment_status=comment.status,
        )
    comment.status = wanted
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = actor if resolved else None
    comment.save(update_fields=["status", "resolved_at", "resolved_by", "updated_at"])
    verb = "comment_resolved" if resolved else "comment_reopened"
    record_on_recommendation(rec, actor=actor, verb=verb, version=rec.version, comment=comment.pk)
    _event(rec, comment, UPDATED, "resolved" if resolved else "reopened")
    return comment


@transaction.atomic
def resolve_comment(comment: Comment | int, *, actor) -> Comment:
    return _set_status(comment, actor=actor, resolved=True)


@transaction.atomic
def reopen_comment(comment: Comment | int, *, actor) -> Comment:
    return _set_status(comment, actor=actor, resolved=False)


@transaction.atomic
def respond_to_comment(
    comment: Comment | int, *, actor, status: str, reason: str
) -> CommentResponse:
    """The drafting organisations' official answer; it records the version it led to (the
    current version). Answering again replaces the answer (the activity keeps each one)."""
    comment, rec = _lock(comment, actor)
    rec_perms.require(
        perms.may_respond(actor, rec), _("Only the drafting organisations respond to comments.")
    )
    _require_open(rec)
    if status not in ResponseStatus.values:
        raise ValidationError({"status": [_("Choose accepted, partly accepted or not accepted.")]})
    reason = clean_text(reason, "reason", required=True, limit=MAX_REASON)
    if comment.hidden:
        raise Conflict(_("A hidden comment cannot be responded to."))
    response, _created = CommentResponse.objects.update_or_create(
        comment=comment,
        defaults={
            "status": status,
            "reason": reason,
            "version": rec.version,
            "author": actor,
            "organisation": actor_organisation(actor, rec),
        },
    )
    record_on_recommendation(
        rec,
        actor=actor,
        verb="comment_responded",
        version=rec.version,
        comment=comment.pk,
        response=status,
    )
    _event(rec, comment, UPDATED, "responded")
    return response


# --- moderation ------------------------------------------------------------------------------
def _close_reports(comment: Comment, actor, outcome: str) -> int:
    return CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor, outcome=outcome
    )


@transaction.atomic
def report_comment(comment: Comment | int, *, actor, reason: str) -> CommentReport:
    """Any participant who can see the comment asks the moderators to look at it."""
    comment, rec = _lock(comment, actor)
    rec_perms.require(perms.may_report(actor, comment), _("You cannot report your own comment."))
    hit_by_person("report", actor)
    reason = clean_text(reason, "reason", required=True, limit=MAX_REASON)
    if comment.hidden:
        raise Conflict(_("This comment is already hidden."))
    if perms.has_reported(actor, comment):
        raise Conflict(_("You have already reported this comment."))
    try:
        with transaction.atomic():
            report = CommentReport.objects.create(comment=comment, reporter=actor, reason=reason)
    except IntegrityError:
        raise Conflict(_("You have already reported this comment.")) from None
    # Audit only: not on the recommendation's public activity (reporters are not exposed).
    record_on_recommendation(
        None,
        actor=actor,
        verb="comment_reported",
        version=rec.version,
        recommendation=rec.pk,
        comment=comment.pk,
        report=report.pk,
    )
    return report


@transaction.atomic
def hide_comment(comment: Comment | int, *, actor, reason: str) -> Comment:
    """A moderator hides a comment with a reason (its author sees the reason, others see that
    it was hidden). The text stays in the database and in this activity record."""
    comment, rec = _lock(comment, actor)
    rec_perms.require(perms.can_moderate(actor), _("Only moderators hide comments."))
    reason = clean_text(reason, "reason", required=True, limit=MAX_REASON)
    if comment.hidden:
        raise Conflict(_("This comment is already hidden."))
    comment.hidden = True
    comment.hidden_reason = reason
    comment.hidden_by = actor
    comment.hidden_at = timezone.now()
    comment.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at", "updated_at"])
    _close_reports(comment, actor, CommentReport.Outcome.HIDDEN)
    record_on_recommendation(
        rec,
        actor=actor,
        verb="comment_hidden",
        version=rec.version,
        comment=comment.pk,
        reason=reason,
        hidden_text=comment.body,
    )
    _event(rec, comment, UPDATED, "hidden")
    return comment


@transaction.atomic
def restore_comment(comment: Comment | int, *, actor) -> Comment:
    comment, rec = _lock(comment, actor)
    rec_perms.require(perms.can_moderate(actor), _("Only moderators restore comments."))
    if not comment.hidden:
        raise Conflict(_("This comment is not hidden."))
    comment.hidden = False
    comment.hidden_reason = ""
    comment.hidden_by = None
    comment.hidden_at = None
    comment.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at", "updated_at"])
    record_on_recommendation(
        rec, actor=actor, verb="comment_restored", version=rec.version, comment=comment.pk
    )
    _event(rec, comment, UPDATED, "restored")
    return comment


@transaction.atomic
def dismiss_reports(comment: Comment | int, *, actor) -> int:
    """A moderator keeps a reported comment visible and closes its reports."""
    comment, rec = _lock(comment, actor)
    rec_perms.require(perms.can_moderate(actor), _("Only moderators handle reports."))
    closed = _close_reports(comment, actor, CommentReport.Outcome.DISMISSED)
    if not closed:
        raise Conflict(_("This comment has no open reports."))
    record_on_recommendation(
        None,
        actor=actor,
        verb="comment_reports_dismissed",
        version=rec.version,
        recommendation=rec.pk,
        comment=comment.pk,
        reports=closed,
    )
    return closed
