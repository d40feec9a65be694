"""`manage.py backup [--output FILE]`: the database and every media file in one archive with a SHA-256 manifest."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from smartcity.backup.archive import ArchiveError
from smartcity.backup.database import Refused
from smartcity.backup.services import backup_create, default_output


class Command(BaseCommand):
    help = (
        "Write one .zip archive holding the database (JSON lines, restorable on SQLite or PostgreSQL), every media "
        "file and a SHA-256 manifest of every member. Restore it with `manage.py restore`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="Where to write the archive (default: smartcity-backup-<time>.zip here)."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database alias to back up.")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"] or default_output()
        try:
            result = backup_create(output=output, alias=options["database"])
        except (ArchiveError, Refused) as error:
            raise CommandError(str(error)) from None
        files = sum(store["files"] for store in result.media.values())
        size = sum(store["bytes"] for store in result.media.values())
        self.stdout.write(
            f"{sum(result.rows.values())} rows of {len(result.rows)} tables, {files} media files ({size} bytes)."
        )
        if result.missing_files:
            self.stderr.write(
                f"Warning: {result.missing_files} files named by rows are missing from the media store "
                "(they were lost before this backup):"
            )
            for example in result.missing_examples:
                self.stderr.write(f"  {example}")
        self.stdout.write(
            self.style.SUCCESS(f"Backup written to {result.path} ({result.size} bytes, SHA-256 {result.sha256}).")
        )
