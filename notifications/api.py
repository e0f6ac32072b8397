"""JSON API of notifications, follows, preferences and the mention autocomplete: the same
services and the same access check as the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ERROR
from recommendations import permissions as rec_perms

from . import display, mentions, selectors, services
from .fanout import is_following
from .kinds import KINDS, Channel


class NotificationOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=list(KINDS))
    text = serializers.CharField()
    url = serializers.CharField()
    created_at = serializers.DateTimeField()
    read = serializers.BooleanField()


CountOut = inline_serializer("UnreadCountOut", {"unread_count": serializers.IntegerField()})
PreferencesIO = inline_serializer(
    "NotificationPreferences",
    {
        "kinds": serializers.DictField(child=serializers.ChoiceField(choices=Channel.values)),
        "digest_hour": serializers.IntegerField(min_value=0, max_value=23),
    },
)
FollowOut = inline_serializer("FollowOut", {"following": serializers.BooleanField()})


class MentionCandidate(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(choices=["organisation", "person"])
    can_see = serializers.BooleanField()


class _API(APIView):
    permission_classes = [IsAuthenticated]


class NotificationList(_API):
    @extend_schema(
        parameters=[OpenApiParameter("unread", int, description="1: unread only")],
        responses={200: NotificationOut(many=True)},
        summary="The caller's notifications, newest first (what they may no longer see is left out)",
    )
    def get(self, request: Request) -> Response:
        unread_only = request.query_params.get("unread") in ("1", "true")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(
            selectors.listing(request.user, unread_only=unread_only), request, view=self
        )
        kept = selectors.page_of(request.user, list(page or []))
        response = paginator.get_paginated_response([display.as_data(n) for n in kept])
        response.data["unread_count"] = selectors.unread_count(request.user)
        return response


class NotificationRead(_API):
    @extend_schema(request=None, responses={200: CountOut, 404: ERROR}, summary="Mark one read")
    def post(self, request: Request, pk: int) -> Response:
        services.mark_read(services.get_notification_for(request.user, pk), actor=request.user)
        return Response({"unread_count": selectors.unread_count(request.user)})


class NotificationReadAll(_API):
    @extend_schema(request=None, responses={200: CountOut}, summary="Mark every one read")
    def post(self, request: Request) -> Response:
        services.mark_all_read(actor=request.user)
        return Response({"unread_count": selectors.unread_count(request.user)})


def _preferences_data(user) -> dict:
    pref = selectors.preferences_of(user)
    return {"kinds": {k: pref.channel_for(k) for k in KINDS}, "digest_hour": pref.digest_hour}


class Preferences(_API):
    @extend_schema(responses={200: PreferencesIO}, summary="E-mail choices per kind, digest hour")
    def get(self, request: Request) -> Response:
        return Response(_preferences_data(request.user))

    @extend_schema(
        request=PreferencesIO,
        responses={200: PreferencesIO, 400: ERROR},
        summary="Change e-mail choices (unknown kinds or channels: 400)",
    )
    def put(self, request: Request) -> Response:
        channels, hour = services.clean_preferences(request.data)
        services.set_preferences(actor=request.user, channels=channels, digest_hour=hour)
        return Response(_preferences_data(request.user))


class _FollowAPI(_API):
    following = True

    @extend_schema(request=None, responses={200: FollowOut, 404: ERROR})
    def post(self, request: Request, pk: int) -> Response:
        rec = rec_perms.get_recommendation_for(request.user, pk)
        services.set_following(rec, actor=request.user, following=self.following)
        return Response({"following": is_following(request.user, rec)})


class Follow(_FollowAPI):
    following = True


class Unfollow(_FollowAPI):
    following = False


class MentionCandidates(_API):
    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="what follows the @")],
        responses={200: MentionCandidate(many=True), 404: ERROR},
        summary="Organisations and people to mention, and whether each can see the text",
    )
    def get(self, request: Request, pk: int) -> Response:
        rec = rec_perms.get_recommendation_for(request.user, pk)
        query = str(request.query_params.get("q", ""))[:80]
        if query and not mentions.QUERY_RE.match(query):
            return Response(
                {"detail": _("Type letters, digits, dots, dashes or underscores.")}, 400
            )
        return Response(mentions.candidates(rec, query))
