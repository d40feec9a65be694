"""The admin and its spreadsheets: natural-key round trips, row errors, formula safety, audit, query counts."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
import tablib
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from import_export.formats.base_formats import Format
from import_export.resources import ModelResource
from import_export.results import Result

from agencies.audit import action_label
from agencies.models import Agency, AuditEvent, Membership, Region
from agencies.resources import AgencyResource, RegionResource
from agencies.services import agency_create, region_create
from common.spreadsheets import SafeCSV, SafeXLSX
from masterplan.models import Dimension, Element, Indicator, IndicatorTarget, Programme
from masterplan.resources import IndicatorTargetResource, ProgrammeResource
from masterplan.services import indicator_create
from tests.conftest import PASSWORD, World, make_programme

FORMULA_PAYLOADS = ["=1+2", "+SUM(A1:A9)", "-2+3", "@SUM(1)", "\t=cmd|' /C calc'!A0", '\r=HYPERLINK("x")']
RESOURCES = [RegionResource, AgencyResource, ProgrammeResource, IndicatorTargetResource]
FORMATS = [SafeXLSX, SafeCSV]
MAIN_MASTERPLAN = "Masterplan Smart City Kabupaten Banjar"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Messages are asserted in their English source text, whatever catalogue is compiled.
    with translation.override("en"):
        yield


@pytest.fixture
def superuser(db: None) -> AbstractBaseUser:
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


@pytest.fixture
def admin(superuser: AbstractBaseUser) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(superuser)
    return client


@pytest.fixture
def rich(world: World) -> World:
    """The world plus the awkward cases: predecessors, multi-line text, several funds, exact decimals."""
    # The predecessor sorts after its successor by name, so the export has to reorder them.
    old = agency_create(
        by=None,
        region=world.region,
        name="Zona Lama Kominfo",
        acronym="KOMINFO",
        is_active=False,
        email="kominfo@example.org",
    )
    Agency.objects.filter(pk=world.dkisp.pk).update(predecessor=old)
    programme = make_programme(
        world.masterplan,
        world.dkisp,
        "GOV-07",
        element="public-service",
        supporting=(world.agency_a, world.agency_b),
        description="Line one\r\nLine two\nLine three",
        funding_sources=["apbn", "apbd", "csr"],
        is_quick_win=True,
        term=Programme.Term.MEDIUM,
        name='Satu Data "Banjar" – tahap 1',
    )
    indicator_create(
        by=None,
        programme=programme,
        data={"name": "Dataset terbuka", "unit": "dataset"},
        targets={2022: Decimal("1234567890123.45"), 2023: Decimal("0.10"), 2024: Decimal("-1.50")},
    )
    return world


def db_state() -> dict[str, Any]:
    """Every imported table as plain values (timestamps included, so a needless save shows too)."""
    return {
        "regions": list(Region.objects.order_by("pk").values()),
        "agencies": list(Agency.objects.order_by("pk").values()),
        "programmes": list(Programme.objects.order_by("pk").values()),
        "supporters": sorted(Programme.supporting_agencies.through.objects.values_list("programme_id", "agency_id")),
        "indicators": list(Indicator.objects.order_by("pk").values()),
        "targets": list(IndicatorTarget.objects.order_by("pk").values()),
    }


def export(resource_class: type[ModelResource], fmt: type[Format]) -> bytes | str:
    file_format = fmt()
    # As the admin does: typed cells for xlsx, text for CSV.
    dataset = resource_class().export(force_native_type=isinstance(file_format, SafeXLSX))
    return file_format.export_data(dataset)


def read(fmt: type[Format], data: bytes | str) -> tablib.Dataset:
    return fmt().create_dataset(data)


def run_import(
    resource_class: type[ModelResource], fmt: type[Format], data: bytes | str, *, user: Any = None
) -> Result:
    return resource_class().import_data(
        read(fmt, data), dry_run=False, user=user, file_name=f"upload.{fmt().get_extension()}"
    )


def file_of(fmt: type[Format], headers: list[str], rows: list[list[Any]]) -> bytes | str:
    dataset = tablib.Dataset(*rows, headers=headers)
    return fmt().export_data(dataset)


def row_errors(result: Result) -> list[dict[str, list[str]]]:
    return [row.error_dict for row in result.invalid_rows]


# --- Round trips -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS, ids=["xlsx", "csv"])
@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda r: r.__name__)
def test_it_imports_its_own_export_as_all_unchanged(
    rich: World, resource_class: type[ModelResource], fmt: type[Format]
) -> None:
    data = export(resource_class, fmt)
    before = db_state()

    result = run_import(resource_class, fmt, data, user=rich.coordinator)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(read(fmt, data)) > 0
    assert {row.import_type for row in result.rows} == {"skip"}
    assert db_state() == before
    event = AuditEvent.objects.get(action="admin.import")
    assert event.changes["model"] == resource_class._meta.model._meta.label_lower
    assert event.changes["skip"] == result.totals["skip"]
    assert (event.changes["new"], event.changes["update"], event.changes["delete"], event.changes["error"]) == (0,) * 4
    assert event.actor == rich.coordinator


def test_it_exports_natural_keys_and_stored_codes(rich: World) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(export(ProgrammeResource, SafeXLSX))).active
    headers = [cell.value for cell in sheet[1]]
    rows = [dict(zip(headers, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    gov = next(row for row in rows if row["code"] == "GOV-07")

    assert headers == list(ProgrammeResource._meta.fields)
    assert gov["region"] == "6303"
    assert gov["masterplan"] == MAIN_MASTERPLAN
    assert gov["element"] == "public-service"
    assert gov["lead_agency"] == "DKISP"
    assert gov["supporting_agencies"] == "DINKES, DISDIK"
    assert gov["funding_sources"] == "apbn, apbd, csr"
    assert (gov["term"], gov["status"], gov["is_quick_win"], gov["start_year"]) == ("medium", "running", True, 2021)

    targets = read(SafeCSV, export(IndicatorTargetResource, SafeCSV)).dict
    assert {row["value"] for row in targets if row["indicator"] == "Dataset terbuka"} == {
        "1234567890123.45",
        "0.10",
        "-1.50",
    }


def test_decimals_travel_as_exact_text() -> None:
    # All 16 digits the model allows; a float cell would keep only about 15 (SQLite keeps no more either, so
    # this is checked on the widget rather than through the database).
    widget = IndicatorTargetResource.fields["value"].widget
    value = Decimal("12345678901234.56")

    cell = widget.render(value, force_native_type=True)

    assert cell == "12345678901234.56"
    assert widget.clean(read(SafeXLSX, file_of(SafeXLSX, ["v"], [[cell]]))["v"][0]) == value


def test_it_exports_predecessors_before_their_successors(rich: World) -> None:
    acronyms = [row["acronym"] for row in read(SafeXLSX, export(AgencyResource, SafeXLSX)).dict]

    assert acronyms.index("KOMINFO") < acronyms.index("DKISP")


def test_a_file_moves_to_an_empty_deployment(db: None) -> None:
    region = region_create(by=None, name="Kabupaten Tapin", province="Kalimantan Selatan", bps_code="6305")
    zeta = agency_create(by=None, region=region, name="Zeta lama", acronym="ZETA", is_active=False)
    agency_create(by=None, region=region, name="Alpha baru", acronym="ALPHA", predecessor=zeta)
    regions, agencies = export(RegionResource, SafeXLSX), export(AgencyResource, SafeXLSX)
    before = db_state()
    Agency.objects.filter(acronym="ALPHA").delete()  # first: PROTECT guards its predecessor
    Agency.objects.all().delete()
    Region.objects.all().delete()

    assert run_import(RegionResource, SafeXLSX, regions).totals["new"] == 1
    assert run_import(AgencyResource, SafeXLSX, agencies).totals["new"] == 2

    after = db_state()
    strip_ids = [{k: v for k, v in row.items() if not k.endswith("id")} for row in after["agencies"]]
    assert strip_ids == [{k: v for k, v in row.items() if not k.endswith("id")} for row in before["agencies"]]
    assert Agency.objects.get(acronym="ALPHA").predecessor.acronym == "ZETA"


# --- Creating and updating through a file ------------------------------------------------------------------

NEW_PROGRAMME = {
    "region": "6303",
    "masterplan": MAIN_MASTERPLAN,
    "code": "ENV-09",
    "element": "waste",
    "name": "Bank Sampah Digital",
    "description": "",
    "term": "medium",
    "is_quick_win": "1",
    "lead_agency": "DKISP",
    "supporting_agencies": "DINKES, DISDIK",
    "start_year": "2022",
    "end_year": "2024",
    "funding_sources": "apbd, csr",
    "status": "planned",
}


@pytest.mark.parametrize("fmt", FORMATS, ids=["xlsx", "csv"])
def test_it_creates_a_programme_with_its_supporting_agencies(world: World, fmt: type[Format]) -> None:
    data = file_of(fmt, list(NEW_PROGRAMME), [list(NEW_PROGRAMME.values())])

    result = run_import(ProgrammeResource, fmt, data, user=world.coordinator)

    assert result.totals["new"] == 1 and not result.has_validation_errors()
    programme = Programme.objects.get(masterplan=world.masterplan, code="ENV-09")
    assert programme.element.code == "waste"
    assert programme.lead_agency == world.dkisp
    assert set(programme.supporting_agencies.all()) == {world.agency_a, world.agency_b}
    imported = (programme.funding_sources, programme.is_quick_win, programme.years)
    assert imported == (["apbd", "csr"], True, range(2022, 2025))
    event = AuditEvent.objects.get(action="admin.import")
    assert event.region == world.region
    assert (event.changes["new"], event.changes["skip"]) == (1, 0)


def test_it_reads_values_a_spreadsheet_program_typed(world: World) -> None:
    # Excel turns 6303 and 2022 into numbers and TRUE into a boolean; the keys must still match.
    row = {**NEW_PROGRAMME, "region": 6303, "is_quick_win": True, "start_year": 2022.0, "end_year": 2024}

    result = run_import(ProgrammeResource, SafeXLSX, file_of(SafeXLSX, list(row), [list(row.values())]))

    assert result.totals["new"] == 1, row_errors(result)
    programme = Programme.objects.get(masterplan=world.masterplan, code="ENV-09")
    assert (programme.is_quick_win, programme.start_year, programme.end_year) == (True, 2022, 2024)


def test_it_updates_only_the_changed_row(world: World) -> None:
    dataset = read(SafeXLSX, export(ProgrammeResource, SafeXLSX))
    rows = dataset.dict
    for row in rows:
        if row["code"] == "LIV-01":
            row["name"] = "Telemedicine Puskesmas"
            row["supporting_agencies"] = "DKISP"
    data = file_of(SafeXLSX, dataset.headers, [list(row.values()) for row in rows])

    result = run_import(ProgrammeResource, SafeXLSX, data)

    assert (result.totals["update"], result.totals["skip"]) == (1, len(rows) - 1)
    world.programme_a.refresh_from_db()
    assert world.programme_a.name == "Telemedicine Puskesmas"
    assert list(world.programme_a.supporting_agencies.all()) == [world.dkisp]


def test_a_dry_run_leaves_no_audit_event(world: World) -> None:
    data = file_of(SafeXLSX, list(NEW_PROGRAMME), [list(NEW_PROGRAMME.values())])

    result = ProgrammeResource().import_data(read(SafeXLSX, data), dry_run=True)

    assert result.totals["new"] == 1
    assert not Programme.objects.filter(code="ENV-09").exists()
    assert not AuditEvent.objects.filter(action="admin.import").exists()


# --- Bad rows ----------------------------------------------------------------------------------------------

BAD_PROGRAMME_ROWS = [
    ({"region": "9999"}, "region", "No region with BPS code “9999”."),
    ({"region": ""}, "region", "Enter the region's BPS code."),
    ({"masterplan": "Masterplan Lain"}, "masterplan", "No masterplan titled “Masterplan Lain” in region 6303."),
    ({"lead_agency": "DISHUB"}, "lead_agency", "No agency “DISHUB” in region 6303."),
    # The acronym exists, but in another region.
    ({"lead_agency": "DISKOMINFO"}, "lead_agency", "No agency “DISKOMINFO” in region 6303."),
    ({"supporting_agencies": "DINKES, DISHUB"}, "supporting_agencies", "No agency DISHUB in region 6303."),
    ({"supporting_agencies": "DKISP"}, "supporting_agencies", "The lead SKPD cannot also be a supporting SKPD."),
    ({"end_year": "2020"}, "end_year", "The end year cannot be before the start year."),
    ({"element": "smart-parking"}, "element", "No element with code “smart-parking”."),
    ({"funding_sources": "apbd, zakat"}, "funding_sources", "Unknown funding source: zakat. Use one of: apbd,"),
    ({"term": "forever"}, "term", "Value 'forever' is not a valid choice."),
    ({"is_quick_win": "maybe"}, "is_quick_win", "Enter 1 or 0 (or TRUE or FALSE)."),
    ({"start_year": "twenty"}, "start_year", "Enter a whole number, e.g. 2025."),
    ({"name": ""}, "name", "This field cannot be blank."),
]


@pytest.mark.parametrize("fmt", FORMATS, ids=["xlsx", "csv"])
@pytest.mark.parametrize(("change", "column", "message"), BAD_PROGRAMME_ROWS, ids=[c[1] for c in BAD_PROGRAMME_ROWS])
def test_a_bad_programme_row_is_a_row_error_and_changes_nothing(
    world: World, fmt: type[Format], change: dict[str, str], column: str, message: str
) -> None:
    row = {**NEW_PROGRAMME, **change}
    data = file_of(fmt, list(row), [list(row.values())])
    before = db_state()

    result = run_import(ProgrammeResource, fmt, data)

    assert not result.has_errors(), "a bad value must be a validation error of the row, not a crash"
    [errors] = row_errors(result)
    assert any(message in text for text in errors[column]), errors
    assert db_state() == before


def test_an_unknown_region_is_reported_once_not_per_column(world: World) -> None:
    row = {**NEW_PROGRAMME, "region": "9999"}

    result = run_import(ProgrammeResource, SafeCSV, file_of(SafeCSV, list(row), [list(row.values())]))

    assert row_errors(result) == [{"region": ["No region with BPS code “9999”."]}]


BAD_AGENCY_ROWS = [
    ({"region": "0000"}, "region", "No region with BPS code “0000”."),
    ({"predecessor": "DISHUB"}, "predecessor", "No agency “DISHUB” in region 6303."),
    ({"predecessor": "DISKOMINFO"}, "predecessor", "No agency “DISKOMINFO” in region 6303."),
    ({"acronym": "=EVIL"}, "acronym", "Use letters, digits, spaces and . & - / only"),
    ({"kind": "kementerian"}, "kind", "is not a valid choice"),
    ({"email": "not-an-address"}, "email", "Enter a valid email address."),
]


@pytest.mark.parametrize(("change", "column", "message"), BAD_AGENCY_ROWS, ids=[c[1] for c in BAD_AGENCY_ROWS])
def test_a_bad_agency_row_is_a_row_error_and_changes_nothing(
    world: World, change: dict[str, str], column: str, message: str
) -> None:
    row = {
        "region": "6303",
        "acronym": "DISHUB2",
        "name": "Dinas Perhubungan",
        "kind": "dinas",
        "email": "",
        "is_active": "1",
        "predecessor": "",
        **change,
    }
    before = db_state()

    result = run_import(AgencyResource, SafeXLSX, file_of(SafeXLSX, list(row), [list(row.values())]))

    assert not result.has_errors()
    [errors] = row_errors(result)
    assert any(message in text for text in errors[column]), errors
    assert db_state() == before


BAD_TARGET_ROWS = [
    ({"programme": "XXX-01"}, "indicator", "No indicator “Puskesmas terhubung” in programme XXX-01"),
    ({"indicator": "Tidak ada"}, "indicator", "No indicator “Tidak ada” in programme LIV-01"),
    ({"year": "2030"}, "year", "Targets must fall within the programme's years 2021–2025."),
    ({"value": "12,5"}, "value", "Enter a number with a point as the decimal separator"),
    ({"value": ""}, "value", "This field cannot be null."),
]


@pytest.mark.parametrize(("change", "column", "message"), BAD_TARGET_ROWS, ids=[c[1] for c in BAD_TARGET_ROWS])
def test_a_bad_target_row_is_a_row_error_and_changes_nothing(
    world: World, change: dict[str, str], column: str, message: str
) -> None:
    row = {
        "region": "6303",
        "masterplan": MAIN_MASTERPLAN,
        "programme": "LIV-01",
        "indicator": "Puskesmas terhubung",
        "year": "2023",
        "value": "12.5",
        **change,
    }
    before = db_state()

    result = run_import(IndicatorTargetResource, SafeCSV, file_of(SafeCSV, list(row), [list(row.values())]))

    assert not result.has_errors()
    [errors] = row_errors(result)
    assert any(message in text for text in errors[column]), errors
    assert db_state() == before


def test_a_target_row_sets_an_exact_decimal(world: World) -> None:
    row = {
        "region": "6303",
        "masterplan": MAIN_MASTERPLAN,
        "programme": "LIV-01",
        "indicator": "Puskesmas terhubung",
        "year": 2023,
        "value": 12.3,
    }  # a number typed into the sheet

    result = run_import(IndicatorTargetResource, SafeXLSX, file_of(SafeXLSX, list(row), [list(row.values())]))

    assert result.totals["new"] == 1
    assert IndicatorTarget.objects.get(indicator__name="Puskesmas terhubung", year=2023).value == Decimal("12.30")


# --- Formula payloads --------------------------------------------------------------------------------------


@pytest.fixture
def payloads(world: World) -> World:
    for i, payload in enumerate(FORMULA_PAYLOADS):
        agency_create(by=None, region=world.region, name=payload, acronym=f"X{i}")
        make_programme(world.masterplan, world.agency_a, f"F-{i}", name=payload, description=payload)
    # A text that merely looks like an escaped payload must survive too.
    agency_create(by=None, region=world.region, name="'=already quoted", acronym="Q1")
    agency_create(by=None, region=world.region, name="literal _x000D_ text", acronym="Q2")
    return world


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize(
    ("resource_class", "columns"),
    [(AgencyResource, ["name"]), (ProgrammeResource, ["name", "description"])],
    ids=["agency", "programme"],
)
def test_formula_payloads_stay_text_in_xlsx(
    payloads: World, resource_class: type[ModelResource], columns: list[str]
) -> None:
    data = export(resource_class, SafeXLSX)
    assert isinstance(data, bytes)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    headers = [cell.value for cell in sheet[1]]

    payload_cells = [
        row[headers.index(column)]
        for row in sheet.iter_rows(min_row=2)
        for column in columns
        if isinstance(row[headers.index(column)].value, str)
        and row[headers.index(column)].value.startswith(("=", "+", "-", "@", "\t", "_x000D_"))
    ]
    assert len(payload_cells) == len(FORMULA_PAYLOADS) * len(columns)
    assert {cell.data_type for cell in payload_cells} == {"s"}
    assert not re.search(r"<f[\s>]", _sheet_xml(data)), "the sheet must hold no formula element"


@pytest.mark.parametrize(
    ("resource_class", "columns"),
    [(AgencyResource, ["name"]), (ProgrammeResource, ["name", "description"])],
    ids=["agency", "programme"],
)
def test_formula_payloads_get_an_apostrophe_in_csv(
    payloads: World, resource_class: type[ModelResource], columns: list[str]
) -> None:
    data = export(resource_class, SafeCSV)
    assert isinstance(data, str)
    raw = tablib.import_set(data, format="csv")  # the file as a spreadsheet program sees it

    cells = [row[column] for row in raw.dict for column in columns]
    for payload in FORMULA_PAYLOADS:
        # Text after a line break gets its own apostrophe: opened with ";" it can become a cell of its own.
        assert f"'{payload}".replace("\r=", "\r'=") in cells
        assert payload not in cells
    if resource_class is AgencyResource:
        assert "''=already quoted" in cells


@pytest.mark.parametrize("fmt", FORMATS, ids=["xlsx", "csv"])
@pytest.mark.parametrize("resource_class", [AgencyResource, ProgrammeResource], ids=["agency", "programme"])
def test_formula_payloads_import_back_exactly(
    payloads: World, resource_class: type[ModelResource], fmt: type[Format]
) -> None:
    before = db_state()

    result = run_import(resource_class, fmt, export(resource_class, fmt))

    assert {row.import_type for row in result.rows} == {"skip"}
    assert db_state() == before
    names = set(resource_class._meta.model.objects.values_list("name", flat=True))
    assert set(FORMULA_PAYLOADS) <= names
    if resource_class is AgencyResource:
        assert {"'=already quoted", "literal _x000D_ text"} <= names


# --- Through the admin -------------------------------------------------------------------------------------

CHANGELISTS = [
    "agencies_region",
    "agencies_agency",
    "agencies_membership",
    "agencies_auditevent",
    "masterplan_masterplan",
    "masterplan_dimension",
    "masterplan_element",
    "masterplan_programme",
    "masterplan_indicator",
    "masterplan_indicatortarget",
]


@pytest.mark.parametrize("name", CHANGELISTS)
def test_every_changelist_and_change_page_renders(world: World, admin: Client, name: str) -> None:
    response = admin.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    first = response.context["cl"].result_list[0]

    assert admin.get(reverse(f"admin:{name}_change", args=[first.pk])).status_code == 200


@pytest.mark.parametrize(
    "name", ["agencies_region", "agencies_agency", "masterplan_programme", "masterplan_indicatortarget"]
)
def test_the_import_and_export_pages_render(world: World, admin: Client, name: str) -> None:
    assert admin.get(reverse(f"admin:{name}_import")).status_code == 200
    assert admin.get(reverse(f"admin:{name}_export")).status_code == 200


def test_the_admin_exports_xlsx(world: World, admin: Client) -> None:
    response = admin.post(reverse("admin:masterplan_programme_export"), {"format": "0", "resource": "0"})

    assert response.status_code == 200
    assert response["Content-Type"] == SafeXLSX.CONTENT_TYPE
    assert response["Content-Disposition"].endswith('.xlsx"')
    dataset = read(SafeXLSX, response.getvalue())
    assert sorted(dataset["code"]) == ["GOV-01", "LIV-01", "SOC-01"]
    assert set(dataset["start_year"]) == {2021}  # typed numbers, not text


def _admin_import(admin: Client, name: str, filename: str, data: bytes | str, fmt_index: str) -> Any:
    content = data if isinstance(data, bytes) else data.encode()
    return admin.post(
        reverse(f"admin:{name}_import"),
        {"resource": "0", "format": fmt_index, "import_file": SimpleUploadedFile(filename, content)},
    )


@pytest.mark.parametrize(("filename", "fmt", "fmt_index"), [("p.xlsx", SafeXLSX, "0"), ("p.csv", SafeCSV, "1")])
def test_an_admin_import_previews_then_changes_and_is_audited(
    world: World, admin: Client, superuser: AbstractBaseUser, filename: str, fmt: type[Format], fmt_index: str
) -> None:
    dataset = read(fmt, export(ProgrammeResource, fmt))
    rows = [{**row, "name": "Telemedicine"} if row["code"] == "LIV-01" else row for row in dataset.dict]
    rows.append(NEW_PROGRAMME)
    data = file_of(fmt, dataset.headers, [[row[h] for h in dataset.headers] for row in rows])

    preview = _admin_import(admin, "masterplan_programme", filename, data, fmt_index)

    assert preview.status_code == 200
    result = preview.context["result"]
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (1, 1, 2)
    assert not Programme.objects.filter(code="ENV-09").exists(), "the preview is a dry run"
    confirm = preview.context["confirm_form"]

    done = admin.post(reverse("admin:masterplan_programme_process_import"), confirm.initial)

    assert done.status_code == 302
    assert set(Programme.objects.get(code="ENV-09").supporting_agencies.all()) == {world.agency_a, world.agency_b}
    assert Programme.objects.get(pk=world.programme_a.pk).name == "Telemedicine"
    event = AuditEvent.objects.get(action="admin.import")
    assert event.actor == superuser
    assert event.region is None  # the file holds both regions' programmes
    assert event.changes == {
        "model": "masterplan.programme",
        "file": filename,
        "new": 1,
        "update": 1,
        "delete": 0,
        "skip": 2,
        "error": 0,
    }


def test_an_admin_csv_import_keeps_carriage_returns(payloads: World, admin: Client) -> None:
    before = db_state()

    preview = _admin_import(admin, "agencies_agency", "a.csv", export(AgencyResource, SafeCSV), "1")

    result = preview.context["result"]
    assert {row.import_type for row in result.rows} == {"skip"}, [
        r.diff for r in result.rows if r.import_type != "skip"
    ]
    admin.post(reverse("admin:agencies_agency_process_import"), preview.context["confirm_form"].initial)
    assert db_state() == before


def test_an_admin_import_of_bad_rows_shows_them_and_offers_no_confirmation(world: World, admin: Client) -> None:
    rows = [{**NEW_PROGRAMME, "region": "9999"}, {**NEW_PROGRAMME, "code": "ENV-10", "end_year": "2020"}]
    data = file_of(SafeXLSX, list(NEW_PROGRAMME), [list(row.values()) for row in rows])

    response = _admin_import(admin, "masterplan_programme", "bad.xlsx", data, "0")

    assert response.status_code == 200
    assert "confirm_form" not in response.context
    body = response.content.decode()
    assert "No region with BPS code “9999”." in body
    assert "The end year cannot be before the start year." in body
    assert not Programme.objects.filter(code__in=["ENV-09", "ENV-10"]).exists()


# --- Audited admin writes ----------------------------------------------------------------------------------


def test_an_admin_change_is_audited_with_its_changed_fields(world: World, admin: Client) -> None:
    url = reverse("admin:agencies_agency_change", args=[world.agency_a.pk])
    data = {
        "region": world.region.pk,
        "name": "Dinas Kesehatan Kab. Banjar",
        "acronym": "DINKES",
        "kind": "dinas",
        "email": "",
        "is_active": "on",
        "predecessor": "",
    }

    response = admin.post(url, data)

    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.agency.changed")
    assert event.changes == {"name": ["Dinas Kesehatan", "Dinas Kesehatan Kab. Banjar"]}
    assert (event.region, event.target_label, event.actor_label) == (world.region, "DINKES", "root")


def _programme_form(world: World, programme: Programme, **changes: Any) -> dict[str, Any]:
    indicator = programme.indicators.get()
    data: dict[str, Any] = {
        "masterplan": programme.masterplan_id,
        "code": programme.code,
        "element": programme.element_id,
        "name": programme.name,
        "description": programme.description,
        "term": programme.term,
        "lead_agency": programme.lead_agency_id,
        "start_year": programme.start_year,
        "end_year": programme.end_year,
        "funding_sources": programme.funding_sources,
        "status": programme.status,
        "supporting_agencies": [a.pk for a in programme.supporting_agencies.all()],
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "1",
        "indicators-MIN_NUM_FORMS": "0",
        "indicators-MAX_NUM_FORMS": "1000",
        "indicators-0-id": indicator.pk,
        "indicators-0-programme": programme.pk,
        "indicators-0-name": indicator.name,
        "indicators-0-unit": indicator.unit,
        "indicators-0-baseline": indicator.baseline,
        "indicators-0-baseline_year": indicator.baseline_year,
        "indicators-0-order": indicator.order,
    }
    data.update(changes)
    return data


def test_a_programme_change_audits_the_programme_its_supporters_and_its_inline_rows(
    world: World, admin: Client
) -> None:
    url = reverse("admin:masterplan_programme_change", args=[world.programme_a.pk])
    data = _programme_form(
        world,
        world.programme_a,
        name="Telemedicine",
        supporting_agencies=[world.dkisp.pk],
        funding_sources=["apbd", "dak"],
        **{"indicators-0-unit": "puskesmas"},
    )

    response = admin.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    programme_event = AuditEvent.objects.get(action="admin.programme.changed")
    assert programme_event.changes == {
        "name": ["Programme LIV-01", "Telemedicine"],
        "supporting_agencies": [[], ["DKISP"]],
        "funding_sources": [["apbd"], ["apbd", "dak"]],
    }
    assert programme_event.region == world.region
    indicator_event = AuditEvent.objects.get(action="admin.indicator.changed")
    assert indicator_event.changes == {"unit": ["unit", "puskesmas"]}
    assert indicator_event.region == world.region


def test_the_admin_refuses_a_lead_agency_that_also_supports(world: World, admin: Client) -> None:
    url = reverse("admin:masterplan_programme_change", args=[world.programme_a.pk])

    response = admin.post(url, _programme_form(world, world.programme_a, supporting_agencies=[world.agency_a.pk]))

    assert response.status_code == 200
    assert "The lead SKPD cannot also be a supporting SKPD." in response.content.decode()
    assert not AuditEvent.objects.filter(action__startswith="admin.").exists()


def test_an_admin_delete_is_audited(world: World, admin: Client) -> None:
    target = IndicatorTarget.objects.get(year=2022)

    response = admin.post(reverse("admin:masterplan_indicatortarget_delete", args=[target.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not IndicatorTarget.objects.filter(pk=target.pk).exists()
    event = AuditEvent.objects.get(action="admin.indicatortarget.deleted")
    assert (event.target_id, event.region, event.changes["year"]) == (str(target.pk), world.region, 2022)


def test_admin_events_are_labelled_after_their_model(world: World) -> None:
    with translation.override("en"):
        assert action_label("admin.indicatortarget.deleted") == "Indicator target deleted in the admin"
        assert action_label("admin.programme.changed") == "Programme changed in the admin"
        # The pages call users' logins accounts, and so do the user model's events.
        assert action_label("admin.user.added") == "Account added in the admin"
        # A model that has left the code is still named by what the event stored.
        assert action_label("admin.oldreport.deleted") == "Oldreport deleted in the admin"
    with translation.override("id"):
        assert action_label("admin.user.deleted") == "Akun dihapus di admin"


def test_an_admin_addition_is_audited(world: World, admin: Client) -> None:
    data = {
        "user": world.outsider.pk,
        "region": world.region.pk,
        "agency": world.dkisp.pk,
        "role": "coordinator",
        "is_active": "on",
    }

    response = admin.post(reverse("admin:agencies_membership_add"), data)

    assert response.status_code == 302
    membership = Membership.objects.get(user=world.outsider, region=world.region)
    event = AuditEvent.objects.get(action="admin.membership.added")
    assert event.target_id == str(membership.pk)
    assert event.changes["role"] == "coordinator"


def test_the_audit_log_cannot_be_written_in_the_admin(world: World, admin: Client) -> None:
    event = AuditEvent.objects.first()
    assert event is not None

    assert admin.get(reverse("admin:agencies_auditevent_add")).status_code == 403
    assert admin.post(reverse("admin:agencies_auditevent_change", args=[event.pk]), {"action": "x"}).status_code == 403
    assert admin.post(reverse("admin:agencies_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, action=event.action).exists()
    filtered = admin.get(reverse("admin:agencies_auditevent_changelist"), {"action": "programme.created", "q": "LIV"})
    assert [e.target_label for e in filtered.context["cl"].result_list] == ["LIV-01 Programme LIV-01"]


def test_the_national_framework_cannot_be_added_to_or_deleted_from(world: World, admin: Client) -> None:
    element = Element.objects.get(code="health")
    dimension = Dimension.objects.get(code="living")

    assert admin.get(reverse("admin:masterplan_element_add")).status_code == 403
    assert admin.post(reverse("admin:masterplan_element_delete", args=[element.pk]), {"post": "yes"}).status_code == 403
    assert admin.get(reverse("admin:masterplan_dimension_add")).status_code == 403
    assert (
        admin.post(reverse("admin:masterplan_dimension_delete", args=[dimension.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert Element.objects.filter(pk=element.pk).exists() and Dimension.objects.filter(pk=dimension.pk).exists()


def test_staff_import_and_export_only_what_their_model_permissions_allow(world: World) -> None:
    staff = get_user_model().objects.create_user("staff", password=PASSWORD, is_staff=True)
    client = Client()
    client.force_login(staff)
    import_url, process_url = (
        reverse("admin:masterplan_programme_import"),
        reverse("admin:masterplan_programme_process_import"),
    )

    assert client.get(import_url).status_code == 403
    assert (
        client.post(process_url, {"import_file_name": "x", "original_file_name": "x", "format": "0"}).status_code == 403
    )
    assert client.get(reverse("admin:masterplan_programme_export")).status_code == 403

    staff.user_permissions.add(*Permission.objects.filter(codename="view_programme"))
    client.force_login(get_user_model().objects.get(pk=staff.pk))
    assert client.get(reverse("admin:masterplan_programme_export")).status_code == 200
    assert client.get(import_url).status_code == 403

    staff.user_permissions.add(*Permission.objects.filter(codename__in=["add_programme", "change_programme"]))
    client.force_login(get_user_model().objects.get(pk=staff.pk))
    assert client.get(import_url).status_code == 200


# --- Query counts ------------------------------------------------------------------------------------------

# Measured at 9 (session, user, tenancy, filters, counts, page): room for a middleware query or two, far
# below the 30+ an N+1 on 30 rows would add.
CHANGELIST_QUERY_BOUND = 12


@pytest.mark.parametrize("programmes", [2, 30])
def test_the_programme_changelist_has_a_constant_query_count(
    world: World, admin: Client, django_assert_max_num_queries: Any, programmes: int
) -> None:
    for i in range(programmes - 2):
        make_programme(world.masterplan, world.agency_b, f"Q-{i:02d}", supporting=(world.dkisp, world.agency_a))
    assert Programme.objects.filter(masterplan=world.masterplan).count() == programmes

    with django_assert_max_num_queries(CHANGELIST_QUERY_BOUND):
        response = admin.get(reverse("admin:masterplan_programme_changelist"))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == programmes + 1  # and the other region's programme


@pytest.mark.parametrize("agencies", [2, 30])
def test_the_agency_changelist_has_a_constant_query_count(
    world: World, admin: Client, django_assert_max_num_queries: Any, agencies: int
) -> None:
    previous = world.agency_a
    for i in range(agencies - 2):
        previous = agency_create(
            by=None, region=world.region, name=f"Dinas {i:02d}", acronym=f"D{i:02d}", predecessor=previous
        )

    with django_assert_max_num_queries(CHANGELIST_QUERY_BOUND):
        response = admin.get(reverse("admin:agencies_agency_changelist"))

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == agencies + 2  # DKISP and the other region's agency
