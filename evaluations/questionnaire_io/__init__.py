"""The questionnaire spreadsheet DKISP coordinators download, fill in and upload (import format = export format).

`columns` is the format, `writer` makes the template and the export, `reader` (with `row_reader`) reads an
upload into rows and errors, and `preview` keeps the checked rows in the session until the coordinator confirms.
The names below are the ones the views, services and tests use. `LIMITS` is read by `reader`: a test that
wants smaller limits patches `reader.LIMITS`, not this re-export.
"""

from __future__ import annotations

from evaluations.questionnaire_io.columns import (
    COLUMNS,
    LIMITS,
    MAX_ROWS,
    ParseResult,
    QuestionRow,
    RowError,
)
from evaluations.questionnaire_io.reader import parse_xlsx
from evaluations.questionnaire_io.writer import export_xlsx, template_xlsx, write_export, write_workbook

__all__ = [
    "COLUMNS",
    "LIMITS",
    "MAX_ROWS",
    "ParseResult",
    "QuestionRow",
    "RowError",
    "export_xlsx",
    "parse_xlsx",
    "template_xlsx",
    "write_export",
    "write_workbook",
]
