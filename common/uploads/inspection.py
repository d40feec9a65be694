"""`inspect_upload`: what an upload is, decided from its content, size and name, or why it is refused."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from common.uploads.images import check_image
from common.uploads.kinds import JPEG_MAGIC, KINDS, PNG_MAGIC, ZIP_MAGIC, is_executable
from common.uploads.names import clean_filename
from common.uploads.office import classify_zip
from common.uploads.pdf import check_pdf
from common.uploads.polyglot import check_one_kind
from common.uploads.reading import chunks, read_at, read_head
from common.uploads.refusals import refuse_script
from common.uploads.text import classify_text, find_marker

PDF_MAGIC_WINDOW = 1024  # Acrobat accepts "%PDF-" anywhere in the first 1 KB, and so do real-world PDFs
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
        head = read_head(upload)
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
        head = read_at(upload, 0, PDF_MAGIC_WINDOW)
    finally:
        upload.seek(0)
    return b"%PDF-" in head and not is_executable(head)


def _classify(upload: File, head: bytes, name: str) -> str:
    if is_executable(head):
        raise ValidationError(
            _("“%(name)s” is a program (executable file); programs are not accepted.") % {"name": name},
            code="executable",
        )
    pdf_at = head.find(b"%PDF-", 0, PDF_MAGIC_WINDOW)
    if pdf_at >= 0:
        # Junk before the header is tolerated, but not an HTML page pretending to be a PDF further down.
        if find_marker(head[:pdf_at].lower()):
            refuse_script(name)
        check_one_kind(upload, head, "pdf", name)
        check_pdf(upload, name, start=pdf_at)
        return "pdf"
    if head.startswith(JPEG_MAGIC):
        check_image(upload, "JPEG", name)
        check_one_kind(upload, head, "jpeg", name)
        return "jpeg"
    if head.startswith(PNG_MAGIC):
        check_image(upload, "PNG", name)
        check_one_kind(upload, head, "png", name)
        return "png"
    if head.startswith(ZIP_MAGIC):
        kind = classify_zip(upload, name)
        check_one_kind(upload, head, kind, name)
        return kind
    return classify_text(upload, head, name)


def _hash(upload: File) -> str:
    digest = hashlib.sha256()
    for chunk in chunks(upload):
        digest.update(chunk)
    return digest.hexdigest()


def _known_sha256(upload: File) -> str | None:
    """The hash HashingUploadHandler computed while receiving the file (also behind a model's FieldFile)."""
    for candidate in (upload, getattr(upload, "file", None)):
        value = getattr(candidate, "sha256", None)
        if isinstance(value, str) and _SHA256_HEX.fullmatch(value):
            return value
    return None
