from django.contrib.auth import views as auth_views
from django.urls import path

from . import invitation_views, passkeys, views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/verify/", views.verify, name="two_factor_verify"),
    path(
        "login/verify/passkey/begin/",
        passkeys.AuthenticateBegin.as_view(),
        name="passkey_auth_begin",
    ),
    path(
        "login/verify/passkey/complete/",
        passkeys.AuthenticateComplete.as_view(),
        name="passkey_auth_complete",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("profile/", views.profile, name="profile"),
    path("profile/language/", views.profile_language, name="profile_language"),
    path("profile/time-zone/", views.profile_time_zone, name="profile_time_zone"),
    path("two-factor/setup/", views.setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="two_factor_recovery_codes"),
    path("two-factor/disable/", views.disable, name="two_factor_disable"),
    path(
        "two-factor/<str:kind>/<int:pk>/remove/",
        views.remove_device,
        name="two_factor_remove_device",
    ),
    path(
        "two-factor/passkeys/begin/",
        passkeys.RegisterBegin.as_view(),
        name="passkey_register_begin",
    ),
    path(
        "two-factor/passkeys/complete/",
        passkeys.RegisterComplete.as_view(),
        name="passkey_register_complete",
    ),
    path("api-token/", views.api_token, name="api_token"),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "organisations/<slug:slug>/invitations/",
        invitation_views.manage,
        name="invitations",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        invitation_views.revoke,
        name="invitation_revoke",
    ),
    path("invitation/<str:token>/", invitation_views.accept, name="invitation_accept"),
]
