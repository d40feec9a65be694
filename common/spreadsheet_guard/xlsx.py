"""Reading a workbook: opened with only what reading needs, each sheet's XML streamed under the import's limits."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any, NamedTuple, NoReturn

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from common.ids import parse_id
from common.spreadsheet_guard.inspection import DOCTYPE, inspect_spreadsheet
from common.spreadsheet_guard.limits import EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS, ImportLimits
from common.spreadsheet_guard.refusals import (
    SpreadsheetRefused,
    display_name,
    refuse_blank_rows,
    refuse_damaged,
    refuse_long_text,
    refuse_rows,
)

logger = logging.getLogger(__name__)

# The XML a spreadsheet program writes nests about six deep (worksheet/sheetData/row/c/is/r/t).
MAX_XML_DEPTH = 32
# One row (or one shared string) as a tree: a full-width row of typed cells is about three elements per cell.
MAX_ELEMENTS_PER_ROW = 3 * EXCEL_MAX_COLUMNS
MAX_ELEMENTS_PER_STRING = 1_000  # a rich-text string with ~150 differently formatted runs
STRING_ELEMENTS_PER_STRING = 10  # on average over the table: plain strings take two, rich ones ~8 per run
# Every part Excel writes opens its root element within its first few hundred bytes.
PROLOG_WINDOW = 64 * 1024
XML_FEED_CHUNK = 16 * 1024  # what one feed parses ahead of the caller's checks: a few hundred elements at most

_ROW = f"{{{SHEET_MAIN_NS}}}row"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_SHEET_DATA = f"{{{SHEET_MAIN_NS}}}sheetData"
_STRING_ITEM = f"{{{SHEET_MAIN_NS}}}si"


class CellValue(NamedTuple):
    """A cell as the importers need it: its value, and openpyxl's type ("f" formula, "e" error value, ...)."""

    value: Any
    data_type: str


EMPTY_CELL = CellValue(None, "n")


class _BoundedExcelReader(ExcelReader):
    """openpyxl's reader without the parts imports do not need, and with the shared strings under limits."""

    def __init__(self, upload: File, limits: ImportLimits, name: str, *, data_only: bool) -> None:
        # keep_links=False: external links hold cached copies of other workbooks and can be very big.
        super().__init__(upload, read_only=True, keep_vba=False, data_only=data_only, keep_links=False)
        self.limits = limits
        self.name = name
        self.sheets: list[tuple[str, str | None]] = []  # (title, worksheet part or None for a chartsheet)

    def read(self) -> None:
        # Properties, theme, defined names and chartsheet drawings are left out; so is openpyxl's worksheet
        # set-up, which parses a whole sheet to find its size when the <dimension> tag is missing.
        self.read_manifest()
        self.read_strings()
        self.read_workbook()
        apply_stylesheet(self.archive, self.wb)  # which number formats are dates
        for sheet, rel in self.parser.find_sheets():
            if len(self.sheets) >= self.limits.max_sheets:
                _refuse_sheets(self.name, self.limits.max_sheets)
            is_worksheet = "chartsheet" not in rel.Type and rel.target in self.valid_files
            self.sheets.append((sheet.name, rel.target if is_worksheet else None))

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = _read_shared_strings(source, self.limits, self.name)


def _read_shared_strings(source: IO[bytes], limits: ImportLimits, name: str) -> list[str]:
    strings: list[str] = []
    in_item = elements = 0
    for depth, element, parent in _iter_elements(source, name):
        if element is None:  # a start: count what the current string, and the whole table, are made of
            in_item += 1
            elements += 1
            if in_item > MAX_ELEMENTS_PER_STRING:
                refuse_damaged(name)  # no spreadsheet program writes a text of a thousand parts
            if elements > STRING_ELEMENTS_PER_STRING * limits.max_shared_strings:
                _refuse_strings_count(name, limits.max_shared_strings)
            continue
        if element.tag == _STRING_ITEM:
            # As openpyxl's read_string_table reads it.
            text = Text.from_tree(element).content.replace("x005F_", "")
            if len(text) > limits.max_cell_chars:
                refuse_long_text(name, None, limits.max_cell_chars)
            strings.append(text)
            if len(strings) > limits.max_shared_strings:
                _refuse_strings_count(name, limits.max_shared_strings)
        if depth == 1:
            in_item = 0
            parent.clear()  # the finished string (or whatever else stood here) leaves memory
    return strings


def _iter_elements(source: IO[bytes], name: str) -> Iterator[tuple[int, ET.Element | None, ET.Element]]:
    """Stream a part's elements: (depth, None, parent) at each start and (depth, element, parent) at each end.

    The depth is the element's own (the root is 0); the caller clears what it has finished with. A DOCTYPE
    (where entities are declared) may only stand before the root element, so every byte fed until the root
    has started is searched for one, and a root that has not started within PROLOG_WINDOW bytes is refused
    (the standard library's expat, 2.4 and later, also stops entity expansion bombs).
    """
    parser = ET.XMLPullParser(events=("start", "end"))
    stack: list[ET.Element] = []
    prolog = b""  # the bytes fed before the root started (only the last few are kept)
    fed = 0
    root_seen = False
    while True:
        chunk = source.read(XML_FEED_CHUNK)
        if not root_seen:
            if DOCTYPE in prolog + chunk:
                refuse_damaged(name)
            fed += len(chunk)
            if fed > PROLOG_WINDOW:
                refuse_damaged(name)
            prolog = (prolog + chunk)[-(len(DOCTYPE) - 1) :]
        if chunk:
            parser.feed(chunk)
        else:
            parser.close()  # raises on a document cut short
        for event, element in parser.read_events():
            root_seen = True
            if event == "start":
                stack.append(element)
                if len(stack) > MAX_XML_DEPTH:
                    refuse_damaged(name)
                yield len(stack) - 1, None, stack[-2] if len(stack) > 1 else element
            else:
                stack.pop()
                yield len(stack), element, stack[-1] if stack else element
        if not chunk:
            return


class XlsxBook:
    """An opened workbook: its sheet titles, and each sheet's rows streamed under the import's limits."""

    def __init__(self, reader: _BoundedExcelReader) -> None:
        self._reader = reader
        self.name = reader.name
        self.limits = reader.limits
        self.sheet_titles = [title for title, _part in reader.sheets]
        active = getattr(reader.wb, "_active_sheet_index", 0) or 0
        # The sheet the file was saved on (what import-export reads); Excel falls back to the first as well.
        self.active_index: int = active if 0 <= active < len(self.sheet_titles) else 0

    def rows(self, index: int, *, max_columns: int | None = None) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
        """(row number, cells of columns 1..max_columns) for each row holding a value, in file order.

        Refuses the file at the first limit crossed, without reading further: more rows with a value than
        `max_rows` after the first (the header), too many empty rows or elements, a row wider than Excel
        allows, a text longer than Excel allows. Rows are read as they are stored: gaps between them, and
        the size a <dimension> tag claims, cost nothing.
        """
        limits = self.limits
        width = min(max_columns or limits.max_columns, limits.max_columns)
        if not (0 <= index < len(self.sheet_titles)):
            _refuse_no_sheet(self.name)
        part = self._reader.sheets[index][1]
        if part is None:
            _refuse_no_sheet(self.name)
        workbook = self._reader.wb
        # openpyxl's cell decoder: shared strings, numbers, dates by number format, booleans, errors, formulas.
        decoder = WorkSheetParser(
            None,
            self._reader.shared_strings,
            data_only=self._reader.data_only,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        try:
            yield from self._stream(part, decoder, width)
        except ValidationError:
            raise
        except Exception as exc:
            # Reading is lazy: a broken sheet (bad XML, a shared string index out of range, a nonsense number)
            # only shows itself here. openpyxl and the XML parser raise many types for it.
            logger.info("Unreadable sheet in %r: %r", self.name, exc)
            refuse_damaged(self.name, exc)

    def _stream(self, part: str, decoder: WorkSheetParser, width: int) -> Iterator[tuple[int, tuple[CellValue, ...]]]:
        limits = self.limits
        elements = in_row = value_rows = blank_rows = 0
        row_number = 0
        with self._reader.archive.open(part) as source:
            for depth, element, parent in _iter_elements(source, self.name):
                if element is None:
                    elements += 1
                    in_row += 1
                    if elements > limits.max_sheet_elements:
                        _refuse_sheet_elements(self.name)
                    if in_row > MAX_ELEMENTS_PER_ROW:
                        _refuse_wide(self.name)
                    continue
                if element.tag == _ROW:
                    row_number = _row_number(element, row_number, self.name)
                    cells = self._decode_row(element, row_number, decoder, width)
                    if any(cell.value is not None and cell.value != "" for cell in cells):
                        value_rows += 1
                        if value_rows > limits.max_rows + 1:
                            refuse_rows(self.name, limits.max_rows)
                        yield row_number, cells
                    else:
                        blank_rows += 1
                        if blank_rows > limits.max_blank_rows:
                            refuse_blank_rows(self.name, limits.max_blank_rows)
                elif element.tag == _SHEET_DATA:
                    return  # what follows the cells (merged ranges, links, page set-up) is not needed
                if depth <= 2:
                    in_row = 0
                    parent.clear()  # the finished row (or sheet-level element) leaves memory

    def _decode_row(
        self, row: ET.Element, row_number: int, decoder: WorkSheetParser, width: int
    ) -> tuple[CellValue, ...]:
        values = [EMPTY_CELL] * width
        decoder.row_counter = row_number
        decoder.col_counter = 0
        for element in row:
            if element.tag != _CELL:
                continue
            coordinate = element.get("r")
            column = coordinate_to_tuple(coordinate)[1] if coordinate else decoder.col_counter + 1
            if not 1 <= column <= EXCEL_MAX_COLUMNS:
                raise ValueError(f"column {column}")
            if column > width:
                decoder.col_counter = column  # not decoded: nothing to the right of the columns read is used
                continue
            cell = decoder.parse_cell(element)
            value = cell["value"]
            if isinstance(value, str) and len(value) > self.limits.max_cell_chars:
                where = f"{get_column_letter(column)}{row_number}"
                refuse_long_text(self.name, where, self.limits.max_cell_chars)
            values[column - 1] = CellValue(value, cell["data_type"])
        return tuple(values)


def _row_number(row: ET.Element, previous: int, name: str) -> int:
    text = row.get("r")
    number = previous + 1 if text is None else (parse_id(text) or 0)
    if not 1 <= number <= EXCEL_MAX_ROWS:
        refuse_damaged(name)
    return number


@contextmanager
def open_xlsx(upload: File, limits: ImportLimits, *, data_only: bool) -> Iterator[XlsxBook]:
    """Inspect `upload`, then open it as a workbook; any problem is a SpreadsheetRefused naming the file.

    `data_only` gives formulas' cached values instead of the formulas. Use the book's `rows` inside the block.
    """
    name = display_name(upload)
    inspected = inspect_spreadsheet(upload, limits)
    if inspected.kind != "xlsx":
        raise SpreadsheetRefused(_("“%(name)s” is not an Excel workbook (.xlsx).") % {"name": name}, code="not_xlsx")
    reader: _BoundedExcelReader | None = None
    try:
        try:
            reader = _BoundedExcelReader(upload, limits, name, data_only=data_only)
            reader.read()
        except ValidationError:
            raise
        except Exception as exc:
            # openpyxl raises many types (KeyError, ValueError, XML errors, ...) on files Excel did not write.
            logger.info("Unreadable spreadsheet %r: %r", name, exc)
            refuse_damaged(name, exc)
        yield XlsxBook(reader)
    finally:
        if reader is not None:
            reader.archive.close()
        upload.seek(0)


def _refuse_strings_count(name: str, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _("“%(name)s” holds more than %(max)s different texts; this import reads at most that many. Split the file.")
        % {"name": name, "max": number_format(limit, force_grouping=True)},
        code="strings_too_many",
    )


def _refuse_sheets(name: str, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _("“%(name)s” has more than %(max)s sheets; keep the sheet to import and upload it again.")
        % {"name": name, "max": number_format(limit, force_grouping=True)},
        code="too_many_sheets",
    )


def _refuse_no_sheet(name: str) -> NoReturn:
    raise SpreadsheetRefused(
        _("“%(name)s” has no worksheet to import (its sheet is missing or is a chart).") % {"name": name},
        code="no_sheet",
    )


def _refuse_sheet_elements(name: str) -> NoReturn:
    raise SpreadsheetRefused(
        _(
            "“%(name)s” has more cells (empty formatted ones included) than this import reads; delete the unused "
            "rows and columns, or copy the data into a new workbook, and upload it again."
        )
        % {"name": name},
        code="too_many_cells",
    )


def _refuse_wide(name: str) -> NoReturn:
    raise SpreadsheetRefused(
        _("“%(name)s” has a row wider than Excel allows; it cannot be read.") % {"name": name}, code="too_wide"
    )
