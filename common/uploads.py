"""Upload checks decided by content, size and name — never by the extension or the browser's claim.

`inspect_upload` is the one place that decides whether an uploaded evidence file (bukti dukung) is acceptable
and what it is: one kind only (a file whose bytes are also a web page or a ZIP is refused), and a PDF opened by
pypdf and refused when it carries JavaScript, launch actions or embedded files. `HashingUploadHandler` streams
every upload to disk, hashing it on the way, and skips files over the size limits while keeping the rest of the
form. `served_filename` is the name a stored file is served under: the detected kind's extension, never the
uploader's.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import logging
import re
import struct
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import SkipFile, StopFutureHandlers, TemporaryFileUploadHandler
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image
from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH = 150
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)

# Defaults for the limits that settings may override (smartcity/settings.py sets them explicitly).
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
DEFAULT_MAX_UNZIPPED_SIZE = 200 * 1024 * 1024
DEFAULT_MAX_UPLOAD_REQUEST_SIZE = 100 * 1024 * 1024

CHUNK_SIZE = 64 * 1024  # every pass over a file reads this much at a time, whatever the file's size
HEAD_SIZE = 64 * 1024  # the start of the file that magic numbers and the CSV parse look at
PDF_MAGIC_WINDOW = 1024  # Acrobat accepts "%PDF-" anywhere in the first 1 KB, and so do real-world PDFs
CSV_SAMPLE_ROWS = 50

# A PDF is opened by pypdf through a reader that splits every read into CHUNK_SIZE pieces and stops the check
# past this many bytes in all: well-formed PDFs need their cross-reference table and a few objects (a 100 MB
# scan reads under 100 KB); only a broken table makes pypdf read the whole file, and then a large file is
# refused instead of held in memory. The same bound caps what one decompressed object stream may grow to.
MAX_PDF_READ = 16 * 1024 * 1024
MAX_PDF_OBJECTS = 50_000  # pages, annotations, form fields, outline items and actions walked per PDF
PDF_CACHE_STEPS = 1_000
PDF_EOF_WINDOW = 1024  # Acrobat wants "%%EOF" within the last 1 KB; pypdf's search backwards stops there too
# Browsers decide a file is HTML from its start, and zip readers find an archive from its end: these two
# windows are where a second reading of the same bytes lives.
POLYGLOT_WINDOW = 64 * 1024
ZIP_EOCD_WINDOW = 22 + 0xFFFF  # an end-of-central-directory record and the longest comment after it
MAX_IMAGE_SEGMENTS = 100_000  # JPEG segments or PNG chunks walked to the end marker (photos have a few hundred)

MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_RATIO = 100  # uncompressed:compressed, checked on entries above RATIO_CHECK_MIN_SIZE
RATIO_CHECK_MIN_SIZE = 1024 * 1024
MAX_ZIP_DEPTH = 16  # office files nest 3-4 folders deep; more is an attack on whoever unpacks it
# zipfile loads the whole central directory into objects before we can count entries: ~46 bytes on disk
# become ~400 bytes of memory each, so its size is checked first (2,000 entries with long names fit in 2 MB).
MAX_ZIP_CENTRAL_DIRECTORY = 2 * 1024 * 1024
ZIP_PART_READ_LIMIT = 1024 * 1024  # [Content_Types].xml and mimetype are small; never read more

# kind -> (the MIME type we serve it with, the extension we store it under)
KINDS: Mapping[str, tuple[str, str]] = {
    "pdf": ("application/pdf", ".pdf"),
    "jpeg": ("image/jpeg", ".jpg"),
    "png": ("image/png", ".png"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
    "odt": ("application/vnd.oasis.opendocument.text", ".odt"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ".ods"),
    "csv": ("text/csv", ".csv"),
}
ALLOWED_LABEL = ", ".join(kind.upper() for kind in KINDS)
_EXTENSIONS = dict(KINDS.values())  # content type -> extension
UNKNOWN_EXTENSION = ".bin"  # what a content type we never detect is served as: nothing that opens by itself

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_ZIP_MAGIC = b"PK\x03\x04"
# ELF, Mach-O (32/64-bit, both byte orders), Mach-O universal / Java class (both CA FE BA BE), shebang scripts.
_EXECUTABLE_MAGICS = (
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"\xca\xfe\xba\xbf",
    b"#!",
)
# Markers of a document a browser would run scripts in. Matched on lowercased bytes: they are ASCII, which is
# the same in UTF-8 and cp1252, so no decoding is needed.
_SCRIPT_MARKERS = (
    b"<html",
    b"<script",
    b"<svg",
    b"<!doctype html",
    b"javascript:",
    b"vbscript:",
    b"<?xml",
    b"<iframe",
    b"<body",
)
_LONGEST_MARKER = max(len(marker) for marker in _SCRIPT_MARKERS)
# The same, for the start and end of binary files (PDF, images, office zips), matched on lowercased bytes. A tag
# must end its name ("<svg " or "<svg>", not "<svgx"): a four-byte "<svg" turns up by chance in about one
# compressed file in four thousand, the tag with its delimiter a hundred times less often. "<?xml" is left
# out: office files and PDF metadata legitimately hold it.
_POLYGLOT_MARKER = re.compile(rb"<(?:script|html|svg|iframe)[\s/>]|<!doctype\s+html|javascript:")
_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_ZIP_END_RECORD = b"PK\x05\x06"
# After SOS the entropy-coded data runs to the next marker: 0xFF followed by anything but a stuffed zero, a
# restart marker (D0-D7) or another 0xFF (fill).
_JPEG_NEXT_MARKER = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")
_ZIP_LOCAL_HEADER_RE = re.compile(re.escape(_ZIP_LOCAL_HEADER))
_TEXT_CONTROLS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])  # controls but tab, LF, CR
_NOT_TEXT_CONTROLS = bytes(b for b in range(256) if b not in _TEXT_CONTROLS)
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
_NOT_CP1252_UNDEFINED = bytes(b for b in range(256) if b not in _CP1252_UNDEFINED)
_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Inspected:
    """What an accepted upload is, decided from its bytes."""

    kind: str  # a key of KINDS
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str  # clean_filename() of the uploaded name: display metadata, never a storage path


def clean_filename(name: str) -> str:
    """A display name safe to keep as metadata: no directories, control characters or absurd length."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" .") or "file"
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    ext = ext[:10]
    stem = stem[: MAX_NAME_LENGTH - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem


def extension_for(content_type: str) -> str:
    """The extension a file of this detected content type is stored and served under."""
    return _EXTENSIONS.get(content_type, UNKNOWN_EXTENSION)


def served_filename(name: str, content_type: str) -> str:
    """The name a stored file is served under: the stem of its (display) name and the detected kind's extension.

    `laporan.hta` whose bytes are a PDF is served as `laporan.pdf`: the uploader's extension never reaches a
    browser or a desktop that would choose a program by it.
    """
    cleaned = clean_filename(name)
    stem, dot, _extension = cleaned.rpartition(".")
    stem = (stem if dot else cleaned).rstrip(" .") or "file"
    return stem + extension_for(content_type)


def inspect_upload(upload: File) -> Inspected:
    """Decide from its content what `upload` is, or raise ValidationError naming the file and the reason.

    Reads the file in chunks (memory stays flat whatever its size) and leaves it rewound for saving.
    """
    name = clean_filename(getattr(upload, "name", "") or "")
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    if size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(settings.MAX_UPLOAD_SIZE)},
            code="too_large",
        )
    try:
        head = _read_head(upload)
        kind = _classify(upload, head, name)
        sha256 = _known_sha256(upload) or _hash(upload)
    finally:
        upload.seek(0)
    content_type, extension = KINDS[kind]
    return Inspected(
        kind=kind, content_type=content_type, extension=extension, size=size, sha256=sha256, original_name=name
    )


def validate_pdf(upload: File) -> None:
    """Refuse anything that is not a PDF by its content, or that is empty or too large."""
    kind: str | None = None
    try:
        kind = inspect_upload(upload).kind
    except ValidationError as error:
        # A file that starts as a PDF is told why it was refused (JavaScript, damage, ...); any other refusal
        # (a program, a web page, ...) reads as "not a PDF" where only a PDF is wanted.
        if error.code in {"empty", "too_large"} or _starts_as_pdf(upload):
            raise
    if kind != "pdf":
        name = clean_filename(getattr(upload, "name", "") or "")
        raise ValidationError(_("“%(name)s” is not a PDF document.") % {"name": name}, code="not_pdf")


def _starts_as_pdf(upload: File) -> bool:
    try:
        head = _read_at(upload, 0, PDF_MAGIC_WINDOW)
    finally:
        upload.seek(0)
    return b"%PDF-" in head and not _is_executable(head)


# --- Classification by content.


def _classify(upload: File, head: bytes, name: str) -> str:
    if _is_executable(head):
        raise ValidationError(
            _("“%(name)s” is a program (executable file); programs are not accepted.") % {"name": name},
            code="executable",
        )
    pdf_at = head.find(b"%PDF-", 0, PDF_MAGIC_WINDOW)
    if pdf_at >= 0:
        # Junk before the header is tolerated, but not an HTML page pretending to be a PDF further down.
        if _find_marker(head[:pdf_at].lower()):
            _refuse_script(name)
        _check_one_kind(upload, head, "pdf", name)
        _check_pdf(upload, name, start=pdf_at)
        return "pdf"
    if head.startswith(_JPEG_MAGIC):
        _check_image(upload, "JPEG", name)
        _check_one_kind(upload, head, "jpeg", name)
        return "jpeg"
    if head.startswith(_PNG_MAGIC):
        _check_image(upload, "PNG", name)
        _check_one_kind(upload, head, "png", name)
        return "png"
    if head.startswith(_ZIP_MAGIC):
        kind = _classify_zip(upload, name)
        _check_one_kind(upload, head, kind, name)
        return kind
    return _classify_text(upload, head, name)


def _is_executable(head: bytes) -> bool:
    if head.startswith(_EXECUTABLE_MAGICS):
        return True
    # Every real DOS/PE header has NUL bytes in its first 64 bytes; a CSV whose first cell starts with "MZ"
    # has none, and is not refused for it.
    return head.startswith(b"MZ") and b"\x00" in head[:64]


def _check_image(upload: File, pillow_format: str, name: str) -> None:
    """Open the image header with Pillow (no pixel decoding) and refuse pixel bombs and broken files."""
    limit = getattr(settings, "MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)
    too_big = False
    upload.seek(0)
    try:
        # Pillow warns above its own global limit and raises at twice it; a warning must refuse here too.
        # catch_warnings is process-wide, so a concurrent request may miss the filter: the width * height
        # check below still refuses the file, the filter only makes the refusal earlier.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[pillow_format]) as image:
                width, height = image.size
                too_big = width * height > limit
                if not too_big:
                    image.verify()  # walks the structure (chunk CRCs for PNG) without decoding pixels
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        too_big = True
    except Exception as exc:
        # Pillow raises many exception types on hostile input (OSError, SyntaxError, struct.error, ...):
        # all of them mean the file cannot be read.
        logger.info("Refused upload %r as a corrupt %s: %r", name, pillow_format, exc)
        _refuse_corrupt(name, exc)
    if too_big:
        raise ValidationError(
            _("“%(name)s” is an image too large to open safely (more than %(limit)s pixels).")
            % {"name": name, "limit": number_format(limit, force_grouping=True)},
            code="pixel_bomb",
        )


# --- One kind only: no web page at either end, no ZIP after the end of an image or a PDF.


def _check_one_kind(upload: File, head: bytes, kind: str, name: str) -> None:
    """Refuse a binary file that a browser could also read as a web page, or a zip reader as an archive."""
    size = upload.size or 0
    tail = _read_at(upload, max(0, size - ZIP_EOCD_WINDOW), ZIP_EOCD_WINDOW)
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
        end = _jpeg_end(upload, name) if kind == "jpeg" else _png_end(upload, size, name)
    if end is not None and _search(upload, _ZIP_LOCAL_HEADER_RE, end) >= 0:
        _refuse_polyglot(name, kind, "zip")


def _jpeg_end(upload: File, name: str) -> int | None:
    """The offset just after a JPEG's end-of-image marker, following segment lengths and scan data."""
    position = 2  # after the start-of-image marker
    for _segment in range(MAX_IMAGE_SEGMENTS):
        header = _read_at(upload, position, 4)
        if len(header) < 2:
            return None  # truncated before its end marker: nothing can follow it
        if header[0] != 0xFF:
            # Stray bytes between segments: decoders skip to the next marker, and so do we.
            position = _search(upload, _JPEG_NEXT_MARKER, position)
            if position < 0:
                return None
            continue
        marker = header[1]
        if marker == 0xD9:
            return position + 2
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            position += 1 if marker == 0xFF else 2  # a fill byte, or a marker without a length
            continue
        if len(header) < 4:
            return None
        (length,) = struct.unpack(">H", header[2:4])
        if length < 2:
            _refuse_corrupt(name, ValueError(f"JPEG segment length {length}"))
        position += 2 + length
        if marker == 0xDA:  # start of scan: its entropy-coded data runs to the next marker
            position = _search(upload, _JPEG_NEXT_MARKER, position)
            if position < 0:
                return None
    _refuse_corrupt(name, ValueError("too many JPEG segments"))


def _png_end(upload: File, size: int, name: str) -> int | None:
    """The offset just after a PNG's IEND chunk, walking the chunk lengths."""
    position = len(_PNG_MAGIC)
    for _segment in range(MAX_IMAGE_SEGMENTS):
        header = _read_at(upload, position, 8)
        if len(header) < 8:
            return None
        length, chunk_type = struct.unpack(">I4s", header)
        position += 12 + length  # length, type, data, CRC
        if chunk_type == b"IEND":
            return position
        if position > size:
            return None
    _refuse_corrupt(name, ValueError("too many PNG chunks"))


# --- PDF: opened with pypdf, never judged by scanning its bytes.


class _PdfTooComplex(Exception):
    """The check would need more reading or walking than a well-formed PDF ever does."""


class _BoundedPdfSource:
    """The upload as pypdf reads it: every read split into CHUNK_SIZE pieces, MAX_PDF_READ bytes in all.

    pypdf reads a whole stream it was given as a path into memory, and re-reads the whole file to rebuild a
    broken cross-reference table; going through this object, neither can take more than the budget. The file
    is seen from its "%PDF-" header on: like Acrobat, offsets count from the header when a scanner put junk
    before it.
    """

    def __init__(self, upload: File, size: int, start: int = 0) -> None:
        # The file object under Django's proxies: pypdf reads a byte at a time, and each proxy costs a call.
        raw: Any = upload
        while isinstance(raw, File):
            raw = raw.file
        self._raw, self._read, self._start = raw, raw.read, start
        self._size = size - start
        self.read_total = 0
        self.exhausted = False

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            offset += self._start
        return self._raw.seek(offset, whence) - self._start

    def tell(self) -> int:
        return self._raw.tell() - self._start

    def read(self, size: int | None = -1) -> bytes:
        if self.exhausted:
            raise _PdfTooComplex  # pypdf catches some errors and carries on: stay refused
        if size == 0:
            return b""
        if size is not None and 0 < size <= CHUNK_SIZE:
            data = self._read(size)  # nearly every read: a token, a line, a block of the trailer
        else:
            wanted = max(0, self._size - self.tell())
            if size is not None and size >= 0:
                wanted = min(wanted, size)
            if self.read_total + wanted > MAX_PDF_READ:
                self.exhausted = True
                raise _PdfTooComplex
            parts: list[bytes] = []
            while wanted > 0 and (part := self._read(min(wanted, CHUNK_SIZE))):
                parts.append(part)
                wanted -= len(part)
            data = b"".join(parts)
        self.read_total += len(data)
        if self.read_total > MAX_PDF_READ:
            self.exhausted = True
            raise _PdfTooComplex
        return data


# What pypdf may decompress while the check runs (object and cross-reference streams): no more than it may read.
_PDF_LIMITS = {
    "zlib_maximum_output_length": MAX_PDF_READ,
    "lzw_maximum_output_length": MAX_PDF_READ,
    "run_length_maximum_output_length": MAX_PDF_READ,
    "brotli_maximum_output_length": MAX_PDF_READ,
    "array_based_stream_maximum_output_length": MAX_PDF_READ,
    "maximum_declared_stream_length": MAX_PDF_READ,
}
# Where actions, form fields, annotations and outline items hang from the catalog. Content streams, fonts and
# images are never followed: they cannot start an action, and reading them would read the whole file.
_PDF_EDGES = frozenset(
    {"/Pages", "/Kids", "/Annots", "/A", "/Next", "/OpenAction", "/AcroForm", "/Fields", "/Outlines", "/First"}
)
_PDF_LAUNCH_ACTIONS = frozenset({"/Launch", "/ImportData"})  # start a program, or read a file from the disk
_PDF_EMBEDDING_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia"})


def _check_pdf(upload: File, name: str, *, start: int) -> None:
    """Open the PDF (its header at `start`) with pypdf; refuse JavaScript, launch actions, embedded files,
    encryption and damage."""
    size = upload.size or 0
    if b"%%EOF" not in _read_at(upload, max(0, size - PDF_EOF_WINDOW), PDF_EOF_WINDOW):
        _refuse_pdf(name, "pdf_damaged")  # truncated, or something appended: readers would have to guess
    source = _BoundedPdfSource(upload, size, start)
    finding: str | None = None
    try:
        with apply_configuration(**_PDF_LIMITS):
            reader = PdfReader(source, strict=False)  # type: ignore[arg-type]  # read/seek/tell is all it uses
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                _refuse_pdf(name, "pdf_encrypted")
            finding = _pdf_finding(reader)
    except ValidationError:
        raise
    except (_PdfTooComplex, LimitReachedError):
        _refuse_pdf(name, "pdf_too_complex")
    except (DependencyError, FileNotDecryptedError):
        # AES encryption needs a crypto package we do not install; other files ask for a password.
        _refuse_pdf(name, "pdf_encrypted")
    except Exception as exc:
        # pypdf raises many types on hostile input (PdfReadError, ValueError, KeyError, RecursionError, ...);
        # all of them mean it cannot read the file, unless our budget ran out while it was trying.
        if source.exhausted:
            _refuse_pdf(name, "pdf_too_complex")
        logger.info("Refused upload %r as a damaged PDF: %r", name, exc)
        _refuse_pdf(name, "pdf_damaged", exc)
    if source.exhausted:
        _refuse_pdf(name, "pdf_too_complex")
    if finding:
        logger.info("Refused upload %r: %s", name, finding)
        _refuse_pdf(name, finding)


def _pdf_finding(reader: PdfReader) -> str | None:
    """Walk from the catalog along the keys actions hang from; the refusal code of the first danger found."""
    root = reader.root_object
    names = root.get("/Names")
    if isinstance(names, DictionaryObject):
        if "/JavaScript" in names:
            return "pdf_javascript"
        if "/EmbeddedFiles" in names:
            return "pdf_embedded"
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [root]
    steps = 0
    while stack:
        steps += 1
        if steps > MAX_PDF_OBJECTS:
            raise _PdfTooComplex
        if steps % PDF_CACHE_STEPS == 0:
            # pypdf keeps every object it parsed; each is visited once here, so memory stays flat without them.
            reader.resolved_objects.clear()
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue  # shared and cyclic references (a page's /Parent, an action's /Next) are walked once
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, ArrayObject):
            stack.extend(item)
        elif isinstance(item, DictionaryObject):
            finding = _pdf_dict_finding(item)
            if finding:
                return finding
            stack.extend(item.raw_get(key) for key in _PDF_EDGES.intersection(item.keys()))
            triggers = item.get("/AA")  # additional actions: every value is an action (open, close, keystroke...)
            if isinstance(triggers, DictionaryObject):
                stack.extend(triggers.raw_get(key) for key in triggers)
    return None


def _pdf_dict_finding(item: DictionaryObject) -> str | None:
    action = item.get("/S")
    if action == "/JavaScript" or "/JS" in item or "/XFA" in item:
        return "pdf_javascript"  # XFA forms carry their scripts inside the form
    if action in _PDF_LAUNCH_ACTIONS:
        return "pdf_launch"
    if action == "/GoToE" or "/EF" in item or item.get("/Subtype") in _PDF_EMBEDDING_ANNOTATIONS:
        return "pdf_embedded"
    if action == "/URI":
        uri = item.get("/URI")
        text = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri or "")
        # Browsers drop spaces and control characters from a URL before reading its scheme.
        if "".join(ch for ch in text if ch > " ").lower().startswith("javascript:"):
            return "pdf_javascript"
    return None


def _classify_zip(upload: File, name: str) -> str:
    """Office formats are zips: refuse bombs and macros from the directory alone, then recognise the format."""
    try:
        if _central_directory_size(upload) > MAX_ZIP_CENTRAL_DIRECTORY:
            _refuse_zip_bomb(name)
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            _check_zip_entries(entries, name)
            by_lower = {entry.filename.lower(): entry.filename for entry in entries}
            content_types = (
                _read_part(archive, by_lower["[content_types].xml"]) if "[content_types].xml" in by_lower else b""
            )
            if _has_macros(by_lower, content_types):
                raise ValidationError(
                    _(
                        "“%(name)s” contains macros, which can run code. Save it without macros (for example as "
                        ".xlsx or .docx) and upload it again."
                    )
                    % {"name": name},
                    code="macro",
                )
            if content_types:
                for main_part, kind in (
                    ("xl/workbook.xml", "xlsx"),
                    ("word/document.xml", "docx"),
                    ("ppt/presentation.xml", "pptx"),
                ):
                    if main_part in by_lower:
                        return kind
            if "mimetype" in by_lower:
                mimetype = _read_part(archive, by_lower["mimetype"]).strip()
                for kind in ("odt", "ods"):
                    if mimetype == KINDS[kind][0].encode():
                        return kind
    except ValidationError:
        raise
    except Exception as exc:
        # zipfile raises BadZipFile, EOFError, NotImplementedError (unknown compression), RuntimeError
        # (encrypted entry), struct.error, ... on broken or hostile archives.
        logger.info("Refused upload %r as a corrupt zip: %r", name, exc)
        _refuse_corrupt(name, exc)
    _refuse_not_allowed(name)


def _central_directory_size(fp: File) -> int:
    """The size of a zip's central directory, read from its end record (following a Zip64 record)."""
    fp.seek(0, io.SEEK_END)
    file_size = fp.tell()
    tail_size = min(file_size, 22 + 0xFFFF)  # the end record (22 bytes) plus the longest comment
    fp.seek(file_size - tail_size)
    tail = fp.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise zipfile.BadZipFile("no end of central directory record")
    (cd_size,) = struct.unpack("<I", tail[at + 12 : at + 16])
    if cd_size != 0xFFFFFFFF:
        return cd_size
    # Zip64: the locator just before the end record points at the Zip64 end record, which holds the size.
    locator = tail[at - 20 : at] if at >= 20 else b""
    if not locator.startswith(b"PK\x06\x07"):
        raise zipfile.BadZipFile("zip64 locator missing")
    (record_offset,) = struct.unpack("<Q", locator[8:16])
    fp.seek(record_offset)
    record = fp.read(56)
    if not record.startswith(b"PK\x06\x06") or len(record) < 56:
        raise zipfile.BadZipFile("zip64 end record missing")
    (cd_size,) = struct.unpack("<Q", record[40:48])
    return cd_size


def _check_zip_entries(entries: list[zipfile.ZipInfo], name: str) -> None:
    if len(entries) > MAX_ZIP_ENTRIES:
        _refuse_zip_bomb(name)
    max_total = getattr(settings, "MAX_UNZIPPED_SIZE", DEFAULT_MAX_UNZIPPED_SIZE)
    total = 0
    seen: set[str] = set()
    for entry in entries:
        path = entry.filename.replace("\\", "/")
        parts = path.split("/")
        if path.startswith("/") or re.match(r"[A-Za-z]:", path) or ".." in parts or len(parts) > MAX_ZIP_DEPTH:
            raise ValidationError(
                _("“%(name)s” contains a part with an unsafe path (outside its folder, absolute or nested too deep).")
                % {"name": name},
                code="unsafe_path",
            )
        if path.lower() in seen:
            # Two parts with one name: different readers would pick different ones.
            raise zipfile.BadZipFile(f"duplicate entry {path!r}")
        seen.add(path.lower())
        total += entry.file_size
        if entry.file_size > RATIO_CHECK_MIN_SIZE and entry.file_size > MAX_ZIP_RATIO * entry.compress_size:
            _refuse_zip_bomb(name)
    if total > max_total:
        _refuse_zip_bomb(name)


def _has_macros(by_lower: Mapping[str, str], content_types: bytes) -> bool:
    for path in by_lower:
        if PurePosixPath(path).name in {"vbaproject.bin", "vbaprojectsignature.bin"}:
            return True
        # Excel 4.0 macro sheets, and OpenDocument Basic / script libraries.
        if path.startswith(("xl/macrosheets/", "basic/", "scripts/")):
            return True
    return b"macroenabled" in content_types.lower()


def _read_part(archive: zipfile.ZipFile, member: str) -> bytes:
    with archive.open(member) as part:
        data = part.read(ZIP_PART_READ_LIMIT + 1)
    if len(data) > ZIP_PART_READ_LIMIT:
        raise zipfile.BadZipFile(f"{member} is implausibly large")
    return data


@dataclass(frozen=True)
class _TextScan:
    marker: bytes | None  # the first script marker found, if any
    binary: bool  # NUL or another control character: not a text file
    encoding: str | None  # "utf-8-sig" or "cp1252" when the whole file decodes as one of them


def _classify_text(upload: File, head: bytes, name: str) -> str:
    scan = _scan_text(upload)
    if scan.marker:
        _refuse_script(name)
    if scan.binary or scan.encoding is None:
        _refuse_not_allowed(name)
    sample = head.decode(scan.encoding, errors="ignore")  # only a character cut at the end can be dropped
    if len(head) == HEAD_SIZE and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # the last line may be cut short: parse whole lines only
    if not _looks_like_csv(sample):
        _refuse_not_allowed(name)
    return "csv"


def _scan_text(upload: File) -> _TextScan:
    """One pass over the whole file: script markers anywhere (not only the head), controls and encoding."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = cp1252_ok = True
    carry = b""  # the end of the previous chunk, so a marker split across two chunks is still found
    for chunk in _chunks(upload):
        window = carry + chunk.lower()
        marker = _find_marker(window)
        if marker:
            return _TextScan(marker=marker, binary=False, encoding=None)
        carry = window[-(_LONGEST_MARKER - 1) :]
        if chunk.translate(None, _NOT_TEXT_CONTROLS):
            return _TextScan(marker=None, binary=True, encoding=None)
        if utf8_ok:
            try:
                utf8.decode(chunk)
            except UnicodeDecodeError:
                utf8_ok = False
        # Python's cp1252 decodes every byte but these five.
        cp1252_ok = cp1252_ok and not chunk.translate(None, _NOT_CP1252_UNDEFINED)
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    encoding = "utf-8-sig" if utf8_ok else "cp1252" if cp1252_ok else None
    return _TextScan(marker=None, binary=False, encoding=encoding)


def _find_marker(lowered: bytes) -> bytes | None:
    return next((marker for marker in _SCRIPT_MARKERS if marker in lowered), None)


def _looks_like_csv(sample: str) -> bool:
    """At least two columns under one of the usual delimiters, or a single column over several lines."""
    # No csv.Sniffer: its regular expressions can take quadratic time on hostile input.
    single_column_rows = 0
    for delimiter in (",", ";", "\t", "|"):
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            rows = [row for row in itertools.islice(reader, CSV_SAMPLE_ROWS) if any(cell.strip() for cell in row)]
        except csv.Error:
            continue
        if any(len(row) >= 2 for row in rows):
            return True
        single_column_rows = max(single_column_rows, len(rows))
    return single_column_rows >= 2


# --- Reading in chunks.


def _read_at(upload: File, offset: int, size: int) -> bytes:
    """`size` bytes from `offset` (fewer at the end of the file), read CHUNK_SIZE at a time."""
    upload.seek(offset)
    parts: list[bytes] = []
    while size > 0:
        data = upload.read(min(size, CHUNK_SIZE))
        if not data:
            break
        parts.append(data)
        size -= len(data)
    return b"".join(parts)


def _search(upload: File, pattern: re.Pattern[bytes], start: int) -> int:
    """The offset of the first match of `pattern` (at most 16 bytes long) from `start` on; -1 if none."""
    upload.seek(start)
    carry = b""  # the end of the previous chunk, so a match split across two chunks is still found
    chunk_start = start
    while chunk := upload.read(CHUNK_SIZE):
        window = carry + chunk
        match = pattern.search(window)
        if match:
            return chunk_start - len(carry) + match.start()
        carry = window[-15:]
        chunk_start += len(chunk)
    return -1


def _read_head(upload: File) -> bytes:
    upload.seek(0)
    parts: list[bytes] = []
    wanted = HEAD_SIZE
    while wanted:
        data = upload.read(wanted)
        if not data:
            break
        parts.append(data)
        wanted -= len(data)
    return b"".join(parts)


def _chunks(upload: File) -> Iterator[bytes]:
    upload.seek(0)
    while chunk := upload.read(CHUNK_SIZE):
        yield chunk


def _hash(upload: File) -> str:
    digest = hashlib.sha256()
    for chunk in _chunks(upload):
        digest.update(chunk)
    return digest.hexdigest()


def _known_sha256(upload: File) -> str | None:
    """The hash HashingUploadHandler computed while receiving the file (also behind a model's FieldFile)."""
    for candidate in (upload, getattr(upload, "file", None)):
        value = getattr(candidate, "sha256", None)
        if isinstance(value, str) and _SHA256_HEX.fullmatch(value):
            return value
    return None


# --- Refusals (each message names the file).


def _refuse_script(name: str) -> NoReturn:
    raise ValidationError(
        _("“%(name)s” is a web page, SVG or XML document, which can run scripts in a browser; it is not accepted.")
        % {"name": name},
        code="script",
    )


def _refuse_zip_bomb(name: str) -> NoReturn:
    raise ValidationError(
        _("“%(name)s” unpacks to too many parts or too much data (a “zip bomb”); it is not accepted.") % {"name": name},
        code="zip_bomb",
    )


def _refuse_corrupt(name: str, cause: BaseException) -> NoReturn:
    raise ValidationError(
        _("“%(name)s” is damaged or incomplete and cannot be read.") % {"name": name}, code="corrupt"
    ) from cause


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


def _refuse_pdf(name: str, code: str, cause: BaseException | None = None) -> NoReturn:
    messages = {
        "pdf_javascript": _(
            "“%(name)s” is a PDF with JavaScript (code that runs when it is opened or used), which evidence "
            "documents never need. Save it again as a plain PDF (for example with “Print to PDF”) and upload it "
            "again."
        ),
        "pdf_launch": _(
            "“%(name)s” is a PDF with an action that starts a program or opens a file on the reader's computer, "
            "which evidence documents never need. Save it again as a plain PDF (for example with “Print to PDF”) "
            "and upload it again."
        ),
        "pdf_embedded": _(
            "“%(name)s” is a PDF with files embedded in it, which evidence documents never need. Upload those "
            "files on their own, and the PDF saved again without attachments."
        ),
        "pdf_encrypted": _(
            "“%(name)s” is a PDF protected with a password or encryption, so it cannot be checked. Save it again "
            "without protection and upload it again."
        ),
        "pdf_too_complex": _(
            "“%(name)s” is a PDF too large or too complex to check safely. Save it again as PDF (for example with "
            "“Print to PDF”) and upload it again."
        ),
        # A PDF pypdf cannot open reads, for the user, like any other damaged file.
        "pdf_damaged": _("“%(name)s” is damaged or incomplete and cannot be read."),
    }
    raise ValidationError(messages[code] % {"name": name}, code=code) from cause


def _refuse_not_allowed(name: str) -> NoReturn:
    raise ValidationError(
        _("“%(name)s” is not an allowed file type; allowed: %(allowed)s.") % {"name": name, "allowed": ALLOWED_LABEL},
        code="not_allowed",
    )


# --- The upload handler.


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Stream every uploaded file to a temporary file while hashing it; skip files over the size limits.

    The result carries `.sha256` (hex), which inspect_upload reuses. A file over settings.MAX_UPLOAD_SIZE, or
    one that would take the request's files past settings.MAX_UPLOAD_REQUEST_SIZE, is skipped and named in
    `request.upload_errors` (translated messages), while the other files and fields arrive as usual. Views read
    it with `getattr(request, "upload_errors", [])`: a request without a multipart body never reaches here.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.upload_errors: list[str] = []
        self.kept_bytes = 0  # bytes of the files kept so far in this request
        self._digest = hashlib.sha256()
        if request is not None:
            request.upload_errors = self.upload_errors  # type: ignore[attr-defined]

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> None:
        self.upload_errors.clear()
        self.kept_bytes = 0
        if self.request is not None:
            self.request.upload_errors = self.upload_errors  # type: ignore[attr-defined]

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        # The parent creates the temporary file first, so a SkipFile raised later for this file closes (and
        # thereby deletes) this file, never the previous one already handed to the parser.
        super().new_file(*args, **kwargs)
        self._digest = hashlib.sha256()
        # Every byte of this file goes to our temporary file: a later handler (Django's memory handler) would
        # only hold a second copy.
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        received = start + len(raw_data)
        per_file = settings.MAX_UPLOAD_SIZE
        if received > per_file:
            self._skip(_("“%(name)s” was not received: it is larger than the limit of %(limit)s."), per_file)
        per_request = getattr(settings, "MAX_UPLOAD_REQUEST_SIZE", DEFAULT_MAX_UPLOAD_REQUEST_SIZE)
        if self.kept_bytes + received > per_request:
            self._skip(
                _("“%(name)s” was not received: the files sent at once may total at most %(limit)s."), per_request
            )
        self._digest.update(raw_data)
        self.file.write(raw_data)

    def file_complete(self, file_size: int) -> UploadedFile:
        upload = super().file_complete(file_size)
        upload.sha256 = self._digest.hexdigest()  # type: ignore[attr-defined]
        self.kept_bytes += file_size
        return upload

    def _skip(self, message: str, limit: int) -> NoReturn:
        name = clean_filename(self.file_name or "")
        logger.info("Skipped upload %r over the limit of %s bytes", name, limit)
        self.upload_errors.append(message % {"name": name, "limit": filesizeformat(limit)})
        raise SkipFile
