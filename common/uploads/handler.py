"""The upload handler: every upload streamed to a temporary file and hashed on the way, files over a limit skipped."""

from __future__ import annotations

import hashlib
import logging
from typing import IO, Any, NoReturn

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import SkipFile, StopFutureHandlers, TemporaryFileUploadHandler
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from common.uploads.names import clean_filename

logger = logging.getLogger(__name__)

# The default for the limit settings may override (smartcity/settings.py sets it explicitly).
DEFAULT_MAX_UPLOAD_REQUEST_SIZE = 100 * 1024 * 1024


class HashingUploadHandler(TemporaryFileUploadHandler):
    """Stream every uploaded file to a temporary file while hashing it; skip files over the size limits.

    The result carries `.sha256` (hex), which inspect_upload reuses. A file over settings.MAX_UPLOAD_SIZE, or
    one that would take the request's files past settings.MAX_UPLOAD_REQUEST_SIZE, is skipped and named in
    `request.upload_errors` (translated messages), while the other files and fields arrive as usual. Views read
    it with `getattr(request, "upload_errors", [])`: a request without a multipart body never reaches here.
    """

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.upload_errors: list[str] = []
        self.kept_bytes = 0  # bytes of the files kept so far in this request
        self._digest = hashlib.sha256()
        if request is not None:
            request.upload_errors = self.upload_errors  # type: ignore[attr-defined]

    def handle_raw_input(
        self,
        input_data: IO[bytes],
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> None:
        self.upload_errors.clear()
        self.kept_bytes = 0
        if self.request is not None:
            self.request.upload_errors = self.upload_errors  # type: ignore[attr-defined]

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        # The parent creates the temporary file first, so a SkipFile raised later for this file closes (and
        # thereby deletes) this file, never the previous one already handed to the parser.
        super().new_file(*args, **kwargs)
        self._digest = hashlib.sha256()
        # Every byte of this file goes to our temporary file: a later handler (Django's memory handler) would
        # only hold a second copy.
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        received = start + len(raw_data)
        per_file = settings.MAX_UPLOAD_SIZE
        if received > per_file:
            self._skip(_("“%(name)s” was not received: it is larger than the limit of %(limit)s."), per_file)
        per_request = getattr(settings, "MAX_UPLOAD_REQUEST_SIZE", DEFAULT_MAX_UPLOAD_REQUEST_SIZE)
        if self.kept_bytes + received > per_request:
            self._skip(
                _("“%(name)s” was not received: the files sent at once may total at most %(limit)s."), per_request
            )
        self._digest.update(raw_data)
        self.file.write(raw_data)

    def file_complete(self, file_size: int) -> UploadedFile:
        upload = super().file_complete(file_size)
        upload.sha256 = self._digest.hexdigest()  # type: ignore[attr-defined]
        self.kept_bytes += file_size
        return upload

    def _skip(self, message: str, limit: int) -> NoReturn:
        name = clean_filename(self.file_name or "")
        logger.info("Skipped upload %r over the limit of %s bytes", name, limit)
        self.upload_errors.append(message % {"name": name, "limit": filesizeformat(limit)})
        raise SkipFile
