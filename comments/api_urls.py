"""JSON API of comments (mounted at /api/). Namespaced, so that its names stay apart from the
recommendations app's ``api-*`` names."""

from django.urls import path

from . import api

app_name = "comments_api"

urlpatterns = [
    path("recommendations/<int:pk>/comments/", api.CommentListView.as_view(), name="list"),
    path("comments/<int:pk>/", api.CommentDetailView.as_view(), name="detail"),
    path("comments/<int:pk>/resolve/", api.ResolveView.as_view(), name="resolve"),
    path("comments/<int:pk>/reopen/", api.ReopenView.as_view(), name="reopen"),
    path("comments/<int:pk>/hide/", api.HideView.as_view(), name="hide"),
    path("comments/<int:pk>/restore/", api.RestoreView.as_view(), name="restore"),
    path("comments/<int:pk>/report/", api.ReportView.as_view(), name="report"),
    path("comments/<int:pk>/respond/", api.RespondView.as_view(), name="respond"),
]
