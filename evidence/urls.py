from __future__ import annotations

from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("bukti/", views.library, name="library"),
    path("bukti/unggah/", views.upload, name="upload"),
    path("bukti/<int:pk>/", views.detail, name="detail"),
    path("bukti/<int:pk>/ubah/", views.edit, name="edit"),
    path("bukti/<int:pk>/hapus/", views.delete, name="delete"),
    path("bukti/<int:pk>/unduh/", views.download, name="download"),
    path("bukti/<int:pk>/pratinjau/", views.preview, name="preview"),
]
