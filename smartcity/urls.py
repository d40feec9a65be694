from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from agencies import views as account_views
from smartcity import views

admin.site.site_header = _("Smart City administration")
admin.site.site_title = _("Smart City administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("masuk/lupa-sandi/", account_views.PasswordResetRequestView.as_view(), name="password_reset"),
    path("masuk/lupa-sandi/terkirim/", account_views.PasswordResetSentView.as_view(), name="password_reset_done"),
    path(
        "masuk/sandi-baru/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("akun/sandi/", account_views.PasswordChangeView.as_view(), name="password_change"),
    # The admin's own password form would bypass the audited one: administrators use the same page.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("wilayah/", views.switch_region, name="switch_region"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("evidence.urls")),
    path("", include("masterplan.urls")),
    path("", include("evaluations.urls")),
    path("", include("agencies.urls")),
    path("admin/", admin.site.urls),
]
