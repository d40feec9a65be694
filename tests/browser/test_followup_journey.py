"""The follow-up journey in real Chromium: an SKPD operator opens its task from its list, writes what was done,
uploads the evidence, marks the task done; DKISP sees the item done with the report and the file."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from evaluations.models import FollowUpItem, FollowUpTask
from evaluations.services.followup import item_create
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PDF_BYTES, Evaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "Tetapkan Masterplan Smart City dengan Peraturan Bupati."
REPORT = "Perbup Nomor 12 Tahun 2023 tentang Masterplan Smart City telah ditetapkan."
# The register's own words are matched in either language: their Indonesian arrives with the next catalogue.
NAV = re.compile("Tindak lanjut|Follow-up")


def test_operator_completes_a_follow_up_task_with_evidence_and_dkisp_sees_it_done(
    live_server, evaluation: Evaluation, page: Page, browser: Browser, tmp_path
) -> None:
    w = evaluation.world
    item = item_create(
        cycle=evaluation.cycle,
        by=w.coordinator,
        source=FollowUpItem.Source.RECOMMENDATION,
        text=TEXT,
        tasks=[(w.agency_a, dt.date(2023, 9, 30))],
    )
    pdf = tmp_path / "Perbup Masterplan.pdf"
    pdf.write_bytes(PDF_BYTES.replace(b"1.4", b"1.6"))

    # The operator opens the register from the menu and its open task from the list on top.
    log_in(page, live_server.url, "operator_a")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=NAV).click()
    tasks = page.get_by_test_id("my-followup-tasks")
    expect(tasks).to_contain_text(TEXT)
    screenshot(page, "followup-my-tasks")
    tasks.get_by_test_id("task-link").click()

    # Writes what was done, attaches the Perbup as new evidence, and marks the task done.
    form = page.get_by_test_id("task-report-form")
    form.locator("textarea[name=report]").fill(REPORT)
    page.get_by_label("Unggah bukti dukung baru").set_input_files(str(pdf))
    screenshot(page, "followup-task-form")
    form.locator("button[name=action][value=done]").click()
    expect(page.get_by_test_id("task-report")).to_contain_text(REPORT)
    expect(page.get_by_test_id("task-report")).to_contain_text("Perbup Masterplan")
    task = FollowUpTask.objects.get(item=item, agency=w.agency_a)
    assert task.status == "done" and task.evidence.get().original_name == "Perbup Masterplan.pdf"

    # DKISP finds the item done in the register, with the report and the file.
    dkisp = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900}).new_page()
    log_in(dkisp, live_server.url, "coordinator")
    dkisp.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=NAV).click()
    row = dkisp.get_by_test_id(f"item-{item.pk}")
    expect(row.locator("[data-status=done]").last).to_be_visible()
    row.get_by_role("link", name=re.compile("Tetapkan Masterplan")).click()
    expect(dkisp.get_by_test_id("task-DINKES")).to_contain_text(REPORT)
    expect(dkisp.get_by_test_id("task-DINKES").get_by_role("link", name="Perbup Masterplan")).to_be_visible()
    screenshot(dkisp, "followup-item-done")
    assert FollowUpItem.objects.get(pk=item.pk).status == "done"
