"""Every export streams: same columns and rows as before, formula-safe, constant queries, flat memory."""

from __future__ import annotations

import csv
import io
import re
import tracemalloc
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from import_export.resources import ModelResource

from agencies.resources import AgencyResource, RegionResource
from agencies.services import agency_create
from common.spreadsheets import SafeCSV, SafeSemicolonCSV, SafeXLSX
from masterplan.models import Indicator, IndicatorTarget, Programme
from masterplan.resources import IndicatorTargetResource, ProgrammeResource
from masterplan.services import indicator_create
from tests.conftest import PASSWORD, World, client_for, make_programme

PAYLOADS = ["=1+2", "+SUM(A1:A9)", "-2+3", "@SUM(1)", "\t=cmd|' /C calc'!A0", '\r=HYPERLINK("x")', "#N/A"]
ADMINS = {
    "agencies_region": RegionResource,
    "agencies_agency": AgencyResource,
    "masterplan_programme": ProgrammeResource,
    "masterplan_indicatortarget": IndicatorTargetResource,
}
FORMATS = {"0": SafeXLSX, "1": SafeCSV, "2": SafeSemicolonCSV}


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def admin(db: None) -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def body(response: Any) -> bytes:
    return response.getvalue() if response.streaming else response.content


def admin_export(client: Client, name: str, fmt: str) -> Any:
    return client.post(reverse(f"admin:{name}_export"), {"format": fmt, "resource": "0"})


def xlsx_rows(data: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]


def csv_rows(data: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def before(resource_class: type[ModelResource], fmt: type[Any]) -> bytes:
    """The file as the admin made it before streaming: the whole tablib Dataset, then the format's export."""
    dataset = resource_class().export(force_native_type=fmt is SafeXLSX)
    data = fmt().export_data(dataset)
    return data if isinstance(data, bytes) else data.encode()


def table(data: bytes, fmt: type[Any]) -> tuple[list[Any], list[list[Any]]]:
    rows = xlsx_rows(data) if fmt is SafeXLSX else csv_rows(data, fmt.DELIMITER)
    return rows[0], rows[1:]


@pytest.fixture
def payloads(world: World) -> World:
    for i, payload in enumerate(PAYLOADS):
        agency_create(by=None, region=world.region, name=payload, acronym=f"X{i}")
        programme = make_programme(
            world.masterplan, world.agency_a, f"F-{i}", name=payload, description=payload, supporting=(world.dkisp,)
        )
        indicator_create(
            by=None, programme=programme, data={"name": payload, "unit": "%"}, targets={2022: Decimal("1.50")}
        )
    return world


# --- The admin's exports ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS, ids=["xlsx", "csv", "csv-semicolon"])
@pytest.mark.parametrize("name", ADMINS)
def test_each_admin_export_streams_the_rows_and_headers_it_always_had(
    payloads: World, admin: Client, name: str, fmt: str
) -> None:
    file_format = FORMATS[fmt]

    response = admin_export(admin, name, fmt)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == file_format().get_content_type()
    assert response["Content-Disposition"].startswith('attachment; filename="')
    data = body(response)
    if file_format is SafeXLSX:
        assert int(response["Content-Length"]) == len(data)  # FileResponse of the finished spooled file
    headers, rows = table(data, file_format)
    old_headers, old_rows = table(before(ADMINS[name], file_format), file_format)
    assert headers == old_headers == ADMINS[name]().get_export_headers()
    assert sorted(map(repr, rows)) == sorted(map(repr, old_rows))  # the same cells, row for row
    assert rows


def test_the_streamed_csv_is_byte_for_byte_the_old_one_in_the_same_order(payloads: World, admin: Client) -> None:
    # The changelist's order is the model's (indicator, year: already unique), then -pk.
    old = SafeSemicolonCSV().export_data(IndicatorTargetResource().export(queryset=IndicatorTarget.objects.all()))

    streamed = body(admin_export(admin, "masterplan_indicatortarget", "2"))

    assert streamed == old.encode()


@pytest.mark.parametrize("name", ["agencies_agency", "masterplan_programme", "masterplan_indicatortarget"])
def test_formula_payloads_stay_text_in_the_streamed_xlsx(payloads: World, admin: Client, name: str) -> None:
    data = body(admin_export(admin, name, "0"))

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value in PAYLOADS or cell.value == "_x000D_"]
    texts = {cell.value for row in sheet.iter_rows() for cell in row}
    assert set(PAYLOADS) - {'\r=HYPERLINK("x")'} <= texts
    assert {cell.data_type for cell in cells} == {"s"}  # never "f" (formula) nor "e" (error value)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not re.search(r"<f[\s>]", archive.read("xl/worksheets/sheet1.xml").decode())


@pytest.mark.parametrize("fmt", ["1", "2"], ids=["csv", "csv-semicolon"])
def test_formula_payloads_get_an_apostrophe_in_the_streamed_csv(payloads: World, admin: Client, fmt: str) -> None:
    rows = csv_rows(body(admin_export(admin, "masterplan_programme", fmt)), FORMATS[fmt].DELIMITER)

    names = {row[rows[0].index("name")] for row in rows[1:]}
    assert "'=1+2" in names and "'@SUM(1)" in names and "'\t=cmd|' /C calc'!A0" in names
    assert not names & set(PAYLOADS[:5])


def test_the_admin_export_stays_behind_the_model_permission(world: World) -> None:
    staff = get_user_model().objects.create_user("staff", password=PASSWORD, is_staff=True)
    assert admin_export(client_for(staff), "masterplan_indicatortarget", "0").status_code == 403
    # A regional coordinator is no admin user at all: the admin sends them to its login page.
    response = admin_export(client_for(world.coordinator), "masterplan_indicatortarget", "0")
    assert response.status_code == 302 and "/login/" in response["Location"]


def _add_programmes(world: World, count: int) -> None:
    for i in range(count):
        programme = make_programme(
            world.masterplan, world.agency_b, f"Q-{i:03d}", supporting=(world.dkisp, world.agency_a)
        )
        indicator_create(
            by=None, programme=programme, data={"name": f"Indikator {i}", "unit": "%"}, targets={2022: 1, 2023: 2}
        )


# Measured at 7 for every size (session, user, the export's one read, one supporting-agency lookup per chunk),
# and 9 for agencies (read as objects for their predecessor order): room for a middleware query, far below
# the 10+ queries a per-row lookup adds at 10 rows.
EXPORT_QUERY_BOUND = 10


@pytest.mark.parametrize("size", [10, 30])
@pytest.mark.parametrize("fmt", ["0", "2"], ids=["xlsx", "csv"])
@pytest.mark.parametrize("name", ["agencies_agency", "masterplan_programme", "masterplan_indicatortarget"])
def test_the_query_count_does_not_grow_with_the_rows(
    world: World, admin: Client, django_assert_max_num_queries: Any, name: str, fmt: str, size: int
) -> None:
    _add_programmes(world, size)
    for i in range(size):
        agency_create(by=None, region=world.region, name=f"Badan {i:03d}", acronym=f"B{i:03d}")

    with django_assert_max_num_queries(EXPORT_QUERY_BOUND):
        response = admin_export(admin, name, fmt)
        data = body(response)  # a CSV's rows are read while it is sent

    _headers, rows = table(data, FORMATS[fmt])
    assert len(rows) >= size


# --- Flat memory ---------------------------------------------------------------------------------------------

FLAT_ROWS = 20_000
# Measured (tracemalloc, SQLite): the whole-in-memory export (a tablib Dataset, then a normal openpyxl workbook
# of every cell) peaks at 15.8 MB for these 20,000 rows and grows with them; the streamed one at 6.3 MB (one
# chunk of rows, the shared strings, the finished 0.6 MB file while it is under the spool size).
FLAT_BOUND = 10 * 1024 * 1024


@pytest.fixture
def many_targets(world: World) -> World:
    programmes = Programme.objects.filter(masterplan=world.masterplan).order_by("pk")
    indicators = Indicator.objects.bulk_create(
        Indicator(programme=programmes[i % 2], name=f"Indikator {i}", unit="%", order=i) for i in range(FLAT_ROWS // 5)
    )
    IndicatorTarget.objects.bulk_create(
        (
            IndicatorTarget(indicator=i, year=year, value=Decimal(f"{n}.25"))
            for n, i in enumerate(indicators)
            for year in range(2021, 2026)
        ),
        batch_size=5000,
    )
    return world


def _peak(action: Any) -> int:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_indicator_target_export_runs_in_flat_memory(many_targets: World, admin: Client) -> None:
    total = IndicatorTarget.objects.count()
    assert total > FLAT_ROWS
    result: dict[str, bytes] = {}

    streamed = _peak(lambda: result.update(data=body(admin_export(admin, "masterplan_indicatortarget", "0"))))
    whole = _peak(lambda: before(IndicatorTargetResource, SafeXLSX))

    assert len(xlsx_rows(result["data"])) == total + 1
    assert streamed < FLAT_BOUND, f"{streamed / 2**20:.1f} MB"
    assert whole > FLAT_BOUND, f"the bound must be one the whole-in-memory export fails ({whole / 2**20:.1f} MB)"


# --- The dashboard's tables and the questionnaire ---------------------------------------------------------------


def test_the_dashboard_table_downloads_as_a_streamed_xlsx(world: World) -> None:
    client = client_for(world.coordinator)

    response = client.get(reverse("evaluations:dashboard_export", args=["laporan-skpd"]))

    assert response.status_code == 200 and response.streaming
    data = body(response)
    assert int(response["Content-Length"]) == len(data)
    rows = xlsx_rows(data)
    assert rows[0][0] == "SKPD"
    assert {row[0] for row in rows[1:]} >= {"DINKES", "DISDIK"}


def test_a_formula_in_a_programme_name_stays_text_in_the_dashboard_export(world: World) -> None:
    payload = '=HYPERLINK("http://evil.example","klik")'
    make_programme(world.masterplan, world.agency_a, "QW-99", name=payload, is_quick_win=True)
    url = reverse("evaluations:dashboard_export", args=["quick-win"])

    data = body(client_for(world.coordinator).get(url, {"year": 2025, "period": 1}))

    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [cell.data_type for row in sheet.iter_rows() for cell in row if cell.value == payload] == ["s"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not re.search(r"<f[\s>]", archive.read("xl/worksheets/sheet1.xml").decode())


def test_the_questionnaire_export_streams_with_its_drop_downs_and_guide(evaluation: Any) -> None:
    client = client_for(evaluation.world.coordinator)

    response = client.get(reverse("evaluations:questionnaire_export", args=[evaluation.cycle.pk]))

    assert response.status_code == 200 and response.streaming
    data = body(response)
    assert int(response["Content-Length"]) == len(data)
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert sheet.max_row == 4 and sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and sheet["A1"].data_type == "s"
    assert sheet.data_validations.dataValidation, "the drop-down hints are kept"
    assert len(book.worksheets) == 2


def test_the_questionnaire_export_is_another_regions_404(evaluation: Any) -> None:
    outsider = client_for(evaluation.world.outsider)

    response = outsider.get(reverse("evaluations:questionnaire_export", args=[evaluation.cycle.pk]))

    assert response.status_code == 404
