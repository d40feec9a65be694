"""Reading CSV text line by line under the same limits as a sheet's rows."""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from typing import IO

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from common.spreadsheet_guard.limits import ImportLimits
from common.spreadsheet_guard.refusals import (
    SpreadsheetRefused,
    refuse_blank_rows,
    refuse_damaged,
    refuse_long_text,
    refuse_rows,
)

logger = logging.getLogger(__name__)


def csv_rows(
    text: IO[str], limits: ImportLimits, name: str, *, delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of each CSV row holding a value, under the same limits as a sheet's rows.

    `text` must be opened with newline="". Lines are read at most `max_line_chars` at a time, so one giant
    line is refused before it is held in memory, and reading stops at the first limit crossed.
    """
    reader = csv.reader(_bounded_lines(text, limits.max_line_chars, name), delimiter=delimiter)
    value_rows = blank_rows = 0
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                blank_rows += 1
                if blank_rows > limits.max_blank_rows:
                    refuse_blank_rows(name, limits.max_blank_rows)
                continue
            value_rows += 1
            if value_rows > limits.max_rows + 1:
                refuse_rows(name, limits.max_rows)
            for cell in cells:
                if len(cell) > limits.max_cell_chars:
                    refuse_long_text(name, _("line %(line)s") % {"line": line}, limits.max_cell_chars)
            yield line, cells
    except csv.Error as exc:
        logger.info("Unreadable CSV %r: %r", name, exc)
        if "field larger than field limit" in str(exc):  # the csv module's own cap, 131,072 characters
            refuse_long_text(name, _("line %(line)s") % {"line": reader.line_num}, limits.max_cell_chars)
        refuse_damaged(name, exc)
    except UnicodeDecodeError as exc:
        raise SpreadsheetRefused(
            _("“%(name)s” is not UTF-8 text; in Excel use Save As › CSV UTF-8 and upload it again.") % {"name": name},
            code="encoding",
        ) from exc


def _bounded_lines(text: IO[str], max_chars: int, name: str) -> Iterator[str]:
    number = 0
    while line := text.readline(max_chars + 1):
        number += 1
        if len(line) > max_chars:
            raise SpreadsheetRefused(
                _("Line %(line)s of “%(name)s” is longer than %(max)s characters; it is not read.")
                % {"line": number, "name": name, "max": number_format(max_chars, force_grouping=True)},
                code="long_line",
            )
        yield line
