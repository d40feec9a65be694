"""Tables (a header row, then rows) from an xlsx or CSV upload: what the admin's import formats read."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from common.spreadsheet_guard.csv_reading import csv_rows
from common.spreadsheet_guard.inspection import inspect_spreadsheet
from common.spreadsheet_guard.limits import ImportLimits
from common.spreadsheet_guard.refusals import SpreadsheetRefused, display_name
from common.spreadsheet_guard.xlsx import open_xlsx


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
