"""Pages of the conference. The programme, its calendars and the conference page are public;
the overview is for signed-in people."""

from django.urls import path

from . import views

app_name = "conference"

urlpatterns = [
    path("conference/", views.detail, name="detail"),
    path("programme/", views.programme, name="programme"),
    path("programme.ics", views.programme_ics, name="programme-ics"),
    path("programme/<int:pk>/", views.session, name="session"),
    path("programme/<int:pk>.ics", views.session_ics, name="session-ics"),
    path("overview/", views.overview_page, name="overview"),
]
