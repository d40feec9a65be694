"""The package's ZIP, written member by member in constant memory, and the check of a package against its manifest.

Members are *stored*, not compressed: evidence is PDF, JPEG and XLSX, already compressed, and recompressing
them would cost a core for nothing. ZIP64 is used whenever a member or the whole archive needs it.
`manifest.csv` and `manifest.json` list every other member with its size and SHA-256; `BACA-SAYA.txt` explains
the layout and how to check the sums.

Where the time goes, for a 2 GB package on two cores: a member's header needs its CRC-32, and the package needs
the SHA-256 of the whole archive. An evidence file's CRC-32 and SHA-256 were recorded when it was uploaded, so
when it lies on local disk its bytes are copied into the ZIP by the kernel (`copy_file_range`, or `sendfile`),
never passing through Python. The archive's SHA-256 is computed by `TrailingHasher` on a second thread that reads
back what has been written, one finished member behind: it is over the very bytes of the file, and it runs on the
other core while the copy goes on. Other members (the PDF, the workbook, evidence in an S3 bucket or without a
recorded CRC) are streamed through zipfile in 1 MiB chunks, which computes their CRC on the way.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import threading
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

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
    # With the CRC-32 recorded at upload and the file on local disk, the kernel copies it (see the module's text).
    crc32: int | None = None
    local_path: str | None = None


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


# Errors that mean "this kernel or file system cannot do that copy": fall back to the next way, never fail.
_NO_KERNEL_COPY = {errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.EBADF, errno.ETXTBSY}


def copy_range(source: int, target: int, size: int) -> int:
    """Copy up to `size` bytes from the start of file descriptor `source` to `target`'s current position, inside
    the kernel where it can; returns the bytes copied (fewer when the source is shorter)."""
    copied = 0
    for way in ("copy_file_range", "sendfile"):
        try:
            while copied < size:
                if way == "copy_file_range":
                    n = os.copy_file_range(source, target, size - copied, copied)
                else:
                    n = os.sendfile(target, source, copied, size - copied)
                if n == 0:
                    return copied
                copied += n
            return copied
        except OSError as error:
            if error.errno not in _NO_KERNEL_COPY:
                raise
    while copied < size and (chunk := os.pread(source, min(CHUNK, size - copied), copied)):
        copied += os.write(target, chunk)
    return copied


class TrailingHasher:
    """The SHA-256 of a file while it is being written, on a thread of its own: it reads back (from the page cache)
    every byte up to the offset the writer has committed as final, so the archive's hash is known as soon as the
    archive is complete, without a second pass after it. Reads and hashing let go of the GIL."""

    BATCH = 4 * 1024 * 1024

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_RDONLY)
        self._digest = hashlib.sha256()
        self._committed = 0
        self._hashed = 0
        self._closing = False
        self._error: BaseException | None = None
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="zip-sha256", daemon=True)
        self._thread.start()

    def commit(self, offset: int) -> None:
        """Every byte before `offset` is written and will not change."""
        with self._changed:
            self._committed = max(self._committed, offset)
            self._changed.notify()

    def _run(self) -> None:
        buffer = memoryview(bytearray(self.BATCH))
        try:
            while True:
                with self._changed:
                    while self._hashed >= self._committed and not self._closing:
                        self._changed.wait()
                    end = self._committed
                    if self._hashed >= end:
                        return
                while self._hashed < end:
                    n = os.preadv(self._fd, [buffer[: min(self.BATCH, end - self._hashed)]], self._hashed)
                    if n == 0:
                        raise MemberChanged(f"the archive ends at {self._hashed} bytes, {end} were written")
                    self._digest.update(buffer[:n])
                    self._hashed += n
        except BaseException as error:  # handed to the writer's thread by hexdigest()
            self._error = error

    def hexdigest(self, size: int) -> str:
        """Wait for the hash of the whole file, `size` bytes long, and return it."""
        self.commit(size)
        self.close()
        if self._error is not None:
            raise self._error
        if self._hashed != size:
            raise MemberChanged(f"the archive hash covers {self._hashed} of its {size} bytes")
        return self._digest.hexdigest()

    def close(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify()
        self._thread.join()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> TrailingHasher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


@dataclass(frozen=True)
class Written:
    members: list[Member]
    size: int
    sha256: str  # of the whole archive


def write_archive(
    path: Path,
    sources: Iterable[Source],
    *,
    readme: str,
    on_member: Callable[[int], None] | None = None,
) -> Written:
    """Write the ZIP to a new file at `path`; returns its members (as its manifest lists them), size and SHA-256."""
    members: list[Member] = []
    # Unbuffered: the kernel copies write at the descriptor's own position, which zipfile then reads with tell().
    with path.open("wb", buffering=0) as target, TrailingHasher(path) as hasher:
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
            for n, source in enumerate(sources, start=1):
                info = zipfile.ZipInfo(source.path, date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_STORED
                info.external_attr = 0o644 << 16
                if source.sha256 is not None and source.crc32 is not None and source.local_path is not None:
                    _put_copied(archive, target, info, Path(source.local_path), source.crc32, source.size_hint)
                    size, sha256 = info.file_size, source.sha256
                else:
                    size, sha256 = _put_streamed(archive, info, source)
                members.append(Member(source.path, size, sha256, source.role))
                hasher.commit(target.tell())  # the member and its (rewritten) header are final now
                if on_member is not None:
                    on_member(n)
            archive.writestr(_info(MANIFEST_CSV), manifest_csv(members))
            archive.writestr(_info(MANIFEST_JSON), manifest_json(members))
            archive.writestr(_info(README), readme.encode("utf-8"))
        size = target.tell()
        return Written(members, size, hasher.hexdigest(size))


def _put_streamed(archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: Source) -> tuple[int, str]:
    large = source.size_hint is None or source.size_hint >= zipfile.ZIP64_LIMIT
    with source.open() as stream, archive.open(info, "w", force_zip64=large) as member:
        if source.sha256 is None:
            size, sha256 = _copy(stream, member)  # the PDF and the workbook: a few MB
        else:
            size, sha256 = _copy_known(stream, member), source.sha256
    if source.sha256 is not None and size != source.size_hint:
        raise MemberChanged(f"{source.path}: {size} bytes in storage, {source.size_hint} recorded")
    return size, sha256


def _put_copied(
    archive: zipfile.ZipFile, target: IO[bytes], info: zipfile.ZipInfo, path: Path, crc32: int, size: int | None
) -> None:
    """A member whose size and CRC are known: its header is written complete, then the kernel copies its bytes.

    zipfile has no public way to add a member without passing its bytes through Python, so this does what
    `ZipFile._open_to_write` and `_ZipWriteFile.close` do for a stored member (CPython 3.11 to 3.14): check the
    entry, write the local header, then record the entry for the central directory and where the next one starts.
    """
    with path.open("rb", buffering=0) as stream:
        on_disk = os.fstat(stream.fileno()).st_size
        if on_disk != size or size is None:
            raise MemberChanged(f"{info.filename}: {on_disk} bytes in storage, {size} recorded")
        info.file_size = info.compress_size = size
        info.CRC = crc32
        info.flag_bits = 0
        info.header_offset = target.tell()
        archive._writecheck(info)  # type: ignore[attr-defined]  # duplicate names, ZIP64 limits
        archive._didModify = True  # type: ignore[attr-defined]
        target.write(info.FileHeader(zip64=size >= zipfile.ZIP64_LIMIT))
        copied = copy_range(stream.fileno(), target.fileno(), size)
    if copied != size:
        raise MemberChanged(f"{info.filename}: {copied} bytes in storage, {size} recorded")
    archive.filelist.append(info)
    archive.NameToInfo[info.filename] = info
    archive.start_dir = target.tell()  # type: ignore[attr-defined]


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
