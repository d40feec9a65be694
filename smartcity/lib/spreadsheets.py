"""Spreadsheet formats that never hand a formula to Excel, and read back exactly what they wrote.

A cell whose text starts with = + - @ (or a tab/CR) can be executed as a formula or DDE call when a
spreadsheet opens it. XLSX cells are written with an explicit string type, so the text stays text and
imports back unchanged. CSV has no types, so such text gets a leading apostrophe (OWASP's advice), which
our CSV import strips again.

XML turns a carriage return into a line feed when it is read, so XLSX text is written with the OOXML escape
`_x000D_` (as Excel itself does) and unescaped on import; a literal `_xHHHH_` is escaped as `_x005F_xHHHH_`.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import openpyxl
import tablib
from import_export.formats import base_formats
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def _needs_apostrophe(value: str) -> bool:
    # Text that already starts with apostrophes before a trigger ("'=x") gets one more, or the import
    # could not tell it from an escaped "=x": the escape must be undoable for every text.
    return value.lstrip("'").startswith(FORMULA_TRIGGERS)


def neutralise_text(value: Any) -> Any:
    """The CSV form of a value: text that could start a formula gets a leading apostrophe."""
    return f"'{value}" if isinstance(value, str) and _needs_apostrophe(value) else value


def restore_text(value: Any) -> Any:
    """Undo `neutralise_text` on import."""
    if isinstance(value, str) and value.startswith("'") and _needs_apostrophe(value[1:]):
        return value[1:]
    return value


def _xlsx_text(value: str) -> str:
    value = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
    value = _OOXML_ESCAPED.sub(lambda m: f"_x005F{m.group(0)}", value)
    return value.replace("\r", "_x000D_")


def _xlsx_untext(value: Any) -> Any:
    if isinstance(value, str) and "_x" in value:
        return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), value)
    return value


def write_xlsx(headers: list[str], rows: list[list[Any]], title: str = "Data") -> bytes:
    """An xlsx workbook in which every text cell is typed as text (never as a formula)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for row in rows:
        sheet.append([_xlsx_text(v) if isinstance(v, str) else v for v in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would otherwise store "=…" as a live formula
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class SafeXLSX(base_formats.XLSX):
    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> bytes:
        return write_xlsx(list(dataset.headers or []), [list(row) for row in dataset], title=dataset.title or "Data")

    def create_dataset(self, in_stream: bytes, **kwargs: Any) -> tablib.Dataset:
        dataset = super().create_dataset(in_stream)
        restored = tablib.Dataset(headers=list(dataset.headers or []))
        for row in dataset:
            restored.append([_xlsx_untext(v) for v in row])
        return restored


class SafeCSV(base_formats.CSV):
    def export_data(self, dataset: tablib.Dataset, **kwargs: Any) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([neutralise_text(h) for h in dataset.headers or []])
        for row in dataset:
            writer.writerow(["" if v is None else neutralise_text(v if isinstance(v, str) else str(v)) for v in row])
        return out.getvalue()

    def create_dataset(self, in_stream: str | bytes, **kwargs: Any) -> tablib.Dataset:
        dataset = super().create_dataset(in_stream, **kwargs)
        restored = tablib.Dataset(headers=[restore_text(h) for h in dataset.headers or []])
        for row in dataset:
            restored.append([restore_text(v) for v in row])
        return restored
