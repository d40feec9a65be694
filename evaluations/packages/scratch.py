"""Where a build writes before its files are complete, and clearing what a killed build left there.

Kept apart from build.py so the web process, which only marks dead builds failed, never imports WeasyPrint.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.core.files.storage import FileSystemStorage, default_storage

from evaluations.models.packages import Package


def scratch_prefix(package: Package) -> str:
    return f"paket-{package.pk}-"


def scratch_folder() -> str | None:
    """Beside the media files when they are on local disk, so a finished file is moved into place by a rename
    instead of being copied (a 2 GB ZIP); None (the system's temporary folder) otherwise."""
    if not isinstance(default_storage, FileSystemStorage):
        return None
    folder = Path(default_storage.location) / "packages" / ".building"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder)


def discard_scratch(package: Package) -> None:
    """Remove what a build killed mid-way left in the scratch folder (its TemporaryDirectory never closed)."""
    folder = scratch_folder()
    for leftover in Path(folder).glob(f"{scratch_prefix(package)}*") if folder else []:
        shutil.rmtree(leftover, ignore_errors=True)
