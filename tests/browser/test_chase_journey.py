"""Chasing a late SKPD in real Chromium: DKISP opens the SKPD list, presses the reminder button, reads the preview
of the mail, sends it and sees the confirmation; the SKPD page then shows the reminder and refuses a second one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from masterplan.models import ReportReminder
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dkisp_reminds_a_late_skpd_from_the_skpd_list(live_server, world: World, page: Page) -> None:
    world.agency_a.email = "dinkes@banjarkab.go.id"
    world.agency_a.phone = "(0511) 4721234"
    world.agency_a.save()

    # DKISP opens the SKPD list and presses DINKES's reminder button.
    log_in(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/skpd/")
    row = page.get_by_role("row").filter(has_text="DINKES")
    row.get_by_test_id("chase-row-button").click()

    # The preview: who receives it, the subject, the Indonesian body.
    preview = page.get_by_test_id("chase-preview")
    expect(preview).to_have_count(1)
    expect(preview.get_by_test_id("chase-recipients")).to_have_text("operator_a@example.org, dinkes@banjarkab.go.id")
    expect(preview.get_by_test_id("chase-subject")).to_contain_text("DINKES")
    expect(preview.get_by_test_id("chase-body")).to_contain_text("Dinas Kesehatan")
    expect(preview.get_by_test_id("chase-body")).to_contain_text("/laporan/")
    screenshot(page, "chase-preview")
    page.get_by_test_id("chase-send").click()

    # Back on the SKPD list, with the confirmation; the chase is recorded.
    expect(page).to_have_url(f"{live_server.url}/skpd/")
    expect(page.get_by_role("status")).to_contain_text("1 SKPD")
    screenshot(page, "chase-sent")
    reminder = ReportReminder.objects.get()
    assert reminder.agency == world.agency_a
    assert reminder.kind == ReportReminder.Kind.CHASE
    assert reminder.sent_by == world.coordinator
    assert reminder.recipients == ["operator_a@example.org", "dinkes@banjarkab.go.id"]

    # The SKPD page lists its contacts and the reminder; a second reminder today is not offered.
    page.goto(f"{live_server.url}/skpd/{world.agency_a.pk}/")
    expect(page.get_by_test_id("agency-contacts")).to_contain_text("(0511) 4721234")
    expect(page.get_by_test_id("agency-contacts")).to_contain_text("operator_a@example.org")
    expect(page.get_by_test_id("agency-reminders").get_by_role("listitem")).to_have_count(1)
    screenshot(page, "chase-agency-page")
    page.get_by_test_id("chase-button").click()
    expect(page.get_by_test_id("chase-preview")).to_have_count(0)
    expect(page.get_by_test_id("chase-skipped")).to_contain_text("DINKES")
    assert ReportReminder.objects.count() == 1
