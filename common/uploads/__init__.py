"""Upload checks decided by content, size and name — never by the extension or the browser's claim.

`inspect_upload` (`inspection`) is the one place that decides whether an uploaded evidence file (bukti dukung) is
acceptable and what it is: one kind only (`polyglot`: a file whose bytes are also a web page or a ZIP is
refused), a PDF opened by pypdf and refused when it carries JavaScript, launch actions or embedded files (`pdf`),
images checked with Pillow (`images`), office zips without bombs or macros (`office`), and CSV as the one text
kind (`text`). `kinds` lists the allowed kinds and their signatures, `reading` reads a file in chunks, and
`refusals` holds the messages more than one check gives. `HashingUploadHandler` (`handler`) streams every upload
to disk, hashing it on the way, and skips files over the size limits while keeping the rest of the form.
`served_filename` (`names`) is the name a stored file is served under: the detected kind's extension, never the
uploader's.

The names below are the ones other apps, settings and tests use. Limits are read by the module that defines
them: a test that wants a smaller one patches that module (`common.uploads.pdf.MAX_PDF_READ`), not a re-export.
"""

from __future__ import annotations

from common.uploads.handler import HashingUploadHandler
from common.uploads.inspection import Inspected, inspect_upload, validate_pdf
from common.uploads.kinds import ALLOWED_LABEL, KINDS, UNKNOWN_EXTENSION, extension_for
from common.uploads.names import clean_filename, served_filename
from common.uploads.reading import CHUNK_SIZE, crc32_of

__all__ = [
    "ALLOWED_LABEL",
    "CHUNK_SIZE",
    "KINDS",
    "UNKNOWN_EXTENSION",
    "HashingUploadHandler",
    "Inspected",
    "clean_filename",
    "crc32_of",
    "extension_for",
    "inspect_upload",
    "served_filename",
    "validate_pdf",
]
