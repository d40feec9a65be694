"""The one way a stored file leaves the application: `file_response`.

Every view that serves a file (evidence downloads and previews, the assessors' evidence, the masterplan
document) checks permissions first and then returns `file_response`: the detected content type and the detected
kind's extension (never the uploader's), a Content-Disposition with an ASCII fallback and the exact name as
RFC 5987 `filename*`, `nosniff`, a sandboxing Content-Security-Policy, and a 404 page with a logged error when
the bytes are missing from storage.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from csp.constants import SELF
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render

from common.uploads.kinds import UNKNOWN_EXTENSION, extension_for
from common.uploads.names import served_filename

logger = logging.getLogger(__name__)

_NOT_QUOTABLE = re.compile(r"[^A-Za-z0-9 ._()\-]+")
# Downloads never render; previews are shown inside our own pages only. Chromium will not run its PDF viewer in
# a sandboxed document, so an inline PDF is the one response without the sandbox.
_OWN_RESOURCES = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"
_DOWNLOAD_POLICY = f"sandbox; {_OWN_RESOURCES}; frame-ancestors 'none'"
_PREVIEW_POLICY = f"{_OWN_RESOURCES}; frame-ancestors 'self'"


def content_disposition(filename: str, *, inline: bool) -> str:
    """An RFC 6266 header: a plain-ASCII `filename` for old clients and the exact name as `filename*`."""
    stem, extension = _split_extension(filename)
    # Accents fall away ("ñ" -> "n"); any other non-ASCII character becomes "_".
    decomposed = unicodedata.normalize("NFKD", stem)
    ascii_stem = "".join(ch if ch.isascii() else "" if unicodedata.combining(ch) else "_" for ch in decomposed)
    fallback = _NOT_QUOTABLE.sub("_", ascii_stem).strip(" ._") or "file"
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}{extension}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(
    request: HttpRequest,
    file: FieldFile,
    *,
    content_type: str,
    name: str,
    reference: str,
    inline: bool = False,
) -> HttpResponseBase:
    """Serve `file` (already permission-checked) as `name`'s stem with the extension of its detected type.

    `content_type` is what inspection detected; `reference` names the file in the log (its hash, or the
    record it belongs to) when its bytes are missing from storage, which gives the user a 404 page.
    """
    if extension_for(content_type) == UNKNOWN_EXTENSION:
        content_type = "application/octet-stream"  # never a type we did not detect (text/html, image/svg+xml...)
    filename = served_filename(name, content_type)
    handle = _open(request, file, name=name, reference=reference, inline=inline)
    if isinstance(handle, HttpResponseBase):
        return handle
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    return _hardened(response, filename, content_type=content_type, inline=inline)


def _open(request: HttpRequest, file: FieldFile, *, name: str, reference: str, inline: bool) -> Any:
    """The file's bytes, opened; or, when they are missing from storage, a 404 page and an error in the log."""
    try:
        return file.open("rb")
    except FileNotFoundError:
        # The row exists but the bytes do not (a lost disk, a bucket restored from an older backup): the user
        # can do nothing about it, the administrators must restore it.
        logger.error(
            "Stored file missing from storage: %s (storage name %r), requested by user %s at %s",
            reference,
            file.name,
            request.user.pk,
            request.path,
        )
        template = "files/missing_frame.html" if inline else "files/missing.html"
        response = render(request, template, {"name": name}, status=404)
        if inline:
            # Shown inside our evidence preview frame; csp.decorators.csp_replace sets this same attribute.
            response._csp_replace = {"frame-ancestors": [SELF]}  # type: ignore[attr-defined]
        return response


def _hardened(response: HttpResponseBase, filename: str, *, content_type: str, inline: bool) -> HttpResponseBase:
    """The headers every file leaving the application carries: its name, no sniffing, a restrictive CSP."""
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    if not inline:
        response["Content-Security-Policy"] = _DOWNLOAD_POLICY
    elif content_type == "application/pdf":
        response["Content-Security-Policy"] = _PREVIEW_POLICY
    else:
        response["Content-Security-Policy"] = f"sandbox; {_PREVIEW_POLICY}"
    return response


def _split_extension(filename: str) -> tuple[str, str]:
    suffix = PurePosixPath(filename).suffix
    return (filename[: -len(suffix)], suffix) if suffix else (filename, "")


_RANGE = re.compile(r"bytes=([0-9]{0,18})-([0-9]{0,18})")
_CHUNK = 256 * 1024


def _ranged(handle: Any, start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(_CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
    finally:
        handle.close()


def archive_response(
    request: HttpRequest, file: FieldFile, *, filename: str, content_type: str, size: int, reference: str
) -> HttpResponseBase:
    """Serve a file we produced ourselves (a package), streamed, with its exact Content-Length and support for a
    single HTTP range (`Range: bytes=a-b`, `bytes=a-`, `bytes=-n`), so a download cut off on a slow government
    line resumes where it stopped. Several ranges or a malformed header get the whole file, as RFC 9110 allows.
    """
    handle = _open(request, file, name=filename, reference=reference, inline=False)
    if isinstance(handle, HttpResponseBase):
        return handle
    header = request.headers.get("Range", "").strip()
    match = _RANGE.fullmatch(header) if header else None
    if match and any(match.groups()):
        first, last = match.groups()
        if first:
            start = int(first)
            end = min(int(last), size - 1) if last else size - 1
        else:  # the last n bytes
            start = max(size - int(last), 0)
            end = size - 1
        if start >= size or end < start:
            handle.close()
            response: HttpResponseBase = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        response = StreamingHttpResponse(_ranged(handle, start, end - start + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    return _hardened(response, filename, content_type=content_type, inline=False)
