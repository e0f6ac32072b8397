from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("", views.recommendation_list, name="list"),
    path("new/", views.create, name="create"),
    path("preview/", views.preview, name="preview"),
    path("<int:pk>/", views.recommendation_detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/panels/", views.panels_fragment, name="panels"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/restore/", views.restore, name="restore"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/reject/", views.reject, name="reject"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/finalise/", views.finalise, name="finalise"),
    path("<int:pk>/organisations/", views.drafters, name="drafters"),
    path("<int:pk>/translators/", views.translators, name="translators"),
    path("<int:pk>/translations/<str:lang>/", views.translate, name="translate"),
]
