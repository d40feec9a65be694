"""The package's ZIP writer on its own: members copied by the kernel (known size and CRC on local disk), members
streamed through zipfile, the archive's SHA-256 computed on the side, ZIP64, the kernel-copy fallbacks, and files
whose bytes are not what the database recorded."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.packages import archive as archive_module
from evaluations.packages.archive import MANIFEST_JSON, MemberChanged, Source, verify_archive, write_archive
from evidence.models import StoredFile
from evidence.services import evidence_upload
from tests.conftest import PDF_BYTES, World


def _file(folder: Path, name: str, size: int) -> Path:
    path = folder / name
    path.write_bytes(os.urandom(size))
    return path


def _known(path: Path, member: str, *, local: bool = True) -> Source:
    data = path.read_bytes()
    return Source(
        member,
        lambda: path.open("rb"),
        "evidence",
        len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        crc32=zlib.crc32(data),
        local_path=str(path) if local else None,
    )


def _generated(path: Path, member: str) -> Source:
    return Source(member, lambda: path.open("rb"), "pdf", path.stat().st_size)


def _check(target: Path, written: archive_module.Written, expected: dict[str, bytes]) -> None:
    """From outside: every CRC right, every member's bytes, the manifest, and the archive's own hash and size."""
    data = target.read_bytes()
    assert written.sha256 == hashlib.sha256(data).hexdigest() and written.size == len(data)
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None  # reads every member and checks its CRC-32
        for name, content in expected.items():
            assert archive.read(name) == content
        manifest = json.loads(archive.read(MANIFEST_JSON))["members"]
    assert [(m["path"], m["size"], m["sha256"]) for m in manifest] == [
        (name, len(content), hashlib.sha256(content).hexdigest()) for name, content in expected.items()
    ]
    assert verify_archive(target) == (len(expected), [])


# Sizes around the hasher's 4 MB batches and the 1 MiB copy chunks, and an empty file.
@pytest.mark.parametrize("sizes", [[1], [5 << 20], [(1 << 20) - 1, 1 << 20, (4 << 20) + 3], [0, 7], []])
def test_kernel_copied_and_streamed_members_make_a_valid_archive_with_the_hash_of_its_bytes(
    tmp_path: Path, sizes: list[int]
) -> None:
    sources, expected = [], {}
    pdf = _file(tmp_path, "paket.pdf", 70_000)
    sources.append(_generated(pdf, "paket.pdf"))
    expected["paket.pdf"] = pdf.read_bytes()
    for n, size in enumerate(sizes):
        path = _file(tmp_path, f"e{n}.bin", size)
        member = f"01-Tata-Kelola/TK-{n:02}/bukti {n}.pdf"
        # Every other one as if it were in a bucket: streamed with its recorded hash, the CRC computed by zipfile.
        sources.append(_known(path, member, local=n % 2 == 0))
        expected[member] = path.read_bytes()
    target = tmp_path / "paket.zip"

    written = write_archive(target, sources, readme="Baca saya")

    _check(target, written, expected)
    assert [m.path for m in written.members] == list(expected)


def test_zip64_members_are_written_for_large_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The real limit is 2 GiB; lowered, every member here needs ZIP64 records in its headers.
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1 << 16)
    big = _file(tmp_path, "big.bin", (1 << 16) + 10)
    other = _file(tmp_path, "other.bin", (1 << 17) + 3)
    target = tmp_path / "paket.zip"

    written = write_archive(target, [_known(big, "a/big.pdf"), _known(other, "a/other.pdf")], readme="r")

    _check(target, written, {"a/big.pdf": big.read_bytes(), "a/other.pdf": other.read_bytes()})
    with zipfile.ZipFile(target) as archive:
        assert all(info.extra for info in archive.infolist()[:2])  # the ZIP64 extra field with the sizes


@pytest.mark.parametrize("refused", [["copy_file_range"], ["copy_file_range", "sendfile"]])
def test_a_kernel_that_cannot_copy_falls_back_to_the_next_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, refused: list[str]
) -> None:
    calls: list[str] = []

    def refuse(name: str):
        def call(*_args: object) -> int:
            calls.append(name)
            raise OSError(errno.EXDEV, "cross-device")

        return call

    for name in refused:
        monkeypatch.setattr(archive_module.os, name, refuse(name))
    path = _file(tmp_path, "e.bin", (3 << 20) + 5)
    target = tmp_path / "paket.zip"

    written = write_archive(target, [_known(path, "x/e.pdf")], readme="r")

    _check(target, written, {"x/e.pdf": path.read_bytes()})
    assert calls == refused


@pytest.mark.parametrize("on_disk", [100, 5000])
def test_a_file_whose_size_on_disk_differs_from_the_record_fails_and_is_named(tmp_path: Path, on_disk: int) -> None:
    path = _file(tmp_path, "e.bin", 1000)
    source = _known(path, "01-Tata-Kelola/TK-01/SK.pdf")
    path.write_bytes(os.urandom(on_disk))  # cut short, or grown, after the database recorded it

    with pytest.raises(MemberChanged, match=re.escape(f"SK.pdf: {on_disk} bytes in storage, 1000 recorded")):
        write_archive(tmp_path / "paket.zip", [source], readme="r")


def test_a_file_that_shrinks_while_it_is_copied_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _file(tmp_path, "e.bin", 1000)
    source = _known(path, "x/SK.pdf")
    monkeypatch.setattr(archive_module, "copy_range", lambda _source, _target, size: size - 1)

    with pytest.raises(MemberChanged, match=re.escape("x/SK.pdf: 999 bytes in storage, 1000 recorded")):
        write_archive(tmp_path / "paket.zip", [source], readme="r")


@pytest.mark.django_db
def test_an_upload_records_its_crc_and_a_blob_stored_without_one_gets_it_again(world: World) -> None:
    stored = world.evidence_a.stored_file  # uploaded through evidence_upload
    assert stored.crc32 == zlib.crc32(PDF_BYTES)

    StoredFile.objects.filter(pk=stored.pk).update(crc32=None)  # as stored before CRCs were recorded
    upload = SimpleUploadedFile("SK lagi.pdf", PDF_BYTES, content_type="application/pdf")
    again = evidence_upload(agency=world.agency_b, by=world.operator_b, upload=upload, data={"kind": "sk"})

    assert again.evidence.stored_file.pk == stored.pk
    stored.refresh_from_db()
    assert stored.crc32 == zlib.crc32(PDF_BYTES)
