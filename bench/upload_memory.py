"""Memory used to receive and inspect a 100 MB upload: it should stay flat, far below the file's size.

    DJANGO_SETTINGS_MODULE=smartcity.settings DJANGO_DEBUG=1 .venv/bin/python bench/upload_memory.py [--kind csv]

The multipart body is generated into a temporary file (never held in memory) and fed to Django's real parsing
path: a WSGIRequest whose wsgi.input is the open file, parsed by MultiPartParser with settings.FILE_UPLOAD_HANDLERS
(HashingUploadHandler). Then inspect_upload runs on the received file. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the project root

MB = 1024 * 1024
BOUNDARY = "----smartcity-bench-7f3a9c"
TARGET_RATIO = 0.1


def write_body(out: IO[bytes], kind: str, size: int) -> None:
    """A multipart body with one text field and one `size`-byte file, written 1 MB at a time."""
    if kind == "pdf":
        name, content_type = "laporan-besar.pdf", "application/pdf"
    else:
        name, content_type = "capaian-besar.csv", "text/csv"
    out.write(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nLaporan besar\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode()
    )
    if kind == "pdf":
        write_pdf(out, size)
    else:
        start, line = (
            b"No;Perangkat Daerah;Indikator;Capaian\r\n",
            b"1;Dinas Komunikasi, Informatika dan Statistik;Layanan daring;87,5\r\n",
        )
        out.write(start)
        write_filler(out, line, size - len(start))
    out.write(f"\r\n--{BOUNDARY}--\r\n".encode())


def write_filler(out: IO[bytes], line: bytes, size: int) -> None:
    block = line * (MB // len(line))
    while size > 0:
        piece = block[:size]
        out.write(piece)
        size -= len(piece)


def write_pdf(out: IO[bytes], size: int) -> None:
    """A real PDF (uploads are opened with pypdf) of about `size` bytes: one page per MB, each with a 1 MB stream.

    Like a scanned report, almost all of it is page content, which the check never reads.
    """
    pages = max(1, size // MB)
    stream_length = max(1, (size - 300 * pages - 500) // pages)
    line = b"% isi halaman laporan capaian smart city kabupaten banjar\n"
    written = 0
    offsets: list[int] = []

    def emit(data: bytes) -> None:
        nonlocal written
        out.write(data)
        written += len(data)

    def start_object(number: int) -> None:
        offsets.append(written)
        emit(b"%d 0 obj\n" % number)

    emit(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    page_numbers = [3 + 2 * page for page in range(pages)]
    start_object(1)
    emit(b"<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
    start_object(2)
    kids = b" ".join(b"%d 0 R" % number for number in page_numbers)
    emit(b"<< /Type /Pages /Kids [%s] /Count %d >>\nendobj\n" % (kids, pages))
    for number in page_numbers:
        start_object(number)
        emit(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R >>\nendobj\n" % (number + 1))
        start_object(number + 1)
        emit(b"<< /Length %d >>\nstream\n" % stream_length)
        write_filler(out, line, stream_length)
        written += stream_length
        emit(b"\nendstream\nendobj\n")
    xref_at = written
    emit(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
    emit(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    emit(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref_at))


def peak_rss_mb() -> float:
    # ru_maxrss is the lifetime high-water mark, in KiB on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (MB if sys.platform == "darwin" else 1024)


def measure(label: str, action: Callable[[], Any], file_size: int) -> tuple[Any, float]:
    """Run `action`; print its time, Python peak (tracemalloc) and peak-RSS growth; return it and the worse ratio."""
    rss_before = peak_rss_mb()
    tracemalloc.reset_peak()
    traced_before = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    result = action()
    elapsed = time.perf_counter() - started
    traced_peak = tracemalloc.get_traced_memory()[1] - traced_before
    rss_after = peak_rss_mb()
    rss_growth = (rss_after - rss_before) * MB
    print(
        f"{label:<10} {elapsed:6.2f} s   Python peak {traced_peak / MB:7.2f} MB (ratio {traced_peak / file_size:.4f})"
        f"   peak RSS {rss_after:7.1f} MB, +{rss_growth / MB:.1f} MB (ratio {rss_growth / file_size:.4f})"
    )
    return result, max(traced_peak, rss_growth) / file_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=["pdf", "csv"], default="pdf", help="what the uploaded file contains")
    parser.add_argument("--size-mb", type=int, default=100, help="size of the uploaded file")
    args = parser.parse_args()
    file_size = args.size_mb * MB

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
    import django

    django.setup()
    from django.core.files import File
    from django.core.handlers.wsgi import WSGIRequest
    from django.test import override_settings

    from common.uploads import inspect_upload

    with (
        tempfile.TemporaryFile() as body,
        override_settings(MAX_UPLOAD_SIZE=200 * MB, MAX_UPLOAD_REQUEST_SIZE=200 * MB, ALLOWED_HOSTS=["*"]),
    ):
        write_body(body, args.kind, file_size)
        length = body.tell()
        body.seek(0)
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/evidence/upload/",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
            "wsgi.input": body,
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "CONTENT_LENGTH": str(length),
        }
        request = WSGIRequest(environ)
        print(f"{args.kind.upper()} upload of {file_size / MB:.0f} MB (request body {length / MB:.1f} MB)")
        print(f"baseline   peak RSS {peak_rss_mb():7.1f} MB after Django setup")
        tracemalloc.start()
        files, upload_ratio = measure("upload", lambda: request.FILES, file_size)
        upload = files["files"]
        inspected, inspect_ratio = measure("inspect", lambda: inspect_upload(upload), file_size)
        # As a model validator sees it (a plain File, no .sha256 from the handler): the hash is recomputed.
        plain = File(upload.file, name=upload.name)
        rehashed, rehash_ratio = measure("+ rehash", lambda: inspect_upload(plain), file_size)
        # The control: what reading the file whole would cost, to show the instrument catches it.
        measure("control", lambda: hashlib.sha256(upload.read()).hexdigest(), file_size)
        upload.seek(0)
        tracemalloc.stop()
        print(f"received   {upload.size} bytes as {type(upload).__name__}, errors: {request.upload_errors}")
        print(f"inspected  kind={inspected.kind} sha256={inspected.sha256[:16]}… (reused from the upload handler)")
        print(f"rehashed   sha256 {'matches' if rehashed.sha256 == inspected.sha256 else 'DIFFERS'}")
        print("note       peak RSS is a high-water mark: +0.0 means the phase never rose above the earlier peak")
        worst = max(upload_ratio, inspect_ratio, rehash_ratio)
        verdict = "well under" if worst < TARGET_RATIO / 10 else "under" if worst < TARGET_RATIO else "NOT under"
        print(f"worst peak/file-size ratio {worst:.4f}: {verdict} the target of {TARGET_RATIO}")
        request.close()  # deletes the received temporary file


if __name__ == "__main__":
    main()
