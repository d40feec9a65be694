"""A system administrator exports programmes to Excel, edits one row and imports it back, in real Chromium."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from agencies.models import AuditEvent
from masterplan.models import Programme
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_exports_edits_and_imports_programmes(live_server, world: World, page: Page, tmp_path) -> None:
    make_user("root", is_superuser=True, is_staff=True)
    log_in(page, live_server.url, "root")
    page.goto(f"{live_server.url}/admin/masterplan/programme/")
    page.get_by_role("link", name="Export").click()
    page.locator("select[name=format]").select_option(label="xlsx")
    with page.expect_download() as download_info:
        page.locator("input[type=submit], button[type=submit]").last.click()
    exported = tmp_path / "programmes.xlsx"
    download_info.value.save_as(exported)

    workbook = openpyxl.load_workbook(exported)
    sheet = workbook.active
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[headers.index("code")].value == "SOC-01":
            row[headers.index("name")].value = '=HYPERLINK("http://evil")'
            row[headers.index("name")].data_type = "s"
            row[headers.index("status")].value = "done"
    buffer = io.BytesIO()
    workbook.save(buffer)
    edited = tmp_path / "edited.xlsx"
    edited.write_bytes(buffer.getvalue())

    page.goto(f"{live_server.url}/admin/masterplan/programme/import/")
    page.locator("input[type=file]").set_input_files(str(edited))
    page.locator("select[name=format]").select_option(label="xlsx")
    page.locator("input[type=submit], button[type=submit]").last.click()
    expect(page.get_by_text("SOC-01").first).to_be_visible()
    screenshot(page, "admin-import-preview")
    page.locator("input[type=submit][name=confirm], button[type=submit]").last.click()
    expect(page.get_by_text("Programme SOC-01")).to_have_count(0)

    programme = Programme.objects.get(pk=world.programme_b.pk)
    assert programme.status == "done"
    assert programme.name == '=HYPERLINK("http://evil")'  # stored as the text it is, never evaluated
    assert AuditEvent.objects.filter(action="admin.import", actor__username="root").count() == 1
