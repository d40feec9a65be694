"""JPEG and PNG: the header opened with Pillow (no pixel decoding), and where the image's own bytes end."""

from __future__ import annotations

import logging
import re
import struct
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image

from common.uploads.kinds import PNG_MAGIC
from common.uploads.reading import read_at, search
from common.uploads.refusals import refuse_corrupt

logger = logging.getLogger(__name__)

# The default for the limit settings may override (smartcity/settings.py sets it explicitly).
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
MAX_IMAGE_SEGMENTS = 100_000  # JPEG segments or PNG chunks walked to the end marker (photos have a few hundred)
# After SOS the entropy-coded data runs to the next marker: 0xFF followed by anything but a stuffed zero, a
# restart marker (D0-D7) or another 0xFF (fill).
_JPEG_NEXT_MARKER = re.compile(rb"\xff[\x01-\xcf\xd8-\xfe]")


def check_image(upload: File, pillow_format: str, name: str) -> None:
    """Open the image header with Pillow (no pixel decoding) and refuse pixel bombs and broken files."""
    limit = getattr(settings, "MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)
    too_big = False
    upload.seek(0)
    try:
        # Pillow warns above its own global limit and raises at twice it; a warning must refuse here too.
        # catch_warnings is process-wide, so a concurrent request may miss the filter: the width * height
        # check below still refuses the file, the filter only makes the refusal earlier.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload, formats=[pillow_format]) as image:
                width, height = image.size
                too_big = width * height > limit
                if not too_big:
                    image.verify()  # walks the structure (chunk CRCs for PNG) without decoding pixels
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        too_big = True
    except Exception as exc:
        # Pillow raises many exception types on hostile input (OSError, SyntaxError, struct.error, ...):
        # all of them mean the file cannot be read.
        logger.info("Refused upload %r as a corrupt %s: %r", name, pillow_format, exc)
        refuse_corrupt(name, exc)
    if too_big:
        raise ValidationError(
            _("“%(name)s” is an image too large to open safely (more than %(limit)s pixels).")
            % {"name": name, "limit": number_format(limit, force_grouping=True)},
            code="pixel_bomb",
        )


def jpeg_end(upload: File, name: str) -> int | None:
    """The offset just after a JPEG's end-of-image marker, following segment lengths and scan data."""
    position = 2  # after the start-of-image marker
    for _segment in range(MAX_IMAGE_SEGMENTS):
        header = read_at(upload, position, 4)
        if len(header) < 2:
            return None  # truncated before its end marker: nothing can follow it
        if header[0] != 0xFF:
            # Stray bytes between segments: decoders skip to the next marker, and so do we.
            position = search(upload, _JPEG_NEXT_MARKER, position)
            if position < 0:
                return None
            continue
        marker = header[1]
        if marker == 0xD9:
            return position + 2
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            position += 1 if marker == 0xFF else 2  # a fill byte, or a marker without a length
            continue
        if len(header) < 4:
            return None
        (length,) = struct.unpack(">H", header[2:4])
        if length < 2:
            refuse_corrupt(name, ValueError(f"JPEG segment length {length}"))
        position += 2 + length
        if marker == 0xDA:  # start of scan: its entropy-coded data runs to the next marker
            position = search(upload, _JPEG_NEXT_MARKER, position)
            if position < 0:
                return None
    refuse_corrupt(name, ValueError("too many JPEG segments"))


def png_end(upload: File, size: int, name: str) -> int | None:
    """The offset just after a PNG's IEND chunk, walking the chunk lengths."""
    position = len(PNG_MAGIC)
    for _segment in range(MAX_IMAGE_SEGMENTS):
        header = read_at(upload, position, 8)
        if len(header) < 8:
            return None
        length, chunk_type = struct.unpack(">I4s", header)
        position += 12 + length  # length, type, data, CRC
        if chunk_type == b"IEND":
            return position
        if position > size:
            return None
    refuse_corrupt(name, ValueError("too many PNG chunks"))
