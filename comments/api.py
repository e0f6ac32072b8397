"""JSON API of comments: the same lookup helpers and services as the pages.

Forms posted by the page's script are accepted as well as JSON (same validation)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.parsers import BoundedJSONParser
from recommendations import permissions as rec_perms

from . import anchors, services
from . import permissions as perms
from .models import Comment
from .serializers import (
    CommentEditInput,
    CommentInput,
    CommentOut,
    CommentReasonInput,
    CommentReportOut,
    CommentRespondInput,
    viewer_data,
)

ERROR = inline_serializer("CommentError", {"detail": serializers.CharField()})
ERRORS = {400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR}


def _valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _one(comment: Comment | int, user) -> dict:
    """The comment as ``user`` may see it, freshly read."""
    pk = comment.pk if isinstance(comment, Comment) else comment
    fresh = Comment.objects.for_display().select_related("recommendation").get(pk=pk)
    keys = anchors.paragraph_keys(anchors.current_paragraphs(fresh.recommendation))
    return viewer_data(fresh, keys, user)


class _Base(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]


class CommentListView(_Base):
    @extend_schema(
        responses={200: CommentOut(many=True), 404: ERROR},
        summary="Every comment of a recommendation, oldest first (hidden text only to "
        "moderators and its author)",
    )
    def get(self, request: Request, pk: int) -> Response:
        rec = rec_perms.get_recommendation_for(request.user, pk)
        keys = anchors.paragraph_keys(anchors.current_paragraphs(rec))
        comments = Comment.objects.of(rec).for_display()
        return Response([viewer_data(c, keys, request.user) for c in comments])

    @extend_schema(
        request=CommentInput,
        responses={201: CommentOut, **ERRORS},
        summary="Comment on the current version (optionally on a paragraph and a passage), "
        "or reply",
    )
    def post(self, request: Request, pk: int) -> Response:
        rec = rec_perms.get_recommendation_for(request.user, pk)
        data = _valid(CommentInput, request.data)
        comment = services.post_comment(rec, actor=request.user, **data)
        return Response(_one(comment, request.user), status=status.HTTP_201_CREATED)


class CommentDetailView(_Base):
    @extend_schema(responses={200: CommentOut, 404: ERROR})
    def get(self, request: Request, pk: int) -> Response:
        comment = perms.get_comment_for(request.user, pk)
        return Response(_one(comment, request.user))

    @extend_schema(request=CommentEditInput, responses={200: CommentOut, **ERRORS})
    def patch(self, request: Request, pk: int) -> Response:
        comment = perms.get_comment_for(request.user, pk)
        data = _valid(CommentEditInput, request.data)
        services.edit_comment(comment, actor=request.user, **data)
        return Response(_one(comment, request.user))


class _ActionView(_Base):
    input_class = None

    def act(self, request: Request, comment: Comment, data: dict) -> None:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        comment = perms.get_comment_for(request.user, pk)
        data = _valid(self.input_class, request.data) if self.input_class else {}
        self.act(request, comment, data)
        return Response(_one(comment, request.user))


def _action(name: str, input_class, call, summary: str):
    view = type(
        f"{name.title()}CommentView",
        (_ActionView,),
        {
            "input_class": input_class,
            "act": lambda self, request, comment, data: call(comment, request.user, data),
        },
    )
    return extend_schema(
        request=input_class, responses={200: CommentOut, **ERRORS}, summary=summary
    )(view)


ResolveView = _action(
    "resolve",
    None,
    lambda c, user, d: services.resolve_comment(c, actor=user),
    "Resolve a thread (drafting organisations, the comment's author)",
)
ReopenView = _action(
    "reopen",
    None,
    lambda c, user, d: services.reopen_comment(c, actor=user),
    "Reopen a resolved thread (drafting organisations, the comment's author)",
)
HideView = _action(
    "hide",
    CommentReasonInput,
    lambda c, user, d: services.hide_comment(c, actor=user, **d),
    "Hide a comment with a reason (moderators)",
)
RestoreView = _action(
    "restore",
    None,
    lambda c, user, d: services.restore_comment(c, actor=user),
    "Show a hidden comment again (moderators)",
)
RespondView = _action(
    "respond",
    CommentRespondInput,
    lambda c, user, d: services.respond_to_comment(c, actor=user, **d),
    "Official response of the drafting organisations, recording the current version",
)


class ReportView(_Base):
    @extend_schema(
        request=CommentReasonInput,
        responses={201: CommentReportOut, **ERRORS},
        summary="Report a comment to the moderators",
    )
    def post(self, request: Request, pk: int) -> Response:
        comment = perms.get_comment_for(request.user, pk)
        data = _valid(CommentReasonInput, request.data)
        report = services.report_comment(comment, actor=request.user, **data)
        return Response(
            {
                "id": report.pk,
                "comment": comment.pk,
                "detail": _("Thank you: the moderators will look at this comment."),
            },
            status=status.HTTP_201_CREATED,
        )
