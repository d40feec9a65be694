"""File names: the uploaded name kept as display metadata, and the name a stored file is served under."""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from common.uploads.kinds import extension_for

MAX_NAME_LENGTH = 150
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


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


def served_filename(name: str, content_type: str) -> str:
    """The name a stored file is served under: the stem of its (display) name and the detected kind's extension.

    `laporan.hta` whose bytes are a PDF is served as `laporan.pdf`: the uploader's extension never reaches a
    browser or a desktop that would choose a program by it.
    """
    cleaned = clean_filename(name)
    stem, dot, _extension = cleaned.rpartition(".")
    stem = (stem if dot else cleaned).rstrip(" .") or "file"
    return stem + extension_for(content_type)
