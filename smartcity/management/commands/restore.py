"""`manage.py restore FILE`: verify a backup archive, then restore it into an empty database and media store."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from smartcity.backup.archive import ArchiveError
from smartcity.backup.database import Refused
from smartcity.backup.services import backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive made by `manage.py backup` into a database that `manage.py migrate` has just created "
        "and an empty media store. Every member is checked against the manifest before anything is written."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, help="The .zip archive written by `manage.py backup`.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database alias to restore into.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_restore(path=options["archive"], alias=options["database"])
        except ArchiveError as error:
            raise CommandError(
                f"Refused: the archive is damaged or not a backup. {error} Nothing was restored."
            ) from None
        except Refused as error:
            raise CommandError(f"Refused: {error} Nothing was restored.") from None
        for label, count in result.rows.items():
            if count:
                self.stdout.write(f"{label}: {count}")
        for alias, count in result.media.items():
            self.stdout.write(f"media ({alias}): {count} files")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(result.rows.values())} rows and {sum(result.media.values())} media files from "
                f"{options['archive']}; every file's SHA-256 matches the manifest."
            )
        )
