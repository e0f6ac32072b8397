from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from accounts import views as accounts_views
from notifications import views as notifications_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    # Forgotten password: Django's views, the message sent through the outbox (notifications).
    path(
        "accounts/password/reset/",
        notifications_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("api/", include("recommendations.api_urls")),
    path("api/", include("comments.api_urls")),
    path("api/", include("publication.api_urls")),
    path("api/", include("conference.api_urls")),
    path("api/", include("commitments.api_urls")),
    path("api/", include("notifications.api_urls")),
    path("api/", include("accounts.api_urls")),
    path("", include("publication.urls")),
    path("", include("conference.urls")),
    path("comments/", include("comments.urls")),
    path("", include("commitments.urls")),
    path("audit/", include("core.urls")),
    # Django's language chooser, which also keeps a signed-in person's choice on their profile.
    path("i18n/setlang/", accounts_views.set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("healthz", views.healthz, name="healthz"),
]
