"""API of endorsements and editions, under /api/ (names start with "pub-api-")."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "recommendations/<int:pk>/endorsements/",
        api.EndorsementsView.as_view(),
        name="pub-api-endorsements",
    ),
    path(
        "recommendations/<int:pk>/endorsements/<slug:slug>/",
        api.EndorsementView.as_view(),
        name="pub-api-endorsement",
    ),
    path(
        "recommendations/<int:pk>/endorsements/<slug:slug>/reconfirm/",
        api.ReconfirmView.as_view(),
        name="pub-api-reconfirm",
    ),
    path("editions/", api.EditionsView.as_view(), name="pub-api-editions"),
    path("editions/<int:pk>/publish/", api.PublishView.as_view(), name="pub-api-publish"),
    path("published/", api.PublishedView.as_view(), name="pub-api-published"),
    path(
        "published/editions/<int:number>/",
        api.PublishedView.as_view(),
        name="pub-api-published-edition",
    ),
]
