"""The evaluation package with its media in an S3-compatible bucket (settings.S3_BUCKET), end to end.

The default storage is the one smartcity/settings.py writes when a bucket is named, its options untouched,
talking to moto's S3: in this process through `mock_aws` (no network), or, for the memory check, behind a
loopback HTTP endpoint in a child process, so that moto's own copies are not counted as the build's (moto keeps
an object at rest in a spooled file, but answers a GET with the whole object and completes a multipart upload by
joining its parts in one buffer, which no MOTO_S3_DEFAULT_KEY_BUFFER_SIZE changes). Evidence goes in through
the real upload service and view, the package is built through the page, and the ZIP comes out through the
coordinator's download URL, whole and in ranges, and is checked against its manifest.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import runpy
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from moto import mock_aws

from evaluations.models import Answer, Package
from evaluations.packages.archive import verify_archive
from evaluations.packages.scratch import scratch_folder, scratch_prefix
from evaluations.services.answers import answer_submit, answer_update, answer_verify
from evidence.models import Evidence
from tests.conftest import PDF_BYTES, Evaluation, client_for, make_evidence
from tests.test_packages import build_through_the_page

BUCKET = "bukti-dukung-uji"
REGION = "us-east-1"
MiB = 1024 * 1024
EVIDENCE_SIZE = 24 * MiB  # the memory check's two evidence files (uploads stop at 25 MiB)

# A loopback S3 endpoint for the memory check: each request is handed to moto's in-process mock inside this
# child (moto intercepts the `requests` library as it does botocore), so the objects live in the child's memory.
_ENDPOINT = r"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from moto import mock_aws

_HOP = {"host", "connection", "content-length", "expect", "transfer-encoding", "keep-alive"}


class Forward(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def forward(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
        answer = requests.request(
            self.command,
            "https://s3.amazonaws.com" + self.path,
            headers=headers,
            data=body,
            allow_redirects=False,
            stream=True,  # a HEAD's answer has a length and no body: never read it
        )
        content = b"" if self.command == "HEAD" else answer.content
        answer.close()
        self.send_response(answer.status_code)
        for key, value in answer.headers.items():
            if key.lower() not in _HOP:
                self.send_header(key, value)
        length = answer.headers.get("Content-Length", "0") if self.command == "HEAD" else str(len(content))
        self.send_header("Content-Length", length)
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = forward

    def log_message(self, *args):
        pass


with mock_aws():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Forward)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()
"""


def production_s3_storage(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """STORAGES["default"] exactly as smartcity/settings.py writes it when S3_BUCKET is set."""
    variables = {"S3_BUCKET": BUCKET, "S3_REGION": REGION, "S3_ACCESS_KEY_ID": "uji", "S3_SECRET_ACCESS_KEY": "uji"}
    for name, value in {**variables, **env}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(settings.BASE_DIR) / "smartcity" / "settings.py"))["STORAGES"]["default"]


@pytest.fixture
def loopback_s3() -> Iterator[str]:
    """The URL of a moto S3 endpoint in a child process (the memory check's bucket)."""
    child = subprocess.Popen(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", _ENDPOINT],
        stdout=subprocess.PIPE,
        env={**os.environ, "AWS_ACCESS_KEY_ID": "uji", "AWS_SECRET_ACCESS_KEY": "uji"},
        text=True,
    )
    try:
        assert child.stdout is not None
        yield f"http://127.0.0.1:{int(child.stdout.readline())}"
    finally:
        child.terminate()
        child.wait(10)


@pytest.fixture
def bucket(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    """The media storage is the production S3 storage on a fresh bucket: moto in this process, or with
    `indirect` parameter "loopback", the child's endpoint. The system's temporary folder (where a build writes
    before uploading) is the test's own, to find what a build leaves behind."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    loopback = getattr(request, "param", None) == "loopback"
    endpoint = request.getfixturevalue("loopback_s3") if loopback else None
    with contextlib.nullcontext() if loopback else mock_aws():
        storage = production_s3_storage(monkeypatch, **({"S3_ENDPOINT_URL": endpoint} if endpoint else {}))
        s3 = boto3.resource(
            "s3", region_name=REGION, endpoint_url=endpoint, aws_access_key_id="uji", aws_secret_access_key="uji"
        )
        s3.create_bucket(Bucket=BUCKET)
        with override_settings(STORAGES={**settings.STORAGES, "default": storage}):
            assert default_storage.bucket_name == BUCKET  # FileFields hold default_storage: they use it too
            yield s3.Bucket(BUCKET)


@pytest.fixture
def world(bucket: Any, world: Any) -> Any:
    # The world's evidence is uploaded once the bucket is the media storage, so it lands in the bucket.
    return world


def answer_with(ev: Evaluation, evidence: list[Evidence]) -> None:
    """tests.test_packages.answer_all, with these files as the first answer's evidence."""
    w = ev.world

    def version(answer: Answer) -> int:
        return Answer.objects.get(pk=answer.pk).version

    answer_update(
        answer=ev.yes_no,
        by=w.operator_a,
        expected_version=version(ev.yes_no),
        data={"value_bool": True},
        evidence=evidence,
    )
    answer_update(answer=ev.level, by=w.operator_a, expected_version=version(ev.level), data={"value_level": 3})
    answer_update(
        answer=ev.percentage, by=w.operator_b, expected_version=version(ev.percentage), data={"value_number": 50}
    )
    for answer, user in ((ev.yes_no, w.operator_a), (ev.level, w.operator_a), (ev.percentage, w.operator_b)):
        answer_submit(answer=answer, by=user)
        answer_verify(answer=answer, by=w.coordinator)


def object_of(bucket: Any, name: str) -> Any:
    """The bucket's object for a storage name (the storage keeps media under settings' S3_PREFIX)."""
    return bucket.Object(default_storage._normalize_name(name))


def leftovers(package: Package) -> list[Path]:
    """Whatever a build of `package` left in its scratch folder (the system's temporary folder on S3)."""
    folder = Path(scratch_folder())
    return list(folder.glob(f"{scratch_prefix(package)}*"))


def test_a_package_is_built_from_the_bucket_into_the_bucket_and_downloaded_whole_and_in_ranges(
    bucket, evaluation, django_capture_on_commit_callbacks, tmp_path
) -> None:
    w = evaluation.world
    operator = client_for(w.operator_a)
    other = PDF_BYTES.replace(b"1.4", b"1.7")
    response = operator.post(
        reverse("evidence:upload"),
        {"files": [SimpleUploadedFile("Notulen rapat.pdf", other)], "kind": "minutes", "title": "", "issuer": ""},
    )
    assert response.status_code == 302
    uploaded = Evidence.objects.get(agency=w.agency_a, kind="minutes")
    for evidence in (w.evidence_a, uploaded):
        stored = evidence.stored_file
        assert object_of(bucket, stored.file.name).content_length == stored.size  # in the bucket, not on disk
    download = operator.get(reverse("evidence:download", args=[uploaded.pk]))
    assert download.streaming and int(download["Content-Length"]) == len(other)
    assert b"".join(download.streaming_content) == other
    answer_with(evaluation, [w.evidence_a, uploaded])
    coordinator = client_for(w.coordinator)

    package = build_through_the_page(coordinator, evaluation.cycle, django_capture_on_commit_callbacks)

    assert package.status == Package.Status.DONE and package.progress == 100
    for part in ("archive", "pdf", "workbook"):
        assert object_of(bucket, getattr(package, part).name).content_length == getattr(package, f"{part}_size") > 0
    assert leftovers(package) == []
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]  # nothing went to local media

    url = reverse("evaluations:package_download", args=[package.pk, "archive"])
    whole = coordinator.get(url)
    assert whole.status_code == 200 and whole.streaming
    assert int(whole["Content-Length"]) == package.archive_size and whole["Accept-Ranges"] == "bytes"
    archive = tmp_path / package.file_name("archive")
    with archive.open("wb") as target:
        for chunk in whole.streaming_content:
            target.write(chunk)
    data = archive.read_bytes()
    assert len(data) == package.archive_size
    assert hashlib.sha256(data).hexdigest() == package.archive_sha256
    assert verify_archive(archive) == (4, [])  # the PDF, the workbook and the two evidence files

    size = package.archive_size
    for header, start, end in (
        ("bytes=100-1099", 100, 1099),
        (f"bytes={size - 500}-", size - 500, size - 1),
        ("bytes=-22", size - 22, size - 1),  # the ZIP's end record: what an unzipper reads first
    ):
        part = coordinator.get(url, HTTP_RANGE=header)
        assert part.status_code == 206, header
        assert part["Content-Range"] == f"bytes {start}-{end}/{size}"
        assert int(part["Content-Length"]) == end - start + 1
        assert b"".join(part.streaming_content) == data[start : end + 1]
    assert coordinator.get(url, HTTP_RANGE=f"bytes={size}-").status_code == 416

    for part in ("pdf", "workbook"):
        response = coordinator.get(reverse("evaluations:package_download", args=[package.pk, part]))
        body = b"".join(response.streaming_content)
        assert int(response["Content-Length"]) == len(body) == getattr(package, f"{part}_size")
        assert hashlib.sha256(body).hexdigest() == getattr(package, f"{part}_sha256")


def big_pdf(number: int, size: int) -> bytes:
    """A valid PDF of about `size` bytes (one blank page and an unused stream of filler), distinct per number."""
    filler = (f"bukti dukung nomor {number} ".encode() * (size // 20 + 1))[:size]
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
        b"<</Length %d>>stream\n" % len(filler) + filler + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj" % n + body + b"endobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# While the memory check traces allocations, the PDF's forked renderers stop tracing (they would only run slower:
# their memory is their own, never counted in this process's peak).
_tracing_parent_only = False


def _untrace_child() -> None:
    if _tracing_parent_only:
        tracemalloc.stop()


os.register_at_fork(after_in_child=_untrace_child)


@contextlib.contextmanager
def traced() -> Iterator[None]:
    global _tracing_parent_only
    tracemalloc.start()
    _tracing_parent_only = True
    try:
        yield
    finally:
        _tracing_parent_only = False
        tracemalloc.stop()


@pytest.mark.parametrize("bucket", ["loopback"], indirect=True)
def test_building_and_downloading_a_large_package_from_the_bucket_holds_no_file_in_memory(
    bucket, evaluation, django_capture_on_commit_callbacks, tmp_path
) -> None:
    w = evaluation.world
    evidence = [make_evidence(w.agency_a, w.operator_a, f"Lampiran {n}.pdf", big_pdf(n, EVIDENCE_SIZE)) for n in (1, 2)]
    answer_with(evaluation, [w.evidence_a, *evidence])
    coordinator = client_for(w.coordinator)
    archive = tmp_path / "paket.zip"

    with traced():
        package = build_through_the_page(coordinator, evaluation.cycle, django_capture_on_commit_callbacks)
        build_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        response = coordinator.get(reverse("evaluations:package_download", args=[package.pk, "archive"]))
        with archive.open("wb") as target:
            for chunk in response.streaming_content:
                target.write(chunk)
        response.close()
        download_peak = tracemalloc.get_traced_memory()[1]

    # The bound, three quarters of one evidence file (18 MiB, 37% of the package), sits between what a streaming
    # build holds and what holding any one file would cost. Streaming, the build holds a few MiB whatever the
    # package's size (measured: 11-14 MiB, the download 4-5 MiB): the ZIP writer's 1 MiB chunks, read buffers and
    # its hasher's 4 MiB batch, and, while the ZIP uploads from disk, boto3's part threads each reading their
    # part in 1 MiB chunks to sign and checksum it. Holding one evidence file whole costs 24 MiB. django-storages'
    # own S3Storage, which downloads an object whole into memory when it is opened and has boto3 read the ZIP's
    # multipart parts into memory, peaks at ~58 MiB for this build and ~67 MiB for the download.
    size = package.archive_size
    assert size > 2 * EVIDENCE_SIZE
    bound = EVIDENCE_SIZE * 3 // 4
    assert build_peak < bound, f"the build peaked at {build_peak / MiB:.1f} MiB for a {size / MiB:.1f} MiB package"
    assert download_peak < bound, f"the download peaked at {download_peak / MiB:.1f} MiB"
    assert "-" in object_of(bucket, package.archive.name).e_tag  # a multipart upload's ETag: "<md5>-<parts>"
    assert archive.stat().st_size == size
    assert verify_archive(archive) == (5, [])  # the PDF, the workbook and three evidence files
    assert leftovers(package) == []
