"""An SKPD operator logs in, lands on their SKPD's dashboard, sees the report DKISP returned and opens it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from masterplan.services.reports import report_return, report_submit
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Lampirkan notulen rapat koordinasi sebagai bukti dukung."


def test_operator_lands_on_the_skpd_dashboard_and_follows_a_returned_report(
    live_server, world: World, page: Page
) -> None:
    report = report_submit(report=world.report_a, by=world.operator_a)
    report_return(report=report, by=world.coordinator, reason=REASON)

    log_in(page, live_server.url, "operator_a")
    expect(page).to_have_url(re.compile(r"/dasbor/skpd/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_text("Dinas Kesehatan (DINKES)")).to_be_visible()
    expect(page.get_by_test_id("count-reports-returned")).to_contain_text("1")
    returned = page.locator('[data-testid="report-slot"][data-state="returned"]')
    expect(returned).to_have_count(1)
    expect(returned).to_contain_text(REASON)
    expect(returned).to_contain_text("LIV-01")
    screenshot(page, "skpd-dashboard")

    returned.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"{report.get_absolute_url()}$"))
    expect(page.get_by_text(REASON).first).to_be_visible()
