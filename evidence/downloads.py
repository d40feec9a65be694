"""A library entry's bytes as an HTTP response, for the library's own pages and for other apps' pages that hand
out evidence under their own permission check (the assessors' view of an answer's files)."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from common.downloads import file_response
from evidence.models import Evidence


def evidence_file_response(request: HttpRequest, evidence: Evidence, *, inline: bool = False) -> HttpResponseBase:
    """A library entry's bytes (permission already checked): its uploaded name's stem, its detected type."""
    stored = evidence.stored_file
    return file_response(
        request,
        stored.file,
        content_type=stored.content_type,
        name=evidence.original_name,
        reference=f"sha256 {stored.sha256}",
        inline=inline,
    )
