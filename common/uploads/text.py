"""Text uploads: CSV is the one text kind accepted; a web page or script anywhere in the file is refused."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from dataclasses import dataclass

from django.core.files import File

from common.uploads.reading import HEAD_SIZE, chunks
from common.uploads.refusals import refuse_not_allowed, refuse_script

CSV_SAMPLE_ROWS = 50
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
_TEXT_CONTROLS = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])  # controls but tab, LF, CR
_NOT_TEXT_CONTROLS = bytes(b for b in range(256) if b not in _TEXT_CONTROLS)
_CP1252_UNDEFINED = b"\x81\x8d\x8f\x90\x9d"
_NOT_CP1252_UNDEFINED = bytes(b for b in range(256) if b not in _CP1252_UNDEFINED)


@dataclass(frozen=True)
class _TextScan:
    marker: bytes | None  # the first script marker found, if any
    binary: bool  # NUL or another control character: not a text file
    encoding: str | None  # "utf-8-sig" or "cp1252" when the whole file decodes as one of them


def classify_text(upload: File, head: bytes, name: str) -> str:
    """The kind of a file with no binary signature: "csv" when it is text that reads as CSV, else refused."""
    scan = _scan_text(upload)
    if scan.marker:
        refuse_script(name)
    if scan.binary or scan.encoding is None:
        refuse_not_allowed(name)
    sample = head.decode(scan.encoding, errors="ignore")  # only a character cut at the end can be dropped
    if len(head) == HEAD_SIZE and "\n" in sample:
        sample = sample[: sample.rindex("\n") + 1]  # the last line may be cut short: parse whole lines only
    if not _looks_like_csv(sample):
        refuse_not_allowed(name)
    return "csv"


def _scan_text(upload: File) -> _TextScan:
    """One pass over the whole file: script markers anywhere (not only the head), controls and encoding."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = cp1252_ok = True
    carry = b""  # the end of the previous chunk, so a marker split across two chunks is still found
    for chunk in chunks(upload):
        window = carry + chunk.lower()
        marker = find_marker(window)
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


def find_marker(lowered: bytes) -> bytes | None:
    """The first web page or script marker in `lowered` (lowercased bytes), if any."""
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
