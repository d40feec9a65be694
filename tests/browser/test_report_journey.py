"""The reporting journey in real Chromium: an SKPD operator reports with evidence, DKISP returns it with a
reason, the operator fixes and resubmits, DKISP approves."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from masterplan.models import IndicatorTarget, ProgressReport
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PDF_BYTES, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Bukti dukung belum lengkap: lampirkan notulen rapat koordinasi."


def test_operator_reports_dkisp_returns_operator_fixes_dkisp_approves(
    live_server, world: World, page: Page, browser: Browser, tmp_path
) -> None:
    IndicatorTarget.objects.create(indicator=world.programme_a.indicators.get(), year=2025, value=5)
    pdf = tmp_path / "Notulen rapat koordinasi.pdf"
    pdf.write_bytes(PDF_BYTES.replace(b"1.4", b"1.5"))

    # The operator opens "Laporan saya" and writes the Q2 2025 report of their programme.
    log_in(page, live_server.url, "operator_a")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Laporan saya").click()
    page.get_by_label("Tahun").select_option("2025")
    page.get_by_role("button", name="Tampilkan").click()
    row = page.get_by_test_id("report-slots").get_by_role("row", name=re.compile("TW 2 2025"))
    expect(row).to_contain_text("Terlambat")
    screenshot(page, "my-reports")
    row.get_by_role("button", name="Tulis laporan").click()

    page.get_by_label("Puskesmas terhubung").fill("4,5")
    page.get_by_label(re.compile(r"^\s*Narasi capaian")).fill("Empat puskesmas sudah terhubung jaringan.")
    page.get_by_label(re.compile(r"^\s*Rencana anggaran")).fill("150.000.000")
    page.get_by_label("Unggah bukti dukung baru").set_input_files(str(pdf))
    screenshot(page, "report-form")
    page.get_by_role("button", name="Simpan dan ajukan").click()
    expect(page.get_by_text("Laporan telah diajukan ke DKISP untuk ditinjau.")).to_be_visible()
    expect(page.get_by_test_id("progress-table")).to_contain_text("90,00%")  # 4,5 of 2025's target 5
    report = ProgressReport.objects.get(programme=world.programme_a, period=2)
    assert report.status == "submitted" and report.evidence.get().original_name == "Notulen rapat koordinasi.pdf"

    # DKISP finds it in the review queue and returns it with a reason.
    dkisp = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900}).new_page()
    log_in(dkisp, live_server.url, "coordinator")
    dkisp.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Tinjau laporan").click()
    dkisp.get_by_test_id("review-table").get_by_role("link", name="LIV-01").click()
    expect(dkisp.get_by_test_id("review-actions")).to_be_visible()
    screenshot(dkisp, "report-review")
    dkisp.get_by_role("link", name="Kembalikan dengan alasan").click()
    dkisp.get_by_role("button", name="Kembalikan").click()
    expect(dkisp.get_by_text("Bidang ini tidak boleh kosong.")).to_be_visible()
    dkisp.get_by_label(re.compile(r"^\s*Alasan")).fill(REASON)
    dkisp.get_by_role("button", name="Kembalikan").click()
    expect(dkisp.get_by_test_id("return-reason")).to_contain_text(REASON)

    # The operator sees why, fixes the report and submits it again.
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Laporan saya").click()
    page.get_by_label("Tahun").select_option("2025")
    page.get_by_role("button", name="Tampilkan").click()
    row = page.get_by_test_id("report-slots").get_by_role("row", name=re.compile("TW 2 2025"))
    expect(row).to_contain_text("Dikembalikan")
    expect(row).to_contain_text("notulen rapat koordinasi")
    row.get_by_role("link", name="Buka").click()
    page.get_by_role("link", name="Ubah").click()
    page.get_by_label(re.compile(r"^\s*Narasi capaian")).fill("Empat puskesmas terhubung; notulen rapat terlampir.")
    page.get_by_role("button", name="Simpan dan ajukan").click()
    expect(page.get_by_text("Laporan telah diajukan ke DKISP untuk ditinjau.")).to_be_visible()

    # DKISP approves; the report is locked.
    dkisp.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Tinjau laporan").click()
    dkisp.get_by_test_id("review-table").get_by_role("link", name="LIV-01").click()
    dkisp.get_by_role("button", name="Setujui").click()
    expect(dkisp.get_by_text("Laporan telah disetujui dan kini terkunci.")).to_be_visible()
    dkisp.get_by_role("link", name="Riwayat").click()
    expect(dkisp.get_by_test_id("history")).to_contain_text(REASON)
    screenshot(dkisp, "report-history")
    report.refresh_from_db()
    assert report.status == "approved"
    page.reload()
    expect(page.get_by_role("link", name="Ubah")).to_have_count(0)
