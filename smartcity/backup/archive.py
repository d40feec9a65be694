"""The backup archive: one zip file whose members are all listed, with SHA-256 and size, in `manifest.json`.

Why zip rather than tar: a zip has a central directory, so restore reads the manifest first and then opens any
member directly (a .tar.gz must be read from the start for each member); each member is compressed on its own,
so the JSON lines are deflated while photos and PDFs, already compressed, are stored as they are; zipfile
streams a member of unknown length into the archive; and the region's IT staff open a .zip on any office PC.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO

FORMAT = "smartcity-backup"
VERSION = 1
MANIFEST = "manifest.json"
# The same hashes in `sha256sum -c` form, so an archive unpacked by hand can be checked with standard tools.
SUMS = "SHA256SUMS"
META = "meta.json"
# Read and write in pieces of this size: memory stays flat whatever the size of a file or table.
CHUNK = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


class ArchiveError(Exception):
    """The file is not a backup archive, or a member is damaged, missing, extra or different from the manifest."""


@dataclass(frozen=True)
class Entry:
    sha256: str
    size: int


class _HashingSink(io.RawIOBase):
    """A write-only stream that hashes and counts what passes through it on its way into the zip member."""

    def __init__(self, target: IO[bytes]) -> None:
        super().__init__()
        self._target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        view = memoryview(data)
        self._target.write(view)
        self.digest.update(view)
        self.size += view.nbytes
        return view.nbytes


class ArchiveWriter:
    """Writes members one at a time, hashing each on the way, then the manifest that lists them all."""

    def __init__(self, fileobj: IO[bytes]) -> None:
        self._zip = zipfile.ZipFile(fileobj, "w", allowZip64=True)
        self.entries: dict[str, Entry] = {}

    @contextmanager
    def member(self, name: str, *, compress: bool) -> Iterator[BinaryIO]:
        check_member_name(name)
        if name in self.entries or name in (MANIFEST, SUMS):
            raise ValueError(f"{name} is already in the archive")
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o600 << 16
        with self._zip.open(info, "w", force_zip64=True) as target:
            sink = _HashingSink(target)
            yield sink  # type: ignore[misc]
        self.entries[name] = Entry(sink.digest.hexdigest(), sink.size)

    @contextmanager
    def text_member(self, name: str) -> Iterator[IO[str]]:
        with self.member(name, compress=True) as sink:
            text = io.TextIOWrapper(io.BufferedWriter(sink, CHUNK), encoding="utf-8", newline="\n")  # type: ignore[arg-type]
            yield text
            text.close()  # flushes the buffer into the member before it is closed and hashed

    def copy(self, name: str, source: IO[bytes], *, compress: bool = False) -> Entry:
        with self.member(name, compress=compress) as sink:
            while chunk := source.read(CHUNK):
                sink.write(chunk)
        return self.entries[name]

    def write_json(self, name: str, data: Any) -> None:
        with self.member(name, compress=True) as sink:
            sink.write(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True).encode())

    def close(self) -> None:
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "algorithm": "sha256",
            "members": {name: {"sha256": e.sha256, "size": e.size} for name, e in sorted(self.entries.items())},
        }
        self._zip.writestr(MANIFEST, json.dumps(manifest, indent=2, sort_keys=True), zipfile.ZIP_DEFLATED)
        self._zip.writestr(SUMS, render_sums(self.entries), zipfile.ZIP_DEFLATED)
        self._zip.close()


def render_sums(entries: dict[str, Entry]) -> str:
    return "".join(f"{entry.sha256}  {name}\n" for name, entry in sorted(entries.items()))


def check_member_name(name: str) -> None:
    """Refuse a name that could point outside where it is restored (absolute, `..`, backslashes, NUL)."""
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts or "\\" in name or "\0" in name or str(path) != name:
        raise ArchiveError(f"The archive member name {name!r} is not allowed.")


class ArchiveReader:
    """An archive whose every member has been checked against its manifest (`open_verified`)."""

    def __init__(self, zip_file: zipfile.ZipFile, entries: dict[str, Entry]) -> None:
        self._zip = zip_file
        self.entries = entries

    def open(self, name: str) -> IO[bytes]:
        return self._zip.open(name)

    @contextmanager
    def open_text(self, name: str) -> Iterator[IO[str]]:
        with self._zip.open(name) as raw:
            yield io.TextIOWrapper(io.BufferedReader(raw, CHUNK), encoding="utf-8", newline="\n")  # type: ignore[arg-type]

    def read_json(self, name: str) -> Any:
        try:
            with self._zip.open(name) as raw:
                return json.load(raw)
        except (ValueError, UnicodeDecodeError) as error:
            raise ArchiveError(f"The archive member {name} is not valid JSON: {error}") from None

    def close(self) -> None:
        self._zip.close()


def hash_stream(stream: IO[bytes]) -> Entry:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return Entry(digest.hexdigest(), size)


def _manifest_entries(zip_file: zipfile.ZipFile) -> dict[str, Entry]:
    try:
        with zip_file.open(MANIFEST) as raw:
            manifest = json.load(raw)
    except KeyError:
        raise ArchiveError(f"The archive has no {MANIFEST}: it is not a backup made by `manage.py backup`.") from None
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise ArchiveError(f"The archive's {MANIFEST} is damaged: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"The archive's {MANIFEST} is not a {FORMAT} manifest.")
    if manifest.get("version") != VERSION:
        raise ArchiveError(
            f"The archive is in backup format version {manifest.get('version')!r}; this version of the app reads "
            f"version {VERSION}. Restore it with the version of the app that made it."
        )
    members = manifest.get("members")
    if not isinstance(members, dict):
        raise ArchiveError(f"The archive's {MANIFEST} lists no members.")
    entries: dict[str, Entry] = {}
    for name, entry in members.items():
        check_member_name(name)
        sha256, size = (entry.get("sha256"), entry.get("size")) if isinstance(entry, dict) else (None, None)
        valid_size = isinstance(size, int) and not isinstance(size, bool) and size >= 0
        if not (isinstance(sha256, str) and _SHA256.fullmatch(sha256) and valid_size):
            raise ArchiveError(f"The manifest's entry for {name} is malformed (it needs a sha256 and a size).")
        entries[name] = Entry(sha256, size)  # type: ignore[arg-type]
    return entries


def open_verified(path: Path) -> ArchiveReader:
    """Open the archive at `path` after checking every member against the manifest; raise ArchiveError naming
    the first member that is damaged, missing, unlisted or different. Nothing else is touched before this."""
    try:
        zip_file = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ArchiveError(f"{path} does not exist.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveError(f"{path} is not a readable zip archive (damaged or truncated?): {error}") from None
    try:
        entries = _verify(zip_file)
    except BaseException:
        zip_file.close()
        raise
    return ArchiveReader(zip_file, entries)


def _verify(zip_file: zipfile.ZipFile) -> dict[str, Entry]:
    # A truncated archive can still open as a zip: the directory found is that of the last whole zip inside it
    # (an evaluation package, an .xlsx evidence file, stored as they are). Ours starts with its first member.
    if min((info.header_offset for info in zip_file.infolist()), default=0) != 0:
        raise ArchiveError(
            "The file is not a whole backup archive (truncated?): the zip directory found belongs to a file inside it."
        )
    names = zip_file.namelist()
    duplicates = sorted({name for name in names if names.count(name) > 1}) if len(set(names)) != len(names) else []
    if duplicates:
        raise ArchiveError(f"The archive holds the member {duplicates[0]} more than once.")
    entries = _manifest_entries(zip_file)
    for name in names:
        if name not in entries and name not in (MANIFEST, SUMS):
            raise ArchiveError(f"The archive member {name} is not listed in the manifest.")
    for name in entries:
        if name not in names:
            raise ArchiveError(f"The archive member {name} is listed in the manifest but missing from the archive.")
    for name, expected in entries.items():
        try:
            with zip_file.open(name) as stream:
                found = hash_stream(stream)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise ArchiveError(f"The archive member {name} is damaged: {error}") from None
        if found != expected:
            raise ArchiveError(
                f"The archive member {name} does not match the manifest (SHA-256 {found.sha256[:16]}…, "
                f"{found.size} bytes; the manifest says {expected.sha256[:16]}…, {expected.size} bytes)."
            )
    try:
        sums = zip_file.read(SUMS).decode()
    except KeyError:
        raise ArchiveError(f"The archive has no {SUMS}.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, UnicodeDecodeError) as error:
        raise ArchiveError(f"The archive member {SUMS} is damaged: {error}") from None
    if sums != render_sums(entries):
        raise ArchiveError(f"The archive's {SUMS} does not agree with its {MANIFEST}: one of them was edited.")
    return entries


def create_private(path: Path) -> IO[bytes]:
    """Open a new file readable by its owner only: the archive holds password hashes and every document."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
