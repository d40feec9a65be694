"""An assessor with cycles in two regions, in real Chromium: one queue names both regions, each cycle opens whichever
region the header shows (and the header follows it), and the header's switcher changes region."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from agencies.services import national_staff_grant
from evaluations.services.cycles import cycle_lock
from evaluations.services.national import cycle_assign_assessors_nationally
from tests.browser.conftest import log_in, screenshot
from tests.conftest import Evaluation, make_user
from tests.test_national import assessed_region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_assessor_works_through_cycles_in_two_regions(live_server, evaluation: Evaluation, page: Page) -> None:
    w = evaluation.world
    banjar = cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason="Dikunci untuk rapat evaluasi Surabaya.")
    kediri = assessed_region("Kota Kediri", "3571", "Jawa Timur", governance="3", society="4")
    programme_staff = make_user("national")
    national_staff_grant(by=None, user=programme_staff)
    # Ditjen Aptika sends Banjar's assessor to Kediri as well (he gets Kediri's assessor role on the way).
    cycle_assign_assessors_nationally(cycle=kediri, by=programme_staff, assessors=[w.assessor])

    log_in(page, live_server.url, "assessor")

    # Home is the queue: both locked cycles, each with its region.
    queue = page.get_by_test_id("assessment-cycles")
    expect(queue.locator("li")).to_have_count(2)
    expect(queue.locator('li[data-region="6303"]')).to_contain_text("Kabupaten Banjar")
    expect(queue.locator('li[data-region="3571"]')).to_contain_text("Kota Kediri")
    switcher = page.get_by_label("Wilayah")
    expect(switcher).to_have_value(str(w.region.pk))  # Banjar comes first
    screenshot(page, "assessor-two-regions-queue")

    # Kediri's cycle opens with Banjar current, and the header follows it to Kediri.
    queue.locator('li[data-region="3571"]').get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/penilaian/{kediri.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_label("Wilayah")).to_have_value(str(kediri.region_id))
    expect(page.get_by_test_id("cycle-region-name")).to_have_text("Kota Kediri")
    screenshot(page, "assessor-two-regions-kediri")

    # Back in the queue, Banjar's cycle opens too, and Banjar is current again.
    page.get_by_role("link", name="Penilaian").click()
    page.get_by_test_id("assessment-cycles").locator('li[data-region="6303"]').get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/penilaian/{banjar.pk}/")
    expect(page.get_by_label("Wilayah")).to_have_value(str(w.region.pk))

    # Switching in the header from a cycle's page lands on the queue, in the chosen region.
    page.get_by_label("Wilayah").select_option(str(kediri.region_id))
    page.get_by_role("button", name="Ganti").click()
    expect(page).to_have_url(f"{live_server.url}/penilaian/")
    expect(page.get_by_label("Wilayah")).to_have_value(str(kediri.region_id))
    expect(page.get_by_test_id("assessment-cycles").locator("li")).to_have_count(2)
    screenshot(page, "assessor-two-regions-switched")


def test_the_national_staff_compare_regions_and_send_an_assessor(
    live_server, evaluation: Evaluation, page: Page
) -> None:
    w = evaluation.world
    cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason="Dikunci untuk rapat evaluasi Surabaya.")
    kediri = assessed_region("Kota Kediri", "3571", "Jawa Timur", governance="3", society="4")
    assessed_region("Kota Malang", "3573", "Jawa Timur", governance="2", society="2")
    national_staff_grant(by=None, user=make_user("national"))

    log_in(page, live_server.url, "national")

    # Home is the national view: every region side by side.
    table = page.get_by_test_id("national-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator('tr[data-region="3571"] [data-cell="final"]')).to_contain_text("3,67")
    screenshot(page, "national-view")
    # Located by id and test id: the new labels' Indonesian comes with the next translation round.
    filters = page.get_by_test_id("national-filters")
    filters.locator("#id_province").select_option("Jawa Timur")
    filters.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("national-table").locator("tbody tr")).to_have_count(2)

    # A region against the distribution, then its cycle's assessors.
    page.get_by_role("link", name="Kota Kediri").click()
    median = page.get_by_test_id("distribution").locator('[data-spread="governance"] [data-cell="median"]')
    expect(median).to_have_text("2,50")  # Kediri 3, Malang 2 (Banjar's cycle is not scored)
    screenshot(page, "national-region")
    page.locator(f'a[href="/nasional/siklus/{kediri.pk}/asesor/"]').click()
    form = page.get_by_test_id("national-assessors")
    form.get_by_label("assessor (Kabupaten Banjar)").check()
    screenshot(page, "national-assessors")
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("region-cycles")).to_contain_text("assessor")
    assert list(kediri.assessors.all()) == [w.assessor]
