"""Imported spreadsheets in bounded memory and time: the file is inspected, then read row by row under limits.

Every import (the questionnaire, every admin import) first passes `inspect_upload`, the check evidence uploads
pass (size, kind by content, zip bombs, macros). An .xlsx is then held to caps on the uncompressed size of each
part, chosen for the import's purpose (`ImportLimits`), before any XML parser opens it; the parts openpyxl
parses whole (styles, workbook, relationships) also have their elements counted on the raw bytes first.

openpyxl's own read-only mode is not bounded enough: opening a workbook parses every sheet that lacks a
<dimension> tag, loads every shared string, and iterating a sheet pads the gaps up to the dimension the file
declares (one cell at XFD1048576 means sixteen thousand columns times a million rows). So `open_xlsx` opens
the workbook with only what reading needs (shared strings, styles for dates, the list of sheets), and
`XlsxBook.rows` streams one sheet's XML itself, counting elements, cells, rows and depth as it goes and
stopping at the first limit crossed; cells are still decoded by openpyxl's parser, so values, dates, formulas
and errors come out exactly as openpyxl gives them. `csv_rows` does the same for CSV text, line by line.

Every refusal is a `SpreadsheetRefused` (a ValidationError) with a message for the person who uploaded it.
"""

from __future__ import annotations

import csv
import io
import logging
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple, NoReturn

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.cell.text import Text
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.reader.excel import ExcelReader, _find_workbook_part
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import ARC_CONTENT_TYPES, ARC_STYLE, SHARED_STRINGS, SHEET_MAIN_NS

from common.ids import parse_id
from common.uploads import Inspected, clean_filename, inspect_upload

logger = logging.getLogger(__name__)

MB = 1024 * 1024
EXCEL_MAX_CELL_CHARS = 32_767  # Excel's own limit: a longer cell was not written by a spreadsheet program
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_ROWS = 1_048_576
READ_CHUNK = 64 * 1024
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
_DOCTYPE = b"<!DOCTYPE"


@dataclass(frozen=True)
class ImportLimits:
    """What one kind of import reads at most. Sizes are of the unpacked parts, in bytes."""

    max_rows: int  # rows with a value, after the header row
    max_columns: int  # columns read from the left; whatever stands to their right is not read
    max_blank_rows: int  # rows present in the file without a value (formatted, or holding only spaces)
    max_sheet_elements: int  # XML elements of the sheet read (rows, cells, values), empty formatted ones too
    max_sheet_bytes: int  # every worksheet, and every part no parser opens (images, printer settings)
    max_shared_strings_bytes: int
    max_shared_strings: int
    max_styles_bytes: int
    max_styles_elements: int
    max_part_bytes: int  # the other parts openpyxl parses whole: content types, workbook, its relationships
    max_part_elements: int
    max_sheets: int
    max_line_chars: int  # one CSV line
    max_cell_chars: int = EXCEL_MAX_CELL_CHARS


class SpreadsheetRefused(ValidationError):
    """A spreadsheet that is not read, with a message for whoever uploaded it."""


class CellValue(NamedTuple):
    """A cell as the importers need it: its value, and openpyxl's type ("f" formula, "e" error value, ...)."""

    value: Any
    data_type: str


EMPTY_CELL = CellValue(None, "n")


def display_name(upload: File) -> str:
    return clean_filename(getattr(upload, "name", "") or "")


# --- Inspection before any parser.


def inspect_spreadsheet(upload: File, limits: ImportLimits) -> Inspected:
    """`inspect_upload`, then for a workbook the caps on each part; raises SpreadsheetRefused naming the file."""
    try:
        inspected = inspect_upload(upload)  # size, kind by content, zip bombs, macros; leaves the file rewound
    except ValidationError as error:
        raise SpreadsheetRefused(" ".join(error.messages), code=getattr(error, "code", None)) from error
    if inspected.kind == "xlsx":
        try:
            _check_parts(upload, limits, display_name(upload))
        finally:
            upload.seek(0)
    return inspected


def _check_parts(upload: File, limits: ImportLimits, name: str) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = {entry.filename: entry for entry in archive.infolist()}
            if ARC_CONTENT_TYPES not in entries:
                _refuse_damaged(name)
            _check_size(entries[ARC_CONTENT_TYPES], limits.max_part_bytes, name)
            _count_elements(archive, ARC_CONTENT_TYPES, limits.max_part_elements, name)
            manifest = Manifest.from_tree(ET.fromstring(archive.read(ARC_CONTENT_TYPES)))  # noqa: S314
            workbook = _find_workbook_part(manifest).PartName[1:]
            strings = manifest.find(SHARED_STRINGS)
            strings_path = strings.PartName[1:] if strings is not None else None
            parsed_whole = {workbook, get_rels_path(workbook)}
            for path, entry in entries.items():
                if path == ARC_CONTENT_TYPES:
                    continue
                if path == strings_path:
                    _check_size(entry, limits.max_shared_strings_bytes, name, _refuse_strings_size)
                elif path == ARC_STYLE:
                    _check_size(entry, limits.max_styles_bytes, name, _refuse_styles)
                    _count_elements(archive, path, limits.max_styles_elements, name, _refuse_styles)
                elif path in parsed_whole:
                    _check_size(entry, limits.max_part_bytes, name)
                    _count_elements(archive, path, limits.max_part_elements, name)
                else:
                    _check_size(entry, limits.max_sheet_bytes, name)
    except ValidationError:
        raise
    except Exception as exc:
        # zipfile and the manifest parser raise many types on broken archives (BadZipFile, KeyError, XML
        # errors, IOError for a missing workbook part, ...).
        logger.info("Refused spreadsheet %r as damaged: %r", name, exc)
        _refuse_damaged(name, exc)


def _check_size(entry: zipfile.ZipInfo, limit: int, name: str, refuse: Any = None) -> None:
    # The declared size is a ceiling: zipfile stops every read at it (and checks the CRC), so a part cannot
    # unpack to more than this whatever its compressed bytes say.
    if entry.file_size > limit:
        (refuse or _refuse_part)(name, entry, limit)


def _count_elements(archive: zipfile.ZipFile, path: str, limit: int, name: str, refuse: Any = None) -> None:
    """Count the part's elements on its raw bytes (C speed) before a parser builds objects for each of them."""
    count = 0
    carry = b""
    with archive.open(path) as part:
        while chunk := part.read(READ_CHUNK):
            window = carry + chunk
            if _DOCTYPE in window:
                _refuse_damaged(name)
            # Every element has one "<" that is not "</"; comments and instructions are counted too (never fewer).
            count += chunk.count(b"<") - chunk.count(b"</")
            if count > limit:
                if refuse is None:
                    _refuse_damaged(name)  # a workbook or relationship list that no spreadsheet program writes
                refuse(name, archive.getinfo(path), limit)
            carry = window[-(len(_DOCTYPE) - 1) :]


# --- Reading a workbook.


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
                _refuse_damaged(name)  # no spreadsheet program writes a text of a thousand parts
            if elements > STRING_ELEMENTS_PER_STRING * limits.max_shared_strings:
                _refuse_strings_count(name, limits.max_shared_strings)
            continue
        if element.tag == _STRING_ITEM:
            # As openpyxl's read_string_table reads it.
            text = Text.from_tree(element).content.replace("x005F_", "")
            if len(text) > limits.max_cell_chars:
                _refuse_long_text(name, None, limits.max_cell_chars)
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
            if _DOCTYPE in prolog + chunk:
                _refuse_damaged(name)
            fed += len(chunk)
            if fed > PROLOG_WINDOW:
                _refuse_damaged(name)
            prolog = (prolog + chunk)[-(len(_DOCTYPE) - 1) :]
        if chunk:
            parser.feed(chunk)
        else:
            parser.close()  # raises on a document cut short
        for event, element in parser.read_events():
            root_seen = True
            if event == "start":
                stack.append(element)
                if len(stack) > MAX_XML_DEPTH:
                    _refuse_damaged(name)
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
            _refuse_damaged(self.name, exc)

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
                            _refuse_rows(self.name, limits.max_rows)
                        yield row_number, cells
                    else:
                        blank_rows += 1
                        if blank_rows > limits.max_blank_rows:
                            _refuse_blank_rows(self.name, limits.max_blank_rows)
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
                _refuse_long_text(self.name, where, self.limits.max_cell_chars)
            values[column - 1] = CellValue(value, cell["data_type"])
        return tuple(values)


def _row_number(row: ET.Element, previous: int, name: str) -> int:
    text = row.get("r")
    number = previous + 1 if text is None else (parse_id(text) or 0)
    if not 1 <= number <= EXCEL_MAX_ROWS:
        _refuse_damaged(name)
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
            _refuse_damaged(name, exc)
        yield XlsxBook(reader)
    finally:
        if reader is not None:
            reader.archive.close()
        upload.seek(0)


# --- Reading CSV.


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
                    _refuse_blank_rows(name, limits.max_blank_rows)
                continue
            value_rows += 1
            if value_rows > limits.max_rows + 1:
                _refuse_rows(name, limits.max_rows)
            for cell in cells:
                if len(cell) > limits.max_cell_chars:
                    _refuse_long_text(name, _("line %(line)s") % {"line": line}, limits.max_cell_chars)
            yield line, cells
    except csv.Error as exc:
        logger.info("Unreadable CSV %r: %r", name, exc)
        if "field larger than field limit" in str(exc):  # the csv module's own cap, 131,072 characters
            _refuse_long_text(name, _("line %(line)s") % {"line": reader.line_num}, limits.max_cell_chars)
        _refuse_damaged(name, exc)
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


# --- Tables (a header row, then rows): what the admin's import formats read.


class StoredUpload(NamedTuple):
    """An upload kept on disk, handed to a reader by path so that it is never held in memory whole."""

    path: str
    name: str  # the uploader's file name, for messages


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


@contextmanager
def as_upload(data: bytes | str | StoredUpload, default_name: str) -> Iterator[File]:
    """The data a format is given (bytes, text, or a file on disk) as a File the checks can read."""
    if isinstance(data, StoredUpload):
        with open(data.path, "rb") as stored:  # noqa: PTH123 - a binary stream for zipfile and the checks
            yield File(stored, name=data.name)
    else:
        yield ContentFile(data.encode("utf-8") if isinstance(data, str) else data, name=default_name)


def read_table(
    upload: File,
    kind: str,
    limits: ImportLimits,
    *,
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    header_only: bool = False,
) -> Table:
    """The first row holding a value as the headers, then the following rows, from an xlsx or a CSV upload.

    The upload is inspected first and must be of `kind` ("xlsx" or "csv"); rows are cut or padded to the
    headers' width, and reading stops at the first limit crossed.
    """
    name = display_name(upload)
    if kind == "xlsx":
        # data_only: a formula's cached value, as import-export reads it (a formula is never imported).
        with open_xlsx(upload, limits, data_only=True) as book:
            rows = ((line, [cell.value for cell in cells]) for line, cells in book.rows(book.active_index))
            return _table(rows, name, limits, header_only, strict=False)
    inspected = inspect_spreadsheet(upload, limits)
    if inspected.kind != "csv":
        raise SpreadsheetRefused(
            _("“%(name)s” is not a CSV file; choose the format that matches the file.") % {"name": name},
            code="not_csv",
        )
    raw = getattr(upload, "file", upload)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    try:
        return _table(csv_rows(text, limits, name, delimiter=delimiter), name, limits, header_only, strict=True)
    finally:
        text.detach()  # the upload stays open for its owner
        upload.seek(0)


def _table(
    rows: Iterator[tuple[int, list[Any]]], name: str, limits: ImportLimits, header_only: bool, *, strict: bool
) -> Table:
    """`strict` (CSV): a value beyond the headers is refused, as a shifted row; a sheet's notes there are not read."""
    first = next(rows, None)
    if first is None:
        return Table(headers=[])
    headers = ["" if value is None else str(value).strip() for value in first[1]]
    while headers and not headers[-1]:
        headers.pop()
    if not headers:
        return Table(headers=[])  # nothing but spaces: import-export says there is no data
    if len(headers) > limits.max_columns:
        raise SpreadsheetRefused(
            _("“%(name)s” has more than %(max)s columns; this import reads at most %(max)s.")
            % {"name": name, "max": limits.max_columns},
            code="too_many_columns",
        )
    table = Table(headers=headers)
    if header_only:
        return table
    width = len(headers)
    pad = "" if strict else None  # what an empty cell reads as in each format
    for line, values in rows:
        if strict and any(value not in (None, "") for value in values[width:]):
            raise SpreadsheetRefused(
                _("Row %(line)s of “%(name)s” has values to the right of the last column header; remove them.")
                % {"line": line, "name": name},
                code="row_too_wide",
            )
        row = values[:width]
        table.rows.append(row + [pad] * (width - len(row)))
    return table


# --- Refusals (each message names the file and says what to do).


def _refuse_damaged(name: str, cause: BaseException | None = None) -> NoReturn:
    raise SpreadsheetRefused(
        _("“%(name)s” cannot be read as a spreadsheet; open it in Excel, save it again and upload it again.")
        % {"name": name},
        code="damaged",
    ) from cause


def _refuse_part(name: str, entry: zipfile.ZipInfo, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _(
            "“%(name)s” contains a part (%(part)s) of %(size)s when unpacked; this import reads at most %(limit)s "
            "per part. Remove what the import does not need (other sheets, pictures, formatting) or split the file."
        )
        % {
            "name": name,
            "part": entry.filename,
            "size": filesizeformat(entry.file_size),
            "limit": filesizeformat(limit),
        },
        code="part_too_large",
    )


def _refuse_strings_size(name: str, entry: zipfile.ZipInfo, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _("“%(name)s” holds %(size)s of text when unpacked; this import reads at most %(limit)s. Split the file.")
        % {"name": name, "size": filesizeformat(entry.file_size), "limit": filesizeformat(limit)},
        code="strings_too_large",
    )


def _refuse_strings_count(name: str, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _("“%(name)s” holds more than %(max)s different texts; this import reads at most that many. Split the file.")
        % {"name": name, "max": number_format(limit, force_grouping=True)},
        code="strings_too_many",
    )


def _refuse_styles(name: str, entry: zipfile.ZipInfo, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _(
            "“%(name)s” carries too much cell formatting to be read. Copy the data into a new workbook (Paste "
            "Special › Values) and upload that."
        )
        % {"name": name},
        code="styles_too_large",
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


def _refuse_rows(name: str, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _("“%(name)s” has more than %(max)s rows of data; this import reads at most %(max)s. Split the file.")
        % {"name": name, "max": number_format(limit, force_grouping=True)},
        code="too_many_rows",
    )


def _refuse_blank_rows(name: str, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _(
            "“%(name)s” has more than %(max)s empty or formatted rows; delete the rows below and between your "
            "data and upload it again."
        )
        % {"name": name, "max": number_format(limit, force_grouping=True)},
        code="too_many_blank_rows",
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


def _refuse_long_text(name: str, where: str | None, limit: int) -> NoReturn:
    params = {"name": name, "where": where, "max": number_format(limit, force_grouping=True)}
    if where is None:
        message = _("“%(name)s” holds a text longer than %(max)s characters, the most a cell can hold.")
    else:
        # `where` is a cell reference (B12) in a workbook, "line 12" in a CSV file.
        message = _("A cell (%(where)s) of “%(name)s” is longer than %(max)s characters, the most a cell can hold.")
    raise SpreadsheetRefused(message % params, code="long_text")
