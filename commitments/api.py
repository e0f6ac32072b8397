"""JSON API of commitments, follow-up and organisations (names start with "cm-api-"): the same
lookups and services as the pages. Reads are public where the pages are; writes need a
logged-in representative (``IsAuthenticatedOrReadOnly``, the default)."""

from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Organisation, OrganisationKind
from core import csv as safe_csv
from core.api import ERROR, valid

from . import permissions as perms
from . import selectors, services
from .models import Commitment, ProgressStatus, ProgressUpdate


# --- input and output ------------------------------------------------------------------------
class CommitInput(serializers.Serializer):
    organisation = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.all()
    )
    action = serializers.CharField(max_length=services.MAX_ACTION)
    actor_kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    target_date = serializers.DateField()
    indicator = serializers.CharField(
        max_length=services.MAX_INDICATOR, required=False, allow_blank=True, default=""
    )
    indicator_unit = serializers.CharField(
        max_length=services.MAX_UNIT, required=False, allow_blank=True, default=""
    )
    target_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    is_public = serializers.BooleanField(required=False, default=True)
    endorse = serializers.BooleanField(required=False, default=False)
    statement = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class CommitmentPatch(serializers.Serializer):
    action = serializers.CharField(max_length=services.MAX_ACTION, required=False)
    target_date = serializers.DateField(required=False)
    indicator = serializers.CharField(
        max_length=services.MAX_INDICATOR, required=False, allow_blank=True
    )
    indicator_unit = serializers.CharField(
        max_length=services.MAX_UNIT, required=False, allow_blank=True
    )
    target_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    is_public = serializers.BooleanField(required=False)
    reconfirm = serializers.BooleanField(
        required=False, help_text="true: move the commitment to the version approved now"
    )


class ProgressInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=ProgressStatus.choices)
    note = serializers.CharField(
        max_length=services.MAX_NOTE, required=False, allow_blank=True, default=""
    )
    current_value = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    link = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    reason = serializers.CharField(
        max_length=services.MAX_NOTE, required=False, allow_blank=True, default=""
    )


class ProgressOut(serializers.ModelSerializer):
    author = serializers.StringRelatedField()
    verified = serializers.SerializerMethodField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "status",
            "reason",
            "note",
            "current_value",
            "link",
            "created_at",
            "author",
            "verified",
            "verified_at",
        ]

    def get_verified(self, obj: ProgressUpdate) -> bool:
        return obj.verified_at is not None


class CommitmentOut(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    recommendation = serializers.IntegerField(source="recommendation_id", read_only=True)
    overdue = serializers.SerializerMethodField()
    days_since_update = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "recommendation",
            "organisation",
            "organisation_name",
            "actor_kind",
            "version",
            "action",
            "target_date",
            "indicator",
            "indicator_unit",
            "target_value",
            "is_public",
            "status",
            "current_value",
            "created_at",
            "last_update_at",
            "update_requested_at",
            "overdue",
            "days_since_update",
        ]

    def get_overdue(self, obj: Commitment) -> bool:
        return obj.is_overdue()

    def get_days_since_update(self, obj: Commitment) -> int:
        return obj.days_since_update()


class CommitmentDetailOut(CommitmentOut):
    updates = ProgressOut(many=True, read_only=True)

    class Meta(CommitmentOut.Meta):
        fields = [*CommitmentOut.Meta.fields, "updates"]


COUNTS = {name: serializers.IntegerField() for name in selectors.COUNTED}
FOLLOWUP = inline_serializer(
    "Followup",
    {
        "as_of": serializers.DateField(),
        "totals": inline_serializer("FollowupTotals", COUNTS),
        "by_kind": inline_serializer(
            "FollowupKind",
            {"kind": serializers.CharField(), "label": serializers.CharField(), **COUNTS},
            many=True,
        ),
        "by_theme": inline_serializer(
            "FollowupTheme",
            {"theme": serializers.CharField(), "label": serializers.CharField(), **COUNTS},
            many=True,
        ),
    },
)
ORGANISATION = inline_serializer(
    "OrganisationPage",
    {
        "slug": serializers.CharField(),
        "name": serializers.CharField(),
        "kind": serializers.CharField(),
        "country": serializers.CharField(),
        "description": serializers.CharField(),
        "logo_url": serializers.CharField(allow_null=True),
        "recommendations": serializers.ListField(child=serializers.DictField()),
        "endorsements": serializers.ListField(child=serializers.DictField()),
        "commitments": CommitmentOut(many=True),
        "profile": serializers.ListField(child=serializers.DictField()),
        "pilot_project": serializers.DictField(allow_null=True),
    },
)


# --- commitments of a recommendation -------------------------------------------------------------
@extend_schema(
    methods=["GET"],
    responses={200: CommitmentOut(many=True), 404: ERROR},
    summary="Commitments made to a recommendation (what the reader may see)",
)
@extend_schema(
    methods=["POST"],
    request=CommitInput,
    responses={201: CommitmentOut, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    summary="Commit, in the name of an organisation you represent, on the approved version",
)
@api_view(["GET", "POST"])
def recommendation_commitments(request: Request, pk: int) -> Response:
    if request.method == "GET":
        rec = perms.get_recommendation_for_followup(request.user, pk)
        items = Commitment.objects.visible_to(request.user).filter(recommendation=rec).for_list()
        return Response(CommitmentOut(items, many=True).data)
    rec = perms.get_recommendation_for_followup(request.user, pk)
    data = valid(CommitInput, request.data)
    commitment = services.make_commitment(rec, actor=request.user, **data)
    return Response(CommitmentOut(commitment).data, status=status.HTTP_201_CREATED)


@extend_schema(
    methods=["GET"],
    responses={200: CommitmentDetailOut, 404: ERROR},
    summary="A commitment and its progress updates",
)
@extend_schema(
    methods=["PATCH"],
    request=CommitmentPatch,
    responses={200: CommitmentDetailOut, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    summary="Change a commitment of your organisation (recorded), or re-confirm it",
)
@api_view(["GET", "PATCH"])
def commitment(request: Request, pk: int) -> Response:
    item = perms.get_commitment_for(request.user, pk)
    if request.method == "PATCH":
        data = dict(valid(CommitmentPatch, request.data))
        reconfirm = data.pop("reconfirm", False)
        if reconfirm:
            item = services.reconfirm_commitment(item, actor=request.user)
        if data or not reconfirm:
            item = services.update_commitment(item, actor=request.user, **data)
    # The updates with their authors and verifiers in one query, however many there are.
    prefetch_related_objects(
        [item],
        Prefetch(
            "updates", queryset=ProgressUpdate.objects.select_related("author", "verified_by")
        ),
    )
    return Response(CommitmentDetailOut(item).data)


@extend_schema(
    request=ProgressInput,
    responses={201: ProgressOut, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    summary="Report progress on a commitment of your organisation (after the conference)",
)
@api_view(["POST"])
def progress(request: Request, pk: int) -> Response:
    item = perms.get_commitment_for(request.user, pk)
    data = valid(ProgressInput, request.data)
    update = services.post_progress(item, actor=request.user, **data)
    return Response(ProgressOut(update).data, status=status.HTTP_201_CREATED)


# --- organisations and follow-up -----------------------------------------------------------------
@extend_schema(responses={200: ORGANISATION, 404: ERROR}, summary="An organisation's page")
@api_view(["GET"])
@permission_classes([AllowAny])
def organisation(request: Request, slug: str) -> Response:
    org = perms.get_organisation(slug)
    ctx = selectors.organisation_context(request.user, org)
    page = ctx["page"]
    pilot = ctx["pilot"]
    return Response(
        {
            "slug": org.slug,
            "name": org.name,
            "kind": org.kind,
            "country": org.country,
            "description": page.description if page else "",
            "logo_url": (
                request.build_absolute_uri(f"/organisations/{org.slug}/logo/")
                if page and page.logo
                else None
            ),
            "recommendations": [
                {"id": r.pk, "title": r.title, "status": r.status} for r in ctx["drafted"]
            ],
            "endorsements": [
                {
                    "recommendation": e.recommendation_id,
                    "title": e.recommendation.title,
                    "version": e.version,
                    "statement": e.statement,
                }
                for e in ctx["endorsements"]
            ],
            "commitments": CommitmentOut(ctx["commitments"], many=True).data,
            "profile": [
                {
                    "section": r.section,
                    "text": r.text,
                    "published": r.is_published,
                    "revised_at": r.created_at,
                }
                for r in ctx["profile"]
            ],
            "pilot_project": (
                {
                    "title": pilot.title,
                    "summary": pilot.summary,
                    "results": pilot.results,
                    "theme": pilot.theme.slug,
                    "published": pilot.is_published,
                }
                if pilot
                else None
            ),
        }
    )


@extend_schema(responses={200: FOLLOWUP}, summary="The follow-up overview's numbers")
@api_view(["GET"])
@permission_classes([AllowAny])
def followup(request: Request) -> Response:
    return Response(selectors.overview_numbers())


CSV_HEADER = [
    "id",
    "recommendation",
    "recommendation_title",
    "theme",
    "organisation",
    "organisation_name",
    "actor_kind",
    "version",
    "action",
    "target_date",
    "indicator",
    "unit",
    "target_value",
    "status",
    "current_value",
    "overdue",
    "created_at",
    "last_update_at",
]


@require_safe
def commitments_csv(request: HttpRequest) -> HttpResponse:
    """Public commitments for analysis: a plain Django view (no content negotiation), every
    cell through ``core.csv`` (safe from formula injection)."""
    response = safe_csv.attachment("commitments.csv")
    out = safe_csv.writer(response)
    out.writerow(CSV_HEADER)
    today = timezone.localdate()
    for c in Commitment.objects.public().for_list().iterator(chunk_size=500):
        out.writerow(
            [
                c.pk,
                c.recommendation_id,
                c.recommendation.title,
                c.recommendation.theme.slug,
                c.organisation.slug,
                c.organisation.name,
                c.actor_kind,
                c.version,
                c.action,
                c.target_date.isoformat(),
                c.indicator,
                c.indicator_unit,
                c.target_value,
                c.status,
                c.current_value,
                "yes" if c.is_overdue(today) else "no",
                c.created_at.isoformat(),
                c.last_update_at.isoformat() if c.last_update_at else "",
            ]
        )
    return response
