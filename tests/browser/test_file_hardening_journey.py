"""Evidence files in real Chromium: a PDF Chromium itself printed is accepted, a PNG with a ZIP appended is
refused next to the file field with the other fields kept, and a file missing from storage shows a clear page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from evidence.models import Evidence
from smartcity.demo import files
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chromium_pdf_accepted_polyglot_refused_missing_file_explained(
    live_server, world: World, page: Page, browser: Browser, tmp_path
) -> None:
    log_in(page, live_server.url, "operator_a")
    page.goto(f"{live_server.url}{world.evidence_a.get_absolute_url()}")
    printed = tmp_path / "Halaman bukti dukung.pdf"
    printed.write_bytes(page.pdf(format="A4"))  # Chromium's own PDF writer (Skia): deflated streams, fonts, links
    disguised = tmp_path / "foto kegiatan.png"
    disguised.write_bytes(
        files.photo_png("Posyandu") + files.xlsx_table(title="x", header=["a"], rows=[["tersembunyi"]])
    )

    page.goto(f"{live_server.url}/bukti/unggah/")
    page.get_by_label("Berkas").set_input_files([str(printed), str(disguised)])
    page.get_by_label("Nomor dokumen").fill("050/117/DINKES/2025")
    page.get_by_label("Diterbitkan oleh").fill("Kepala Dinas Kesehatan")
    page.get_by_role("button", name="Unggah").click()
    feedback = page.locator("#error_1_id_files")
    expect(feedback).to_contain_text("“foto kegiatan.png” adalah berkas PNG yang menyembunyikan arsip ZIP")
    expect(page.get_by_label("Nomor dokumen")).to_have_value("050/117/DINKES/2025")
    screenshot(page, "evidence-upload-polyglot-refused")
    printed_evidence = Evidence.objects.get(original_name="Halaman bukti dukung.pdf")
    assert printed_evidence.stored_file.content_type == "application/pdf"
    assert not Evidence.objects.filter(original_name="foto kegiatan.png").exists()

    # The bytes of a library file are lost from storage: its page still opens, the preview and the download
    # say what happened. (Another context: the 404s are expected here, not console errors of the journey.)
    stored = world.evidence_a.stored_file
    stored.file.storage.delete(stored.file.name)
    other = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900}).new_page()
    log_in(other, live_server.url, "operator_a")
    other.goto(f"{live_server.url}{world.evidence_a.get_absolute_url()}")
    frame = other.frame_locator("iframe.evidence-preview-pdf")
    expect(frame.get_by_test_id("file-missing")).to_contain_text("Berkas tidak tersedia")
    screenshot(other, "evidence-missing-preview")
    other.get_by_role("link", name="Unduh").click()
    expect(other.get_by_test_id("file-missing")).to_contain_text("“SK Tim Smart City.pdf” tercatat di sini")
    screenshot(other, "evidence-missing-download")
