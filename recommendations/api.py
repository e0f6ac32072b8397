"""JSON API of recommendations: the same lookup helpers and services as the pages."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

import text
from core.api import ERROR, valid
from core.cleaning import non_negative_int

from . import listing, services, translations
from . import permissions as perms
from .models import Recommendation, VersionMeta
from .serializers import (
    CreateSerializer,
    EditSerializer,
    FilterInput,
    OrganisationInput,
    ReasonInput,
    RecommendationInLanguageOut,
    RecommendationListOut,
    RecommendationOut,
    TranslationInput,
    TranslationOut,
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


# What an action on a recommendation answers: the recommendation as it is now.
ACTED = {200: RecommendationOut, 403: ERROR, 404: ERROR, 409: ERROR}


# Recommendations, /api/recommendations/, one of them, /api/recommendations/<pk>/, and what is
# read or done on it, /api/recommendations/<pk>/<action>/: each reads the recommendation through
# the lookup helper (404 for who may not see it), then calls its service, which checks the
# permission (403) and the state (409).
class RecommendationViewSet(ViewSet):
    permission_classes = [IsAuthenticated]
    lookup_value_converter = "int"
    events_limit = 500

    def _act(self, request: Request, pk: int, service, input_class=None) -> Response:
        rec = _get(request, pk)
        data = valid(input_class, request.data) if input_class else {}
        return _detail(service(rec, actor=request.user, **data))

    @extend_schema(
        parameters=[FilterInput],
        responses=RecommendationListOut(many=True),
        summary="Recommendations the caller may see, filtered",
    )
    def list(self, request: Request) -> Response:
        params = valid(FilterInput, request.query_params)
        qs = listing.results(Recommendation.objects.visible_to(request.user).for_list(), params)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(RecommendationListOut(page, many=True).data)

    @extend_schema(request=CreateSerializer, responses={201: RecommendationOut, 403: ERROR})
    def create(self, request: Request) -> Response:
        data = valid(CreateSerializer, request.data)
        rec = services.create_recommendation(actor=request.user, **data)
        return _detail(rec, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "lang",
                str,
                required=False,
                description="Read the text in this language: the original's or a translation's.",
            )
        ],
        responses={200: RecommendationInLanguageOut, 400: ERROR, 404: ERROR},
    )
    def retrieve(self, request: Request, pk: int) -> Response:
        rec = _get(request, pk)
        data = RecommendationOut(rec).data
        if rec.status == "final" and rec.final_version:
            # The final text is the frozen approved version.
            frozen = VersionMeta.objects.with_text().get(
                recommendation=rec, number=rec.final_version
            )
            data.update(
                title=frozen.title,
                body=frozen.body,
                body_html=frozen.body_html,
                paragraphs=frozen.paragraphs,
                summary=frozen.summary,
            )
        data["translation"] = None
        lang = request.query_params.get("lang")
        if lang not in (None, "", rec.language):
            try:
                found = translations.get_translation(rec, lang)
            except Http404 as exc:
                return Response({"detail": str(exc)}, status=status.HTTP_404_NOT_FOUND)
            data.update(
                title=found.title,
                summary=found.summary,
                body=found.body,
                body_html=found.body_html,
                paragraphs=found.paragraphs,
                footnotes_html=found.footnotes_html,
                language=found.language,
                translation={
                    "translated_version": found.translated_version,
                    "outdated": found.is_outdated(rec),
                },
            )
        return Response(data)

    @extend_schema(
        request=EditSerializer,
        responses={200: RecommendationOut, 409: ERROR, 403: ERROR, 400: ERROR},
        summary="Edit with the version it was based on; stale edits merge or answer 409",
    )
    def partial_update(self, request: Request, pk: int) -> Response:
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

    # --- reading its history ---------------------------------------------------------------
    @extend_schema(responses=VersionOut(many=True))
    @action(detail=True, methods=["get"], url_path="versions")
    def versions(self, request: Request, pk: int) -> Response:
        rec = _get(request, pk)
        versions = (
            VersionMeta.objects.with_text()
            .filter(recommendation=rec)
            .select_related("author", "organisation")
        )
        return Response(VersionOut(versions, many=True).data)

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
    @action(detail=True, methods=["get"], url_path="diff")
    def diff(self, request: Request, pk: int) -> Response:
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
    @action(detail=True, methods=["get"], url_path="events")
    def events(self, request: Request, pk: int) -> Response:
        """What a client missed since its last ``seq``: every event it may see, in order."""
        from .events import visible_events

        rec = _get(request, pk)
        after = non_negative_int(request.query_params.get("after"), "after", default=0)
        messages, has_more = visible_events(request.user, rec, after=after, limit=self.events_limit)
        last = messages[-1]["seq"] if has_more and messages else rec.last_event_seq
        return Response(
            {"recommendation": rec.pk, "last_seq": last, "has_more": has_more, "events": messages}
        )

    # --- the lifecycle ---------------------------------------------------------------------
    @extend_schema(request=VersionInput, responses=ACTED)
    @action(detail=True, methods=["post"], url_path="restore")
    def restore(self, request: Request, pk: int) -> Response:
        return self._act(request, pk, services.restore_version, VersionInput)

    @extend_schema(request=None, responses=ACTED)
    @action(detail=True, methods=["post"], url_path="submit")
    def submit(self, request: Request, pk: int) -> Response:
        return self._act(request, pk, services.submit_for_review)

    @extend_schema(request=VersionInput, responses=ACTED)
    @action(detail=True, methods=["post"], url_path="approve")
    def approve(self, request: Request, pk: int) -> Response:
        return self._act(request, pk, services.approve_version, VersionInput)

    @extend_schema(request=ReasonInput, responses=ACTED)
    @action(detail=True, methods=["post"], url_path="reject")
    def reject(self, request: Request, pk: int) -> Response:
        return self._act(request, pk, services.reject_recommendation, ReasonInput)

    @extend_schema(request=ReasonInput, responses=ACTED)
    @action(detail=True, methods=["post"], url_path="withdraw")
    def withdraw(self, request: Request, pk: int) -> Response:
        return self._act(request, pk, services.withdraw_recommendation, ReasonInput)

    @extend_schema(request=None, responses=ACTED)
    @action(detail=True, methods=["post"], url_path="finalise")
    def finalise(self, request: Request, pk: int) -> Response:
        return self._act(request, pk, services.finalise_recommendation)


# The drafting organisations of a recommendation: one joins, POST
# /api/recommendations/<pk>/organisations/, and one leaves, DELETE .../organisations/<slug>/.
class DrafterViewSet(ViewSet):
    permission_classes = [IsAuthenticated]
    lookup_field = "slug"
    lookup_value_converter = "slug"

    @extend_schema(request=OrganisationInput, responses=ACTED)
    def create(self, request: Request, pk: int) -> Response:
        rec = _get(request, pk)
        data = valid(OrganisationInput, request.data)
        return _detail(services.add_co_drafter(rec, actor=request.user, **data))

    @extend_schema(responses={200: RecommendationOut, 403: ERROR, 404: ERROR})
    def destroy(self, request: Request, pk: int, slug: str) -> Response:
        from accounts.models import Organisation

        rec = _get(request, pk)
        org = Organisation.objects.filter(slug=slug).first()
        if org is None:
            return Response({"detail": "No such organisation."}, status=status.HTTP_404_NOT_FOUND)
        return _detail(services.remove_co_drafter(rec, organisation=org, actor=request.user))


# The translations of a recommendation: all of them, GET /api/recommendations/<pk>/translations/,
# one, GET .../translations/<lang>/, and saving one, PUT .../translations/<lang>/ (with the
# original's version it translates and the translation's version it was edited from).
class TranslationViewSet(ViewSet):
    permission_classes = [IsAuthenticated]
    lookup_field = "lang"
    lookup_value_converter = "str"

    @extend_schema(responses={200: TranslationOut(many=True), 404: ERROR})
    def list(self, request: Request, pk: int) -> Response:
        rec = _get(request, pk)
        found = rec.translations.select_related("updated_by", "organisation")
        for item in found:
            item.recommendation = rec
        return Response(TranslationOut(found, many=True).data)

    @extend_schema(responses={200: TranslationOut, 400: ERROR, 404: ERROR})
    def retrieve(self, request: Request, pk: int, lang: str) -> Response:
        rec = _get(request, pk)
        try:
            found = translations.get_translation(rec, lang)
        except Http404 as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_404_NOT_FOUND)
        found.recommendation = rec
        return Response(TranslationOut(found).data)

    @extend_schema(
        request=TranslationInput,
        responses={
            200: TranslationOut,
            201: TranslationOut,
            400: ERROR,
            403: ERROR,
            404: ERROR,
            409: ERROR,
        },
        summary="Save a translation of one version of the original; stale edits merge or 409",
    )
    def update(self, request: Request, pk: int, lang: str) -> Response:
        rec = _get(request, pk)
        data = valid(TranslationInput, request.data)
        try:
            result = translations.save_translation(rec, actor=request.user, language=lang, **data)
        except translations.TranslationConflict as exc:
            current = rec.translations.get(language=lang)
            return Response(
                {
                    "detail": exc.message,
                    "translation_version": current.version,
                    "translated_version": current.translated_version,
                    "title": current.title,
                    "summary": current.summary,
                    "body": current.body,
                    "conflicts": exc.payload.get("conflicts", []),
                },
                status=status.HTTP_409_CONFLICT,
            )
        except Http404 as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_404_NOT_FOUND)
        saved = result.translation
        saved.recommendation = result.translation.recommendation
        body = TranslationOut(saved).data
        body["saved"] = result.saved
        body["merged_with"] = result.merged_with
        created = result.saved and saved.version == 1
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
