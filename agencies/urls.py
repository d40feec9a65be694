from __future__ import annotations

from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("pengguna/", views.people, name="people"),
    path("pengguna/<int:pk>/kirim-tautan-sandi/", views.send_password_reset, name="send_password_reset"),
]
