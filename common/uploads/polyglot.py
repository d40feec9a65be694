"""One kind only: no web page at either end of a binary file, no ZIP after the end of an image or a PDF."""

from __future__ import annotations

import re
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from common.uploads.images import jpeg_end, png_end
from common.uploads.reading import read_at, search

# Browsers decide a file is HTML from its start, and zip readers find an archive from its end: these two
# windows are where a second reading of the same bytes lives.
POLYGLOT_WINDOW = 64 * 1024
ZIP_EOCD_WINDOW = 22 + 0xFFFF  # an end-of-central-directory record and the longest comment after it
# The web page markers (`text` has them for text files), for the start and end of binary files (PDF, images,
# office zips), matched on lowercased bytes. A tag must end its name ("<svg " or "<svg>", not "<svgx"): a
# four-byte "<svg" turns up by chance in about one compressed file in four thousand, the tag with its delimiter
# a hundred times less often. "<?xml" is left out: office files and PDF metadata legitimately hold it.
_POLYGLOT_MARKER = re.compile(rb"<(?:script|html|svg|iframe)[\s/>]|<!doctype\s+html|javascript:")
_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_ZIP_END_RECORD = b"PK\x05\x06"
_ZIP_LOCAL_HEADER_RE = re.compile(re.escape(_ZIP_LOCAL_HEADER))


def check_one_kind(upload: File, head: bytes, kind: str, name: str) -> None:
    """Refuse a binary file that a browser could also read as a web page, or a zip reader as an archive."""
    size = upload.size or 0
    tail = read_at(upload, max(0, size - ZIP_EOCD_WINDOW), ZIP_EOCD_WINDOW)
    if _POLYGLOT_MARKER.search(head[:POLYGLOT_WINDOW].lower()) or _POLYGLOT_MARKER.search(
        tail[-POLYGLOT_WINDOW:].lower()
    ):
        _refuse_polyglot(name, kind, "script")
    if kind not in {"pdf", "jpeg", "png"}:
        return  # an office file is a zip: its own end record is expected
    # Zip readers look for the end record in the last 64 KB, whatever comes before it.
    if _ZIP_END_RECORD in tail:
        _refuse_polyglot(name, kind, "zip")
    if kind == "pdf":
        eof = tail.rfind(b"%%EOF")
        end = None if eof < 0 else size - len(tail) + eof + len(b"%%EOF")
    else:
        end = jpeg_end(upload, name) if kind == "jpeg" else png_end(upload, size, name)
    if end is not None and search(upload, _ZIP_LOCAL_HEADER_RE, end) >= 0:
        _refuse_polyglot(name, kind, "zip")


def _refuse_polyglot(name: str, kind: str, other: str) -> NoReturn:
    label = kind.upper()
    if other == "zip":
        message = _(
            "“%(name)s” is a %(kind)s file with a ZIP archive hidden in it; a file that is two kinds at once is "
            "not accepted. Save or export it again as a plain %(kind)s and upload it again."
        )
    else:
        message = _(
            "“%(name)s” is a %(kind)s file that also holds web page or script code, which a browser could run; a "
            "file that is two kinds at once is not accepted. Save or export it again as a plain %(kind)s and "
            "upload it again."
        )
    raise ValidationError(message % {"name": name, "kind": label}, code=f"polyglot_{other}")
