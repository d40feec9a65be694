"""A report's history in real Chromium: the operator logs in under the site's name, finds the returned report
from the count above "Laporan saya", and reads its history in words rather than field names and codes."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from masterplan.services.reports import report_return, report_submit, report_update
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Rencana anggaran belum sesuai DPA: periksa kembali angkanya."


def test_operator_reads_a_returned_reports_history_in_words(live_server, world: World, page: Page) -> None:
    report = world.report_a
    report = report_update(
        report=report,
        by=world.operator_a,
        expected_version=report.version,
        data={"budget_plan": Decimal("150000000.00"), "budget_realisation": Decimal("1234.50")},
    )
    report = report_submit(report=report, by=world.operator_a)
    report_return(report=report, by=world.coordinator, reason=REASON)

    # The log-in page carries the site's name, not the server's address.
    page.goto(f"{live_server.url}/masuk/")
    expect(page).to_have_title(f"Masuk · {settings.SITE_NAME}")
    expect(page.locator(".navbar-brand")).to_have_text(settings.SITE_NAME)
    host = live_server.url.split("//")[1]
    assert host not in page.title() and host not in page.locator(".navbar-brand").inner_text()
    screenshot(page, "history-journey-login")

    # "Laporan saya" opens on the oldest year with overdue work and counts what is owed across all years.
    log_in(page, live_server.url, "operator_a")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Laporan saya").click()
    expect(page.get_by_label("Tahun")).to_have_value("2021")
    expect(page.get_by_test_id("overdue-count")).to_have_text(re.compile(r"Terlambat\s+19"))
    expect(page.get_by_test_id("returned-count")).to_have_text(re.compile(r"Dikembalikan\s+1"))
    screenshot(page, "my-reports-counts")

    # The returned count lists exactly the returned report; its history reads as labels and formatted values.
    page.get_by_test_id("returned-count").click()
    rows = page.get_by_test_id("report-slots").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("TW 1 2025")
    screenshot(page, "my-reports-returned")
    rows.first.get_by_role("link", name="Buka").click()
    page.get_by_role("link", name="Riwayat").click()
    history = page.get_by_test_id("history")
    expect(history).to_contain_text("Status: Diajukan → Dikembalikan")
    expect(history).to_contain_text("Status: Draf → Diajukan")
    expect(history).to_contain_text("Rencana anggaran (Rp): – → 150.000.000")
    expect(history).to_contain_text("Realisasi anggaran (Rp): – → 1.234,50")
    expect(history).to_contain_text("Bukti dukung: – → SK Tim Smart City")
    expect(history).to_contain_text(REASON)
    for raw in ("budget_plan", "budget_realisation", "submitted", "returned", "150000000"):
        expect(history).not_to_contain_text(raw)
    screenshot(page, "report-history-labels")
