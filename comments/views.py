"""Pages of comments. Every write calls a service; every read starts from a lookup helper
(404 for who may not see the recommendation, 403 for who may see it but not act).

The forms on the recommendation page post here when there is no JavaScript. A post that fails
never loses what was typed: the form comes back with the text and the error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core import csv as core_csv
from core.cleaning import non_negative_int
from core.errors import Conflict
from core.forms import apply_errors
from core.ratelimit import RateLimited
from core.undo import offer_undo
from recommendations import permissions as rec_perms
from recommendations.models import Recommendation
from text.render import number_paragraphs

from . import anchors, mentions, services
from . import permissions as perms
from .display import Viewer, build_threads, node_for
from .forms import CommentForm, EditForm, EmptyForm, ReasonForm, RespondForm
from .models import Comment, CommentReport, CommentRevision
from .serializers import is_outdated, response_data, response_of


def _back(comment: Comment) -> str:
    return comment.get_absolute_url()


def _paragraph_choices(rec: Recommendation) -> list[tuple[str, str]]:
    return [
        (
            p["key"],
            _("Paragraph %(n)s: %(text)s")
            % {"n": p["number"], "text": anchors.excerpt(p["html"], 60)},
        )
        for p in number_paragraphs(rec.paragraphs)
        if p["number"] is not None  # headings are not commented on
    ]


def _form_page(
    request: HttpRequest,
    *,
    rec: Recommendation,
    form,
    title: str,
    action: str,
    submit: str,
    status: int,
    comment: Comment | None = None,
    explain: str = "",
    next_value: str = "",
) -> HttpResponse:
    """The form again, with what was typed and why it was refused (or, ``explain``, the
    question a step asks first)."""
    node = None
    if comment is not None:
        keys = anchors.paragraph_keys(anchors.current_paragraphs(rec))
        shown = Comment.objects.for_display().get(pk=comment.pk)
        node = node_for(shown, Viewer.of(request.user, rec, load_reports=False), keys, "open")
    response = render(
        request,
        "comments/form_page.html",
        {
            "rec": rec,
            "form": form,
            "title": title,
            "action": action,
            "submit": submit,
            "node": node,
            "explain": explain,
            "next_value": next_value if next_value == "moderation" else "",
        },
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(getattr(form, "retry_after", 60))
    return response


def _attempt(form, call: Callable[[], object]) -> tuple[object | None, int]:
    """Run a service; on refusal put its message on the form and answer the status."""
    try:
        return call(), 200
    except ValidationError as exc:
        apply_errors(form, exc)
        return None, 400
    except Conflict as exc:
        form.add_error(None, exc.message)
        return None, 409
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You may not do this."))
        return None, 403
    except RateLimited as exc:
        form.add_error(None, exc.message)
        form.retry_after = exc.retry_after
        return None, 429


# --- writing ---------------------------------------------------------------------------------
@require_POST
@login_required
def create(request: HttpRequest, pk: int) -> HttpResponse:
    rec = rec_perms.get_recommendation_for(request.user, pk)
    form = CommentForm(request.POST, paragraphs=_paragraph_choices(rec))
    status = 400
    if form.is_valid() and not form.cleaned_data["mentions_checked"]:
        blind = mentions.cannot_see(rec, form.cleaned_data["body"])
        if blind:
            return _check_mentions(request, rec, blind)
    if form.is_valid():
        data = form.cleaned_data
        comment, status = _attempt(
            form,
            lambda: services.post_comment(
                rec,
                actor=request.user,
                body=data["body"],
                parent=data["parent"],
                anchor=data["anchor"],
                quote=data["quote"],
                language=data["language"] or None,
            ),
        )
        if comment is not None:
            messages.success(request, _("Your comment was posted."))
            return redirect(_back(comment))
    parent = None
    try:
        parent_pk = non_negative_int(request.POST.get("parent"), "parent")
    except ValidationError:
        parent_pk = None  # the form says what is wrong with it
    if parent_pk:
        parent = Comment.objects.filter(pk=parent_pk, recommendation=rec).first()
    return _form_page(
        request,
        rec=rec,
        form=form,
        title=_("Your comment was not posted"),
        action=request.path,
        submit=_("Post comment"),
        status=status,
        comment=parent if parent is not None and parent.body_visible_to(request.user) else None,
    )


def _check_mentions(request: HttpRequest, rec: Recommendation, blind: list[str]) -> HttpResponse:
    """Before posting: who among the mentioned cannot see the text (and so will not be told),
    with the comment as typed, to post anyway or to change."""
    data = request.POST.copy()
    data["mentions_checked"] = "True"
    form = CommentForm(data, paragraphs=_paragraph_choices(rec))
    form.is_valid()
    names = ", ".join(f"@{name}" for name in blind)
    return render(
        request,
        "comments/form_page.html",
        {
            "rec": rec,
            "form": form,
            "title": _("Check who you mention"),
            "warning": ngettext(
                "%(names)s cannot see this text and will not be told of your comment.",
                "%(names)s cannot see this text and will not be told of your comment.",
                len(blind),
            )
            % {"names": names},
            "action": request.path,
            "submit": _("Post anyway"),
        },
    )


@dataclass(frozen=True)
class Undo:
    """The step that takes an action back, offered with its message (``core.undo``) to who
    may take it: the view's URL name, its permission (``perms.can_*``), the button's label."""

    url_name: str
    allowed: Callable[[object, Comment], bool]
    label: str


def _say_done(request: HttpRequest, comment: Comment, done: str, undo: Undo | None) -> None:
    if undo is not None:
        fresh = perms.get_comment_for(request.user, comment.pk)
        if undo.allowed(request.user, fresh):
            back = request.POST.get("next") == "moderation"
            offer_undo(
                request,
                done,
                url=reverse(undo.url_name, args=[comment.pk]),
                label=str(undo.label),
                fields={"next": "moderation"} if back else {},
            )
            return
    messages.success(request, done)


@dataclass(frozen=True)
class Ask:
    """A step that asks first. The form carries ``confirm=ask``: without a script the view
    answers with this question and the form again (what was typed kept); with one,
    ``static/js/confirm.js`` asks the same in a dialog. Asked only of who may take the step."""

    title: str
    text: str
    allowed: Callable[[object, Comment], bool]


def _comment_action(
    form_class,
    call: Callable[[Comment, object, dict], object],
    *,
    done: str,
    title: str,
    submit: str,
    undo: Undo | None = None,
    ask: Ask | None = None,
):
    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        comment = perms.get_comment_for(request.user, pk)
        form = form_class(request.POST)
        status = 400
        asking = ask is not None and request.POST.get("confirm") == "ask"
        if asking and form.is_valid() and ask.allowed(request.user, comment):
            return _form_page(
                request,
                rec=comment.recommendation,
                form=form,
                title=str(ask.title),
                action=request.path,
                submit=str(submit),
                status=200,
                comment=comment,
                explain=str(ask.text),
                next_value=request.POST.get("next", ""),
            )
        if form.is_valid():
            _result, status = _attempt(form, lambda: call(comment, request.user, form.cleaned_data))
            if status == 200:
                _say_done(request, comment, str(done), undo)
                if request.POST.get("next") == "moderation":
                    return redirect("comments:moderation")
                return redirect(_back(comment))
        return _form_page(
            request,
            rec=comment.recommendation,
            form=form,
            title=str(title),
            action=request.path,
            submit=str(submit),
            status=status,
            comment=comment,
        )

    return view


edit = _comment_action(
    EditForm,
    lambda c, user, d: services.edit_comment(c, actor=user, body=d["body"]),
    done=_lazy("Your comment was saved; the earlier text is kept in its history."),
    title=_lazy("Your comment was not saved"),
    submit=_lazy("Save comment"),
)
resolve = _comment_action(
    EmptyForm,
    lambda c, user, d: services.resolve_comment(c, actor=user),
    done=_lazy("Thread resolved."),
    title=_lazy("The thread was not resolved"),
    submit=_lazy("Resolve"),
    undo=Undo(
        "comments:reopen",
        lambda user, c: perms.can_reopen(user, c, c.recommendation),
        _lazy("Reopen"),
    ),
)
reopen = _comment_action(
    EmptyForm,
    lambda c, user, d: services.reopen_comment(c, actor=user),
    done=_lazy("Thread reopened."),
    title=_lazy("The thread was not reopened"),
    submit=_lazy("Reopen"),
)
respond = _comment_action(
    RespondForm,
    lambda c, user, d: services.respond_to_comment(
        c, actor=user, status=d["status"], reason=d["reason"]
    ),
    done=_lazy("Your response was recorded."),
    title=_lazy("Your response was not recorded"),
    submit=_lazy("Give response"),
)
report = _comment_action(
    ReasonForm,
    lambda c, user, d: services.report_comment(c, actor=user, reason=d["reason"]),
    done=_lazy("Thank you: the moderators will look at this comment."),
    title=_lazy("The comment was not reported"),
    submit=_lazy("Report to the moderators"),
)
# The question hiding asks first (the page's dialog asks the same: comments/_tools.html).
HIDE_TITLE = _lazy("Hide this comment?")
HIDE_TEXT = _lazy(
    "Everyone but its author and the moderators will see that a moderator hid it, with your "
    "reason, instead of its text. You can restore it afterwards."
)
hide = _comment_action(
    ReasonForm,
    lambda c, user, d: services.hide_comment(c, actor=user, reason=d["reason"]),
    done=_lazy("The comment is hidden."),
    title=_lazy("The comment was not hidden"),
    submit=_lazy("Hide comment"),
    undo=Undo("comments:restore", lambda user, c: perms.can_restore(user, c), _lazy("Restore")),
    ask=Ask(HIDE_TITLE, HIDE_TEXT, lambda user, c: perms.can_hide(user, c)),
)
restore = _comment_action(
    EmptyForm,
    lambda c, user, d: services.restore_comment(c, actor=user),
    done=_lazy("The comment is shown again."),
    title=_lazy("The comment was not restored"),
    submit=_lazy("Restore"),
)
dismiss = _comment_action(
    EmptyForm,
    lambda c, user, d: services.dismiss_reports(c, actor=user),
    done=_lazy("The reports were dismissed; the comment stays visible."),
    title=_lazy("The reports were not dismissed"),
    submit=_lazy("Dismiss the reports"),
)


# --- reading ---------------------------------------------------------------------------------
def _discussion_tree(rec_id: int) -> dict[int, tuple[int | None, str]]:
    """The discussion's (id -> parent, status), in one query."""
    return {
        pk: (parent_id, status)
        for pk, parent_id, status in Comment.objects.filter(recommendation_id=rec_id).values_list(
            "pk", "parent_id", "status"
        )
    }


def _root_of(pk: int, rows: dict[int, tuple[int | None, str]]) -> int:
    """The thread's first comment, however deep the reply (a cycle cannot loop)."""
    seen: set[int] = set()
    while rows.get(pk, (None,))[0] is not None and pk not in seen:
        seen.add(pk)
        pk = rows[pk][0]
    return pk


def _under(pk: int, rows: dict[int, tuple[int | None, str]]) -> list[int]:
    """The ids of every reply under ``pk``."""
    children: dict[int, list[int]] = {}
    for child, (parent, _status) in rows.items():
        if parent is not None:
            children.setdefault(parent, []).append(child)
    found, stack = [], list(children.get(pk, []))
    while stack:
        child = stack.pop()
        found.append(child)
        stack.extend(children.get(child, []))
    return found


@require_GET
@login_required
def fragment(request: HttpRequest, pk: int) -> JsonResponse:
    """One comment rendered for this viewer, for the page's script to insert or update; with
    ``?replies=all``, with every reply under it (a folded thread opened: ``display.FOLD_ABOVE``),
    in the same number of queries whatever the thread's size."""
    comment = perms.get_comment_for(request.user, pk)
    rec = comment.recommendation
    with_replies = request.GET.get("replies") == "all"
    rows = _discussion_tree(comment.recommendation_id) if with_replies or comment.parent_id else {}
    ids = [comment.pk, *(_under(comment.pk, rows) if with_replies else [])]
    shown = list(Comment.objects.filter(pk__in=ids).for_display())
    if not shown:
        raise Http404("No such comment")
    # The thread's status (a reply is filtered with its thread): its first comment's.
    root_status = rows.get(_root_of(comment.pk, rows), (None, shown[0].status))[1]
    keys = anchors.paragraph_keys(anchors.current_paragraphs(rec))
    viewer = Viewer.of(request.user, rec)
    node = build_threads(shown, viewer, keys, root_status=root_status)[0]
    html = render_to_string("comments/_comment.html", {"node": node, "rec": rec}, request=request)
    first = node.comment
    return JsonResponse(
        {
            "id": first.pk,
            "parent": first.parent_id,
            "anchor": first.anchor or None,
            "outdated": is_outdated(first, keys),
            "status": first.status,
            "hidden": first.hidden,
            "html": html,
        }
    )


@require_GET
@login_required
def actions(request: HttpRequest, pk: int) -> HttpResponse:
    """The forms of what this viewer may do with one comment: the recommendation page links
    here (its script opens the same forms in place), so every action works without it."""
    comment = perms.get_comment_for(request.user, pk)
    rec = comment.recommendation
    shown = Comment.objects.for_display().get(pk=comment.pk)
    keys = anchors.paragraph_keys(anchors.current_paragraphs(rec))
    node = node_for(shown, Viewer.of(request.user, rec), keys, shown.status)
    rec_perms.require(bool(node.tools), _("You may not do this."))
    return render(
        request,
        "comments/actions.html",
        {"rec": rec, "node": node, "tools": node.tools.split()},
    )


@require_GET
@login_required
def history(request: HttpRequest, pk: int) -> HttpResponse:
    """The comment's current and earlier texts (a hidden one's only to moderators and its
    author)."""
    comment = perms.get_comment_for(request.user, pk)
    rec_perms.require(
        comment.body_visible_to(request.user),
        _("This comment was hidden by a moderator; its text is not shown."),
    )
    revisions = CommentRevision.objects.filter(comment=comment)
    return render(
        request,
        "comments/history.html",
        {"comment": comment, "rec": comment.recommendation, "revisions": revisions},
    )


EXPORT_COLUMNS = [
    "id",
    "thread",
    "parent",
    "created_at",
    "author",
    "organisation",
    "version",
    "paragraph",
    "outdated",
    "quote",
    "status",
    "hidden",
    "body",
    "response",
    "response_reason",
    "response_version",
    "response_organisation",
]


@require_GET
@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every comment of a recommendation as CSV, for its drafting organisations and moderators."""
    rec = rec_perms.get_recommendation_for(request.user, pk)
    rec_perms.require(
        perms.can_export(request.user, rec),
        _("Only the drafting organisations and moderators export comments."),
    )
    keys = anchors.paragraph_keys(anchors.current_paragraphs(rec))
    numbers = {p["key"]: n for n, p in enumerate(anchors.current_paragraphs(rec), start=1)}
    comments = Comment.objects.of(rec).list_for_display()
    parents = {c.pk: c.parent_id for c in comments}

    def thread_of(c: Comment) -> int:
        pk, seen = c.pk, set()
        while parents.get(pk) is not None and pk not in seen:
            seen.add(pk)
            pk = parents[pk]
        return pk

    response = core_csv.attachment(f"comments-{rec.pk}.csv")
    writer = core_csv.writer(response)  # every field quoted, formula starts neutralised
    writer.writerow(EXPORT_COLUMNS)
    for c in comments:
        answer = response_data(response_of(c))
        shown = c.body_visible_to(request.user)
        row = [
            c.pk,
            thread_of(c),
            c.parent_id or "",
            c.created_at.isoformat(),
            str(c.author),
            c.organisation.name if c.organisation_id else "",
            c.version,
            numbers.get(c.anchor, c.anchor),
            "yes" if is_outdated(c, keys) else "",
            c.quote,
            c.status,
            "yes" if c.hidden else "",
            c.body if shown else "",
            answer["status"] if answer else "",
            answer["reason"] if answer else "",
            answer["version"] if answer else "",
            (answer["organisation"] or "") if answer else "",
        ]
        writer.writerow(row)
    return response


@require_GET
@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    """The moderators' queue: reported comments first, then what is hidden."""
    rec_perms.require(perms.can_moderate(request.user), _("Only moderators see the queue."))
    open_reports = CommentReport.objects.filter(resolved_at__isnull=True).select_related("reporter")
    reported = list(
        Comment.objects.reported()
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .select_related("author", "organisation", "recommendation")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="queue"))
        .order_by("-open_reports", "created_at")[:200]
    )
    hidden = list(
        Comment.objects.filter(hidden=True)
        .select_related("author", "organisation", "recommendation", "hidden_by")
        .order_by("-hidden_at")[:100]
    )
    return render(request, "comments/moderation.html", {"reported": reported, "hidden": hidden})
