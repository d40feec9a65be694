from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from smartcity import views

admin.site.site_header = _("Smart City administration")
admin.site.site_title = _("Smart City administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("wilayah/", views.switch_region, name="switch_region"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("masterplan.urls")),
    path("", include("evaluations.urls")),
    path("admin/", admin.site.urls),
]
