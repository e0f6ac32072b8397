"""API of the conference, under /api/ (names start with "conf-api-")."""

from django.urls import path

from . import api

urlpatterns = [
    path("conference/", api.ConferenceView.as_view(), name="conf-api-conference"),
    path("programme/", api.ProgrammeView.as_view(), name="conf-api-programme"),
    path("overview/", api.OverviewView.as_view(), name="conf-api-overview"),
]
