from __future__ import annotations

from django.urls import path

from evaluations.views import answers, assessment, cycles, packages, questionnaire, results, verification, windows

app_name = "evaluations"

urlpatterns = [
    path("evaluasi/", cycles.cycle_list, name="cycles"),
    path("evaluasi/baru/", cycles.cycle_create, name="cycle_create"),
    path("evaluasi/templat-kuesioner/", questionnaire.questionnaire_template, name="questionnaire_template"),
    path("evaluasi/<int:pk>/", cycles.cycle_detail, name="cycle"),
    path("evaluasi/<int:pk>/ubah/", cycles.cycle_update, name="cycle_update"),
    path("evaluasi/<int:pk>/asesor/", cycles.cycle_assessors, name="cycle_assessors"),
    path("evaluasi/<int:pk>/kuesioner/", questionnaire.questionnaire, name="questionnaire"),
    path("evaluasi/<int:pk>/kuesioner/ekspor/", questionnaire.questionnaire_export, name="questionnaire_export"),
    path("evaluasi/<int:pk>/kuesioner/impor/", questionnaire.questionnaire_import, name="questionnaire_import"),
    path(
        "evaluasi/<int:pk>/kuesioner/impor/konfirmasi/",
        questionnaire.questionnaire_import_confirm,
        name="questionnaire_import_confirm",
    ),
    path("evaluasi/<int:pk>/penugasan/", questionnaire.assignment, name="assignment"),
    path("evaluasi/<int:pk>/jawaban/", verification.answers_review, name="answers_review"),
    path("evaluasi/<int:pk>/jawaban/verifikasi/", verification.answers_bulk_verify, name="answers_bulk_verify"),
    path("evaluasi/<int:pk>/kesiapan/", verification.readiness, name="readiness"),
    path("evaluasi/<int:pk>/kunci/", cycles.lock, name="lock"),
    path("evaluasi/<int:pk>/buka-kunci/", cycles.unlock, name="unlock"),
    path("evaluasi/<int:pk>/hasil/", results.results, name="results"),
    path("evaluasi/<int:pk>/hasil-resmi/", results.official_result, name="official_result"),
    path("evaluasi/<int:pk>/lanjutkan/", cycles.carry_forward, name="carry_forward"),
    path("evaluasi/<int:pk>/perpanjangan/", windows.extensions, name="extensions"),
    path("evaluasi/<int:pk>/perpanjangan/<int:extension_pk>/cabut/", windows.extension_revoke, name="extension_revoke"),
    path("evaluasi/<int:pk>/paket/", packages.cycle_packages, name="packages"),
    path("paket/<int:pk>/", packages.package_detail, name="package"),
    path("paket/<int:pk>/progres/", packages.package_progress, name="package_progress"),
    path("paket/<int:pk>/bangun-ulang/", packages.package_rebuild, name="package_rebuild"),
    path("paket/<int:pk>/unduh/<slug:part>/", packages.package_download, name="package_download"),
    path("monev/", packages.monev_reports, name="monev"),
    path("kuesioner/", answers.my_questions, name="my_questions"),
    path("jawaban/<int:pk>/", answers.answer_detail, name="answer"),
    path("jawaban/<int:pk>/ubah/", answers.answer_edit, name="answer_edit"),
    path("jawaban/<int:pk>/ajukan/", answers.answer_submit, name="answer_submit"),
    path("jawaban/<int:pk>/verifikasi/", answers.answer_verify, name="answer_verify"),
    path("jawaban/<int:pk>/kembalikan/", answers.answer_return, name="answer_return"),
    path("penilaian/", assessment.assessment_list, name="assessment_list"),
    path("penilaian/<int:pk>/", assessment.assessment_overview, name="assessment"),
    path("penilaian/<int:pk>/dimensi/<slug:code>/", assessment.assessment_dimension, name="assessment_dimension"),
    path("penilaian/<int:pk>/bukti/<int:evidence_pk>/", assessment.assessment_evidence, name="assessment_evidence"),
]
