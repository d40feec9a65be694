"""`manage.py verify_package FILE`: check a package ZIP on disk against its manifest, member by member."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from agencies.audit import audit_record
from evaluations.actions import EvaluationAction
from evaluations.packages.archive import verify_archive

PROBLEMS = {
    "missing": "is listed in the manifest but missing from the ZIP",
    "size": "has a different size than the manifest says",
    "sha256": "has a different SHA-256 than the manifest says",
    "unlisted": "is in the ZIP but not in the manifest",
}


class Command(BaseCommand):
    help = "Check a package ZIP against its manifest.json and name every member that differs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            checked, differences = verify_archive(path)
        except (zipfile.BadZipFile, KeyError, ValueError) as error:
            raise CommandError(f"{path}: not a package ZIP with a manifest.json ({error})") from error
        with transaction.atomic():
            audit_record(
                actor=None,
                action=EvaluationAction.PACKAGE_VERIFIED,
                changes={"file": path.name, "members": checked, "differences": [d.path for d in differences]},
            )
        for difference in differences:
            self.stderr.write(f"DIFFERS: {difference.path} {PROBLEMS[difference.problem]}")
        if differences:
            raise CommandError(f"{len(differences)} of {checked} member(s) differ from the manifest")
        self.stdout.write(f"OK: all {checked} members match the manifest ({path.name})")
