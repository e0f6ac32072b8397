"""JSON API of the conference: ``GET /api/conference/`` (facts, deadlines, themes with
counts), ``GET /api/programme/`` (the sessions) and ``GET /api/overview/`` (the overview's
numbers, for the signed-in person). The same selectors as the pages."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ERROR

from . import overview, permissions
from .models import Conference, Session


class StatusCountOut(serializers.Serializer):
    status = serializers.CharField()
    count = serializers.IntegerField()


class ThemeOut(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    meeting_city = serializers.CharField(allow_blank=True)
    meeting_date = serializers.DateField(allow_null=True)
    total = serializers.IntegerField(help_text="Recommendations the requester may see.")
    statuses = StatusCountOut(many=True)


class DeadlineOut(serializers.Serializer):
    closes_at = serializers.DateTimeField(allow_null=True)
    closed = serializers.BooleanField()


class ConferenceOut(serializers.Serializer):
    name = serializers.CharField()
    place = serializers.CharField()
    host = serializers.CharField(allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    time_zone = serializers.CharField()
    deadlines = serializers.DictField(child=DeadlineOut())
    themes = ThemeOut(many=True)
    url = serializers.CharField()
    programme_url = serializers.CharField()


class SessionOut(serializers.Serializer):
    id = serializers.IntegerField()
    uid = serializers.CharField()
    sequence = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    room = serializers.CharField(allow_blank=True)
    theme = serializers.CharField(allow_null=True)
    speakers = serializers.ListField(child=serializers.CharField())
    organisations = serializers.ListField(child=serializers.CharField())
    recommendations = serializers.ListField(child=serializers.IntegerField())
    url = serializers.CharField()
    ics_url = serializers.CharField()


class ProgrammeOut(serializers.Serializer):
    time_zone = serializers.CharField()
    ics_url = serializers.CharField()
    sessions = SessionOut(many=True)


class KindCountOut(serializers.Serializer):
    kind = serializers.CharField()
    count = serializers.IntegerField()


class SupportOut(serializers.Serializer):
    recommendation = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    total = serializers.IntegerField()
    kinds = KindCountOut(many=True)


class OverviewOut(serializers.Serializer):
    totals = serializers.DictField(child=serializers.IntegerField())
    themes = ThemeOut(many=True)
    support = SupportOut(many=True)
    organisations_without_endorsement = serializers.ListField(child=serializers.CharField())
    deadlines = serializers.DictField(child=DeadlineOut())


def _deadlines(conference: Conference | None) -> dict[str, dict[str, Any]]:
    if conference is None:
        return {}
    return {
        "drafting": {
            "closes_at": conference.drafting_closes_at,
            "closed": conference.drafting_closed,
        },
        "endorsement": {
            "closes_at": conference.endorsement_closes_at,
            "closed": conference.endorsement_closed,
        },
    }


def _themes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "slug": t["slug"],
            "name": t["name"],
            "meeting_city": t["city"],
            "meeting_date": t["held_on"],
            "total": t["total"],
            "statuses": [{"status": s["status"], "count": s["count"]} for s in t["statuses"]],
        }
        for t in rows
    ]


class ConferenceView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: ConferenceOut, 404: ERROR},
        summary="The conference: place, dates, deadlines, themes with counts",
    )
    def get(self, request: Request) -> Response:
        conference = permissions.current_conference()
        data = {
            "name": conference.name,
            "place": conference.place,
            "host": conference.host,
            "starts_on": conference.starts_on,
            "ends_on": conference.ends_on,
            "time_zone": conference.zone.key,
            "deadlines": _deadlines(conference),
            "themes": _themes(overview.theme_rows(request.user)),
            "url": request.build_absolute_uri(conference.get_absolute_url()),
            "programme_url": request.build_absolute_uri("/programme/"),
        }
        return Response(ConferenceOut(data).data)


class ProgrammeView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: ProgrammeOut, 404: ERROR},
        summary="The programme: sessions with times, rooms, speakers, recommendations",
    )
    def get(self, request: Request) -> Response:
        conference = permissions.current_conference()
        sessions = list(Session.objects.filter(conference=conference).for_programme())
        readable = permissions.visible_ids(request.user, sessions)
        data = {
            "time_zone": conference.zone.key,
            "ics_url": request.build_absolute_uri("/programme.ics"),
            "sessions": [
                {
                    "id": s.pk,
                    "uid": str(s.uid),
                    "sequence": s.sequence,
                    "title": s.title,
                    "description": s.description,
                    "starts_at": s.starts_at,
                    "ends_at": s.ends_at,
                    "room": s.room,
                    "theme": s.theme.slug if s.theme else None,
                    "speakers": s.speaker_lines,
                    "organisations": [o.slug for o in s.organisations.all()],
                    "recommendations": [r.pk for r in s.recommendations.all() if r.pk in readable],
                    "url": request.build_absolute_uri(s.get_absolute_url()),
                    "ics_url": request.build_absolute_uri(f"/programme/{s.pk}.ics"),
                }
                for s in sessions
            ],
        }
        return Response(ProgrammeOut(data).data)


class OverviewView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: OverviewOut, 403: ERROR},
        summary="The overview's numbers, counted from what the requester may see",
    )
    def get(self, request: Request) -> Response:
        data = overview.overview_for(request.user)
        body = {
            "totals": {
                "recommendations": data["totals"]["recommendations"],
                **{s["status"]: s["count"] for s in data["totals"]["statuses"]},
            },
            "themes": _themes(data["themes"]),
            "support": [
                {
                    "recommendation": row["recommendation"].pk,
                    "title": row["recommendation"].title,
                    "status": row["recommendation"].status,
                    "total": row["total"],
                    "kinds": [{"kind": k["kind"], "count": k["count"]} for k in row["kinds"]],
                }
                for row in data["support"]
            ],
            "organisations_without_endorsement": [o.slug for o in data["silent"]],
            "deadlines": _deadlines(data["conference"]),
        }
        return Response(OverviewOut(body).data)
