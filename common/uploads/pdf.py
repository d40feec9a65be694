"""PDF: opened with pypdf through a bounded reader, never judged by scanning its bytes."""

from __future__ import annotations

import io
import logging
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _
from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from common.uploads.reading import CHUNK_SIZE, read_at

logger = logging.getLogger(__name__)

# A PDF is opened by pypdf through a reader that splits every read into CHUNK_SIZE pieces and stops the check
# past this many bytes in all: well-formed PDFs need their cross-reference table and a few objects (a 100 MB
# scan reads under 100 KB); only a broken table makes pypdf read the whole file, and then a large file is
# refused instead of held in memory. The same bound caps what one decompressed object stream may grow to.
MAX_PDF_READ = 16 * 1024 * 1024
MAX_PDF_OBJECTS = 50_000  # pages, annotations, form fields, outline items and actions walked per PDF
PDF_CACHE_STEPS = 1_000
PDF_EOF_WINDOW = 1024  # Acrobat wants "%%EOF" within the last 1 KB; pypdf's search backwards stops there too


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


def check_pdf(upload: File, name: str, *, start: int) -> None:
    """Open the PDF (its header at `start`) with pypdf; refuse JavaScript, launch actions, embedded files,
    encryption and damage."""
    size = upload.size or 0
    if b"%%EOF" not in read_at(upload, max(0, size - PDF_EOF_WINDOW), PDF_EOF_WINDOW):
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
