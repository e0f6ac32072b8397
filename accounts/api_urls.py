"""JSON API of accounts (mounted at /api/): invitations."""

from django.urls import path

from . import api

app_name = "accounts_api"

urlpatterns = [
    path(
        "organisations/<slug:slug>/invitations/",
        api.OrganisationInvitations.as_view(),
        name="invitations",
    ),
    path("invitations/<int:pk>/", api.InvitationDetail.as_view(), name="invitation"),
]
