"""Spreadsheet imports in bounded memory and time: every hostile kind is refused with a clear message, nothing saved.

The limits are shrunk (`small_limits`) so that each hostile kind fits in a few kilobytes; bench/import_hostile.py
runs the same kinds at full size against the real limits.
"""

from __future__ import annotations

import dataclasses
import io
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from django.contrib import admin as django_admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from import_export.admin import ImportMixin

from agencies.models import Agency
from agencies.resources import AgencyResource
from common.admin import SpreadsheetAdminMixin
from common.spreadsheet_guard import SpreadsheetRefused, XlsxBook
from common.spreadsheet_guard import xlsx as xlsx_reading
from common.spreadsheets import ADMIN_IMPORT_LIMITS, SafeCSV, SafeXLSX
from evaluations.models import Questionnaire
from evaluations.questionnaire_io import COLUMNS, parse_xlsx, reader
from evaluations.questionnaire_io.preview import SESSION_IMPORT
from masterplan.framework import ensure_framework
from masterplan.models import Dimension, Element
from tests.conftest import PASSWORD, Evaluation, World, client_for

AGENCY_COLUMNS = ["region", "acronym", "name", "kind", "email", "is_active", "predecessor"]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font/></fonts><fills count="1"><fill><patternFill/></fill>'
    '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs>{xfs}</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
SMALL = {
    "max_rows": 20,
    "max_blank_rows": 50,
    "max_sheet_elements": 2_000,
    "max_sheet_bytes": 200_000,
    "max_shared_strings_bytes": 50_000,
    "max_shared_strings": 200,
    "max_styles_elements": 500,
    "max_part_elements": 500,
    "max_sheets": 5,
    "max_line_chars": 2_000,
}


@pytest.fixture
def framework(db: None) -> None:
    ensure_framework(Dimension, Element)  # the dimensions and elements the questions name


@pytest.fixture(autouse=True)
def _indonesian() -> Iterator[None]:
    # The messages are for Indonesian coordinators and administrators: assert them as they read them.
    with translation.override("id"):
        yield


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reader, "LIMITS", dataclasses.replace(reader.LIMITS, **SMALL))
    admin_limits = dataclasses.replace(ADMIN_IMPORT_LIMITS, **SMALL)
    monkeypatch.setattr(SafeXLSX, "limits", admin_limits)
    monkeypatch.setattr(SafeCSV, "limits", admin_limits)


def cell(row: int, column: int, value: Any) -> str:
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    if isinstance(value, int):
        return f'<c r="{letters}{row}"><v>{value}</v></c>'
    return f'<c r="{letters}{row}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def row(number: int, values: list[Any]) -> str:
    return f'<row r="{number}">' + "".join(cell(number, c, v) for c, v in enumerate(values, 1) if v != "") + "</row>"


def question(number: int) -> list[Any]:
    cells = {
        "kode": f"SG-T-{number:03d}",
        "dimensi": "governance",
        "elemen": "public-policy",
        "lensa": "baseline",
        "urutan": number,
        "pertanyaan": f"Pertanyaan {number}?",
        "jenis": "yes_no",
        "wajib_bukti": "ya",
        "bobot": 1,
    }
    return [cells.get(column, "") for column in COLUMNS]


def agency(number: int) -> list[Any]:
    return ["6303", f"UJI{number}", f"Badan Uji {number}", "badan", "", "1", ""]


def workbook(
    rows: str,
    *,
    before: str = "",
    prolog: str = "",
    strings: str | None = None,
    xfs: str = "<xf/>",
    sheets: int = 1,
    names: str = "",
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """An .xlsx written part by part, so that each part can be as hostile as a test needs."""
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{CT}.sheet.main+xml"/>']
    numbers = range(1, sheets + 1)
    overrides += [
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{CT}.worksheet+xml"/>' for n in numbers
    ]
    rels = [f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>' for n in numbers]
    if strings is not None:
        overrides.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{CT}.sharedStrings+xml"/>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", f'<Types xmlns="{PACKAGE}/content-types">{"".join(overrides)}</Types>')
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            + "".join(f'<sheet name="S{n}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1))
            + f"</sheets>{names}</workbook>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE}/relationships">{"".join(rels)}</Relationships>',
        )
        archive.writestr("xl/styles.xml", STYLES.format(xfs=xfs))
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}">{strings}</sst>')
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'{prolog}<worksheet xmlns="{MAIN}">{before}<sheetData>{rows}</sheetData></worksheet>',
        )
        for n in range(2, sheets + 1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", f'<worksheet xmlns="{MAIN}"><sheetData/></worksheet>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def varied(count: int, start: int = 2) -> str:
    """Rows that do not compress well (so a zip-bomb ratio is never what refuses them)."""
    return "".join(row(start + n, [f"{n * 7919 % 100_003:x}-{n}"] * 8) for n in range(count))


# What a file the parser cannot read is refused with: the questionnaire's words and the admin import's.
UNREADABLE_BOOK = "tidak dapat dibaca sebagai buku kerja Excel"
UNREADABLE_SHEET = "tidak dapat dibaca sebagai lembar kerja"
DEFINED_NAMES = (
    "<definedNames>"
    + "".join(f'<definedName name="n{n}">S1!$A$1</definedName>' for n in range(600))
    + "</definedNames>"
)
NESTED_ROW = '<row r="2">' + "<x>" * 100 + "</x>" * 100 + "</row>"
ENTITY_ROW = row(2, ["&a;"]).replace("&amp;a;", "&a;")  # the entity is used, not written as text
ENTITY_DOCTYPE = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'

# Each hostile kind: the questionnaire's header, then what makes the file hostile; and the words that must appear
# in the refusal (Indonesian), for the questionnaire and for an admin import.
HOSTILE: dict[str, tuple[Any, str, str]] = {
    "sheet-too-large": (lambda h: workbook(h + varied(1_200)), "setelah diekstrak", "setelah diekstrak"),
    "strings-too-large": (
        lambda h: workbook(h, strings="<si><t>x</t></si>" + f"<si><t>{'y' * 60_000}</t></si>"),
        "teks setelah diekstrak",
        "teks setelah diekstrak",
    ),
    "strings-too-many": (
        lambda h: workbook(h, strings="".join(f"<si><t>{n}</t></si>" for n in range(201))),
        "lebih dari 200 teks yang berbeda",
        "lebih dari 200 teks yang berbeda",
    ),
    "long-shared-string": (
        lambda h: workbook(h, strings=f"<si><t>{'z' * 40_000}</t></si>"),
        "lebih panjang dari 32.767 karakter",
        "lebih panjang dari 32.767 karakter",
    ),
    "long-cell": (
        lambda h: workbook(h + row(2, ["", "", "", "", "", "w" * 40_000])),
        "Sebuah sel (F2)",
        "Sebuah sel (F2)",
    ),
    "empty-rows": (
        lambda h: workbook(h + "".join(f'<row r="{n}"/>' for n in range(2, 60))),
        "lebih dari 50 baris kosong",
        "lebih dari 50 baris kosong",
    ),
    "empty-cells": (
        lambda h: workbook(h + "".join(f'<row r="{n}">' + '<c s="0"/>' * 40 + "</row>" for n in range(2, 70))),
        "lebih banyak sel",
        "lebih banyak sel",
    ),
    "styles": (lambda h: workbook(h, xfs="<xf/>" * 600), "terlalu banyak format sel", "terlalu banyak format sel"),
    "many-sheets": (lambda h: workbook(h, sheets=6), "lebih dari 5 lembar", "lebih dari 5 lembar"),
    "defined-names": (lambda h: workbook(h, names=DEFINED_NAMES), UNREADABLE_BOOK, UNREADABLE_SHEET),
    "zip-bomb": (lambda h: workbook(h, extra={"xl/media/empty.bin": bytes(3 * 1024 * 1024)}), "zip bomb", "zip bomb"),
    "deep-nesting": (lambda h: workbook(h + NESTED_ROW), UNREADABLE_BOOK, UNREADABLE_SHEET),
    "entity-declaration": (
        lambda h: workbook(h + ENTITY_ROW, prolog=ENTITY_DOCTYPE),
        UNREADABLE_BOOK,
        UNREADABLE_SHEET,
    ),
    "long-prolog": (lambda h: workbook(h, prolog=f"<!-- {'c' * 70_000} -->"), UNREADABLE_BOOK, UNREADABLE_SHEET),
}


def upload(data: bytes | str, name: str = "impor.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data.encode() if isinstance(data, str) else data)


def file_error(data: bytes) -> str:
    result = parse_xlsx(upload(data))
    assert not result.rows and len(result.errors) == 1 and result.errors[0].line is None, result.errors[:3]
    return result.errors[0].message


def refusal(fmt: type[SafeXLSX] | type[SafeCSV], data: bytes | str) -> str:
    with pytest.raises(SpreadsheetRefused) as caught:
        fmt().create_dataset(data)
    return " ".join(caught.value.messages)


# --- Every hostile kind, in both readers.


@pytest.mark.parametrize("kind", HOSTILE)
def test_the_questionnaire_refuses_each_hostile_kind_with_a_clear_message(
    small_limits: None, framework: None, kind: str
) -> None:
    build, expected, _admin = HOSTILE[kind]

    assert expected in file_error(build(row(1, COLUMNS)))


@pytest.mark.parametrize("kind", HOSTILE)
def test_an_admin_xlsx_import_refuses_each_hostile_kind_with_a_clear_message(small_limits: None, kind: str) -> None:
    build, _questionnaire, expected = HOSTILE[kind]

    assert expected in refusal(SafeXLSX, build(row(1, AGENCY_COLUMNS)))


def test_a_row_wider_than_excel_allows_is_refused_before_it_is_built(
    monkeypatch: pytest.MonkeyPatch, framework: None
) -> None:
    monkeypatch.setattr(xlsx_reading, "MAX_ELEMENTS_PER_ROW", 100)  # Excel's 16,384 columns, shrunk
    data = workbook(row(1, COLUMNS) + '<row r="2">' + "<c/>" * 101 + "</row>")

    assert "lebih lebar daripada yang diizinkan Excel" in file_error(data)
    assert "lebih lebar daripada yang diizinkan Excel" in refusal(SafeXLSX, data)


def test_too_many_rows_is_refused_by_both_readers(small_limits: None, framework: None) -> None:
    questions = workbook(row(1, COLUMNS) + "".join(row(n + 1, question(n)) for n in range(1, 22)))
    agencies = workbook(row(1, AGENCY_COLUMNS) + "".join(row(n + 1, agency(n)) for n in range(1, 22)))

    assert "lebih dari 20 pertanyaan" in file_error(questions)
    assert "lebih dari 20 baris data" in refusal(SafeXLSX, agencies)


def test_files_at_the_limits_are_read(small_limits: None, framework: None) -> None:
    questions = workbook(row(1, COLUMNS) + "".join(row(n + 1, question(n)) for n in range(1, 21)))
    agencies = workbook(row(1, AGENCY_COLUMNS) + "".join(row(n + 1, agency(n)) for n in range(1, 21)))

    result = parse_xlsx(upload(questions))
    assert result.ok and len(result.rows) == 20
    dataset = SafeXLSX().create_dataset(agencies)
    assert dataset.headers == AGENCY_COLUMNS and len(dataset) == 20 and dataset[19][1] == "UJI20"


def test_a_dimension_tag_and_far_away_cells_cost_nothing(framework: None, monkeypatch: pytest.MonkeyPatch) -> None:
    # openpyxl would pad every row to XFD and yield a million empty rows up to the declared dimension.
    decoded: list[int] = []
    original = XlsxBook._decode_row
    monkeypatch.setattr(XlsxBook, "_decode_row", lambda self, r, n, *a: decoded.append(n) or original(self, r, n, *a))
    far = '<row r="1048576"><c r="XFD1048576"><v>1</v></c><c r="A1048576" t="inlineStr"><is><t>SG-F</t></is></c></row>'
    data = workbook(row(1, COLUMNS) + row(2, question(1)) + far, before='<dimension ref="A1:XFD1048576"/>')

    result = parse_xlsx(upload(data))

    assert [r.code for r in result.rows] == ["SG-T-001"]
    assert {error.line for error in result.errors} == {1_048_576}  # the far row is read as the row it is
    assert decoded == [1, 2, 1_048_576]


def test_the_questionnaire_reads_formulas_and_errors_as_before(framework: None) -> None:
    formula = '<row r="2"><c r="A2"><f>CONCAT("SG","-1")</f><v>SG-1</v></c><c r="B2" t="e"><v>#N/A</v></c></row>'
    result = parse_xlsx(upload(workbook(row(1, COLUMNS) + formula)))

    messages = {(error.column, error.message) for error in result.errors}
    assert ("kode", "Sel berisi rumus; ketik nilainya langsung.") in messages
    assert any(column == "dimensi" and "#N/A" in message for column, message in messages)


# --- The row cap is applied while reading: what lies beyond it is never parsed.


def broken_after(rows: str) -> bytes:
    """A workbook whose sheet turns into broken XML after `rows` and 100 KB of good rows (past any read-ahead)."""
    padding = "".join(row(500 + n, ["", "", "", "", "", f"padding {n} " + "p" * 400]) for n in range(250))
    return workbook(rows + padding + "<row r='9999'><c><<<broken")


def test_the_questionnaire_stops_reading_at_the_row_cap(monkeypatch: pytest.MonkeyPatch, framework: None) -> None:
    data = broken_after(row(1, COLUMNS) + "".join(row(n + 1, question(n)) for n in range(1, 10)))
    assert "tidak dapat dibaca" in file_error(data), "read to the end, the file is broken"

    monkeypatch.setattr(reader, "LIMITS", dataclasses.replace(reader.LIMITS, max_rows=5))

    assert "lebih dari 5 pertanyaan" in file_error(data)


def test_an_admin_xlsx_import_stops_reading_at_the_row_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    data = broken_after(row(1, AGENCY_COLUMNS) + "".join(row(n + 1, agency(n)) for n in range(1, 10)))
    assert "tidak dapat dibaca" in refusal(SafeXLSX, data), "read to the end, the file is broken"

    monkeypatch.setattr(SafeXLSX, "limits", dataclasses.replace(ADMIN_IMPORT_LIMITS, max_rows=5))

    assert "lebih dari 5 baris data" in refusal(SafeXLSX, data)


def test_an_admin_csv_import_stops_reading_at_the_row_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    long_names = (",".join([*agency(n)[:2], "Badan " + "u" * 200, *agency(n)[3:]]) for n in range(1, 500))
    good = "\r\n".join([",".join(AGENCY_COLUMNS), *long_names])
    data = (good + "\r\n6303,X,Caf\xe9,badan,,1,\r\n").encode("cp1252")  # not UTF-8, 100 KB in
    assert "bukan teks UTF-8" in refusal(SafeCSV, data), "read to the end, the file is not UTF-8"

    monkeypatch.setattr(SafeCSV, "limits", dataclasses.replace(ADMIN_IMPORT_LIMITS, max_rows=5))

    assert "lebih dari 5 baris data" in refusal(SafeCSV, data)


# --- CSV.

HOSTILE_CSV: dict[str, tuple[str | bytes, str]] = {
    "millions-of-rows": (
        "\r\n".join([",".join(AGENCY_COLUMNS), *(",".join(agency(n)) for n in range(1, 500))]),
        "lebih dari 20 baris data",
    ),
    "giant-line": (",".join(AGENCY_COLUMNS) + "\r\n" + "a," * 5_000, "lebih panjang dari 2.000 karakter"),
    "blank-lines": (",".join(AGENCY_COLUMNS) + "\r\n" + "\r\n" * 100 + ",,,\r\n" * 10, "lebih dari 50 baris kosong"),
    "long-field": (
        ",".join(AGENCY_COLUMNS) + '\r\n6303,"' + ("f" * 99 + "\n") * 400 + '"\r\n',
        "Sebuah sel (baris 402)",
    ),
    "not-utf-8": ((",".join(AGENCY_COLUMNS) + "\r\n6303,X,Caf\xe9,badan,,1,\r\n").encode("cp1252"), "bukan teks UTF-8"),
    "values-beyond-the-headers": (
        ",".join(AGENCY_COLUMNS) + "\r\n6303,X,Y,badan,,1,,surplus\r\n",
        "di sebelah kanan judul kolom terakhir",
    ),
    "a-workbook": (workbook(row(1, AGENCY_COLUMNS)), "bukan berkas CSV"),
}


@pytest.mark.parametrize("kind", HOSTILE_CSV)
def test_an_admin_csv_import_refuses_each_hostile_kind_with_a_clear_message(small_limits: None, kind: str) -> None:
    data, expected = HOSTILE_CSV[kind]

    assert expected in refusal(SafeCSV, data)


def test_a_csv_given_as_a_workbook_is_refused_by_name(small_limits: None) -> None:
    assert "bukan buku kerja Excel (.xlsx)" in refusal(SafeXLSX, ",".join(AGENCY_COLUMNS).encode())


# --- The questionnaire page.


def test_the_questionnaire_page_refuses_a_hostile_file_and_saves_nothing(
    small_limits: None, evaluation: Evaluation
) -> None:
    client = client_for(evaluation.world.coordinator)
    url = reverse("evaluations:questionnaire_import", args=[evaluation.cycle.pk])
    before = Questionnaire.objects.count()

    response = client.post(url, {"file": upload(workbook(row(1, COLUMNS), sheets=6), "kuesioner.xlsx")})

    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-errors"' in body
    assert "“kuesioner.xlsx” memiliki lebih dari 5 lembar" in body
    assert "Traceback" not in body
    assert SESSION_IMPORT not in client.session
    assert Questionnaire.objects.count() == before


# --- The admin's import pages.


@pytest.fixture
def superuser(db: None) -> AbstractBaseUser:
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


@pytest.fixture
def admin(superuser: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def admin_import(admin: Client, data: bytes | str, name: str, fmt: str = "0") -> Any:
    return admin.post(
        reverse("admin:agencies_agency_import"), {"resource": "0", "format": fmt, "import_file": upload(data, name)}
    )


@pytest.mark.parametrize(("name", "fmt"), [("agencies.xlsx", "0"), ("agencies.csv", "1")])
def test_wrong_columns_are_refused_naming_the_expected_columns(
    world: World, admin: Client, name: str, fmt: str
) -> None:
    headers = ["region", "akronim", "name", "name"]
    data = workbook(row(1, headers) + row(2, ["6303", "X", "Y", "Z"])) if fmt == "0" else ",".join(headers) + "\r\n"
    before = Agency.objects.count()

    response = admin_import(admin, data, name, fmt)

    body = response.content.decode()
    assert response.status_code == 200 and "confirm_form" not in response.context
    assert (
        "Baris judul kolom tidak sesuai dengan impor ini; kolomnya adalah: "
        "region, acronym, name, kind, email, is_active, predecessor." in body
    )
    assert "Kolom yang tidak ada: acronym." in body
    assert "Kolom tidak dikenal (periksa ejaannya): akronim." in body
    assert "Kolom yang muncul dua kali: name." in body
    assert "Traceback" not in body
    assert Agency.objects.count() == before


@pytest.mark.parametrize("kind", ["zip-bomb", "empty-rows", "long-cell", "deep-nesting"])
def test_the_admin_import_page_refuses_a_hostile_workbook_and_saves_nothing(
    small_limits: None, world: World, admin: Client, kind: str
) -> None:
    build, _questionnaire, expected = HOSTILE[kind]
    before = Agency.objects.count()

    response = admin_import(admin, build(row(1, AGENCY_COLUMNS)), "agencies.xlsx")

    body = response.content.decode()
    assert response.status_code == 200 and expected in body
    assert "confirm_form" not in response.context and "Traceback" not in body
    assert Agency.objects.count() == before


def test_too_many_rows_are_refused_on_the_admin_page_before_any_row_is_imported(
    small_limits: None, world: World, admin: Client
) -> None:
    rows = [",".join(AGENCY_COLUMNS), *(",".join(agency(n)) for n in range(1, 22))]
    before = Agency.objects.count()

    response = admin_import(admin, "\r\n".join(rows), "agencies.csv", "1")

    assert "“agencies.csv” berisi lebih dari 20 baris data" in response.content.decode()
    assert "result" not in response.context or response.context["result"] is None
    assert Agency.objects.count() == before


def test_a_file_over_the_upload_limit_is_named_on_the_admin_page(world: World, admin: Client, settings: Any) -> None:
    settings.MAX_UPLOAD_SIZE = 1_000

    response = admin_import(admin, ",".join(AGENCY_COLUMNS) + "\r\n" + "x" * 2_000, "besar.csv", "1")

    body = response.content.decode()
    assert "Berkas “besar.csv” tidak diterima: ukurannya melebihi batas 1000\xa0bita." in body
    assert "Bidang ini tidak boleh kosong" not in body


def test_an_error_of_the_whole_file_shows_its_message_without_a_traceback(
    world: World, admin: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(self: AgencyResource, dataset: Any, **kwargs: Any) -> None:
        raise ValueError("Wilayah impor tidak dapat disiapkan.")

    monkeypatch.setattr(AgencyResource, "before_import", fail)
    data = "\r\n".join([",".join(AGENCY_COLUMNS), ",".join(agency(1))])

    response = admin_import(admin, data, "agencies.csv", "1")

    body = response.content.decode()
    assert "Wilayah impor tidak dapat disiapkan." in body
    assert "Traceback" not in body and 'class="traceback"' not in body


def test_the_confirmation_refuses_a_stored_file_that_changed_without_a_server_error(
    small_limits: None, world: World, admin: Client
) -> None:
    data = "\r\n".join([",".join(AGENCY_COLUMNS), ",".join(agency(1))])
    preview = admin_import(admin, data, "agencies.csv", "1")
    confirm = preview.context["confirm_form"].initial
    path = Path(tempfile.gettempdir()) / confirm["import_file_name"]
    path.write_text("\r\n".join([",".join(AGENCY_COLUMNS), *(",".join(agency(n)) for n in range(30))]))
    before = Agency.objects.count()

    done = admin.post(reverse("admin:agencies_agency_process_import"), confirm, follow=True)

    assert done.status_code == 200
    assert "lebih dari 20 baris data" in done.content.decode()
    assert Agency.objects.count() == before
    path.unlink()
    gone = admin.post(reverse("admin:agencies_agency_process_import"), confirm, follow=True)
    assert "Berkas yang diunggah sudah tidak tersedia; unggah lagi." in gone.content.decode()


def test_every_import_admin_shows_messages_only_and_checks_files_first() -> None:
    import_admins = [a for a in django_admin.site._registry.values() if isinstance(a, ImportMixin)]

    assert import_admins
    for model_admin in import_admins:
        assert isinstance(model_admin, SpreadsheetAdminMixin), model_admin
        assert "traceback" not in model_admin.import_error_display
        assert model_admin.import_template_name == "admin/spreadsheet_import.html"
        assert all(issubclass(fmt, SafeXLSX | SafeCSV) for fmt in model_admin.get_import_formats())


def test_a_questionnaire_over_the_upload_limit_is_named_next_to_the_file_field(evaluation: Any, settings: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from tests.conftest import client_for

    settings.MAX_UPLOAD_SIZE = 1_000
    url = reverse("evaluations:questionnaire_import", args=[evaluation.cycle.pk])
    upload = SimpleUploadedFile("kuesioner-besar.xlsx", b"x" * 2_000)
    response = client_for(evaluation.world.coordinator).post(url, {"name": "Versi baru", "file": upload})

    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any("kuesioner-besar.xlsx" in e and "melebihi batas" in e for e in errors), errors
    assert not any("tidak boleh kosong" in e for e in errors)
    assert response.context["form"]["name"].value() == "Versi baru"


def test_a_row_number_written_in_other_digits_is_refused_not_a_crash(framework: None) -> None:
    # "²".isdigit() is true but int("²") raises: such a row number once escaped the guard as a server error.
    data = workbook(row(1, COLUMNS) + row(2, question(2)).replace('<row r="2">', '<row r="²">'))
    assert file_error(data)
