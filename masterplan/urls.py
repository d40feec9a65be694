from __future__ import annotations

from django.urls import path

from masterplan.views import chasing, plan, reports

app_name = "masterplan"

urlpatterns = [
    path("masterplan/", plan.overview, name="overview"),
    path("masterplan/ubah/", plan.masterplan_update, name="masterplan_update"),
    path("masterplan/dokumen/", plan.masterplan_document, name="masterplan_document"),
    path("masterplan/dimensi/<slug:code>/", plan.dimension_detail, name="dimension"),
    path("masterplan/program/", plan.programme_list, name="programmes"),
    path("masterplan/program/tambah/", plan.programme_create, name="programme_create"),
    path("masterplan/program/<int:pk>/", plan.programme_detail, name="programme"),
    path("masterplan/program/<int:pk>/ubah/", plan.programme_update, name="programme_update"),
    path("masterplan/program/<int:pk>/indikator/tambah/", plan.indicator_create, name="indicator_create"),
    path("masterplan/indikator/<int:pk>/ubah/", plan.indicator_update, name="indicator_update"),
    path("masterplan/indikator/<int:pk>/hapus/", plan.indicator_delete, name="indicator_delete"),
    path("laporan/", reports.my_reports, name="my_reports"),
    path("laporan/mulai/", reports.start, name="report_start"),
    path("laporan/tinjau/", reports.queue, name="review_queue"),
    path("laporan/tinjau/setujui/", reports.bulk_approve, name="report_bulk_approve"),
    path("laporan/ingatkan/", chasing.chase, name="chase"),
    path("laporan/<int:pk>/", reports.detail, name="report"),
    path("laporan/<int:pk>/ubah/", reports.edit, name="report_edit"),
    path("laporan/<int:pk>/ajukan/", reports.submit, name="report_submit"),
    path("laporan/<int:pk>/setujui/", reports.approve, name="report_approve"),
    path("laporan/<int:pk>/kembalikan/", reports.return_report, name="report_return"),
    path("laporan/<int:pk>/buka-kembali/", reports.reopen, name="report_reopen"),
    path("laporan/<int:pk>/riwayat/", reports.history, name="report_history"),
    path("skpd/", plan.agency_index, name="agencies"),
    path("skpd/<int:pk>/", plan.agency_detail, name="agency"),
]
