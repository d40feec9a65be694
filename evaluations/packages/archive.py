"""The package's ZIP, written member by member in constant memory, and the check of a package against its manifest.

Members are *stored*, not compressed: evidence is PDF, JPEG and XLSX, already compressed, and recompressing
them would cost a core for nothing. Each member is copied in 1 MiB chunks from its storage (local disk or an
S3 bucket) into the ZIP while its SHA-256 is computed, and ZIP64 is used whenever a member or the whole archive
needs it. `manifest.csv` and `manifest.json` list every other member with its size and SHA-256;
`BACA-SAYA.txt` explains the layout and how to check the sums.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, BinaryIO

CHUNK = 1024 * 1024
MANIFEST_CSV = "manifest.csv"
MANIFEST_JSON = "manifest.json"
README = "BACA-SAYA.txt"
_OWN_FILES = {MANIFEST_CSV, MANIFEST_JSON, README}


@dataclass(frozen=True)
class Member:
    path: str
    size: int
    sha256: str
    role: str  # "pdf", "excel" or "evidence"


@dataclass(frozen=True)
class Source:
    """A file to put into the ZIP: how to open it, where it goes, what it is."""

    path: str
    open: Callable[[], IO[bytes]]
    role: str
    size_hint: int | None = None
    # The content's SHA-256 when it is already known: evidence is stored under the hash of its bytes, computed
    # when it was uploaded, so the copy checks the size instead of hashing 2 GB again on the worker's core.
    # (verify_package recomputes every hash on the receiving side.)
    sha256: str | None = None


class MemberChanged(RuntimeError):
    """A stored file's bytes are not what the database says (a damaged disk or a restore gone wrong)."""


def _copy(source: IO[bytes], target: IO[bytes]) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return size, digest.hexdigest()


def _copy_known(source: IO[bytes], target: IO[bytes]) -> int:
    size = 0
    while chunk := source.read(CHUNK):
        target.write(chunk)
        size += len(chunk)
    return size


class HashingWriter(io.RawIOBase):
    """A write-only, forward-only file that hashes what passes through it, on a thread of its own (hashlib lets go
    of the GIL on large buffers, so the hash runs beside the copy). Given one, zipfile writes each member's sizes
    after its data (data descriptors) instead of seeking back, so the archive's SHA-256 is known the moment it is
    complete, without reading 2 GB again.

    Chunks are handed to the thread 4 MB at a time: handing over every 1 MB chunk cost a GIL hand-off each
    (Python switches threads every 5 ms), which ate most of the overlap. At most two batches are held.
    """

    BATCH = 4 * 1024 * 1024

    def __init__(self, target: BinaryIO) -> None:
        self.target = target
        self._digest = hashlib.sha256()
        self._hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zip-sha256")
        self._pending: Future[None] | None = None
        self._batch: list[bytes] = []
        self._batched = 0
        self.size = 0

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def _hash(self, parts: list[bytes]) -> None:
        for part in parts:
            self._digest.update(part)

    def write(self, data: bytes) -> int:  # type: ignore[override]
        chunk = data if isinstance(data, bytes) else bytes(data)  # never a view of a buffer that is reused
        self._batch.append(chunk)
        self._batched += len(chunk)
        if self._batched >= self.BATCH:
            if self._pending is not None:
                self._pending.result()
            self._pending = self._hasher.submit(self._hash, self._batch)
            self._batch, self._batched = [], 0
        self.target.write(chunk)
        self.size += len(chunk)
        return len(chunk)

    def flush(self) -> None:
        self.target.flush()

    def hexdigest(self) -> str:
        """The SHA-256 of everything written (call once the archive is closed)."""
        if self._pending is not None:
            self._pending.result()
            self._pending = None
        self._hash(self._batch)
        self._batch, self._batched = [], 0
        self._hasher.shutdown()
        return self._digest.hexdigest()


def write_archive(
    target: BinaryIO,
    sources: Iterable[Source],
    *,
    readme: str,
    on_member: Callable[[int], None] | None = None,
) -> list[Member]:
    """Write the ZIP to `target`; returns the members listed in its manifest."""
    members: list[Member] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for n, source in enumerate(sources, start=1):
            info = zipfile.ZipInfo(source.path, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            large = source.size_hint is None or source.size_hint >= zipfile.ZIP64_LIMIT
            with source.open() as stream, archive.open(info, "w", force_zip64=large) as member:
                if source.sha256 is None:
                    size, sha256 = _copy(stream, member)  # the PDF and the workbook: a few MB
                else:
                    size, sha256 = _copy_known(stream, member), source.sha256
                    if size != source.size_hint:
                        raise MemberChanged(f"{source.path}: {size} bytes in storage, {source.size_hint} recorded")
            members.append(Member(source.path, size, sha256, source.role))
            if on_member is not None:
                on_member(n)
        archive.writestr(_info(MANIFEST_CSV), manifest_csv(members))
        archive.writestr(_info(MANIFEST_JSON), manifest_json(members))
        archive.writestr(_info(README), readme.encode("utf-8"))
    return members


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.external_attr = 0o644 << 16
    return info


def manifest_csv(members: list[Member]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["path", "size", "sha256", "role"])
    for m in members:
        writer.writerow([m.path, m.size, m.sha256, m.role])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8 names correctly


def manifest_json(members: list[Member]) -> bytes:
    return json.dumps({"members": [asdict(m) for m in members]}, ensure_ascii=False, indent=1).encode("utf-8")


@dataclass(frozen=True)
class Difference:
    path: str
    problem: str  # "missing", "size", "sha256", "unlisted"


def verify_archive(path: Path) -> tuple[int, list[Difference]]:
    """Check every member of the ZIP at `path` against its manifest.json; returns (members checked, differences)."""
    differences: list[Difference] = []
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(MANIFEST_JSON))["members"]
        listed = {m["path"]: m for m in manifest}
        names = set(archive.namelist())
        for name in sorted(names - set(listed) - _OWN_FILES):
            differences.append(Difference(name, "unlisted"))
        for name, entry in listed.items():
            if name not in names:
                differences.append(Difference(name, "missing"))
                continue
            with archive.open(name) as member:
                size, sha256 = _copy(member, _Discard())
            if size != entry["size"]:
                differences.append(Difference(name, "size"))
            elif sha256 != entry["sha256"]:
                differences.append(Difference(name, "sha256"))
    return len(listed), differences


class _Discard(io.RawIOBase):
    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        return len(data)
