"""The questionnaire window in real Chromium: after the close an SKPD sees that it can no longer answer; DKISP
extends the window for that SKPD (a wrong date first, refused next to the field), and the SKPD answers again."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from evaluations.models import WindowExtension
from evaluations.services.windows import pinned_today
from tests.browser.conftest import log_in, screenshot
from tests.conftest import Evaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def after_the_close() -> Iterator[None]:
    # The fixture's questionnaire closed on 31 May 2023; the live server judges windows as on 5 June 2023.
    with pinned_today(dt.date(2023, 6, 5)):
        yield


def test_the_coordinator_extends_the_questionnaire_for_one_skpd(
    live_server, evaluation: Evaluation, after_the_close: None, page: Page, browser: Browser
) -> None:
    sent_before = len(mail.outbox)  # the fixture's assignment mails
    skpd = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport={"width": 1366, "height": 900})
    operator = skpd.new_page()
    log_in(operator, live_server.url, "operator_a")
    operator.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Kuesioner saya").click()
    expect(operator.get_by_test_id("window-closed")).to_contain_text("Kuesioner ditutup pada 31 Mei 2023")
    row = operator.get_by_role("row", name=re.compile("SG-O-01"))
    expect(row.get_by_role("link")).to_have_text("Buka")
    screenshot(operator, "questionnaire-closed")

    # DKISP opens the cycle's extensions from the cycle page.
    log_in(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}{evaluation.cycle.get_absolute_url()}")
    page.get_by_role("link", name="Perpanjangan kuesioner").click()
    expect(page.get_by_test_id("extensions")).to_contain_text("Belum ada SKPD yang mendapat perpanjangan")
    form = page.get_by_test_id("extension-form")
    form.get_by_label(re.compile(r"^\s*SKPD")).select_option(label="DINKES — Dinas Kesehatan")
    form.get_by_label(re.compile(r"^\s*Diperpanjang sampai")).fill("2023-05-30")
    form.get_by_label(re.compile(r"^\s*Alasan")).fill("Data survei IKM Puskesmas baru selesai direkap.")
    form.get_by_role("button", name="Perpanjang").click()
    # Refused next to the date, with what was typed kept.
    expect(page.locator("#error_1_id_closes_on")).to_contain_text("setelah kuesioner ditutup (31 Mei 2023)")
    expect(form.get_by_label(re.compile(r"^\s*Alasan"))).to_have_value(
        "Data survei IKM Puskesmas baru selesai direkap."
    )
    screenshot(page, "extension-form-error")
    form.get_by_label(re.compile(r"^\s*Diperpanjang sampai")).fill("2023-06-14")
    form.get_by_role("button", name="Perpanjang").click()
    expect(page.get_by_text("Kuesioner diperpanjang untuk DINKES sampai 14 Juni 2023")).to_be_visible()
    table = page.get_by_test_id("extensions")
    expect(table.get_by_role("row", name=re.compile("DINKES"))).to_contain_text("14 Juni 2023")
    expect(table.get_by_role("row", name=re.compile("DINKES"))).to_contain_text("berlaku")
    screenshot(page, "extensions")
    extension = WindowExtension.objects.get()
    assert (extension.agency, extension.closes_on) == (evaluation.world.agency_a, dt.date(2023, 6, 14))
    assert [m.to for m in mail.outbox[sent_before:]] == [["operator_a@example.org"]]

    # The SKPD sees its new date and answers again.
    operator.reload()
    extended = "DKISP memperpanjang kuesioner untuk DINKES sampai 14 Juni 2023"
    expect(operator.get_by_test_id("window-open")).to_contain_text(extended)
    operator.get_by_role("row", name=re.compile("SG-O-01")).get_by_role("link").click()
    expect(operator.get_by_test_id("window-open")).to_contain_text("sampai 14 Juni 2023")
    operator.get_by_label(re.compile(r"^\s*3 — Kriteria 3")).check()
    screenshot(operator, "answer-form-extended")
    operator.get_by_role("button", name="Simpan dan ajukan").click()
    expect(operator.get_by_text("Jawaban telah diajukan ke DKISP.")).to_be_visible()
