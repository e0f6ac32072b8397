from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("recommendations/<int:pk>/commit/", views.commit, name="commit"),
    path("commitments/<int:pk>/", views.detail, name="detail"),
    path("commitments/<int:pk>/progress/", views.progress, name="progress"),
    path("commitments/<int:pk>/progress/<int:update>/verify/", views.verify, name="verify"),
    path("commitments/<int:pk>/request-update/", views.request_update, name="request_update"),
    path("commitments/<int:pk>/reconfirm/", views.reconfirm, name="reconfirm"),
    path("commitments/<int:pk>/visibility/", views.visibility, name="visibility"),
    path("commitments/<int:pk>/edit/", views.edit, name="edit"),
    path("followup/", views.followup, name="followup"),
    path(
        "followup/recommendations/<int:pk>/",
        views.followup_recommendation,
        name="followup_recommendation",
    ),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
    path("organisations/<slug:slug>/logo/", views.logo, name="logo"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/profile/", views.profile, name="profile"),
    path(
        "organisations/<slug:slug>/profile/<slug:section>/",
        views.profile_history,
        name="profile_history",
    ),
    path("organisations/<slug:slug>/pilot/", views.pilot, name="pilot"),
]
