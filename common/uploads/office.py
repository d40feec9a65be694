"""Office files (xlsx, docx, pptx, odt, ods) are zips: bombs and macros refused from the directory alone."""

from __future__ import annotations

import io
import logging
import re
import struct
import zipfile
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.translation import gettext as _

from common.uploads.kinds import KINDS
from common.uploads.refusals import refuse_corrupt, refuse_not_allowed

logger = logging.getLogger(__name__)

# The default for the limit settings may override (smartcity/settings.py sets it explicitly).
DEFAULT_MAX_UNZIPPED_SIZE = 200 * 1024 * 1024

MAX_ZIP_ENTRIES = 2_000
MAX_ZIP_RATIO = 100  # uncompressed:compressed, checked on entries above RATIO_CHECK_MIN_SIZE
RATIO_CHECK_MIN_SIZE = 1024 * 1024
MAX_ZIP_DEPTH = 16  # office files nest 3-4 folders deep; more is an attack on whoever unpacks it
# zipfile loads the whole central directory into objects before we can count entries: ~46 bytes on disk
# become ~400 bytes of memory each, so its size is checked first (2,000 entries with long names fit in 2 MB).
MAX_ZIP_CENTRAL_DIRECTORY = 2 * 1024 * 1024
ZIP_PART_READ_LIMIT = 1024 * 1024  # [Content_Types].xml and mimetype are small; never read more


def classify_zip(upload: File, name: str) -> str:
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
        refuse_corrupt(name, exc)
    refuse_not_allowed(name)


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


def _refuse_zip_bomb(name: str) -> NoReturn:
    raise ValidationError(
        _("“%(name)s” unpacks to too many parts or too much data (a “zip bomb”); it is not accepted.") % {"name": name},
        code="zip_bomb",
    )
