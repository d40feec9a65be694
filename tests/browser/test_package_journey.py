"""The evaluation package in real Chromium: DKISP builds it and downloads the ZIP, watches a build's progress bar
advance live (htmx polling, under the pages' CSP) up to 100 %, and the assessor downloads the final package."""

from __future__ import annotations

import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from evaluations.models import Package
from evaluations.packages.archive import verify_archive
from evaluations.services.cycles import cycle_lock
from evaluations.services.packages import package_run
from tests.browser.conftest import log_in, screenshot
from tests.conftest import Evaluation
from tests.test_packages import answer_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_coordinator_builds_the_package_and_the_assessor_downloads_it(
    live_server, evaluation: Evaluation, page: Page, browser: Browser, tmp_path
) -> None:
    w = evaluation.world
    answer_all(evaluation)
    cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason="Siap untuk rapat penilaian tahap I.")

    log_in(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/evaluasi/{evaluation.cycle.pk}/")
    page.get_by_role("link", name="Paket", exact=True).click()
    expect(page.get_by_text("paket yang dibuat sekarang adalah paket final")).to_be_visible()
    page.get_by_test_id("build-package").click()

    progress = page.get_by_test_id("package-progress")
    expect(progress).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("progress-bar")).to_have_text("100 %")
    package = Package.objects.get(cycle=evaluation.cycle)
    expect(page.get_by_test_id("package-sha256")).to_have_text(package.archive_sha256)
    screenshot(page, "package-done")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh ZIP").click()
    archive = tmp_path / download.value.suggested_filename
    download.value.save_as(archive)
    assert archive.name == package.file_name("archive")
    assert verify_archive(archive) == (3, [])

    # A second build, held at 40 % by a worker we control: the open page follows it without a reload.
    Package.objects.filter(pk=package.pk).update(data_stamp="changed since")  # so the list offers a rebuild
    running = Package.objects.create(
        region=w.region,
        cycle=evaluation.cycle,
        year=2023,
        status=Package.Status.RUNNING,
        step=Package.Step.PDF,
        progress=40,
        heartbeat_at=timezone.now(),
        requested_by=w.coordinator,
    )
    page.goto(f"{live_server.url}/paket/{running.pk}/")
    expect(page.get_by_test_id("progress-bar")).to_have_text("40 %")
    expect(page.get_by_text("Menyusun PDF")).to_be_visible()
    screenshot(page, "package-running")
    Package.objects.filter(pk=running.pk).update(status=Package.Status.QUEUED)
    package_run(package_id=running.pk)  # the "worker" finishes while the page polls
    expect(page.get_by_test_id("progress-bar")).to_have_text("100 %", timeout=10_000)
    expect(page.get_by_test_id("package-downloads")).to_be_visible()
    page.goto(f"{live_server.url}/evaluasi/{evaluation.cycle.pk}/paket/")
    expect(page.get_by_test_id("package-row")).to_have_count(2)
    expect(page.get_by_text("Kedaluwarsa")).to_be_visible()  # the first one, whose data stamp no longer matches
    screenshot(page, "package-list")

    assessor = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta").new_page()
    log_in(assessor, live_server.url, "assessor")
    assessor.goto(f"{live_server.url}/penilaian/{evaluation.cycle.pk}/")
    panel = assessor.get_by_test_id("assessor-package")
    expect(panel).to_contain_text("Paket final dibuat pada")
    with assessor.expect_download() as download:
        panel.get_by_role("link", name="Unduh ZIP").click()
    theirs = tmp_path / "assessor.zip"
    download.value.save_as(theirs)
    with zipfile.ZipFile(theirs) as bundle:
        assert "BACA-SAYA.txt" in bundle.namelist()
    assert verify_archive(theirs) == (3, [])
