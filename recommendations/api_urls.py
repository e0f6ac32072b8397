from django.urls import path

from . import api

urlpatterns = [
    path("recommendations/", api.RecommendationListView.as_view(), name="api-recommendations"),
    path(
        "recommendations/<int:pk>/",
        api.RecommendationDetailView.as_view(),
        name="api-recommendation",
    ),
    path("recommendations/<int:pk>/versions/", api.VersionsView.as_view(), name="api-versions"),
    path("recommendations/<int:pk>/events/", api.EventsView.as_view(), name="api-events"),
    path("recommendations/<int:pk>/diff/", api.DiffView.as_view(), name="api-diff"),
    path("recommendations/<int:pk>/restore/", api.RestoreView.as_view(), name="api-restore"),
    path("recommendations/<int:pk>/submit/", api.SubmitView.as_view(), name="api-submit"),
    path("recommendations/<int:pk>/approve/", api.ApproveView.as_view(), name="api-approve"),
    path("recommendations/<int:pk>/reject/", api.RejectView.as_view(), name="api-reject"),
    path("recommendations/<int:pk>/withdraw/", api.WithdrawView.as_view(), name="api-withdraw"),
    path("recommendations/<int:pk>/finalise/", api.FinaliseView.as_view(), name="api-finalise"),
    path(
        "recommendations/<int:pk>/organisations/", api.AddDrafterView.as_view(), name="api-drafters"
    ),
    path(
        "recommendations/<int:pk>/organisations/<slug:slug>/",
        api.RemoveDrafterView.as_view(),
        name="api-drafter",
    ),
]
