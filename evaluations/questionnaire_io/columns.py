"""The questionnaire format: its columns, the values each accepts, its limits, and the row a sheet line becomes.

The writer and the reader both follow this module, so the file a coordinator downloads is the file they upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from common.spreadsheet_guard import MB, ImportLimits
from evaluations.models import Answer, Question

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

# Normalised spelling (see row_reader._token) -> value. Indonesian aliases are data of the format, not UI text.
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
# The Indonesian spelling the Petunjuk sheet and the error messages offer beside each kind's code.
KIND_ALTERNATIVES: dict[str, str] = {
    "yes_no": "ya/tidak",
    "choice": "pilihan",
    "number": "angka",
    "percentage": "persentase",
    "text": "teks",
}
# What the wajib_bukti column accepts, case-insensitive; an empty cell means "tidak".
EVIDENCE_YES = ("ya", "yes", "true", "1")
EVIDENCE_NO = ("tidak", "no", "false", "0")
EVIDENCE_VALUES: dict[str, bool] = dict.fromkeys(EVIDENCE_YES, True) | dict.fromkeys(EVIDENCE_NO, False)


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
