"""The questionnaire spreadsheet: the template, export → import round trip, and every refusal a coordinator meets."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from agencies.models import Region
from evaluations.models import Lens, Question, Questionnaire
from evaluations.questionnaire_io import (
    COLUMNS,
    MAX_ROWS,
    ParseResult,
    QuestionRow,
    RowError,
    export_xlsx,
    parse_xlsx,
    template_xlsx,
)
from masterplan.framework import ensure_framework
from masterplan.models import Dimension, Element
from tests.conftest import PDF_BYTES

Kind = Question.Kind


class Raw(str):
    """A value Excel would interpret (a formula, an error such as #N/A); every other str is written as text."""

    __slots__ = ()


def upload(data: bytes, name: str = "kuesioner.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def workbook_bytes(rows: list[list[Any] | None], header: list[str] = COLUMNS) -> bytes:
    """A workbook as a coordinator's Excel saves it: header, then rows (None for an empty row)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    for column, title in enumerate(header, start=1):
        sheet.cell(row=1, column=column, value=title)
    for line, values in enumerate(rows, start=2):
        for column, value in enumerate(values or [], start=1):
            if value is None:
                continue
            cell = sheet.cell(row=line, column=column, value=value)
            if isinstance(value, str) and not isinstance(value, Raw):
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def question(**cells: Any) -> list[Any]:
    """A valid yes/no row, with some cells replaced."""
    values: dict[str, Any] = {
        "kode": "SG-B-01",
        "dimensi": "governance",
        "elemen": "public-policy",
        "lensa": "baseline",
        "urutan": 1,
        "pertanyaan": "Apakah Masterplan Smart City telah ditetapkan dengan Peraturan Bupati?",
        "jenis": "yes_no",
        "wajib_bukti": "ya",
        "bobot": 1,
    }
    values.update(cells)
    return [values.get(column) for column in COLUMNS]


def parse(*rows: list[Any] | None, header: list[str] = COLUMNS) -> ParseResult:
    return parse_xlsx(upload(workbook_bytes(list(rows), header)))


def where(result: ParseResult) -> list[tuple[int | None, str]]:
    return [(error.line, error.column) for error in result.errors]


def only_row(result: ParseResult) -> QuestionRow:
    assert result.errors == []
    (row,) = result.rows
    return row


def file_error(result: ParseResult) -> str:
    assert result.rows == []
    (error,) = result.errors
    assert (error.line, error.column) == (None, "")
    return error.message


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    # Messages are asserted in their source language; the Indonesian catalogue may not have them yet.
    with translation.override("en"):
        yield


@pytest.fixture
def framework(db: None) -> None:
    # Transactional tests elsewhere flush the data-migration rows; restoring them is idempotent.
    ensure_framework(Dimension, Element)


@pytest.fixture
def questions(framework: None) -> list[Question]:
    region = Region.objects.create(name="Kabupaten Banjar", province="Kalimantan Selatan", bps_code="6303")
    questionnaire = Questionnaire.objects.create(region=region, name="Evaluasi Smart City 2024")
    governance = Dimension.objects.get(code="governance")
    living = Dimension.objects.get(code="living")

    def make(code: str, kind: str, dimension: Dimension = governance, **extra: Any) -> None:
        Question.objects.create(
            questionnaire=questionnaire,
            code=code,
            dimension=dimension,
            kind=kind,
            lens=extra.pop("lens", Lens.BASELINE),
            text=extra.pop("text", f"Pertanyaan {code}"),
            **extra,
        )

    make(
        "SG-B-01",
        Kind.YES_NO,
        element=Element.objects.get(code="public-policy"),
        text="Apakah Masterplan Smart City telah ditetapkan dengan Peraturan Bupati?",
        help_text="Unggah Perbup.\nBaris kedua,\r\nbaris ketiga (CRLF).",
        evidence_required=True,
        order=1,
    )
    make(
        "SG-O-01",
        Kind.LEVEL,
        lens=Lens.OUTPUT,
        text="Apakah Dewan Smart City dan Tim Pelaksana telah ditetapkan dengan SK dan bekerja rutin?",
        level_criteria=["Belum ada SK", "=SK disusun", "+SK ditetapkan", "-rapat berkala", "@hasil ditindaklanjuti"],
        evidence_required=True,
        weight=Decimal("2.50"),
    )
    make("SG-OC-01", Kind.PERCENTAGE, lens=Lens.OUTCOME, text="Berapa persen program jangka pendek terlaksana?")
    make("SG-B-02", Kind.TEXT, text="=Uraikan sumber pendanaan APBD dan non-APBD", help_text="@DPA _x000D_ literal")
    make(
        "SL-I-01",
        Kind.CHOICE,
        dimension=living,
        element=Element.objects.get(code="health"),
        lens=Lens.IMPACT,
        choices=["Ya, seluruhnya", "=sebagian", "#N/A"],
        order=7,
        weight=Decimal(0),
    )
    make("SL-Q-01", Kind.NUMBER, dimension=living, lens=Lens.QUICK_WIN, text="+62 jumlah layanan?", order=0)
    return list(questionnaire.questions.all())


def as_row_data(question: Question) -> dict[str, Any]:
    return {
        "code": question.code,
        "dimension": question.dimension.code,
        "element": question.element.code if question.element else None,
        "lens": question.lens,
        "order": question.order,
        "text": question.text,
        "help_text": question.help_text,
        "kind": question.kind,
        "choices": question.choices,
        "level_criteria": question.level_criteria,
        "evidence_required": question.evidence_required,
        "weight": question.weight,
    }


def row_data(row: QuestionRow) -> dict[str, Any]:
    data = dict(vars(row))
    del data["line"]
    return data


# --- The template.


def test_the_template_has_the_exact_header_and_a_petunjuk_sheet(framework: None) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet, guide = workbook.worksheets
    assert guide.title == "Petunjuk"
    assert [cell.value for cell in sheet[1]] == COLUMNS
    assert sheet.max_row == 1
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["F"].width == 60
    validations = sheet.data_validations.dataValidation
    drop_downs = {str(validation.sqref).split(":")[0]: validation.formula1 for validation in validations}
    assert drop_downs["B2"].startswith('"governance,branding')
    assert drop_downs["D2"] == '"baseline,output,outcome,impact,quick_win"'
    assert drop_downs["H2"] == '"yes_no,choice,level,number,percentage,text"'
    assert drop_downs["O2"] == '"ya,tidak"'

    guide_text = {str(cell.value) for row in guide.iter_rows() for cell in row if cell.value is not None}
    for dimension in Dimension.objects.all():
        assert {dimension.code, dimension.abbreviation, dimension.name_id} <= guide_text
    for element in Element.objects.all():
        assert {element.code, element.name_id} <= guide_text
    assert set(COLUMNS) | set(Lens.values) | set(Kind.values) | {"ya/tidak", "persentase"} <= guide_text


def test_the_template_imports_as_an_empty_valid_file(framework: None) -> None:
    result = parse_xlsx(upload(template_xlsx()))

    assert result.ok
    assert result.rows == []


def test_the_petunjuk_examples_are_valid_rows(framework: None) -> None:
    guide = openpyxl.load_workbook(io.BytesIO(template_xlsx())).worksheets[1]
    lines = [[cell.value for cell in row][: len(COLUMNS)] for row in guide.iter_rows()]
    header_at = max(index for index, values in enumerate(lines) if values == COLUMNS)
    examples = [list(values) for values in lines[header_at + 1 :]]

    result = parse(*examples)

    assert result.ok, result.errors
    assert [(row.code, row.kind) for row in result.rows] == [
        ("SG-B-01", Kind.YES_NO),
        ("SG-O-01", Kind.LEVEL),
        ("SG-OC-01", Kind.PERCENTAGE),
        ("SG-B-02", Kind.TEXT),
    ]
    assert result.rows[-1].weight == Decimal("0.50")


# --- Export and round trip.


def test_export_then_import_gives_back_every_question(questions: list[Question]) -> None:
    result = parse_xlsx(upload(export_xlsx(Question.objects.filter(pk__in=[q.pk for q in questions]))))

    assert result.errors == []
    assert [row_data(row) for row in result.rows] == [as_row_data(q) for q in questions]
    assert [row.line for row in result.rows] == list(range(2, len(questions) + 2))


def test_export_types_formula_like_text_as_text(questions: list[Question]) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx(questions)), data_only=False).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]

    assert [cell.coordinate for cell in cells if cell.data_type in {"f", "e"}] == []
    assert {"=Uraikan sumber pendanaan APBD dan non-APBD", "=SK disusun", "+62 jumlah layanan?"} <= {
        cell.value for cell in cells
    }


def test_export_writes_the_template_columns_in_questionnaire_order(questions: list[Question]) -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(export_xlsx(questions))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))

    assert list(rows[0]) == COLUMNS
    assert [row[0] for row in rows[1:]] == [q.code for q in questions]
    evidence = {row[0]: row[COLUMNS.index("wajib_bukti")] for row in rows[1:]}
    assert (evidence["SG-B-01"], evidence["SG-B-02"]) == ("ya", "tidak")


# --- File-level problems.


def test_wrong_columns_are_one_error_naming_the_missing_and_the_unknown(framework: None) -> None:
    header = [column if column != "dimensi" else "dimensii" for column in COLUMNS if column != "bobot"]

    message = file_error(parse(question()[:-1], header=header))

    assert "Missing columns: dimensi, bobot." in message
    assert "Unknown columns (check the spelling): dimensii." in message


def test_columns_are_matched_by_name_whatever_their_case_and_order(framework: None) -> None:
    header = [column.upper() for column in reversed(COLUMNS)]

    row = only_row(parse(list(reversed(question(kode="SG-X-09"))), header=header))

    assert (row.code, row.dimension, row.element) == ("SG-X-09", "governance", "public-policy")


def test_more_than_2000_rows_is_a_file_error(framework: None) -> None:
    rows = [question(kode=f"Q-{number}") for number in range(MAX_ROWS + 1)]

    assert "more than 2,000 questions" in file_error(parse(*rows))
    assert parse(*rows[:MAX_ROWS]).ok


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        pytest.param("kuesioner.xlsx", PDF_BYTES, "is not an Excel workbook", id="pdf"),
        pytest.param("kuesioner.xlsx", b"kode;dimensi\nSG-01;governance\n", "is not an Excel workbook", id="csv"),
        pytest.param("kuesioner.xlsx", b"\x7fELF\x02\x01\x01" + bytes(64), "is a program", id="executable"),
        pytest.param("kuesioner.xlsx", b"", "is empty", id="empty"),
    ],
)
def test_a_file_that_is_not_a_workbook_is_a_clear_file_error(name: str, data: bytes, expected: str) -> None:
    assert expected in file_error(parse_xlsx(upload(data, name)))


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", bytes(3 * 1024 * 1024))

    assert "zip bomb" in file_error(parse_xlsx(upload(buffer.getvalue())))


def test_a_damaged_workbook_is_a_file_error_not_a_crash() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet")

    assert "cannot be read as an Excel workbook" in file_error(parse_xlsx(upload(buffer.getvalue())))


# --- Row-level problems: all of them, each at its row and column.


def test_every_row_error_is_reported_not_only_the_first(framework: None) -> None:
    result = parse(
        question(kode="A", dimensi="smart kota"),
        question(kode="B", elemen="health"),
        question(kode="C", lensa="akhir", jenis="essay"),
        question(kode="", pertanyaan="  "),
    )

    assert where(result) == [
        (2, "dimensi"),
        (3, "elemen"),
        (4, "lensa"),
        (4, "jenis"),
        (5, "kode"),
        (5, "pertanyaan"),
    ]
    assert result.rows == []
    assert not result.ok


def test_an_unknown_dimension_lists_the_codes(framework: None) -> None:
    (error,) = parse(question(dimensi="Smart Kota", elemen="")).errors

    assert error == RowError(
        2,
        "dimensi",
        "Unknown dimension “Smart Kota”; write one of: governance, branding, economy, living, society, "
        "environment (or its abbreviation or name, see the Petunjuk sheet).",
    )


def test_an_element_of_another_dimension_names_both(framework: None) -> None:
    (error,) = parse(question(dimensi="governance", elemen="Kesehatan")).errors

    assert (error.line, error.column) == (2, "elemen")
    assert "belongs to living, not to governance" in error.message
    assert "public-service, public-policy, bureaucracy" in error.message


def test_duplicate_codes_name_both_lines(framework: None) -> None:
    result = parse(question(kode="SG-01"), question(kode="SG-02"), None, question(kode="sg-01", dimensi="nope"))

    assert where(result) == [(5, "dimensi"), (5, "kode")]
    assert "“sg-01” is also used on row 2" in result.errors[1].message


def test_formula_and_error_cells_are_refused(framework: None) -> None:
    result = parse(question(kode=Raw('="SG-"&"01"'), bobot=Raw("=1+1"), elemen=Raw("#N/A")))

    assert where(result) == [(2, "kode"), (2, "elemen"), (2, "bobot")]
    assert result.errors[0].message == "The cell contains a formula; type the value itself."
    assert "Excel error (#N/A)" in result.errors[1].message


def test_empty_rows_are_skipped_and_an_empty_order_is_the_position(framework: None) -> None:
    result = parse(None, question(kode="A", urutan=None), [None, "   ", ""], question(kode="B", urutan=None))

    assert result.errors == []
    assert [(row.line, row.code, row.order) for row in result.rows] == [(3, "A", 1), (5, "B", 2)]


def test_a_code_longer_than_the_model_allows_is_refused(framework: None) -> None:
    (error,) = parse(question(kode="X" * 31)).errors

    assert (error.column, error.message) == (
        "kode",
        f"The code “{'X' * 31}” has 31 characters; shorten it to at most 30.",
    )


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"jenis": "choice", "pilihan": "Ya | Sebagian\nTidak"}, ["Ya", "Sebagian", "Tidak"]),
        ({"jenis": "pilihan", "pilihan": "Ya\r\n\r\nTidak\n"}, ["Ya", "Tidak"]),
        ({"jenis": "choice", "pilihan": "Hanya satu"}, "pilihan"),
        ({"jenis": "choice", "pilihan": "Ya|ya"}, "pilihan"),
        ({"jenis": "choice", "pilihan": "Ya|" + "x" * 256}, "pilihan"),
        ({"jenis": "yes_no", "pilihan": "ignored|for|yes_no"}, []),
    ],
)
def test_choice_rules(framework: None, cells: dict[str, str], expected: list[str] | str) -> None:
    result = parse(question(**cells))

    if isinstance(expected, str):
        assert where(result) == [(2, expected)]
    else:
        assert only_row(result).choices == expected


def test_a_level_question_needs_all_five_criteria(framework: None) -> None:
    levels = {f"level_{n}": f"Kriteria {n}" for n in range(1, 6)}
    complete = only_row(parse(question(jenis="level", **levels)))
    (error,) = parse(question(jenis="level", **{**levels, "level_3": " ", "level_5": None})).errors

    assert complete.level_criteria == [f"Kriteria {n}" for n in range(1, 6)]
    assert (error.column, error.message) == (
        "level_3",
        "A level question needs a criterion for each of the 5 levels; fill in level_3, level_5.",
    )
    assert only_row(parse(question(jenis="text", **levels))).level_criteria == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,5", Decimal("1.50")),
        ("0.25", Decimal("0.25")),
        (2.5, Decimal("2.50")),
        (3, Decimal("3.00")),
        (None, Decimal("1.00")),
        (" 0 ", Decimal("0.00")),
        ("-1", None),
        ("1,234", None),
        ("1.000,5", None),
        ("satu", None),
        ("NaN", None),
        ("10000", None),
    ],
)
def test_weight_takes_a_comma_or_a_dot(framework: None, typed: Any, expected: Decimal | None) -> None:
    result = parse(question(bobot=typed))

    if expected is None:
        assert where(result) == [(2, "bobot")]
    else:
        assert only_row(result).weight == expected


@pytest.mark.parametrize(("typed", "expected"), [(3, 3), (4.0, 4), ("12", 12), (0, 0), ("2,5", None), (-1, None)])
def test_order_is_a_whole_number(framework: None, typed: Any, expected: int | None) -> None:
    result = parse(question(urutan=typed))

    if expected is None:
        assert where(result) == [(2, "urutan")]
    else:
        assert only_row(result).order == expected


@pytest.mark.parametrize(
    ("cells", "field", "expected"),
    [
        ({"jenis": "ya/tidak"}, "kind", Kind.YES_NO),
        ({"jenis": " Ya / Tidak "}, "kind", Kind.YES_NO),
        ({"jenis": "Persentase"}, "kind", Kind.PERCENTAGE),
        ({"jenis": "ANGKA"}, "kind", Kind.NUMBER),
        ({"jenis": "teks"}, "kind", Kind.TEXT),
        ({"dimensi": "SG"}, "dimension", "governance"),
        ({"dimensi": "smart  governance"}, "dimension", "governance"),
        ({"dimensi": "SEN", "elemen": "Energi"}, "element", "energy"),
        ({"dimensi": "Smart Living", "elemen": "health"}, "element", "health"),
        ({"elemen": "Layanan Publik"}, "element", "public-service"),
        ({"elemen": "Public service"}, "element", "public-service"),
        ({"elemen": ""}, "element", None),
        ({"lensa": "Quick Win"}, "lens", Lens.QUICK_WIN),
        ({"lensa": "quick win"}, "lens", Lens.QUICK_WIN),
        ({"lensa": "OUTCOME"}, "lens", Lens.OUTCOME),
        ({"wajib_bukti": "TIDAK"}, "evidence_required", False),
        ({"wajib_bukti": "yes"}, "evidence_required", True),
        ({"wajib_bukti": 1}, "evidence_required", True),
        ({"wajib_bukti": "0"}, "evidence_required", False),
        ({"wajib_bukti": True}, "evidence_required", True),
        ({"wajib_bukti": None}, "evidence_required", False),
        ({"kode": "  SG-B-07 "}, "code", "SG-B-07"),
        ({"kode": 17}, "code", "17"),
    ],
)
def test_aliases_are_accepted(framework: None, cells: dict[str, Any], field: str, expected: Any) -> None:
    assert getattr(only_row(parse(question(**cells))), field) == expected


@pytest.mark.parametrize(
    ("cells", "column"),
    [
        ({"wajib_bukti": "mungkin"}, "wajib_bukti"),
        ({"elemen": "taman kota"}, "elemen"),
        ({"lensa": ""}, "lensa"),
        ({"jenis": None}, "jenis"),
        ({"dimensi": None, "elemen": None}, "dimensi"),
    ],
)
def test_unknown_or_missing_values_are_refused(framework: None, cells: dict[str, Any], column: str) -> None:
    assert where(parse(question(**cells))) == [(2, column)]
