"""The evidence library as its own app, in real Chromium: an SKPD operator answers a question with one good and one
refused file, keeps what was typed with the reason beside the file input, then sees the file's uses in the library
and cannot delete it."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from evidence.models import Evidence
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PDF_BYTES, Evaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_refused_file_keeps_the_answer_and_the_library_shows_every_use(
    live_server, evaluation: Evaluation, page: Page, tmp_path: Path
) -> None:
    good = tmp_path / "SK Dewan Smart City.pdf"
    good.write_bytes(PDF_BYTES.replace(b"1.4", b"1.5"))
    bad = tmp_path / "setup.pdf"
    bad.write_bytes(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120)

    log_in(page, live_server.url, "operator_a")
    page.goto(f"{live_server.url}/jawaban/{evaluation.level.pk}/ubah/")
    page.get_by_label("4 — Kriteria 4").check()
    page.get_by_label("Penjelasan").fill("Dewan Smart City dibentuk dengan SK Bupati.")
    page.get_by_label("Unggah bukti dukung baru").set_input_files([str(good), str(bad)])
    page.get_by_role("button", name="Simpan draf").click()

    expect(page.get_by_text("Jawaban disimpan, tetapi beberapa berkas ditolak.")).to_be_visible()
    expect(page.get_by_test_id("evidence-fieldset")).to_contain_text("setup.pdf")
    expect(page.get_by_label("Penjelasan")).to_have_value("Dewan Smart City dibentuk dengan SK Bupati.")
    expect(page.get_by_label("4 — Kriteria 4")).to_be_checked()
    expect(page.get_by_label("SK Dewan Smart City (Laporan)")).to_be_checked()
    screenshot(page, "evidence-refused-on-answer")

    stored = Evidence.objects.get(original_name="SK Dewan Smart City.pdf")
    page.goto(f"{live_server.url}/bukti/{stored.pk}/")
    uses = page.get_by_test_id("evidence-uses")
    expect(uses).to_contain_text("Jawaban evaluasi")
    expect(uses.get_by_role("link")).to_have_text("SG-O-01 · 2023 Tahap I · DINKES")
    # The delete button is not offered for a used file; a request sent anyway is refused with a message.
    expect(page.get_by_role("button", name="Hapus dari pustaka")).to_have_count(0)
    screenshot(page, "evidence-used-by-an-answer")
