from django.urls import path

from . import api

urlpatterns = [
    path(
        "recommendations/<int:pk>/commitments/",
        api.recommendation_commitments,
        name="cm-api-recommendation-commitments",
    ),
    path("commitments.csv", api.commitments_csv, name="cm-api-csv"),
    path("commitments/<int:pk>/", api.commitment, name="cm-api-commitment"),
    path("commitments/<int:pk>/progress/", api.progress, name="cm-api-progress"),
    path("organisations/<slug:slug>/", api.organisation, name="cm-api-organisation"),
    path("followup/", api.followup, name="cm-api-followup"),
]
