from __future__ import annotations

from django.urls import path

from masterplan import views

app_name = "masterplan"

urlpatterns = [
    path("masterplan/", views.overview, name="overview"),
    path("masterplan/ubah/", views.masterplan_update, name="masterplan_update"),
    path("masterplan/dokumen/", views.masterplan_document, name="masterplan_document"),
    path("masterplan/dimensi/<slug:code>/", views.dimension_detail, name="dimension"),
    path("masterplan/program/", views.programme_list, name="programmes"),
    path("masterplan/program/tambah/", views.programme_create, name="programme_create"),
    path("masterplan/program/<int:pk>/", views.programme_detail, name="programme"),
    path("masterplan/program/<int:pk>/ubah/", views.programme_update, name="programme_update"),
    path("masterplan/program/<int:pk>/indikator/tambah/", views.indicator_create, name="indicator_create"),
    path("masterplan/indikator/<int:pk>/ubah/", views.indicator_update, name="indicator_update"),
    path("masterplan/indikator/<int:pk>/hapus/", views.indicator_delete, name="indicator_delete"),
    path("skpd/", views.agency_index, name="agencies"),
    path("skpd/<int:pk>/", views.agency_detail, name="agency"),
]
