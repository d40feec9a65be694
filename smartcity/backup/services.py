"""Back up the whole deployment into one archive, and restore an archive into an empty database and media store.

Neither writes an AuditEvent: a backup must be able to run read-only (against a replica, as a read-only role)
and a row it wrote would not be in its own archive; a restore must leave the database exactly as archived (the
drill compares them). Both log what they did instead, for the operator's log collection.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage
from django.db import connections, transaction
from django.utils import timezone

from smartcity.backup import database, media
from smartcity.backup.archive import (
    FORMAT,
    META,
    VERSION,
    ArchiveError,
    ArchiveReader,
    ArchiveWriter,
    create_private,
    hash_stream,
    open_verified,
)
from smartcity.backup.database import Refused

logger = logging.getLogger("smartcity.backup")
# How many names of missing files the archive's meta.json and the command's output list.
SHOWN = 20


@dataclass
class BackupResult:
    path: Path
    sha256: str
    size: int
    rows: dict[str, int]
    media: dict[str, dict[str, int]]
    missing_files: int
    missing_examples: list[str] = field(default_factory=list)


@dataclass
class RestoreResult:
    rows: dict[str, int]
    media: dict[str, int]


def _git_commit() -> str:
    git = shutil.which("git")
    if git is None or not (settings.BASE_DIR / ".git").exists():
        return os.environ.get("GIT_COMMIT", "")
    try:
        result = subprocess.run(  # noqa: S603 - git found on PATH, fixed arguments
            [git, "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _app_version() -> str:
    try:
        with (settings.BASE_DIR / "pyproject.toml").open("rb") as pyproject:
            return str(tomllib.load(pyproject)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return ""


def _refuse_output_inside_media(output: Path) -> None:
    # The media walk would copy the half-written archive into itself.
    for alias in media.used_storages():
        storage = media.storage_named(alias)
        if isinstance(storage, FileSystemStorage) and output.resolve().is_relative_to(Path(storage.location).resolve()):
            raise ArchiveError(f"{output} is inside the media store ({storage.location}): write the backup elsewhere.")


def backup_create(*, output: Path, alias: str = "default") -> BackupResult:
    """Write the archive to `output` (never over an existing file): the database as of one moment, then every
    media file, then the manifest. It appears under its name only once complete."""
    if output.exists():
        raise ArchiveError(f"{output} already exists: the backup will not overwrite it.")
    _refuse_output_inside_media(output)
    database.check_migrated(alias)
    partial = output.with_name(output.name + ".partial")
    try:
        fileobj = create_private(partial)
    except FileExistsError:
        raise ArchiveError(
            f"{partial} exists: another backup is being written there, or one died; remove it and run again."
        ) from None
    except OSError as error:
        raise ArchiveError(f"Cannot write the backup to {output}: {error}") from None
    try:
        writer = ArchiveWriter(fileobj)
        tables: list[dict[str, Any]] = []
        missing: list[str] = []
        missing_count = 0
        with database.snapshot(alias):
            for model in database.backed_up_models(alias):
                member = database.member_name(model)
                with writer.text_member(member) as stream:
                    count = database.dump_table(model, alias, stream)
                tables.append({"label": model._meta.label_lower, "member": member, "count": count})
            migrations = database.applied_migrations(alias)
            # A file a row names but the store lacks is lost already; say so now rather than at the restore.
            for file_field, name in database.referenced_files(alias):
                if not file_field.storage.exists(name):
                    missing_count += 1
                    if len(missing) < SHOWN:
                        missing.append(f"{file_field.model._meta.label_lower}.{file_field.name}: {name}")
        # Files are copied after the snapshot so SQLite's writers are not held up by the copy. A file uploaded
        # meanwhile is copied too (no archived row names it: harmless); one deleted meanwhile (an unused evidence
        # file removed) is missing from the archive, as from the store, while its archived row still names it.
        stores: dict[str, dict[str, int]] = {}
        for storage_alias in media.used_storages():
            storage = media.storage_named(storage_alias)
            files = size = 0
            for name in media.walk(storage):
                with storage.open(name, "rb") as source:
                    entry = writer.copy(media.member_name(storage_alias, name), source)
                files += 1
                size += entry.size
            stores[storage_alias] = {"files": files, "bytes": size}
        writer.write_json(
            META,
            {
                "format": FORMAT,
                "version": VERSION,
                "created_at": timezone.now().isoformat(),
                "app_version": _app_version(),
                "git_commit": _git_commit(),
                "django_version": django.get_version(),
                "database_vendor": connections[alias].vendor,
                "migrations": migrations,
                "models": tables,
                "media": stores,
                "missing_files": {"count": missing_count, "examples": missing},
            },
        )
        writer.close()
        fileobj.close()
        partial.replace(output)
    except BaseException:
        fileobj.close()
        partial.unlink(missing_ok=True)
        raise
    with output.open("rb") as archive:
        whole = hash_stream(archive)
    rows = {table["label"]: table["count"] for table in tables}
    logger.info(
        "Backup written to %s (%d bytes, SHA-256 %s): %d rows, %d media files.",
        output,
        whole.size,
        whole.sha256,
        sum(rows.values()),
        sum(store["files"] for store in stores.values()),
    )
    if missing_count:
        logger.warning("%d files named by rows are missing from the media store: %s", missing_count, missing)
    return BackupResult(output, whole.sha256, whole.size, rows, stores, missing_count, missing)


def _meta(reader: ArchiveReader) -> dict[str, Any]:
    if META not in reader.entries:
        raise ArchiveError(f"The archive has no {META}.")
    meta = reader.read_json(META)
    if not isinstance(meta, dict) or meta.get("format") != FORMAT or not isinstance(meta.get("models"), list):
        raise ArchiveError(f"The archive's {META} is not a {FORMAT} description.")
    for table in meta["models"]:
        if not isinstance(table, dict) or table.get("member") not in reader.entries:
            raise ArchiveError(f"The archive's {META} names a table member that is not in the archive: {table!r}.")
    return meta


def _first_file(storage: Storage) -> str | None:
    return next(media.walk(storage), None)


def backup_restore(*, path: Path, alias: str = "default") -> RestoreResult:
    """Restore the archive at `path` into the empty, migrated database `alias` and the empty media stores.

    Everything is checked before anything is written: every member against the manifest, the migrations, the
    emptiness of the media stores and of the database. The rows then go in one transaction; the files are
    written inside it and re-hashed, and a failure removes the files written so far.
    """
    reader = open_verified(path)
    try:
        meta = _meta(reader)
        database.check_compatible(meta, alias)
        files = {name: entry for name, entry in reader.entries.items() if name.startswith(media.PREFIX)}
        aliases = {media.split_member(name)[0] for name in files} | set(media.used_storages())
        for storage_alias in sorted(aliases):
            if storage_alias not in settings.STORAGES:
                raise Refused(f"The archive holds files of the storage {storage_alias!r}, not configured here.")
            found = _first_file(media.storage_named(storage_alias))
            if found is not None:
                raise Refused(
                    f"The media store {storage_alias!r} is not empty (it holds {found}, for one). Restore into an "
                    "empty media store: the archive's files would otherwise mix with others or be renamed."
                )
        written: list[tuple[Storage, str]] = []
        restored: dict[str, int] = dict.fromkeys(sorted(aliases), 0)
        try:
            with transaction.atomic(using=alias):
                # Asked inside the transaction that loads: the rows the load replaces are those it saw empty.
                tables = database.non_empty_tables(alias)
                if tables:
                    raise Refused(
                        f"The target database is not empty ({', '.join(tables[:5])}"
                        f"{', …' if len(tables) > 5 else ''} hold rows). Restore only into a database that "
                        "`manage.py migrate` has just created: restoring over data would mix two histories."
                    )
                rows = database.load(reader, meta, alias)
                for member, expected in files.items():
                    storage_alias, name = media.split_member(member)
                    storage = media.storage_named(storage_alias)
                    with reader.open(member) as source:
                        content = File(source, name=name)
                        content.size = expected.size
                        saved = storage.save(name, content)
                    written.append((storage, saved))
                    with storage.open(saved, "rb") as check:
                        found_entry = hash_stream(check)
                    if saved != name or found_entry != expected:
                        raise ArchiveError(
                            f"The file {name} written to the media store {storage_alias!r} does not match the "
                            f"manifest (stored as {saved}, SHA-256 {found_entry.sha256[:16]}…)."
                        )
                    restored[storage_alias] += 1
        except BaseException:
            for storage, name in written:
                storage.delete(name)
            raise
    finally:
        reader.close()
    ContentType.objects.clear_cache()  # this process cached the ids of the content types restore replaced
    logger.info(
        "Restored %s: %d rows, %d media files (archive made %s at git commit %s).",
        path,
        sum(rows.values()),
        sum(restored.values()),
        meta.get("created_at"),
        meta.get("git_commit") or "unknown",
    )
    return RestoreResult(rows, restored)


def default_output(now: dt.datetime | None = None) -> Path:
    moment = timezone.localtime(now)
    return Path(f"smartcity-backup-{moment:%Y%m%d-%H%M%S}.zip")
