"""Reading an uploaded questionnaire sheet: the file's checks, the header, then each line through `RowReader`.

Reading never raises on bad content: every problem becomes a `RowError` the coordinator can act on, with the
row and column it is in.
"""

from __future__ import annotations

from typing import Any

from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.spreadsheet_guard import SpreadsheetRefused, XlsxBook, display_name, open_xlsx
from evaluations.questionnaire_io.columns import COLUMNS, LIMITS, MAX_HEADER_COLUMNS, ParseResult, RowError
from evaluations.questionnaire_io.row_reader import RowReader, Vocabulary


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

    vocabulary = Vocabulary()
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
        parser = RowReader(line, position, values, vocabulary)
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
