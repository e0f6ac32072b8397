"""JSON API of comments: the same lookup helpers and services as the pages.

Forms posted by the page's script are accepted as well as JSON (same validation)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from core.api import valid
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


def _one(comment: Comment | int, user) -> dict:
    """The comment as ``user`` may see it, freshly read."""
    pk = comment.pk if isinstance(comment, Comment) else comment
    fresh = Comment.objects.for_display().select_related("recommendation").get(pk=pk)
    keys = anchors.paragraph_keys(anchors.current_paragraphs(fresh.recommendation))
    return viewer_data(fresh, keys, user)


class _CommentsAPI(ViewSet):
    permission_classes = [IsAuthenticated]
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]


# The comments of one recommendation: /api/recommendations/<pk>/comments/.
class RecommendationCommentViewSet(_CommentsAPI):
    @extend_schema(
        responses={200: CommentOut(many=True), 404: ERROR},
        summary="Every comment of a recommendation, oldest first (hidden text only to "
        "moderators and its author)",
    )
    def list(self, request: Request, pk: int) -> Response:
        rec = rec_perms.get_recommendation_for(request.user, pk)
        keys = anchors.paragraph_keys(anchors.current_paragraphs(rec))
        comments = Comment.objects.of(rec).list_for_display()
        return Response([viewer_data(c, keys, request.user) for c in comments])

    @extend_schema(
        request=CommentInput,
        responses={201: CommentOut, **ERRORS},
        summary="Comment on the current version (optionally on a paragraph and a passage), "
        "or reply",
    )
    def create(self, request: Request, pk: int) -> Response:
        rec = rec_perms.get_recommendation_for(request.user, pk)
        data = valid(CommentInput, request.data)
        comment = services.post_comment(rec, actor=request.user, **data)
        return Response(_one(comment, request.user), status=status.HTTP_201_CREATED)


# One comment, /api/comments/<pk>/, and what is done to it, /api/comments/<pk>/<action>/: each
# action reads the comment through the lookup helper (404 for who may not see it), then calls
# its service, which checks the permission (403) and the state (409).
class CommentViewSet(_CommentsAPI):
    lookup_value_converter = "int"

    def _act(self, request: Request, pk: int, service, input_class=None) -> Response:
        comment = perms.get_comment_for(request.user, pk)
        data = valid(input_class, request.data) if input_class else {}
        service(comment, actor=request.user, **data)
        return Response(_one(comment, request.user))

    @extend_schema(responses={200: CommentOut, 404: ERROR})
    def retrieve(self, request: Request, pk: int) -> Response:
        comment = perms.get_comment_for(request.user, pk)
        return Response(_one(comment, request.user))

    @extend_schema(request=CommentEditInput, responses={200: CommentOut, **ERRORS})
    def partial_update(self, request: Request, pk: int) -> Response:
        return self._act(request, pk, services.edit_comment, CommentEditInput)

    @extend_schema(
        request=None,
        responses={200: CommentOut, **ERRORS},
        summary="Resolve a thread (drafting organisations, the comment's author)",
    )
    @action(detail=True, methods=["post"], url_path="resolve")
    def resolve(self, request: Request, pk: int) -> Response:
        return self._act(request, pk, services.resolve_comment)

    @extend_schema(
        request=None,
        responses={200: CommentOut, **ERRORS},
        summary="Reopen a resolved thread (drafting organisations, the comment's author)",
    )
    @action(detail=True, methods=["post"], url_path="reopen")
    def reopen(self, request: Request, pk: int) -> Response:
        return self._act(request, pk, services.reopen_comment)

    @extend_schema(
        request=CommentReasonInput,
        responses={200: CommentOut, **ERRORS},
        summary="Hide a comment with a reason (moderators)",
    )
    @action(detail=True, methods=["post"], url_path="hide")
    def hide(self, request: Request, pk: int) -> Response:
        return self._act(request, pk, services.hide_comment, CommentReasonInput)

    @extend_schema(
        request=None,
        responses={200: CommentOut, **ERRORS},
        summary="Show a hidden comment again (moderators)",
    )
    @action(detail=True, methods=["post"], url_path="restore")
    def restore(self, request: Request, pk: int) -> Response:
        return self._act(request, pk, services.restore_comment)

    @extend_schema(
        request=CommentRespondInput,
        responses={200: CommentOut, **ERRORS},
        summary="Official response of the drafting organisations, recording the current version",
    )
    @action(detail=True, methods=["post"], url_path="respond")
    def respond(self, request: Request, pk: int) -> Response:
        return self._act(request, pk, services.respond_to_comment, CommentRespondInput)

    @extend_schema(
        request=CommentReasonInput,
        responses={201: CommentReportOut, **ERRORS},
        summary="Report a comment to the moderators",
    )
    @action(detail=True, methods=["post"], url_path="report")
    def report(self, request: Request, pk: int) -> Response:
        comment = perms.get_comment_for(request.user, pk)
        data = valid(CommentReasonInput, request.data)
        report = services.report_comment(comment, actor=request.user, **data)
        return Response(
            {
                "id": report.pk,
                "comment": comment.pk,
                "detail": _("Thank you: the moderators will look at this comment."),
            },
            status=status.HTTP_201_CREATED,
        )
