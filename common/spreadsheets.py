"""Spreadsheet formats that never hand a formula to Excel, and read back exactly what they wrote.

A cell whose text starts with = + - @ (or a tab/CR) can be executed as a formula or DDE call when a
spreadsheet opens it. XLSX cells are written with an explicit string type, so the text stays text and
imports back unchanged. CSV has no types, so such text gets a leading apostrophe (OWASP's advice), which
our CSV import strips again.

In CSV the trigger may hide behind what a spreadsheet skips or never shows (spaces, line breaks, control and
zero-width characters, quotes) or be a full-width look-alike (＝＋－＠), and a cell may start inside our text:
a file written with "," and opened with ";" as the separator (Excel under Indonesian regional settings) loses
the quoting after its first field, so every "," ";" or line break inside a value can begin a new cell, and the
other way round. The apostrophe therefore goes at the start of every such piece of text that would begin with
a trigger; the import removes exactly those apostrophes again.

XML turns a carriage return into a line feed when it is read, so XLSX text is written with the OOXML escape
`_x000D_` (as Excel itself does) and unescaped on import; a literal `_xHHHH_` is escaped as `_x005F_xHHHH_`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

import openpyxl
import tablib
from django.core.files import File
from import_export.formats import base_formats
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

from common.spreadsheet_guard.limits import MB, ImportLimits
from common.spreadsheet_guard.tables import StoredUpload, Table, as_upload, read_table

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")

# What a formula starts with once a spreadsheet has skipped what stands before it (full-width and small forms
# such as ＝ U+FF1D or ﹢ U+FE62 are folded to these by NFKC before the comparison).
_FORMULA_STARTS = frozenset("=+-@")
# Where a spreadsheet may start a new cell inside our text when it opens the file with the other separator.
_CELL_BREAKS = frozenset(",;\r\n")
# Character classes a spreadsheet skips or shows as nothing: controls, format characters (zero-width space
# U+200B-U+200D, word joiner U+2060, BOM U+FEFF, direction marks) and separators (spaces).
_HIDING_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


def _hides(ch: str) -> bool:
    return ch in "'\"" or ch.isspace() or unicodedata.category(ch) in _HIDING_CATEGORIES


def _cell_needs_apostrophe(text: str, start: int, *, first: bool) -> bool:
    """Whether the cell a spreadsheet could see from `start` on would begin a formula.

    Leading apostrophes are skipped first, so the answer is the same with or without the one we add: that
    keeps the escape undoable for every text ("'=x" is written "''=x").
    """
    i = start
    while i < len(text) and text[i] == "'":
        i += 1
    # A value that starts with a tab or line break is refused outright (OWASP), a piece after a break only
    # for a tab: the break itself is the next piece's business.
    if i < len(text) and text[i] in ("\t\r\n" if first else "\t"):
        return True
    for ch in text[i:]:
        if ch in _CELL_BREAKS:
            return False
        if _hides(ch):
            continue
        return unicodedata.normalize("NFKC", ch)[:1] in _FORMULA_STARTS
    return False


def _cell_starts(text: str) -> list[int]:
    return [0, *(i + 1 for i, ch in enumerate(text) if ch in _CELL_BREAKS)]


def is_formula_like(value: Any) -> bool:
    """Whether a CSV spreadsheet could read (part of) this text as a formula, under "," or ";" parsing."""
    return isinstance(value, str) and neutralise_text(value) != value


def neutralise_text(value: Any) -> Any:
    """The CSV form of a value: every piece of text that could start a formula gets a leading apostrophe."""
    if not isinstance(value, str):
        return value
    pieces: list[str] = []
    done = 0
    for start in _cell_starts(value):
        if _cell_needs_apostrophe(value, start, first=start == 0):
            pieces += [value[done:start], "'"]
            done = start
    pieces.append(value[done:])
    return "".join(pieces)


def restore_text(value: Any) -> Any:
    """Undo `neutralise_text` on import."""
    if not isinstance(value, str) or "'" not in value:
        return value
    pieces: list[str] = []
    done = 0
    # The apostrophes are no cell breaks, so the escaped text has its cells where the original had them.
    for start in _cell_starts(value):
        if value.startswith("'", start) and _cell_needs_apostrophe(value, start + 1, first=start == 0):
            pieces.append(value[done:start])
            done = start + 1
    pieces.append(value[done:])
    return "".join(pieces)


def xlsx_text(value: str) -> str:
    """`value` made safe for an xlsx text cell: illegal XML characters replaced, CR and `_xHHHH_` escaped."""
    if "_x" not in value and "\r" not in value and ILLEGAL_CHARACTERS_RE.search(value) is None:
        return value  # the common case, in one scan: a package writes tens of thousands of cells
    value = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    value = _OOXML_ESCAPED.sub(lambda m: f"_x005F{m.group(0)}", value)
    return value.replace("\r", "_x000D_")


def _xlsx_untext(value: Any) -> Any:
    if isinstance(value, str) and "_x" in value:
        return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value)
    return value


def xlsx_value(sheet: Any, value: Any) -> Any:
    """One value for a write-only row: text escaped and typed as text, everything else as openpyxl types it."""
    if not isinstance(value, str):
        return value
    text = xlsx_text(value)
    # openpyxl types the rest of text as text itself; these it would store as a live formula or an error value.
    if text.startswith("=") or text in ERROR_CODES:
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text


def write_xlsx_rows(out: IO[bytes], headers: Sequence[Any], rows: Iterable[Sequence[Any]], title: str = "Data") -> int:
    """Write a one-sheet workbook to `out` as the rows come (openpyxl write-only mode); returns the rows written.

    Memory stays flat whatever the number of rows: openpyxl writes each row to a temporary file at once, and
    only the table of distinct texts (shared strings) stays in memory.
    """
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    sheet.append([xlsx_value(sheet, str(header)) for header in headers])
    written = 0
    for row in rows:
        sheet.append([xlsx_value(sheet, value) for value in row])
        written += 1
    workbook.save(out)
    return written


def write_xlsx(headers: list[str], rows: Iterable[Sequence[Any]], title: str = "Data") -> bytes:
    """An xlsx workbook in which every text cell is typed as text (never as a formula), as bytes."""
    out = io.BytesIO()
    write_xlsx_rows(out, headers, rows, title)
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    return "" if value is None else neutralise_text(value if isinstance(value, str) else str(value))


# A streamed CSV leaves in pieces of about this size: big enough that the pieces cost nothing, small enough to
# keep memory flat.
CSV_PIECE_CHARS = 64 * 1024


def csv_pieces(
    headers: Sequence[Any], rows: Iterable[Sequence[Any]], *, delimiter: str = ",", bom: bool = False
) -> Iterator[str]:
    """A CSV, every field quoted and formula-safe (`neutralise_text`), in pieces as the rows come."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    # Every field quoted, numbers too: a spreadsheet then never splits a value at a separator inside it.
    writer = csv.writer(out, delimiter=delimiter, quoting=csv.QUOTE_ALL)
    writer.writerow([_csv_cell(header) for header in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
        if out.tell() >= CSV_PIECE_CHARS:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


# What an admin import reads at most, chosen from what the admin's tables hold and what importing them costs.
# The row cap bounds the import's own time: import-export does its database work row by row, measured at
# 2.5 ms of CPU a row for agencies and 9-10 ms for programmes with their supporting agencies (preview, then
# again on confirming), so 500 rows stay near 5 s on a server with its database latency on top. Banjar's
# largest table, the indicator targets of its masterplan, has ~300 rows; Indonesia's 514 regencies and cities
# take two files. The sizes allow rows of ~10 KB (long descriptions) with room to spare. Every figure comes
# from bench/import_hostile.py.
ADMIN_IMPORT_LIMITS = ImportLimits(
    max_rows=500,
    max_columns=50,
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


def _dataset(table: Table, restore: Callable[[Any], Any]) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=[restore(header) for header in table.headers])
    for row in table.rows:
        dataset.append([restore(value) for value in row])
    return dataset


class SafeXLSX(base_formats.XLSX):
    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> bytes:
        return write_xlsx(list(dataset.headers or []), [list(row) for row in dataset], title=dataset.title or "Data")

    limits = ADMIN_IMPORT_LIMITS

    def create_dataset(self, in_stream: bytes | StoredUpload, **kwargs: Any) -> tablib.Dataset:
        # Inspected, then streamed under the limits; import-export's own reader loads every row, each padded to
        # the width the file's <dimension> tag claims.
        with as_upload(in_stream, "import.xlsx") as upload:
            return _dataset(read_table(upload, "xlsx", self.limits), _xlsx_untext)

    def read_headers(self, upload: File) -> list[str]:
        """The header row alone (the upload inspected first), for checking the columns before the import."""
        return read_table(upload, "xlsx", self.limits, header_only=True).headers


class SafeCSV(base_formats.CSV):
    DELIMITER = ","

    BOM = False

    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> str:
        return "".join(csv_pieces(dataset.headers or [], dataset, delimiter=self.DELIMITER, bom=self.BOM))

    limits = ADMIN_IMPORT_LIMITS

    def create_dataset(self, in_stream: str | bytes | StoredUpload, **kwargs: Any) -> tablib.Dataset:
        # Inspected, then read line by line under the limits (tablib would parse the whole text at once).
        delimiter = kwargs.get("delimiter", self.DELIMITER)
        # Text handed over directly is encoded here as UTF-8; a file keeps the admin's encoding (utf-8-sig).
        encoding = "utf-8-sig" if isinstance(in_stream, str) else self.encoding or "utf-8-sig"
        with as_upload(in_stream, "import.csv") as upload:
            table = read_table(upload, "csv", self.limits, encoding=encoding, delimiter=delimiter)
        return _dataset(table, restore_text)

    def read_headers(self, upload: File) -> list[str]:
        """The header row alone (the upload inspected first), for checking the columns before the import."""
        encoding = self.encoding or "utf-8-sig"
        return read_table(
            upload, "csv", self.limits, encoding=encoding, delimiter=self.DELIMITER, header_only=True
        ).headers


class SafeSemicolonCSV(SafeCSV):
    """CSV separated by ";", with a byte-order mark: what Excel opens straight into columns, with the accents
    intact, where the comma is the decimal separator (Indonesian regional settings)."""

    DELIMITER = ";"  # read back as the comma CSV is, with this separator (utf-8-sig drops the mark)
    BOM = True

    def get_title(self) -> str:
        return "csv (;)"
