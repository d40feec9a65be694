"""The coordinator's dashboard in real Chromium: DKISP logs in and lands on it, picks a year and a period, and
follows a number to the list of reports behind it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from masterplan.models import ProgressReport
from tests.browser.conftest import log_in, screenshot
from tests.conftest import Evaluation
from tests.test_dashboard import PERIOD, YEAR, _prepare_evaluation, grow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_follows_a_dashboard_number_to_the_reports_behind_it(
    live_server, evaluation: Evaluation, page: Page
) -> None:
    grow(evaluation, 6)
    _prepare_evaluation(evaluation)
    w = evaluation.world
    approved = ProgressReport.objects.filter(agency=w.agency_a, year=YEAR, period=PERIOD, status="approved")
    assert approved.exists()

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server.url, "coordinator")
    expect(page).to_have_url(re.compile(r"/dasbor/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kabupaten Banjar")

    # The filters: the first quarter of 2025 and the 2023 cycle.
    filters = page.locator("form.dashboard-filters")
    filters.locator("select[name=year]").select_option(str(YEAR))
    filters.locator("select[name=period]").select_option(str(PERIOD))
    filters.locator("select[name=cycle]").select_option(str(evaluation.cycle.pk))
    filters.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"year={YEAR}.*period={PERIOD}"))
    table = page.locator("[data-table=laporan-skpd]")
    row = table.get_by_role("row", name=re.compile("DINKES"))
    expect(row).to_be_visible()
    expect(page.locator("[data-chart=reports] svg[role=img]")).to_be_visible()
    expect(page.locator("[data-chart=heat] table.heat-table")).to_be_visible()
    screenshot(page, "dashboard")

    # The approved count of DINKES opens the review queue filtered to exactly those reports.
    cells = row.locator("td")
    states = ["expected", "not_started", "draft", "submitted", "returned", "approved", "overdue"]
    cell = cells.nth(states.index("approved"))
    expect(cell).to_have_text(str(approved.count()))
    cell.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/laporan/tinjau/\?status=approved"))
    for report in approved:
        expect(page.get_by_role("link", name=re.compile(re.escape(report.programme.code))).first).to_be_visible()
    screenshot(page, "dashboard-review-queue")
