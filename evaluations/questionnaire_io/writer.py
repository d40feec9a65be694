"""Writing the questionnaire sheet: the empty template with its Petunjuk sheet, and a questionnaire's export.

Text cells are written typed as text, never as formulas, with the escapes of `common.spreadsheets`, so a
question starting with "=" or spanning lines comes back unchanged when the file is imported again.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import IO, Any

import openpyxl
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

# The escapes are the ones SafeXLSX uses, so every xlsx of the project reads and writes text the same way.
from common.spreadsheets import xlsx_text
from evaluations.models import Lens, Question
from evaluations.questionnaire_io.columns import (
    CODE_MAX_LENGTH,
    COLUMNS,
    GUIDE_TITLE,
    KIND_ALTERNATIVES,
    LEVEL_COLUMNS,
    MAX_ROWS,
    SHEET_TITLE,
)
from masterplan.models import Dimension, Element


def _example(**cells: Any) -> list[Any]:
    """A row of the sheet from its cells by column name; the columns not named stay empty."""
    return [cells.get(column, "") for column in COLUMNS]


def _levels(*criteria: str) -> dict[str, str]:
    return dict(zip(LEVEL_COLUMNS, criteria, strict=True))


# The example questions of the national evaluation (DOMAIN.md), shown on the Petunjuk sheet.
EXAMPLE_ROWS: list[list[Any]] = [
    _example(
        kode="SG-B-01",
        dimensi="governance",
        elemen="public-policy",
        lensa="baseline",
        urutan=1,
        pertanyaan="Apakah Masterplan Smart City telah ditetapkan dengan Peraturan Bupati?",
        bantuan="Unggah Perbup penetapan masterplan.",
        jenis="yes_no",
        wajib_bukti="ya",
        bobot=1,
    ),
    _example(
        kode="SG-O-01",
        dimensi="governance",
        elemen="bureaucracy",
        lensa="output",
        urutan=1,
        pertanyaan="Apakah Dewan Smart City dan Tim Pelaksana telah ditetapkan dengan SK dan bekerja rutin?",
        bantuan="Unggah SK dan notulen rapat.",
        jenis="level",
        **_levels(
            "Belum ada SK",
            "SK sedang disusun",
            "SK telah ditetapkan",
            "SK ditetapkan dan rapat berkala",
            "SK ditetapkan, rapat rutin dan hasilnya ditindaklanjuti",
        ),
        wajib_bukti="ya",
        bobot=2,
    ),
    _example(
        kode="SG-OC-01",
        dimensi="governance",
        lensa="outcome",
        urutan=1,
        pertanyaan="Berapa persen program jangka pendek yang telah terlaksana?",
        jenis="persentase",
        wajib_bukti="tidak",
        bobot=1,
    ),
    _example(
        kode="SG-B-02",
        dimensi="governance",
        lensa="baseline",
        urutan=2,
        pertanyaan="Uraikan sumber pendanaan APBD dan non-APBD",
        bantuan="Unggah DPA.\nSebutkan juga sumber non-APBD (CSR, swasta, komunitas).",
        jenis="teks",
        wajib_bukti="ya",
        bobot="0,5",
    ),
]

_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_WIDTHS = {
    "kode": 12,
    "dimensi": 16,
    "elemen": 20,
    "lensa": 12,
    "urutan": 8,
    "pertanyaan": 60,
    "bantuan": 40,
    "jenis": 13,
    "pilihan": 30,
    "wajib_bukti": 12,
    "bobot": 8,
} | dict.fromkeys(LEVEL_COLUMNS, 28)


def template_xlsx() -> bytes:
    """An empty questionnaire sheet to fill in, with the Petunjuk sheet explaining every column."""
    out = io.BytesIO()
    write_workbook(out, [])
    return out.getvalue()


def export_xlsx(questions: Iterable[Question]) -> bytes:
    """The questions as a questionnaire sheet, in the order given (a questionnaire's `questions.all()`)."""
    out = io.BytesIO()
    write_export(out, questions)
    return out.getvalue()


def write_export(out: IO[bytes], questions: Iterable[Question]) -> None:
    """Write the questions' sheet to `out` as they are read (a queryset is iterated in chunks)."""
    if isinstance(questions, QuerySet):
        questions = questions.select_related("dimension", "element").iterator(chunk_size=500)
    write_workbook(out, (_question_cells(question) for question in questions))


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


def write_workbook(out: IO[bytes], rows: Iterable[Sequence[Any]]) -> None:
    """The questionnaire sheet with `rows` and the Petunjuk sheet, written write-only to `out` as rows come."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    # A write-only sheet takes its widths, panes and drop-downs before (or apart from) its rows.
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS[column]
    _add_drop_downs(sheet)
    _write_table(sheet, [COLUMNS])
    _write_table(sheet, rows, header=False)
    _write_guide(workbook.create_sheet(GUIDE_TITLE))
    workbook.save(out)


def _cell(sheet: Any, value: Any, *, bold: bool, wrap: bool) -> Any:
    if value is None or value == "":
        return None
    cell = WriteOnlyCell(sheet, value=xlsx_text(value) if isinstance(value, str) else value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would otherwise store "=…" as a live formula
        if wrap and ("\n" in value or len(value) > 40):
            cell.alignment = _WRAP
    if bold:
        cell.font = _BOLD
    return cell


def _write_table(sheet: Any, rows: Iterable[Sequence[Any]], *, wrap: bool = True, header: bool = True) -> None:
    """Append rows (the first one bold unless `header` is False), every str typed as text."""
    for index, values in enumerate(rows):
        sheet.append([_cell(sheet, value, bold=header and index == 0, wrap=wrap) for value in values])


def _add_drop_downs(sheet: Any) -> None:
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
        sheet.data_validations.append(validation)  # a write-only sheet has no add_data_validation()


def _write_guide(sheet: Any) -> None:
    max_rows = number_format(MAX_ROWS, force_grouping=True)
    # Column B holds the explanations; the example rows at the end reuse the questionnaire's columns.
    widths = {"A": 16, "B": 70, "C": 16, "D": 18, "E": 28, "F": 50} | {get_column_letter(c): 20 for c in range(7, 17)}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    _write_table(
        sheet,
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
    sheet.append([])
    _write_table(sheet, [[_("Column"), _("What to write")], *[[c, descriptions[c]] for c in COLUMNS]])

    dimensions = [[_("Dimension code"), _("Indonesian name"), _("Abbreviation"), _("Element code"), _("Element")]]
    for dimension in Dimension.objects.order_by("order").prefetch_related("elements"):
        dimensions.append([dimension.code, dimension.name_id, dimension.abbreviation, "", ""])
        dimensions += [["", "", "", e.code, e.name_id] for e in dimension.elements.all()]
    sheet.append([])
    _write_table(sheet, dimensions)

    lenses = [[_("Lens code"), _("Lens")], *[[value, str(label)] for value, label in Lens.choices]]
    sheet.append([])
    _write_table(sheet, lenses)
    kinds = [[_("Kind code"), _("Kind"), _("Also accepted")]]
    kinds += [[value, str(label), KIND_ALTERNATIVES.get(value, "")] for value, label in Question.Kind.choices]
    sheet.append([])
    _write_table(sheet, kinds)

    sheet.append([])
    _write_table(sheet, [[_("Examples")]])
    _write_table(sheet, [COLUMNS, *EXAMPLE_ROWS])
