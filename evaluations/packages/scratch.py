"""Where a build writes before its files are complete, and clearing what a killed build left there.

Kept apart from build.py so the web process, which only marks dead builds failed, never imports WeasyPrint.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage

from evaluations.models.packages import Package


def scratch_prefix(package: Package) -> str:
    return f"paket-{package.pk}-"


def scratch_folder() -> str:
    """Where a build writes its files until they are complete: PACKAGE_SCRATCH_DIR when set; else beside the media
    files when they are on local disk, so a finished file is moved into place by a rename instead of being copied (a
    2 GB ZIP); else (media in a bucket) a folder of the system's temporary folder. A package can take as much room
    as its evidence: where /tmp is in memory (tmpfs), set PACKAGE_SCRATCH_DIR to a folder on disk."""
    if settings.PACKAGE_SCRATCH_DIR:
        folder = Path(settings.PACKAGE_SCRATCH_DIR)
    elif isinstance(default_storage, FileSystemStorage):
        folder = Path(default_storage.location) / "packages" / ".building"
    else:
        folder = Path(tempfile.gettempdir()) / "smartcity-packages"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder)


def discard_scratch(package: Package) -> None:
    """Remove what a build killed mid-way left in the scratch folder (its TemporaryDirectory never closed)."""
    for leftover in Path(scratch_folder()).glob(f"{scratch_prefix(package)}*"):
        shutil.rmtree(leftover, ignore_errors=True)
