"""A coordinator's first visit, in real Chromium: log in, browse the masterplan, edit, switch language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from masterplan.models import Programme
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_browses_a_dimension_and_a_programme_and_switches_language(
    live_server, world: World, page: Page
) -> None:
    log_in(page, live_server.url, "coordinator")
    # DKISP lands on its dashboard; the masterplan is one click away in the navigation.
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Masterplan", exact=True).click()
    expect(page.get_by_role("heading", name="Masterplan Smart City Kabupaten Banjar")).to_be_visible()
    expect(page.get_by_test_id("dimensions").get_by_role("link")).to_have_count(6)
    screenshot(page, "masterplan-overview")

    page.get_by_role("link", name="Smart Living").click()
    expect(page.get_by_role("heading", name="Smart Living", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Kesehatan"))).to_be_visible()
    page.get_by_role("link", name="Programme LIV-01").click()

    expect(page.get_by_role("heading", name="Programme LIV-01")).to_be_visible()
    expect(page.get_by_text("Dinas Kesehatan (DINKES)")).to_be_visible()
    expect(page.get_by_test_id("indicator-table")).to_contain_text("Puskesmas terhubung")
    screenshot(page, "programme-detail")

    page.get_by_role("link", name="Ubah program").click()
    page.get_by_label(re.compile(r"^\s*Nama\W*$")).fill("Telemedisin Puskesmas")
    page.get_by_label(re.compile(r"^\s*Tahun selesai")).fill("2019")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Tahun selesai tidak boleh sebelum tahun mulai.")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^\s*Nama\W*$"))).to_have_value("Telemedisin Puskesmas")
    screenshot(page, "programme-form-error")
    page.get_by_label(re.compile(r"^\s*Tahun selesai")).fill("2025")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Telemedisin Puskesmas")).to_be_visible()
    assert Programme.objects.get(pk=world.programme_a.pk).name == "Telemedisin Puskesmas"

    page.get_by_test_id("language-switch").get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="Edit programme")).to_be_visible()
    expect(page.get_by_text("Lead SKPD", exact=True)).to_be_visible()
    page.get_by_role("link", name="Masterplan", exact=True).first.click()
    expect(page.get_by_text("Implementation rate").first).to_be_visible()
    screenshot(page, "masterplan-overview-en")


def test_operator_sees_their_agency_page_and_no_edit_buttons(live_server, world: World, page: Page) -> None:
    log_in(page, live_server.url, "operator_a")
    # Their home is the SKPD dashboard; the SKPD list of a one-agency operator is their agency's page.
    expect(page).to_have_url(re.compile(r"/dasbor/skpd/"))
    page.goto(f"{live_server.url}/skpd/")
    expect(page.get_by_role("heading", name=re.compile("Dinas Kesehatan"))).to_be_visible()
    expect(page.get_by_role("link", name="LIV-01", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="SOC-01", exact=True)).to_have_count(0)
    page.get_by_role("link", name="LIV-01", exact=True).click()
    expect(page.get_by_role("heading", name="Programme LIV-01")).to_be_visible()
    expect(page.get_by_role("link", name="Ubah program")).to_have_count(0)
    screenshot(page, "operator-programme")
