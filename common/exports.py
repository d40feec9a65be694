"""Exports that stream: rows come from an iterator and leave as they are written, so memory stays flat.

An xlsx is written by openpyxl in write-only mode into a spooled temporary file (in memory while small, on disk
beyond `SPOOL_BYTES`) and served by FileResponse with its Content-Length; a CSV leaves line by line through a
StreamingHttpResponse. Text is made formula-safe as `common.spreadsheets` says (typed as text in xlsx, an
apostrophe before a trigger in CSV). Rows should come from `queryset.iterator(chunk_size=…)` or keyset pages,
never from OFFSET pages, which sort the table again for every page.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import FileResponse, StreamingHttpResponse

from common.downloads import content_disposition
from common.spreadsheets import csv_pieces, write_xlsx_rows

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A dashboard table or a questionnaire stays in memory; a national export goes to disk at this size.
SPOOL_BYTES = 4 * 1024 * 1024


def spooled_file() -> Any:
    """A temporary file for a generated export: in memory up to SPOOL_BYTES, on disk beyond, gone once closed."""
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)


def serve_spooled(handle: Any, *, filename: str, content_type: str, disposition: str | None = None) -> FileResponse:
    """Serve a file written to `handle` (rewound here) with its Content-Length; FileResponse closes it."""
    size = handle.tell()
    handle.seek(0)
    response = FileResponse(handle, content_type=content_type)
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = disposition or content_disposition(filename, inline=False)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(
    *,
    filename: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    title: str = "Data",
    disposition: str | None = None,
) -> FileResponse:
    """A one-sheet workbook of `rows`, written as they come, served as a download."""
    handle = spooled_file()
    try:
        write_xlsx_rows(handle, headers, rows, title)
    except BaseException:
        handle.close()
        raise
    return serve_spooled(handle, filename=filename, content_type=XLSX_CONTENT_TYPE, disposition=disposition)


def _encoded(pieces: Iterator[str], encoding: str) -> Iterator[bytes]:
    for piece in pieces:
        if piece:
            yield piece.encode(encoding)


def csv_response(
    *,
    filename: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    delimiter: str = ",",
    bom: bool = False,
    encoding: str = "utf-8",
    content_type: str | None = None,
    disposition: str | None = None,
) -> StreamingHttpResponse:
    """A CSV of `rows`, read from them while the response is sent (the rows' queries run then, not here)."""
    content_type = content_type or f"text/csv; charset={encoding}"
    response = StreamingHttpResponse(
        _encoded(csv_pieces(headers, rows, delimiter=delimiter, bom=bom), encoding), content_type=content_type
    )
    response["Content-Disposition"] = disposition or content_disposition(filename, inline=False)
    response["X-Content-Type-Options"] = "nosniff"
    return response
