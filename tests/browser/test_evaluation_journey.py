"""The evaluation in real Chromium: DKISP imports the questionnaire and assigns it; an SKPD answers with
evidence and submits; DKISP verifies, sees readiness turn green and locks; the assessor scores."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from playwright.sync_api import Browser, Page, expect

from evaluations.models import Answer, EvaluationCycle, Score
from evaluations.questionnaire_io import COLUMNS
from evaluations.services.cycles import cycle_create, cycle_set_assessors
from tests.browser.conftest import log_in, screenshot
from tests.conftest import CYCLE_2023, PDF_BYTES, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sheet_row(**cells: object) -> list[object]:
    """A questionnaire row from its cells by column name; the columns not named stay empty."""
    return [cells.get(column, "") for column in COLUMNS]


ROWS = [
    sheet_row(
        kode="SG-B-01",
        dimensi="SG",
        elemen="public-policy",
        lensa="baseline",
        urutan=1,
        pertanyaan="Apakah Masterplan Smart City telah ditetapkan dengan Peraturan Bupati?",
        bantuan="Lampirkan Perbup.",
        jenis="ya/tidak",
        wajib_bukti="ya",
        bobot=1,
    ),
    sheet_row(
        kode="SG-O-01",
        dimensi="Smart Governance",
        lensa="output",
        urutan=2,
        pertanyaan="Apakah Dewan Smart City dan Tim Pelaksana telah ditetapkan dengan SK dan bekerja rutin?",
        jenis="level",
        level_1="Belum ada SK",
        level_2="SK ada",
        level_3="SK dan rapat sesekali",
        level_4="Rapat rutin",
        level_5="Rapat rutin dan dievaluasi",
        wajib_bukti="tidak",
        bobot=2,
    ),
]


def questionnaire_file(path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in ROWS:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())


def test_the_evaluation_from_questionnaire_to_score(
    live_server, world: World, page: Page, browser: Browser, tmp_path
) -> None:
    data = {**CYCLE_2023, "internal_deadline": CYCLE_2023["closes_on"]}
    cycle = cycle_create(region=world.region, by=world.coordinator, data=data)
    cycle_set_assessors(cycle=cycle, by=world.coordinator, assessors=[world.assessor])
    xlsx, pdf = tmp_path / "kuesioner.xlsx", tmp_path / "Perbup 47 2021.pdf"
    questionnaire_file(xlsx)
    pdf.write_bytes(PDF_BYTES.replace(b"1.4", b"1.6"))

    # DKISP imports the questionnaire: preview first, then confirm.
    log_in(page, live_server.url, "coordinator")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Evaluasi").click()
    page.get_by_test_id("cycles").get_by_role("link", name="2023").click()
    page.get_by_role("link", name="Kuesioner", exact=True).click()
    page.get_by_role("link", name="Impor dari Excel").click()
    page.get_by_label(re.compile(r"^\s*Berkas kuesioner")).set_input_files(str(xlsx))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_test_id("import-ok")).to_contain_text("2 pertanyaan siap diimpor")
    screenshot(page, "questionnaire-preview")
    page.get_by_role("button", name="Konfirmasi impor").click()
    expect(page.get_by_text("2 pertanyaan diimpor")).to_be_visible()

    # ...and assigns the whole governance dimension to agency A.
    page.get_by_role("link", name="Penugasan").click()
    page.get_by_label("Seluruh dimensi").select_option("governance")
    page.get_by_label(re.compile(r"^\s*SKPD penanggung jawab")).select_option(label="DINKES — Dinas Kesehatan")
    page.get_by_role("button", name="Tugaskan", exact=True).click()
    expect(page.get_by_text("2 pertanyaan ditugaskan kepada DINKES.")).to_be_visible()

    # The SKPD operator answers with evidence and submits.
    skpd = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900}).new_page()
    log_in(skpd, live_server.url, "operator_a")
    skpd.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Kuesioner saya").click()
    skpd.get_by_role("row", name=re.compile("SG-B-01")).get_by_role("link", name="Jawab", exact=True).click()
    skpd.get_by_label("Ya", exact=True).check()
    skpd.get_by_label(re.compile(r"^\s*Penjelasan")).fill("Perbup Banjar Nomor 47 Tahun 2021.")
    skpd.get_by_label("Unggah bukti dukung baru").set_input_files(str(pdf))
    screenshot(skpd, "answer-form")
    skpd.get_by_role("button", name="Simpan dan ajukan").click()
    expect(skpd.get_by_text("Jawaban telah diajukan ke DKISP.")).to_be_visible()
    skpd.get_by_role("link", name="Kuesioner saya").first.click()
    skpd.get_by_role("row", name=re.compile("SG-O-01")).get_by_role("link", name="Jawab", exact=True).click()
    skpd.get_by_label(re.compile(r"^\s*3 — SK dan rapat sesekali")).check()
    skpd.get_by_role("button", name="Simpan dan ajukan").click()
    expect(skpd.get_by_text("Jawaban telah diajukan ke DKISP.")).to_be_visible()

    # DKISP verifies both, readiness turns green, and the cycle is locked.
    page.get_by_role("link", name="Kesiapan").click()
    expect(page.get_by_test_id("readiness-light")).to_have_attribute("data-light", "yellow")
    page.get_by_role("link", name="Verifikasi", exact=True).click()
    for code in ("SG-B-01", "SG-O-01"):
        page.get_by_role("checkbox", name=code).check()
    page.get_by_role("button", name="Verifikasi jawaban yang dicentang").click()
    expect(page.get_by_text("2 jawaban diverifikasi.")).to_be_visible()
    page.get_by_role("link", name="Kesiapan").click()
    expect(page.get_by_test_id("readiness-light")).to_have_attribute("data-light", "green")
    screenshot(page, "readiness-green")
    page.get_by_role("link", name="Ringkasan").click()
    page.get_by_role("link", name="Kunci siklus").click()  # a confirmation page with the readiness summary
    page.get_by_role("button", name="Kunci siklus").click()
    expect(page.get_by_text("Siklus dikunci: tidak ada jawaban yang dapat berubah lagi.")).to_be_visible()
    assert EvaluationCycle.objects.get(pk=cycle.pk).is_locked

    # The assessor reads the locked submission and scores it.
    assessor = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900}).new_page()
    log_in(assessor, live_server.url, "assessor")
    assessor.get_by_test_id("assessment-cycles").get_by_role("link").click()
    assessor.get_by_role("link", name="Smart Governance").click()
    expect(assessor.get_by_text("Perbup Banjar Nomor 47 Tahun 2021.")).to_be_visible()
    assessor.get_by_label("SG-B-01").fill("3,6")
    assessor.get_by_label("SG-O-01").select_option("3")
    assessor.get_by_label(re.compile(r"^\s*Kelemahan")).fill("Jawaban tidak didukung bukti dukung yang lengkap.")
    screenshot(assessor, "assessment-sheet")
    assessor.get_by_role("button", name="Simpan nilai").click()
    expect(assessor.get_by_text("Nilai Smart Governance telah disimpan.")).to_be_visible()
    # Baseline 3.6 (weight 10) and Output 3 (weight 20): (36 + 60) / 30 = 3.2
    expect(assessor.get_by_test_id("running-index")).to_have_text("3,20")
    assessor.get_by_role("link", name="Hasil").click()
    expect(assessor.get_by_test_id("final-index")).to_have_text("3,20")
    screenshot(assessor, "results")
    assert Score.objects.filter(cycle=cycle).count() == 2
    assert set(Answer.objects.filter(cycle=cycle).values_list("status", flat=True)) == {"verified"}
