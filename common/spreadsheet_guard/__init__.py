"""Imported spreadsheets in bounded memory and time: the file is inspected, then read row by row under limits.

Every import (the questionnaire, every admin import) first passes `inspect_upload`, the check evidence uploads
pass (size, kind by content, zip bombs, macros). An .xlsx is then held to caps on the uncompressed size of each
part, chosen for the import's purpose (`ImportLimits`, in `limits`), before any XML parser opens it; the parts
openpyxl parses whole (styles, workbook, relationships) also have their elements counted on the raw bytes first
(`inspection`).

openpyxl's own read-only mode is not bounded enough: opening a workbook parses every sheet that lacks a
<dimension> tag, loads every shared string, and iterating a sheet pads the gaps up to the dimension the file
declares (one cell at XFD1048576 means sixteen thousand columns times a million rows). So `open_xlsx` (`xlsx`)
opens the workbook with only what reading needs (shared strings, styles for dates, the list of sheets), and
`XlsxBook.rows` streams one sheet's XML itself, counting elements, cells, rows and depth as it goes and
stopping at the first limit crossed; cells are still decoded by openpyxl's parser, so values, dates, formulas
and errors come out exactly as openpyxl gives them. `csv_rows` (`csv_reading`) does the same for CSV text, line
by line, and `read_table` (`tables`) reads either into a header row and rows for the admin's import formats.

Every refusal is a `SpreadsheetRefused` (a ValidationError, in `refusals`) with a message for the person who
uploaded it. The names below are the ones other modules and tests use. Limits are read by the module that
defines them: a test that wants a smaller one patches that module (`xlsx.MAX_ELEMENTS_PER_ROW`), not a re-export.
"""

from __future__ import annotations

from common.spreadsheet_guard.csv_reading import csv_rows
from common.spreadsheet_guard.inspection import inspect_spreadsheet
from common.spreadsheet_guard.limits import MB, ImportLimits
from common.spreadsheet_guard.refusals import SpreadsheetRefused, display_name
from common.spreadsheet_guard.tables import StoredUpload, Table, as_upload, read_table
from common.spreadsheet_guard.xlsx import CellValue, XlsxBook, open_xlsx

__all__ = [
    "MB",
    "CellValue",
    "ImportLimits",
    "SpreadsheetRefused",
    "StoredUpload",
    "Table",
    "XlsxBook",
    "as_upload",
    "csv_rows",
    "display_name",
    "inspect_spreadsheet",
    "open_xlsx",
    "read_table",
]
