"""Inspection before any parser: `inspect_upload`, then each part of a workbook held to the import's caps."""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
import zipfile
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.reader.excel import _find_workbook_part
from openpyxl.xml.constants import ARC_CONTENT_TYPES, ARC_STYLE, SHARED_STRINGS

from common.spreadsheet_guard.limits import ImportLimits
from common.spreadsheet_guard.refusals import SpreadsheetRefused, display_name, refuse_damaged
from common.uploads.inspection import Inspected, inspect_upload

logger = logging.getLogger(__name__)

READ_CHUNK = 64 * 1024
DOCTYPE = b"<!DOCTYPE"  # where XML declares entities: no part a spreadsheet program writes has one


def inspect_spreadsheet(upload: File, limits: ImportLimits) -> Inspected:
    """`inspect_upload`, then for a workbook the caps on each part; raises SpreadsheetRefused naming the file."""
    try:
        inspected = inspect_upload(upload)  # size, kind by content, zip bombs, macros; leaves the file rewound
    except ValidationError as error:
        raise SpreadsheetRefused(" ".join(error.messages), code=getattr(error, "code", None)) from error
    if inspected.kind == "xlsx":
        try:
            _check_parts(upload, limits, display_name(upload))
        finally:
            upload.seek(0)
    return inspected


def _check_parts(upload: File, limits: ImportLimits, name: str) -> None:
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = {entry.filename: entry for entry in archive.infolist()}
            if ARC_CONTENT_TYPES not in entries:
                refuse_damaged(name)
            _check_size(entries[ARC_CONTENT_TYPES], limits.max_part_bytes, name)
            _count_elements(archive, ARC_CONTENT_TYPES, limits.max_part_elements, name)
            manifest = Manifest.from_tree(ET.fromstring(archive.read(ARC_CONTENT_TYPES)))  # noqa: S314
            workbook = _find_workbook_part(manifest).PartName[1:]
            strings = manifest.find(SHARED_STRINGS)
            strings_path = strings.PartName[1:] if strings is not None else None
            parsed_whole = {workbook, get_rels_path(workbook)}
            for path, entry in entries.items():
                if path == ARC_CONTENT_TYPES:
                    continue
                if path == strings_path:
                    _check_size(entry, limits.max_shared_strings_bytes, name, _refuse_strings_size)
                elif path == ARC_STYLE:
                    _check_size(entry, limits.max_styles_bytes, name, _refuse_styles)
                    _count_elements(archive, path, limits.max_styles_elements, name, _refuse_styles)
                elif path in parsed_whole:
                    _check_size(entry, limits.max_part_bytes, name)
                    _count_elements(archive, path, limits.max_part_elements, name)
                else:
                    _check_size(entry, limits.max_sheet_bytes, name)
    except ValidationError:
        raise
    except Exception as exc:
        # zipfile and the manifest parser raise many types on broken archives (BadZipFile, KeyError, XML
        # errors, IOError for a missing workbook part, ...).
        logger.info("Refused spreadsheet %r as damaged: %r", name, exc)
        refuse_damaged(name, exc)


def _check_size(entry: zipfile.ZipInfo, limit: int, name: str, refuse: Any = None) -> None:
    # The declared size is a ceiling: zipfile stops every read at it (and checks the CRC), so a part cannot
    # unpack to more than this whatever its compressed bytes say.
    if entry.file_size > limit:
        (refuse or _refuse_part)(name, entry, limit)


def _count_elements(archive: zipfile.ZipFile, path: str, limit: int, name: str, refuse: Any = None) -> None:
    """Count the part's elements on its raw bytes (C speed) before a parser builds objects for each of them."""
    count = 0
    carry = b""
    with archive.open(path) as part:
        while chunk := part.read(READ_CHUNK):
            window = carry + chunk
            if DOCTYPE in window:
                refuse_damaged(name)
            # Every element has one "<" that is not "</"; comments and instructions are counted too (never fewer).
            count += chunk.count(b"<") - chunk.count(b"</")
            if count > limit:
                if refuse is None:
                    refuse_damaged(name)  # a workbook or relationship list that no spreadsheet program writes
                refuse(name, archive.getinfo(path), limit)
            carry = window[-(len(DOCTYPE) - 1) :]


def _refuse_part(name: str, entry: zipfile.ZipInfo, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _(
            "“%(name)s” contains a part (%(part)s) of %(size)s when unpacked; this import reads at most %(limit)s "
            "per part. Remove what the import does not need (other sheets, pictures, formatting) or split the file."
        )
        % {
            "name": name,
            "part": entry.filename,
            "size": filesizeformat(entry.file_size),
            "limit": filesizeformat(limit),
        },
        code="part_too_large",
    )


def _refuse_strings_size(name: str, entry: zipfile.ZipInfo, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _("“%(name)s” holds %(size)s of text when unpacked; this import reads at most %(limit)s. Split the file.")
        % {"name": name, "size": filesizeformat(entry.file_size), "limit": filesizeformat(limit)},
        code="strings_too_large",
    )


def _refuse_styles(name: str, entry: zipfile.ZipInfo, limit: int) -> NoReturn:
    raise SpreadsheetRefused(
        _(
            "“%(name)s” carries too much cell formatting to be read. Copy the data into a new workbook (Paste "
            "Special › Values) and upload that."
        )
        % {"name": name},
        code="styles_too_large",
    )
