from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("moderation/", views.moderation, name="moderation"),
    path("recommendations/<int:pk>/", views.create, name="create"),
    path("recommendations/<int:pk>/export.csv", views.export, name="export"),
    path("<int:pk>/fragment/", views.fragment, name="fragment"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/actions/", views.actions, name="actions"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/resolve/", views.resolve, name="resolve"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/hide/", views.hide, name="hide"),
    path("<int:pk>/restore/", views.restore, name="restore"),
    path("<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
