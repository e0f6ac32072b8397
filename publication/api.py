"""JSON API of endorsements and editions: the same lookups and services as the pages.

``/api/published/`` is public: no authentication is even attempted, and it answers from the
published edition's own copy only.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import condition
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from accounts.models import Organisation
from core.api import ERROR, valid
from recommendations import permissions as rec_perms

from . import caching, selectors, services
from . import permissions as perms
from .canonical import utc_iso
from .models import Edition, EditionEntry, Endorsement


# --- input and output ------------------------------------------------------------------------
class EndorseInput(serializers.Serializer):
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all()
    )
    statement = serializers.CharField(
        max_length=services.MAX_STATEMENT, required=False, allow_blank=True, default=""
    )


class ReconfirmInput(serializers.Serializer):
    statement = serializers.CharField(
        max_length=services.MAX_STATEMENT, required=False, allow_blank=True
    )


class EditionInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    preamble = serializers.CharField(
        max_length=services.MAX_PREAMBLE, required=False, allow_blank=True, default=""
    )
    translations = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)),
        required=False,
        help_text='the title and preamble in other languages: {"fr": {"title", "preamble"}}',
    )


class EndorsementOut(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    kind = serializers.CharField(source="organisation.kind", read_only=True)
    representative = serializers.StringRelatedField(read_only=True)
    current = serializers.SerializerMethodField()

    class Meta:
        model = Endorsement
        fields = [
            "organisation",
            "name",
            "kind",
            "version",
            "statement",
            "representative",
            "created_at",
            "withdrawn_at",
            "current",
        ]

    def get_current(self, obj: Endorsement) -> bool:
        """Whether it endorses the version approved now (else: an older one)."""
        return obj.version == self.context.get("approved_version")


class EditionOut(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    markdown_url = serializers.SerializerMethodField()

    class Meta:
        model = Edition
        fields = [
            "id",
            "number",
            "status",
            "title",
            "preamble",
            "preamble_html",
            "created_at",
            "published_at",
            "sha256",
            "url",
            "markdown_url",
        ]

    def get_status(self, obj: Edition) -> str:
        return "published" if obj.is_published else "draft"

    def get_markdown_url(self, obj: Edition) -> str | None:
        if not obj.is_published:
            return None
        return reverse("publication:markdown", args=[obj.number])


def _endorsement(rec, endorsement: Endorsement, code: int = status.HTTP_200_OK) -> Response:
    data = EndorsementOut(endorsement, context={"approved_version": rec.approved_version}).data
    return Response(data, status=code)


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


# --- endorsements ----------------------------------------------------------------------------
# The live endorsements of a recommendation, /api/recommendations/<pk>/endorsements/, and what
# an organisation does with its own, .../endorsements/<slug>/.
class EndorsementViewSet(ViewSet):
    permission_classes = [IsAuthenticated]
    lookup_field = "slug"
    lookup_value_converter = "slug"

    @extend_schema(
        responses={200: EndorsementOut(many=True), 404: ERROR},
        summary="Live endorsements of a recommendation",
    )
    def list(self, request: Request, pk: int) -> Response:
        rec = rec_perms.get_recommendation_for(request.user, pk)
        items = Endorsement.objects.live().filter(recommendation=rec).for_display()
        return Response(
            EndorsementOut(
                items, many=True, context={"approved_version": rec.approved_version}
            ).data
        )

    @extend_schema(
        request=EndorseInput,
        responses={201: EndorsementOut, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
        summary="Endorse the approved version in the name of an organisation you represent",
    )
    def create(self, request: Request, pk: int) -> Response:
        rec = rec_perms.get_recommendation_for(request.user, pk)
        data = valid(EndorseInput, request.data)
        endorsement = services.endorse(rec, actor=request.user, **data)
        rec.refresh_from_db(fields=["approved_version"])
        return _endorsement(rec, endorsement, status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: EndorsementOut, 403: ERROR, 404: ERROR, 409: ERROR},
        summary="Withdraw the organisation's endorsement",
    )
    def destroy(self, request: Request, pk: int, slug: str) -> Response:
        rec = rec_perms.get_recommendation_for(request.user, pk)
        endorsement = services.withdraw_endorsement(
            rec, organisation=_organisation(slug), actor=request.user
        )
        return _endorsement(rec, endorsement)

    @extend_schema(
        request=ReconfirmInput,
        responses={200: EndorsementOut, 403: ERROR, 404: ERROR, 409: ERROR},
        summary="Move the organisation's endorsement to the newly approved version",
    )
    @action(detail=True, methods=["post"], url_path="reconfirm")
    def reconfirm(self, request: Request, pk: int, slug: str) -> Response:
        rec = rec_perms.get_recommendation_for(request.user, pk)
        data = valid(ReconfirmInput, request.data)
        endorsement = services.reconfirm_endorsement(
            rec, organisation=_organisation(slug), actor=request.user, **data
        )
        rec.refresh_from_db(fields=["approved_version"])
        return _endorsement(rec, endorsement)


# --- editions --------------------------------------------------------------------------------
# Composing a draft edition, /api/editions/, and publishing it, /api/editions/<pk>/publish/.
class EditionViewSet(ViewSet):
    permission_classes = [IsAuthenticated]
    lookup_value_converter = "int"

    @extend_schema(
        request=EditionInput,
        responses={201: EditionOut, 400: ERROR, 403: ERROR},
        summary="Compose a draft edition (secretariat)",
    )
    def create(self, request: Request) -> Response:
        data = valid(EditionInput, request.data)
        edition = services.create_edition(actor=request.user, **data)
        return Response(EditionOut(edition).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: EditionOut, 403: ERROR, 404: ERROR, 409: ERROR},
        summary="Publish a draft edition (secretariat); it never changes afterwards",
    )
    @action(detail=True, methods=["post"], url_path="publish")
    def publish(self, request: Request, pk: int) -> Response:
        edition = perms.get_edition_for(request.user, pk)
        edition = services.publish_edition(edition, actor=request.user)
        return Response(EditionOut(edition).data)


# --- the public published text ---------------------------------------------------------------
def edition_data(request: HttpRequest, edition: Edition, entries: list[EditionEntry]) -> dict:
    """The JSON of a published edition, built from its own copy only."""
    return {
        "number": edition.number,
        "title": edition.title,
        "published_at": utc_iso(edition.published_at),
        "sha256": edition.sha256,
        "markdown_url": request.build_absolute_uri(
            reverse("publication:markdown", args=[edition.number])
        ),
        "url": request.build_absolute_uri(reverse("publication:edition", args=[edition.number])),
        "documents": [
            {
                "language": d["language"],
                "sha256": d["sha256"],
                "markdown_url": request.build_absolute_uri(d["url"]),
            }
            for d in selectors.document_links(edition)
        ],
        "preamble": edition.preamble,
        "recommendations": [
            {
                "title": entry.title,
                "theme": entry.theme_name,
                "theme_slug": entry.theme_slug,
                "addressed_to": list(entry.addressed_to),
                "text": entry.text,
                "version": entry.version,
                "endorsements": [
                    {
                        "organisation": s["organisation"],
                        "name": s["name"],
                        "kind": s["kind"],
                        "statement": s["statement"],
                        "version": s["version"],
                    }
                    for s in entry.endorsements
                ],
            }
            for entry in entries
        ],
    }


PUBLISHED_SCHEMA = inline_serializer(
    "PublishedEdition",
    {
        "number": serializers.IntegerField(),
        "title": serializers.CharField(),
        "published_at": serializers.CharField(),
        "sha256": serializers.CharField(),
        "markdown_url": serializers.URLField(),
        "url": serializers.URLField(),
        "documents": serializers.ListField(
            child=serializers.DictField(),
            help_text="the edition in each language: language, sha256, markdown_url",
        ),
        "preamble": serializers.CharField(),
        "recommendations": serializers.ListField(child=serializers.DictField()),
    },
)


# The published JSON: cacheable by anyone, and answering conditional GETs from the edition's
# row alone (see caching.py).
published_json = method_decorator(
    [
        caching.public(),
        condition(etag_func=caching.json_etag, last_modified_func=caching.edition_last_modified),
    ]
)


class PublishedViewSet(ViewSet):
    """The latest published edition (or one by number), for anyone; cacheable."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    lookup_field = "number"
    lookup_value_converter = "int"

    def _answer(self, request: Request, edition: Edition) -> HttpResponse:
        body = json.dumps(
            edition_data(request, edition, list(edition.entries.all())), ensure_ascii=False
        ).encode("utf-8")
        return HttpResponse(body, content_type="application/json")

    @extend_schema(responses={200: PUBLISHED_SCHEMA, 404: ERROR}, auth=[])
    @published_json
    def latest(self, request: Request) -> HttpResponse:
        edition = selectors.latest_edition()
        if edition is None:
            return Response(
                {"detail": "Nothing has been published yet."}, status=status.HTTP_404_NOT_FOUND
            )
        return self._answer(request, edition)

    @extend_schema(responses={200: PUBLISHED_SCHEMA, 404: ERROR}, auth=[])
    @published_json
    def retrieve(self, request: Request, number: int) -> HttpResponse:
        return self._answer(request, selectors.published_edition(number))
