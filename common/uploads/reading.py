"""Reading an upload in pieces: every pass over a file reads CHUNK_SIZE at a time, so memory stays flat."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

from django.core.files import File

CHUNK_SIZE = 64 * 1024  # every pass over a file reads this much at a time, whatever the file's size
HEAD_SIZE = 64 * 1024  # the start of the file that magic numbers and the CSV parse look at


def read_at(upload: File, offset: int, size: int) -> bytes:
    """`size` bytes from `offset` (fewer at the end of the file), read CHUNK_SIZE at a time."""
    upload.seek(offset)
    parts: list[bytes] = []
    while size > 0:
        data = upload.read(min(size, CHUNK_SIZE))
        if not data:
            break
        parts.append(data)
        size -= len(data)
    return b"".join(parts)


def search(upload: File, pattern: re.Pattern[bytes], start: int) -> int:
    """The offset of the first match of `pattern` (at most 16 bytes long) from `start` on; -1 if none."""
    upload.seek(start)
    carry = b""  # the end of the previous chunk, so a match split across two chunks is still found
    chunk_start = start
    while chunk := upload.read(CHUNK_SIZE):
        window = carry + chunk
        match = pattern.search(window)
        if match:
            return chunk_start - len(carry) + match.start()
        carry = window[-15:]
        chunk_start += len(chunk)
    return -1


def read_head(upload: File) -> bytes:
    """The first HEAD_SIZE bytes (fewer for a shorter file)."""
    upload.seek(0)
    parts: list[bytes] = []
    wanted = HEAD_SIZE
    while wanted:
        data = upload.read(wanted)
        if not data:
            break
        parts.append(data)
        wanted -= len(data)
    return b"".join(parts)


def chunks(upload: File) -> Iterator[bytes]:
    """The whole file from its start, CHUNK_SIZE at a time."""
    upload.seek(0)
    while chunk := upload.read(CHUNK_SIZE):
        yield chunk


def crc32_of(upload: File) -> int:
    """The CRC-32 of the whole file (what a ZIP member's header records), read in chunks; leaves it rewound."""
    crc = 0
    for chunk in chunks(upload):
        crc = zlib.crc32(chunk, crc)
    upload.seek(0)
    return crc
