"""The questionnaire spreadsheet DKISP coordinators download, fill in and upload (import format = export format).

Text cells are written typed as text, never as formulas, with the escapes of `common.spreadsheets`, so
a question starting with "=" or spanning lines comes back unchanged. Reading never raises on bad content:
every problem becomes a `RowError` the coordinator can act on, with the row and column it is in.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
from django.core.files import File
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from common.spreadsheet_guard import MB, ImportLimits, SpreadsheetRefused, XlsxBook, display_name, open_xlsx

# The escapes are the ones SafeXLSX uses, so every xlsx of the project reads and writes text the same way.
from common.spreadsheets import _xlsx_text, _xlsx_untext
from evaluations.models import Answer, Lens, Question
from masterplan.models import Dimension, Element

COLUMNS: list[str] = [
    "kode",
    "dimensi",
    "elemen",
    "lensa",
    "urutan",
    "pertanyaan",
    "bantuan",
    "jenis",
    "pilihan",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "level_5",
    "wajib_bukti",
    "bobot",
]
LEVEL_COLUMNS = [f"level_{level}" for level in range(1, 6)]
MAX_ROWS = 2_000
SHEET_TITLE = "Kuesioner"
GUIDE_TITLE = "Petunjuk"
MAX_HEADER_COLUMNS = 100  # a hostile file may declare 16,384 columns; real headers end long before this
# What an upload may hold, for a questionnaire of MAX_ROWS questions in 16 columns, with room to spare:
# question texts, help and five level criteria come to ~2 KB a row (4 MB at MAX_ROWS), so 20 MB per sheet and
# 10 MB of shared text are five times that, and 50,000 different texts cover every cell. A sheet row of 16
# typed cells is ~50 elements (250,000 covers MAX_ROWS plus formatting). The template's styles.xml has ~100
# elements; 50,000 (about 1 s and 50 MB for openpyxl to load) is what a heavily formatted Excel file has.
# Measured with bench/import_hostile.py.
LIMITS = ImportLimits(
    max_rows=MAX_ROWS,
    max_columns=MAX_HEADER_COLUMNS,
    max_blank_rows=5_000,
    max_sheet_elements=250_000,
    max_sheet_bytes=20 * MB,
    max_shared_strings_bytes=10 * MB,
    max_shared_strings=50_000,
    max_styles_bytes=5 * MB,
    max_styles_elements=50_000,
    max_part_bytes=2 * MB,
    max_part_elements=20_000,
    max_sheets=50,
    max_line_chars=MB,
)

CODE_MAX_LENGTH: int = Question._meta.get_field("code").max_length  # type: ignore[assignment]
# A choice is stored as the answer's value, so it must fit there.
CHOICE_MAX_LENGTH: int = Answer._meta.get_field("value_choice").max_length  # type: ignore[assignment]
_WEIGHT_FIELD = Question._meta.get_field("weight")
WEIGHT_PLACES: int = _WEIGHT_FIELD.decimal_places  # type: ignore[attr-defined]
WEIGHT_STEP = Decimal(10) ** -WEIGHT_PLACES
WEIGHT_MAX = Decimal(10) ** (_WEIGHT_FIELD.max_digits - WEIGHT_PLACES) - WEIGHT_STEP  # type: ignore[attr-defined]
ORDER_MAX = 2_147_483_647  # PositiveIntegerField's range on every database Django supports

# Normalised spelling (see _token) -> value. Indonesian aliases are data of the format, not UI text.
KIND_ALIASES: dict[str, str] = {
    "yes_no": Question.Kind.YES_NO,
    "ya_tidak": Question.Kind.YES_NO,
    "choice": Question.Kind.CHOICE,
    "pilihan": Question.Kind.CHOICE,
    "level": Question.Kind.LEVEL,
    "number": Question.Kind.NUMBER,
    "angka": Question.Kind.NUMBER,
    "percentage": Question.Kind.PERCENTAGE,
    "persentase": Question.Kind.PERCENTAGE,
    "text": Question.Kind.TEXT,
    "teks": Question.Kind.TEXT,
}
KIND_ALTERNATIVES = {"yes_no": "ya/tidak", "choice": "pilihan", "number": "angka", "percentage": "persentase",
                     "text": "teks"}  # fmt: skip
EVIDENCE_VALUES: dict[str, bool] = {
    "ya": True, "yes": True, "true": True, "1": True,
    "tidak": False, "no": False, "false": False, "0": False,
}  # fmt: skip
_BROKEN: Any = object()  # a cell already reported (formula or error value): its field is not checked again
_CHOICE_SEPARATORS = re.compile(r"[|\r\n]+")
_WHOLE_NUMBER = re.compile(r"\d+")

# The example questions of the national evaluation (DOMAIN.md), shown on the Petunjuk sheet.
EXAMPLE_ROWS: list[list[Any]] = [
    ["SG-B-01", "governance", "public-policy", "baseline", 1,
     "Apakah Masterplan Smart City telah ditetapkan dengan Peraturan Bupati?", "Unggah Perbup penetapan masterplan.",
     "yes_no", "", "", "", "", "", "", "ya", 1],
    ["SG-O-01", "governance", "bureaucracy", "output", 1,
     "Apakah Dewan Smart City dan Tim Pelaksana telah ditetapkan dengan SK dan bekerja rutin?",
     "Unggah SK dan notulen rapat.", "level", "",
     "Belum ada SK", "SK sedang disusun", "SK telah ditetapkan", "SK ditetapkan dan rapat berkala",
     "SK ditetapkan, rapat rutin dan hasilnya ditindaklanjuti", "ya", 2],
    ["SG-OC-01", "governance", "", "outcome", 1, "Berapa persen program jangka pendek yang telah terlaksana?", "",
     "persentase", "", "", "", "", "", "", "tidak", 1],
    ["SG-B-02", "governance", "", "baseline", 2, "Uraikan sumber pendanaan APBD dan non-APBD",
     "Unggah DPA.\nSebutkan juga sumber non-APBD (CSR, swasta, komunitas).", "teks", "", "", "", "", "", "",
     "ya", "0,5"],
]  # fmt: skip

_WIDTHS = {"kode": 12, "dimensi": 16, "elemen": 20, "lensa": 12, "urutan": 8, "pertanyaan": 60, "bantuan": 40,
           "jenis": 13, "pilihan": 30, "wajib_bukti": 12, "bobot": 8} | dict.fromkeys(LEVEL_COLUMNS, 28)  # fmt: skip


@dataclass(frozen=True)
class QuestionRow:
    line: int  # the spreadsheet row number (for messages)
    code: str
    dimension: str  # a Dimension.code
    element: str | None  # an Element.code of that dimension
    lens: str  # a Lens value
    order: int
    text: str
    help_text: str
    kind: str  # a Question.Kind value
    choices: list[str]  # for "choice" questions: two or more; empty for the other kinds
    level_criteria: list[str]  # for "level" questions: five (level 1..5); empty for the other kinds
    evidence_required: bool
    weight: Decimal


@dataclass(frozen=True)
class RowError:
    line: int | None  # None for a problem of the whole file
    column: str  # the column header, or "" for the whole row or file
    message: str


@dataclass
class ParseResult:
    rows: list[QuestionRow] = field(default_factory=list)  # only the rows without errors
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Writing.


def template_xlsx() -> bytes:
    """An empty questionnaire sheet to fill in, with the Petunjuk sheet explaining every column."""
    return _workbook([])


def export_xlsx(questions: Iterable[Question]) -> bytes:
    """The questions as a questionnaire sheet, in the order given (a questionnaire's `questions.all()`)."""
    if isinstance(questions, QuerySet):
        questions = questions.select_related("dimension", "element")
    return _workbook([_question_cells(question) for question in questions])


def _question_cells(question: Question) -> list[Any]:
    levels = [*(question.level_criteria or []), "", "", "", "", ""][:5]
    return [
        question.code,
        question.dimension.code,
        question.element.code if question.element else "",
        question.lens,
        question.order,
        question.text,
        question.help_text,
        question.kind,
        "\n".join(question.choices or []),
        *levels,
        "ya" if question.evidence_required else "tidak",
        question.weight,
    ]


def _workbook(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = SHEET_TITLE
    _write_table(sheet, 1, [COLUMNS, *rows])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[column]
    _add_drop_downs(sheet)
    _write_guide(workbook.create_sheet(GUIDE_TITLE))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_table(sheet: Worksheet, first_row: int, rows: Sequence[Sequence[Any]], *, wrap: bool = True) -> int:
    """Write rows from `first_row` (the first one bold), every str typed as text; returns the next free row."""
    for row_index, values in enumerate(rows, start=first_row):
        for column_index, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = sheet.cell(row=row_index, column=column_index)
            if isinstance(value, str):
                cell.value = _xlsx_text(value)
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a live formula
                if wrap and ("\n" in value or len(value) > 40):
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            else:
                cell.value = value
            if row_index == first_row:
                cell.font = Font(bold=True)
    return first_row + len(rows)


def _add_drop_downs(sheet: Worksheet) -> None:
    # Hints only: the import also accepts abbreviations, names and Indonesian aliases, which a strict list
    # would refuse while typing.
    elements = list(Element.objects.order_by("dimension__order", "order").values_list("code", flat=True))
    lists = {
        "dimensi": list(Dimension.objects.order_by("order").values_list("code", flat=True)),
        "elemen": elements,
        "lensa": list(Lens.values),
        "jenis": list(Question.Kind.values),
        "wajib_bukti": ["ya", "tidak"],
    }
    for column, values in lists.items():
        formula = '"' + ",".join(values) + '"'
        if len(formula) > 257:  # Excel refuses literal lists over 255 characters
            continue
        letter = get_column_letter(COLUMNS.index(column) + 1)
        validation = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
        validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
        sheet.add_data_validation(validation)


def _write_guide(sheet: Worksheet) -> None:
    max_rows = number_format(MAX_ROWS, force_grouping=True)
    # Column B holds the explanations; the example rows at the end reuse the questionnaire's columns.
    widths = {"A": 16, "B": 70, "C": 16, "D": 18, "E": 28, "F": 50} | {get_column_letter(c): 20 for c in range(7, 17)}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    row = _write_table(
        sheet,
        1,
        [
            [_("How to fill in the questionnaire")],
            [
                _(
                    "Fill in the first sheet (%(sheet)s), one question per row, and upload the file. Keep the "
                    "header row as it is. Values are not case-sensitive and empty rows are skipped. Type values, "
                    "not formulas. At most %(max)s questions per file."
                )
                % {"sheet": SHEET_TITLE, "max": max_rows}
            ],
        ],
        wrap=False,  # one line spilling over the empty cells to its right reads better than a narrow column
    )
    descriptions = {
        "kode": _("Required. The question's code, unique in the file, at most %(max)s characters, e.g. SG-B-01.")
        % {"max": CODE_MAX_LENGTH},
        "dimensi": _(
            "Required. The dimension: its code, abbreviation or name (see the table below), e.g. governance, SG "
            "or Smart Governance."
        ),
        "elemen": _(
            "Optional. An element of the row's dimension: its code or name (see the table below). Leave it empty "
            "for a question about the whole dimension."
        ),
        "lensa": _("Required. The lens: %(values)s.") % {"values": ", ".join(Lens.values)},
        "urutan": _("Optional. A whole number ordering the questions; empty means the row's position."),
        "pertanyaan": _("Required. The question as the SKPD will read it."),
        "bantuan": _("Optional. An explanation shown with the question; it may span several lines."),
        "jenis": _("Required. The kind of answer (see the table below)."),
        "pilihan": _(
            "Choice questions only: at least two choices, separated by | or on separate lines (Alt+Enter). "
            "Ignored for the other kinds."
        ),
        "wajib_bukti": _(
            "Whether evidence must be uploaded: ya or tidak (also yes/no, true/false, 1/0). Empty means tidak."
        ),
        "bobot": _(
            "The question's weight: a number of 0 or more, with a comma or a dot before the decimals, e.g. 1 or "
            "1,5. Empty means 1."
        ),
    }
    for level in range(1, 6):
        descriptions[f"level_{level}"] = _(
            "Level questions only: the criterion of level %(level)s (1 is the lowest, 5 the highest); all five "
            "are required. Ignored for the other kinds."
        ) % {"level": level}
    row = _write_table(sheet, row + 1, [[_("Column"), _("What to write")], *[[c, descriptions[c]] for c in COLUMNS]])

    dimensions = [[_("Dimension code"), _("Indonesian name"), _("Abbreviation"), _("Element code"), _("Element")]]
    for dimension in Dimension.objects.order_by("order").prefetch_related("elements"):
        dimensions.append([dimension.code, dimension.name_id, dimension.abbreviation, "", ""])
        dimensions += [["", "", "", e.code, e.name_id] for e in dimension.elements.all()]
    row = _write_table(sheet, row + 1, dimensions)

    lenses = [[_("Lens code"), _("Lens")], *[[value, str(label)] for value, label in Lens.choices]]
    row = _write_table(sheet, row + 1, lenses)
    kinds = [[_("Kind code"), _("Kind"), _("Also accepted")]]
    kinds += [[value, str(label), KIND_ALTERNATIVES.get(value, "")] for value, label in Question.Kind.choices]
    row = _write_table(sheet, row + 1, kinds)

    row = _write_table(sheet, row + 1, [[_("Examples")]])
    _write_table(sheet, row, [COLUMNS, *EXAMPLE_ROWS])


# --- Reading.


def parse_xlsx(upload: File) -> ParseResult:
    """Read an uploaded questionnaire sheet; every problem, of the file or of a row, is returned as a RowError."""
    name = display_name(upload)
    try:
        # The file is inspected (size, zip bomb, the size of each part) before any parser opens it, and the
        # sheet is streamed: reading stops at the first limit crossed, and at MAX_ROWS + 1 questions.
        with open_xlsx(upload, LIMITS, data_only=False) as book:
            return _read_workbook(book, name)
    except SpreadsheetRefused as error:
        if error.code == "not_xlsx":
            return _file_error(
                _("“%(name)s” is not an Excel workbook (.xlsx); download the template, fill it in and upload it again.")
                % {"name": name}
            )
        if error.code == "damaged":
            return _unreadable(name)
        if error.code == "too_many_rows":  # the reader's own count, of rows holding anything
            return _too_many_rows()
        # A zip bomb, a program, a part too large...: the checker's own message says what it is.
        return _file_error(" ".join(error.messages))


def _file_error(message: str) -> ParseResult:
    return ParseResult(errors=[RowError(line=None, column="", message=message)])


def _unreadable(name: str) -> ParseResult:
    return _file_error(
        _("“%(name)s” cannot be read as an Excel workbook; open it in Excel, save it as .xlsx and upload it again.")
        % {"name": name}
    )


def _too_many_rows() -> ParseResult:
    max_rows = number_format(LIMITS.max_rows, force_grouping=True)
    return _file_error(
        _("The file has more than %(max)s questions; split it into files of at most %(max)s rows.") % {"max": max_rows}
    )


def _read_workbook(book: XlsxBook, name: str) -> ParseResult:
    if not book.sheet_titles:
        return _unreadable(name)
    rows = book.rows(0, max_columns=MAX_HEADER_COLUMNS)
    first = next(rows, None)
    header = [cell.value for cell in first[1]] if first is not None and first[0] == 1 else []
    positions, header_error = _match_header(header)
    if header_error:
        return _file_error(header_error)

    vocabulary = _Vocabulary()
    result = ParseResult()
    first_line_of: dict[str, int] = {}
    position = 0
    for line, cells in rows:
        values = {column: cells[positions[column]] for column in COLUMNS}
        if all(_is_blank(cell) for cell in values.values()):
            continue
        position += 1
        if position > LIMITS.max_rows:
            return _too_many_rows()  # returning closes the row stream: the rest of the sheet is never read
        parser = _RowParser(line, position, values, vocabulary)
        row, errors = parser.parse()
        # Checked on rows with other errors too, so that fixing those does not reveal a new one.
        key = parser.code_seen.casefold()
        if key and key in first_line_of:
            errors.append(
                RowError(
                    line,
                    "kode",
                    _("The code “%(code)s” is also used on row %(first)s; give every question its own code.")
                    % {"code": parser.code_seen, "first": first_line_of[key]},
                )
            )
        elif key:
            first_line_of[key] = line
        result.errors += errors
        if row is not None and not errors:
            result.rows.append(row)
    return result


def _match_header(values: list[Any]) -> tuple[dict[str, int], str]:
    """Map each column to its position; or a message naming the missing, unknown and repeated headers."""
    positions: dict[str, int] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    for index, value in enumerate(values):
        header = "" if value is None else str(value).strip()
        if not header:
            continue
        column = header.lower()
        if column not in COLUMNS:
            unknown.append(header)
        elif column in positions:
            repeated.append(header)
        else:
            positions[column] = index
    missing = [column for column in COLUMNS if column not in positions]
    if not (missing or unknown or repeated):
        return positions, ""
    parts = [
        _("The header row (row 1 of the first sheet) does not match the template; it must be: %(columns)s.")
        % {"columns": ", ".join(COLUMNS)}
    ]
    if missing:
        parts.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        parts.append(_("Unknown columns (check the spelling): %(columns)s.") % {"columns": ", ".join(unknown)})
    if repeated:
        parts.append(_("Columns that appear twice: %(columns)s.") % {"columns": ", ".join(repeated)})
    return positions, " ".join(parts)


def _is_blank(cell: Any) -> bool:
    value = getattr(cell, "value", None)
    return value is None or (isinstance(value, str) and not value.strip())


def _token(value: str) -> str:
    """The comparable form of a code: "Quick Win", "quick-win" and "quick_win" are one; "ya/tidak" is "ya_tidak"."""
    return re.sub(r"[\s/\-]+", "_", value.strip().casefold())


def _name(value: str) -> str:
    return " ".join(value.casefold().split())


class _Vocabulary:
    """The dimensions and elements by every accepted spelling, read once per file."""

    def __init__(self) -> None:
        self.dimensions: dict[str, Dimension] = {}
        self.elements: dict[str, list[Element]] = {}
        self.dimension_codes: list[str] = []
        self.element_codes: dict[int, list[str]] = {}
        for dimension in Dimension.objects.order_by("order"):
            self.dimension_codes.append(dimension.code)
            for spelling in (dimension.code, dimension.abbreviation, dimension.name_id, dimension.name_en):
                self.dimensions.setdefault(_name(spelling), dimension)
        for element in Element.objects.select_related("dimension").order_by("dimension__order", "order"):
            self.element_codes.setdefault(element.dimension_id, []).append(element.code)
            for spelling in {_name(element.code), _name(element.name_id), _name(element.name_en)}:
                self.elements.setdefault(spelling, []).append(element)


class _RowParser:
    """One data row: each field is read once, and a cell already reported (a formula) is not reported again."""

    def __init__(self, line: int, position: int, cells: dict[str, Any], vocabulary: _Vocabulary) -> None:
        self.line = line
        self.position = position
        self.vocabulary = vocabulary
        self.errors: list[RowError] = []
        self.code_seen = ""
        self.values: dict[str, Any] = {}
        for column, cell in cells.items():
            self.values[column] = self._cell_value(column, cell)

    def _cell_value(self, column: str, cell: Any) -> Any:
        data_type = getattr(cell, "data_type", None)
        value = getattr(cell, "value", None)
        if data_type == "f":
            self.error(column, _("The cell contains a formula; type the value itself."))
            return _BROKEN
        if data_type == "e":
            self.error(
                column, _("The cell contains an Excel error (%(value)s); type the value itself.") % {"value": value}
            )
            return _BROKEN
        return _xlsx_untext(value)

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def text(self, column: str) -> str:
        """The cell as text, stripped; numbers as typed (12, not 12.0)."""
        value = self.values[column]
        if value is None or value is _BROKEN:
            return ""
        if isinstance(value, bool):
            return "ya" if value else "tidak"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, dt.datetime | dt.date | dt.time):
            return value.isoformat()
        return str(value).strip()

    def parse(self) -> tuple[QuestionRow | None, list[RowError]]:
        code = self.code()
        dimension = self.dimension()
        element = self.element(dimension)
        lens = self.choose("lensa", {_token(v): v for v in Lens.values}, ", ".join(Lens.values),
                           _("Unknown lens “%(value)s”; write one of: %(values)s."))  # fmt: skip
        kinds = ", ".join(
            f"{k} ({KIND_ALTERNATIVES[k]})" if k in KIND_ALTERNATIVES else k for k in Question.Kind.values
        )
        kind = self.choose("jenis", KIND_ALIASES, kinds, _("Unknown kind “%(value)s”; write one of: %(values)s."))
        order = self.order()
        text = self.text("pertanyaan")
        if not text and self.values["pertanyaan"] is not _BROKEN:
            self.error("pertanyaan", _("The question is empty; write the question's text."))
        choices = self.choices() if kind == Question.Kind.CHOICE else []
        levels = self.levels() if kind == Question.Kind.LEVEL else []
        evidence = self.evidence()
        weight = self.weight()
        # Each None below has been reported as an error; the checks only narrow the types.
        if self.errors or dimension is None or lens is None or kind is None:
            return None, self.errors
        if order is None or evidence is None or weight is None:
            return None, self.errors
        return (
            QuestionRow(
                line=self.line,
                code=code,
                dimension=dimension.code,
                element=element.code if element else None,
                lens=lens,
                order=order,
                text=text,
                help_text=self.text("bantuan"),
                kind=kind,
                choices=choices,
                level_criteria=levels,
                evidence_required=evidence,
                weight=weight,
            ),
            self.errors,
        )

    def code(self) -> str:
        code = self.code_seen = self.text("kode")
        if self.values["kode"] is _BROKEN:
            return code
        if not code:
            self.error("kode", _("The code is empty; write a short code unique in the file, e.g. SG-B-01."))
        elif len(code) > CODE_MAX_LENGTH:
            self.error(
                "kode",
                _("The code “%(code)s” has %(length)s characters; shorten it to at most %(max)s.")
                % {"code": code, "length": len(code), "max": CODE_MAX_LENGTH},
            )
        return code

    def dimension(self) -> Dimension | None:
        value = self.text("dimensi")
        codes = ", ".join(self.vocabulary.dimension_codes)
        if self.values["dimensi"] is _BROKEN:
            return None
        if not value:
            self.error("dimensi", _("The cell is empty; write one of: %(values)s.") % {"values": codes})
            return None
        dimension = self.vocabulary.dimensions.get(_name(value))
        if dimension is None:
            self.error(
                "dimensi",
                _("Unknown dimension “%(value)s”; write one of: %(values)s (or its abbreviation or name, see the "
                  "Petunjuk sheet).") % {"value": value, "values": codes},
            )  # fmt: skip
        return dimension

    def element(self, dimension: Dimension | None) -> Element | None:
        value = self.text("elemen")
        if not value or self.values["elemen"] is _BROKEN:
            return None
        candidates = self.vocabulary.elements.get(_name(value), [])
        if dimension is not None:
            element = next((e for e in candidates if e.dimension_id == dimension.pk), None)
            if element is not None:
                return element
        codes = ", ".join(self.vocabulary.element_codes.get(dimension.pk, [])) if dimension else ""
        if candidates and dimension is not None:
            self.error(
                "elemen",
                _("The element “%(value)s” belongs to %(other)s, not to %(dimension)s; write an element of "
                  "%(dimension)s (%(values)s) or correct the dimension.")
                % {"value": value, "other": candidates[0].dimension.code, "dimension": dimension.code,
                   "values": codes},
            )  # fmt: skip
        elif not candidates:
            if dimension is not None:
                message = _("Unknown element “%(value)s”; write one of: %(values)s, or leave the cell empty.") % {
                    "value": value,
                    "values": codes,
                }
            else:
                message = _("Unknown element “%(value)s”; see the Petunjuk sheet for the element codes.") % {
                    "value": value
                }
            self.error("elemen", message)
        return None

    def choose(self, column: str, aliases: dict[str, str], listing: str, unknown: str) -> str | None:
        value = self.text(column)
        if self.values[column] is _BROKEN:
            return None
        if not value:
            self.error(column, _("The cell is empty; write one of: %(values)s.") % {"values": listing})
            return None
        chosen = aliases.get(_token(value))
        if chosen is None:
            self.error(column, unknown % {"value": value, "values": listing})
        return chosen

    def order(self) -> int | None:
        value = self.values["urutan"]
        if value is _BROKEN:
            return None
        text = self.text("urutan")
        if not text:
            return self.position
        if _WHOLE_NUMBER.fullmatch(text) and int(text) <= ORDER_MAX:  # True reads "ya", so it fails here
            return int(text)
        self.error(
            "urutan",
            _("The order “%(value)s” is not a whole number of 0 or more; write e.g. 3, or leave the cell empty to "
              "use the row's position.") % {"value": text},
        )  # fmt: skip
        return None

    def choices(self) -> list[str]:
        if self.values["pilihan"] is _BROKEN:
            return []
        choices = [c.strip() for c in _CHOICE_SEPARATORS.split(self.text("pilihan")) if c.strip()]
        if len(choices) < 2:
            self.error(
                "pilihan",
                _("A choice question needs at least two choices; write them separated by | or on separate lines."),
            )
        seen: set[str] = set()
        for choice in choices:
            if len(choice) > CHOICE_MAX_LENGTH:
                self.error(
                    "pilihan",
                    _("The choice “%(choice)s…” is longer than %(max)s characters; shorten it.")
                    % {"choice": choice[:40], "max": CHOICE_MAX_LENGTH},
                )
            if choice.casefold() in seen:
                self.error("pilihan", _("The choice “%(choice)s” is listed twice; list it once.") % {"choice": choice})
            seen.add(choice.casefold())
        return choices

    def levels(self) -> list[str]:
        levels = [self.text(column) for column in LEVEL_COLUMNS]
        missing = [
            c for c, text in zip(LEVEL_COLUMNS, levels, strict=True) if not text and self.values[c] is not _BROKEN
        ]
        if missing:
            self.error(
                missing[0],
                _("A level question needs a criterion for each of the 5 levels; fill in %(columns)s.")
                % {"columns": ", ".join(missing)},
            )
        return levels

    def evidence(self) -> bool | None:
        value = self.values["wajib_bukti"]
        if value is _BROKEN:
            return None
        if isinstance(value, bool):
            return value
        text = self.text("wajib_bukti")
        if not text:
            return False
        evidence = EVIDENCE_VALUES.get(text.casefold())
        if evidence is None:
            self.error(
                "wajib_bukti",
                _("“%(value)s” is neither ya nor tidak; write ya or tidak (an empty cell means tidak).")
                % {"value": text},
            )
        return evidence

    def weight(self) -> Decimal | None:
        value = self.values["bobot"]
        if value is _BROKEN:
            return None
        text = self.text("bobot")
        if not text:
            return Decimal(1)
        weight: Decimal | None = None
        if not ("," in text and "." in text):  # "1.000,5" is ambiguous: refused rather than guessed
            try:
                weight = Decimal(text.replace(",", "."))
            except InvalidOperation:
                weight = None
        valid = weight is not None and weight.is_finite() and 0 <= weight <= WEIGHT_MAX
        if weight is None or not valid or weight != weight.quantize(WEIGHT_STEP):
            self.error(
                "bobot",
                _("The weight “%(value)s” is not a number from 0 to %(max)s with at most %(places)s decimals; write "
                  "e.g. 1 or 1,5 (an empty cell means 1).")
                % {"value": text, "max": number_format(WEIGHT_MAX), "places": WEIGHT_PLACES},
            )  # fmt: skip
            return None
        return weight.quantize(WEIGHT_STEP)
