"""The evidence picker in real Chromium: an SKPD operator with a library of dozens of files writes a report, pages
through the library and searches it live (htmx, the rest of the form untouched), ticks the file found, saves, and
sees it attached beside the file the report already had."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from masterplan.models import ProgressReport
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PDF_BYTES, World, make_evidence
from tests.test_evidence_picker import fill_library

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TYPED = "Rapat koordinasi tim pelaksana sudah digelar."


def test_operator_finds_a_file_of_a_large_library_attaches_it_and_saves(live_server, world: World, page: Page) -> None:
    minutes = make_evidence(
        world.agency_a,
        world.operator_a,
        "notulen-rakor.pdf",
        PDF_BYTES.replace(b"1.4", b"1.5"),
        title="Notulen Rakor Smart City",
        kind="minutes",
        document_number="005/RAKOR/2025",
    )
    fill_library(world.agency_a, 30)  # newer than the minutes: they are on no first page of the library

    log_in(page, live_server.url, "operator_a")
    page.goto(f"{live_server.url}/laporan/{world.report_a.pk}/ubah/")
    page.get_by_label(re.compile(r"^\s*Narasi capaian")).fill(TYPED)
    picker = page.get_by_test_id("evidence-picker")
    chosen, results = picker.get_by_test_id("evidence-chosen"), picker.get_by_test_id("evidence-results")
    expect(chosen.get_by_role("checkbox")).to_have_count(1)  # the file the report has
    expect(chosen.get_by_role("checkbox")).to_be_checked()
    expect(results.get_by_role("checkbox")).to_have_count(20)
    expect(results).not_to_contain_text("Notulen Rakor Smart City")

    # The next page of the library comes without reloading the form.
    with page.expect_response(lambda r: "evidence_picker=1" in r.url and "evidence_page=2" in r.url):
        results.get_by_role("button", name="Berikutnya").click()
    expect(results).to_contain_text("Halaman 2 dari 2")
    expect(results).to_contain_text("Notulen Rakor Smart City")

    # Typing searches as the operator types; what was written above stays as it was.
    with page.expect_response(lambda r: "evidence_picker=1" in r.url and "evidence_q=rakor" in r.url.lower()):
        picker.get_by_role("searchbox").fill("rakor")
    expect(results.get_by_role("checkbox")).to_have_count(1)
    expect(results).to_contain_text("005/RAKOR/2025")
    expect(page.get_by_label(re.compile(r"^\s*Narasi capaian"))).to_have_value(TYPED)
    results.get_by_label("Notulen Rakor Smart City (Notulen)").check()
    screenshot(page, "evidence-picker")

    # Enter in the search box searches again (the form is not sent); Enter in a one-line field saves the draft,
    # as it did before the picker had a button of its own.
    with page.expect_response(lambda r: "evidence_picker=1" in r.url):
        picker.get_by_role("searchbox").press("Enter")
    expect(page.get_by_text("Draf telah disimpan.")).to_have_count(0)
    expect(picker.get_by_label("Notulen Rakor Smart City (Notulen)")).to_be_checked()
    page.locator("#id_budget_realisation").press("Enter")
    expect(page.get_by_text("Draf telah disimpan.")).to_be_visible()
    expect(page.get_by_role("link", name="Notulen Rakor Smart City")).to_be_visible()
    report = ProgressReport.objects.get(pk=world.report_a.pk)
    assert set(report.evidence.all()) == {world.evidence_a, minutes} and report.narrative == TYPED

    # Opened again, both files are the ones attached.
    page.goto(f"{live_server.url}/laporan/{world.report_a.pk}/ubah/")
    expect(chosen.get_by_role("checkbox")).to_have_count(2)
    expect(chosen.get_by_label("Notulen Rakor Smart City (Notulen)")).to_be_checked()
