"""The backup drill: the Banjar demo → `manage.py backup` → `manage.py restore` into a second, empty database
and media store (as a separate process, the way an operator runs it) → every table and every file equal.
Damaged, tampered, foreign and misplaced restores are refused before anything is written."""

from __future__ import annotations

import hashlib
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.test import TestCase, override_settings

from smartcity.backup.archive import FORMAT, MANIFEST, META, SUMS, VERSION, Entry, render_sums
from smartcity.demo import loader
from tests.test_demo import migrated_framework

MANAGE = Path(settings.BASE_DIR) / "manage.py"


def table_counts() -> dict[str, int]:
    """Rows per table as the test sees them, the auto-created many-to-many tables included."""
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def file_hashes(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as zip_file:
        return {name: zip_file.read(name) for name in zip_file.namelist()}


def write_zip(path: Path, contents: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zip_file:
        for name, data in contents.items():
            zip_file.writestr(name, data)
    return path


def resealed(contents: dict[str, bytes]) -> dict[str, bytes]:
    """The members with a manifest and SHA256SUMS that agree with them: an archive as `backup` would write it."""
    listed = {name: data for name, data in contents.items() if name not in (MANIFEST, SUMS)}
    entries = {name: Entry(hashlib.sha256(data).hexdigest(), len(data)) for name, data in listed.items()}
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "algorithm": "sha256",
        "members": {name: {"sha256": e.sha256, "size": e.size} for name, e in entries.items()},
    }
    return {**listed, MANIFEST: json.dumps(manifest).encode(), SUMS: render_sums(entries).encode()}


def first_media_member(contents: dict[str, bytes]) -> str:
    return min(name for name in contents if name.startswith("media/") and len(contents[name]) > 100)


@dataclass
class Drill:
    archive: Path
    media: Path
    counts: dict[str, int]
    files: dict[str, str]


@pytest.fixture(scope="class")
def drill(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Drill]:
    """The demo loaded and backed up once for the class (a load takes seconds), rolled back after it."""
    demo_media = tmp_path_factory.mktemp("demo-media")
    archive = tmp_path_factory.mktemp("backups") / "banjar.zip"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media), transaction.atomic():
        migrated_framework()
        with TestCase.captureOnCommitCallbacks():
            loader.load()
        out = io.StringIO()
        call_command("backup", output=archive, stdout=out, stderr=io.StringIO())
        assert f"Backup written to {archive}" in out.getvalue()
        yield Drill(archive, demo_media, table_counts(), file_hashes(demo_media))
        transaction.set_rollback(True)


@pytest.fixture
def second_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a second, empty database: a new PostgreSQL database beside the test one, or a SQLite file."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg2  # only installed with PostgreSQL (requirements-postgres.txt)

    params = connection.get_connection_params()
    name = f"{connection.settings_dict['NAME']}_restored"[:63]
    server = {key: params[key] for key in ("host", "port", "user", "password") if params.get(key)}
    admin = psycopg2.connect(dbname="postgres", **server)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        credentials = quote(server.get("user", "")) + (f":{quote(server['password'])}" if "password" in server else "")
        yield f"postgres://{credentials}@{server.get('host', '')}:{server.get('port', 5432)}/{name}"
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


def manage(*args: str, database_url: str, media_root: Path) -> subprocess.CompletedProcess[str]:
    """Run manage.py as production would: its own process, settings from the environment, DEBUG off."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("S3_", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        DJANGO_SECRET_KEY="backup-drill-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        LOG_LEVEL="WARNING",
    )
    return subprocess.run(  # noqa: S603 - this interpreter, our own manage.py, fixed arguments
        [sys.executable, str(MANAGE), *args], env=env, capture_output=True, text=True, timeout=180
    )


class TestTheDrill:
    @pytest.fixture(autouse=True)
    def _each_test_in_a_savepoint(self, drill: Drill, db: None) -> None:
        pass

    def test_the_archive_holds_every_table_and_every_file(self, drill: Drill) -> None:
        contents = members(drill.archive)
        manifest = json.loads(contents[MANIFEST])["members"]
        meta = json.loads(contents[META])

        assert {table["label"]: table["count"] for table in meta["models"]} == drill.counts
        assert drill.counts["agencies.auditevent"] > 100 and drill.counts["evidence.storedfile"] > 100
        archived_files = {
            name.removeprefix("media/default/"): entry["sha256"]
            for name, entry in manifest.items()
            if name.startswith("media/")
        }
        assert archived_files == drill.files
        assert any(name.startswith("evidence/") for name in drill.files)
        assert meta["missing_files"] == {"count": 0, "examples": []}
        assert set(manifest) == set(contents) - {MANIFEST, SUMS}
        recorded = MigrationRecorder(connection).applied_migrations()
        assert {(app, name) for app, names in meta["migrations"].items() for name in names} == set(recorded)
        assert meta["database_vendor"] == connection.vendor
        assert "git_commit" in meta and meta["created_at"]

    def test_a_restore_elsewhere_gives_back_every_row_and_every_file(
        self, drill: Drill, second_database: str, tmp_path: Path
    ) -> None:
        restored_media = tmp_path / "restored-media"
        target = {"database_url": second_database, "media_root": restored_media}
        migrated = manage("migrate", "--noinput", "-v0", **target)
        assert migrated.returncode == 0, migrated.stderr

        restored = manage("restore", str(drill.archive), **target)

        assert restored.returncode == 0, restored.stderr
        assert f"evidence.storedfile: {drill.counts['evidence.storedfile']}" in restored.stdout
        assert f"Restored {sum(drill.counts.values())} rows and {len(drill.files)} media files" in restored.stdout
        assert file_hashes(restored_media) == drill.files
        # A backup of the restored database holds the same tables byte for byte: every row, every id, every
        # microsecond (same database engine on both sides, so JSON keys come back in the same order).
        again = tmp_path / "again.zip"
        backed_up = manage("backup", "--output", str(again), **target)
        assert backed_up.returncode == 0, backed_up.stderr
        first, second = members(drill.archive), members(again)
        assert {table["label"]: table["count"] for table in json.loads(second[META])["models"]} == drill.counts
        assert sorted(second) == sorted(first)
        changed = [name for name in first if name not in (META, MANIFEST, SUMS) and first[name] != second[name]]
        assert changed == []

        once_more = manage("restore", str(drill.archive), **target)

        assert once_more.returncode != 0
        assert "Refused: The media store 'default' is not empty" in once_more.stderr
        assert file_hashes(restored_media) == drill.files

    @pytest.mark.parametrize("damage", ["flipped byte", "member removed", "manifest edited", "member added"])
    def test_a_damaged_archive_is_refused_naming_the_member(
        self, drill: Drill, tmp_path: Path, settings: Any, damage: str
    ) -> None:
        settings.MEDIA_ROOT = tmp_path / "empty-media"
        contents = members(drill.archive)
        victim = first_media_member(contents)
        damaged = tmp_path / "damaged.zip"
        if damage == "flipped byte":
            data = bytearray(drill.archive.read_bytes())
            with zipfile.ZipFile(drill.archive) as zip_file:
                info = zip_file.getinfo(victim)
            name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
            data[info.header_offset + 30 + name_length + extra_length + info.compress_size // 2] ^= 0x01
            damaged.write_bytes(bytes(data))
            expected = f"The archive member {victim} is damaged"
        elif damage == "member removed":
            write_zip(damaged, {name: data for name, data in contents.items() if name != victim})
            expected = f"The archive member {victim} is listed in the manifest but missing"
        elif damage == "manifest edited":
            manifest = json.loads(contents[MANIFEST])
            manifest["members"][victim]["sha256"] = "0" * 64
            write_zip(damaged, {**contents, MANIFEST: json.dumps(manifest).encode()})
            expected = f"The archive member {victim} does not match the manifest"
        else:
            write_zip(damaged, {**contents, "media/default/regions/logos/extra.png": b"\x89PNG not listed"})
            expected = "The archive member media/default/regions/logos/extra.png is not listed in the manifest"

        # The database is the loaded demo, not empty: the archive is judged before the target is looked at.
        with pytest.raises(CommandError, match="damaged or not a backup") as refusal:
            call_command("restore", str(damaged), stdout=io.StringIO())

        assert expected in str(refusal.value)
        assert table_counts() == drill.counts
        assert not settings.MEDIA_ROOT.exists()

    def test_sums_that_disagree_with_the_manifest_are_refused(self, drill: Drill, tmp_path: Path) -> None:
        contents = members(drill.archive)
        victim = first_media_member(contents)
        forged = resealed({**contents, victim: contents[victim][:-1] + b"!"})
        forged[SUMS] = contents[SUMS]

        with pytest.raises(CommandError, match=r"SHA256SUMS does not agree with its manifest\.json"):
            call_command("restore", str(write_zip(tmp_path / "forged.zip", forged)), stdout=io.StringIO())

    @pytest.mark.parametrize("cut", [200, 22])
    def test_a_truncated_file_is_refused(self, drill: Drill, tmp_path: Path, cut: int) -> None:
        truncated = tmp_path / "truncated.zip"
        truncated.write_bytes(drill.archive.read_bytes()[:-cut])

        # Cut short, the archive's last whole member (the evaluation package, a zip itself) could pass for it.
        with pytest.raises(CommandError, match=r"truncated\?"):
            call_command("restore", str(truncated), stdout=io.StringIO())

    def test_an_archive_made_by_newer_code_is_refused(self, drill: Drill, tmp_path: Path) -> None:
        contents = members(drill.archive)
        meta = json.loads(contents[META])
        meta["migrations"]["masterplan"].append("9999_from_the_future")
        newer = write_zip(tmp_path / "newer.zip", resealed({**contents, META: json.dumps(meta).encode()}))

        with pytest.raises(CommandError, match="made by a newer version of the app") as refusal:
            call_command("restore", str(newer), stdout=io.StringIO())

        assert "masterplan.9999_from_the_future" in str(refusal.value)
        assert table_counts() == drill.counts

    def test_a_media_store_with_files_is_refused(self, drill: Drill, tmp_path: Path, settings: Any) -> None:
        settings.MEDIA_ROOT = tmp_path / "used-media"
        (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
        (settings.MEDIA_ROOT / "evidence" / "someone-elses.pdf").write_bytes(b"%PDF-1.4 not ours")

        with pytest.raises(CommandError, match="The media store 'default' is not empty"):
            call_command("restore", str(drill.archive), stdout=io.StringIO())

        assert file_hashes(settings.MEDIA_ROOT).keys() == {"evidence/someone-elses.pdf"}

    def test_a_database_with_rows_is_refused(self, drill: Drill, tmp_path: Path, settings: Any) -> None:
        settings.MEDIA_ROOT = tmp_path / "empty-media"

        with pytest.raises(CommandError, match="The target database is not empty") as refusal:
            call_command("restore", str(drill.archive), stdout=io.StringIO())

        assert "agencies.region" in str(refusal.value)
        assert table_counts() == drill.counts
        assert not settings.MEDIA_ROOT.exists()

    def test_backup_never_overwrites_an_archive(self, drill: Drill) -> None:
        before = drill.archive.read_bytes()

        with pytest.raises(CommandError, match="already exists"):
            call_command("backup", output=drill.archive, stdout=io.StringIO())

        assert drill.archive.read_bytes() == before
