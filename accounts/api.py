"""JSON API of invitations (mounted at /api/): the same lookup helpers and services as the
pages."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ERROR, valid

from . import invitations
from .models import Invitation, Membership


class InvitationInput(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    role = serializers.ChoiceField(choices=Membership.Role.values)


class InvitationOut(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Membership.Role.values)
    state = serializers.ChoiceField(choices=["pending", "accepted", "revoked", "expired"])
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


def _data(invitation: Invitation) -> dict:
    return {
        "id": invitation.pk,
        "email": invitation.email,
        "role": invitation.role,
        "state": invitation.state,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
    }


class OrganisationInvitations(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: InvitationOut(many=True), 403: ERROR, 404: ERROR},
        summary="Invitations to an organisation (its representatives, moderators, secretariat)",
    )
    def get(self, request: Request, slug: str) -> Response:
        organisation = invitations.get_organisation_for(request.user, slug)
        items = Invitation.objects.filter(organisation=organisation)[:200]
        return Response([_data(i) for i in items])

    @extend_schema(
        request=InvitationInput,
        responses={201: InvitationOut, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
        summary="Invite someone by e-mail as member or representative",
    )
    def post(self, request: Request, slug: str) -> Response:
        organisation = invitations.get_organisation_for(request.user, slug)
        data = valid(InvitationInput, request.data)
        invitation = invitations.invite(organisation, actor=request.user, **data)
        return Response(_data(invitation), status=status.HTTP_201_CREATED)


class InvitationDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: InvitationOut, 404: ERROR, 409: ERROR}, summary="Withdraw")
    def delete(self, request: Request, pk: int) -> Response:
        invitation = invitations.get_invitation_for(request.user, pk)
        return Response(_data(invitations.revoke(invitation, actor=request.user)))
