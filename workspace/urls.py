from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("api/", include("recommendations.api_urls")),
    path("api/", include("comments.api_urls")),
    path("api/", include("publication.api_urls")),
    path("", include("publication.urls")),
    path("comments/", include("comments.urls")),
    path("audit/", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("healthz", views.healthz, name="healthz"),
]
