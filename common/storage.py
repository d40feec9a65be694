"""Media in an S3-compatible bucket (settings.S3_BUCKET), read and written without ever holding a file in memory.

django-storages' S3Storage, as it comes, does both whole:

- Opening a file for reading downloads the entire object into a SpooledTemporaryFile whose limit
  (AWS_S3_MAX_MEMORY_SIZE) defaults to 0, which means "never spill to disk": a 2 GB package download or
  every evidence file copied into a package's ZIP sat in the process's memory, and a download sent its first
  byte only once the whole object had arrived (a Range request for the last megabyte fetched all of it).
- Saving a file object goes through boto3's upload_fileobj, which reads each multipart part into memory,
  up to ten 8 MB parts at once.

Here a file opened for reading streams: each read continues one ranged GET from the current position, a seek
only moves the position (the next read starts a new GET there), and the size comes from the HEAD the open
already made. A file that is on local disk (an upload's temporary file, a package built in a scratch folder)
is uploaded from its path, which boto3 reads part by part as it sends. Writing through `open(name, "wb")`
is django-storages' own multipart upload, unchanged.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError
from django.core.files.base import File
from django.utils.deconstruct import deconstructible
from storages.backends import s3
from storages.utils import clean_name

# How much of a stream is read from the network at a time: the package's ZIP copies 1 MiB chunks.
_BUFFER = 1024 * 1024


class _RangedObject(io.RawIOBase):
    """A seekable, read-only view of one S3 object of known size, fetched by ranged GETs as it is read."""

    def __init__(self, obj: Any, size: int, params: dict[str, Any]) -> None:
        self._obj = obj
        self._size = size
        self._params = params
        self._position = 0
        self._body: Any = None  # the open GET's streaming body, which is at self._position

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: self._size}[whence]
        position = base + offset
        if position < 0:
            raise ValueError(f"negative seek position {position}")
        if position != self._position:
            self._drop()
            self._position = position
        return position

    def readinto(self, buffer: Any) -> int:
        if self._position >= self._size or not len(buffer):
            return 0
        if self._body is None:
            response = self._obj.get(Range=f"bytes={self._position}-", **self._params)
            self._body = response["Body"]
        count = self._body.readinto(buffer)
        self._position += count
        return count

    def _drop(self) -> None:
        if self._body is not None:
            self._body.close()  # the rest of that GET is not wanted: its connection is closed, not pooled
            self._body = None

    def close(self) -> None:
        self._drop()
        super().close()


class S3File(s3.S3File):
    """django-storages' S3File, but read as a stream instead of downloaded whole first."""

    def _get_file(self) -> Any:
        gzipped = self._storage.gzip and self.obj.content_encoding == "gzip"
        if self._file is None and "r" in self._mode and not gzipped:
            params = s3._filter_download_params(self._storage.get_object_parameters(self.name))
            stream: Any = io.BufferedReader(_RangedObject(self.obj, self.obj.content_length, params), _BUFFER)
            self._file = stream if "b" in self._mode else io.TextIOWrapper(stream, encoding="utf-8")
            self._is_dirty = False
            self._closed = False
        return super()._get_file()

    file = property(_get_file, s3.S3File._set_file)


@deconstructible
class S3Storage(s3.S3Storage):
    """The media storage when settings.S3_BUCKET is set (see the module's docstring)."""

    def _open(self, name: str, mode: str = "rb") -> S3File:
        key = self._normalize_name(clean_name(name))
        try:
            return S3File(key, mode, self)
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(f"File does not exist: {key}") from error
            raise

    def _save(self, name: str, content: File) -> str:
        path = _local_path(content)
        if path is None or self.gzip:
            return super()._save(name, content)
        cleaned = clean_name(name)
        key = self._normalize_name(cleaned)
        parameters = self._get_write_parameters(key, content)
        self.bucket.Object(key).upload_file(path, ExtraArgs=parameters, Config=self.transfer_config)
        return cleaned


def _local_path(content: File) -> str | None:
    """The path of the local file whose bytes `content` is, or None (then it is uploaded as a file object)."""
    if hasattr(content, "temporary_file_path"):
        return str(content.temporary_file_path())
    handle = getattr(content, "file", content)
    name = getattr(handle, "name", None)
    if not isinstance(name, str) or not Path(name).is_absolute():
        return None
    try:
        handle.flush()  # a file still open for writing: what it buffered goes to disk before the disk is read
        # The name of an open file is only where it was opened: make sure it is still the same file.
        return name if os.path.samestat(os.fstat(handle.fileno()), Path(name).stat()) else None
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return None
