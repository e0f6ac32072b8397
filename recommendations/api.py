"""JSON API of recommendations: the same lookup helpers and services as the pages."""

from __future__ import annotations

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

import text
from core.api import ERROR, valid

from . import permissions as perms
from . import services
from .models import Recommendation, VersionMeta
from .serializers import (
    CreateSerializer,
    EditSerializer,
    FilterInput,
    OrganisationInput,
    ReasonInput,
    RecommendationListOut,
    RecommendationOut,
    VersionInput,
    VersionOut,
)


def _get(request: Request, pk: int) -> Recommendation:
    return perms.get_recommendation_for(
        request.user, pk, Recommendation.objects.prefetch_related("co_drafters")
    )


def _detail(rec: Recommendation, code: int = status.HTTP_200_OK) -> Response:
    rec = (
        Recommendation.objects.select_related("theme", "lead_organisation")
        .prefetch_related("co_drafters")
        .get(pk=rec.pk)
    )
    return Response(RecommendationOut(rec).data, status=code)


class RecommendationListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[FilterInput],
        responses=RecommendationListOut(many=True),
        summary="Recommendations the caller may see, filtered",
    )
    def get(self, request: Request) -> Response:
        params = valid(FilterInput, request.query_params)
        qs = Recommendation.objects.visible_to(request.user).for_list()
        if params.get("q"):
            q = params["q"]
            qs = qs.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(body__icontains=q))
        if params.get("theme"):
            qs = qs.filter(theme=params["theme"])
        if params.get("actor"):
            qs = qs.filter(addressed__contains=f",{params['actor']},")
        if params.get("status"):
            qs = qs.filter(status=params["status"])
        if params.get("organisation"):
            org = params["organisation"]
            qs = qs.filter(Q(lead_organisation=org) | Q(co_drafters=org)).distinct()
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(RecommendationListOut(page, many=True).data)

    @extend_schema(request=CreateSerializer, responses={201: RecommendationOut, 403: ERROR})
    def post(self, request: Request) -> Response:
        data = valid(CreateSerializer, request.data)
        rec = services.create_recommendation(actor=request.user, **data)
        return _detail(rec, status.HTTP_201_CREATED)


class RecommendationDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: RecommendationOut, 404: ERROR})
    def get(self, request: Request, pk: int) -> Response:
        rec = _get(request, pk)
        if rec.status == "final" and rec.final_version:
            # The final text is the frozen approved version.
            frozen = VersionMeta.objects.with_text().get(
                recommendation=rec, number=rec.final_version
            )
            data = RecommendationOut(rec).data
            data.update(
                title=frozen.title,
                body=frozen.body,
                body_html=frozen.body_html,
                paragraphs=frozen.paragraphs,
                summary=frozen.summary,
            )
            return Response(data)
        return Response(RecommendationOut(rec).data)

    @extend_schema(
        request=EditSerializer,
        responses={200: RecommendationOut, 409: ERROR, 403: ERROR, 400: ERROR},
        summary="Edit with the version it was based on; stale edits merge or answer 409",
    )
    def patch(self, request: Request, pk: int) -> Response:
        rec = _get(request, pk)
        data = valid(EditSerializer, request.data)
        try:
            result = services.edit_recommendation(rec, actor=request.user, **data)
        except services.EditConflict as exc:
            rec.refresh_from_db()
            return Response(
                {
                    "detail": exc.message,
                    "version": rec.version,
                    "title": rec.title,
                    "body": rec.body,
                    "conflicts": exc.payload.get("conflicts", []),
                },
                status=status.HTTP_409_CONFLICT,
            )
        response = _detail(result.recommendation)
        response.data["merged_with"] = result.merged_with
        response.data["saved"] = result.saved
        return response


class VersionsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=VersionOut(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rec = _get(request, pk)
        versions = (
            VersionMeta.objects.with_text()
            .filter(recommendation=rec)
            .select_related("author", "organisation")
        )
        return Response(VersionOut(versions, many=True).data)


class DiffView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("from", int, required=True),
            OpenApiParameter("to", int, required=True),
        ],
        responses=inline_serializer(
            "Diff",
            {
                "from": serializers.IntegerField(),
                "to": serializers.IntegerField(),
                "html": serializers.CharField(),
                "rows": serializers.ListField(),
            },
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        rec = _get(request, pk)
        old = services.get_version(rec, request.query_params.get("from"))
        new = services.get_version(rec, request.query_params.get("to"))
        old_text, new_text = f"# {old.title}\n\n{old.body}", f"# {new.title}\n\n{new.body}"
        return Response(
            {
                "from": old.number,
                "to": new.number,
                "html": text.diff_inline(old_text, new_text),
                "rows": [
                    {"kind": k, "old": a, "new": b}
                    for k, a, b in text.diff_side_by_side(old_text, new_text)
                ],
            }
        )


class _ActionView(APIView):
    permission_classes = [IsAuthenticated]
    input_class = None

    def act(self, request: Request, rec: Recommendation, data: dict) -> Recommendation:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        rec = _get(request, pk)
        data = valid(self.input_class, request.data) if self.input_class else {}
        rec = self.act(request, rec, data)
        return _detail(rec)


def _action(name: str, input_class, call):
    view = type(
        f"{name.title()}View",
        (_ActionView,),
        {
            "input_class": input_class,
            "act": lambda self, request, rec, data: call(rec, request.user, data),
        },
    )
    return extend_schema(
        request=input_class, responses={200: RecommendationOut, 403: ERROR, 404: ERROR, 409: ERROR}
    )(view)


SubmitView = _action(
    "submit", None, lambda rec, user, d: services.submit_for_review(rec, actor=user)
)
ApproveView = _action(
    "approve", VersionInput, lambda rec, user, d: services.approve_version(rec, actor=user, **d)
)
RejectView = _action(
    "reject", ReasonInput, lambda rec, user, d: services.reject_recommendation(rec, actor=user, **d)
)
WithdrawView = _action(
    "withdraw",
    ReasonInput,
    lambda rec, user, d: services.withdraw_recommendation(rec, actor=user, **d),
)
FinaliseView = _action(
    "finalise", None, lambda rec, user, d: services.finalise_recommendation(rec, actor=user)
)
RestoreView = _action(
    "restore", VersionInput, lambda rec, user, d: services.restore_version(rec, actor=user, **d)
)
AddDrafterView = _action(
    "add_drafter",
    OrganisationInput,
    lambda rec, user, d: services.add_co_drafter(rec, actor=user, **d),
)


class RemoveDrafterView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: RecommendationOut, 403: ERROR, 404: ERROR})
    def delete(self, request: Request, pk: int, slug: str) -> Response:
        from accounts.models import Organisation

        rec = _get(request, pk)
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            return Response({"detail": "No such organisation."}, status=status.HTTP_404_NOT_FOUND)
        return _detail(services.remove_co_drafter(rec, organisation=org, actor=request.user))


class EventsView(APIView):
    """What a client missed since its last ``seq``: every event it may see, in order."""

    permission_classes = [IsAuthenticated]
    limit = 500

    @extend_schema(
        parameters=[OpenApiParameter("after", int, required=False)],
        responses=inline_serializer(
            "Events",
            {
                "recommendation": serializers.IntegerField(),
                "last_seq": serializers.IntegerField(),
                "has_more": serializers.BooleanField(),
                "events": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        from .events import visible_events

        rec = _get(request, pk)
        raw = request.query_params.get("after", "0")
        if not raw.isdigit():
            return Response(
                {"after": ["A non-negative integer is required."]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        messages, has_more = visible_events(request.user, rec, after=int(raw), limit=self.limit)
        last = messages[-1]["seq"] if has_more and messages else rec.last_event_seq
        return Response(
            {"recommendation": rec.pk, "last_seq": last, "has_more": has_more, "events": messages}
        )
