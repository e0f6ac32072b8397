"""JSON API of notifications (mounted at /api/), in its own namespace."""

from django.urls import path

from . import api

app_name = "notifications_api"

urlpatterns = [
    path("notifications/", api.NotificationList.as_view(), name="list"),
    path("notifications/<int:pk>/read/", api.NotificationRead.as_view(), name="read"),
    path("notifications/read-all/", api.NotificationReadAll.as_view(), name="read-all"),
    path("notification-preferences/", api.Preferences.as_view(), name="preferences"),
    path("recommendations/<int:pk>/follow/", api.Follow.as_view(), name="follow"),
    path("recommendations/<int:pk>/unfollow/", api.Unfollow.as_view(), name="unfollow"),
    path(
        "recommendations/<int:pk>/mentions/",
        api.MentionCandidates.as_view(),
        name="mention-candidates",
    ),
]
