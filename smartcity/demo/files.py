"""Small real files for the demo evidence library: one-page PDFs, photos and a spreadsheet, generated on load.

Every generator is deterministic (same arguments, same bytes), so a second demo load finds the files by hash
and stores nothing new. The files are real enough to pass `inspect_upload` and to open in a viewer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import random
import re
import textwrap
import zipfile
from collections.abc import Iterable, Sequence

from PIL import Image, ImageDraw, ImageFont

# A4 in PostScript points; text starts one inch from the left edge.
PAGE_WIDTH, PAGE_HEIGHT = 595, 842
LEFT_MARGIN = 72
WRAP_AT = 80  # characters of 11 pt Helvetica (about 5.5 pt each) that fit between the margins
TITLE_WRAP_AT = 58  # the same for the 14 pt bold title
# Zip entries carry a modification time; a fixed one keeps generated office files byte-identical across runs.
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
FIXED_DOC_TIME = dt.datetime(2024, 1, 1, 8, 0, 0)  # noqa: DTZ001 (xlsx core properties hold a naive UTC time)
REGION_HEADER = "PEMERINTAH KABUPATEN BANJAR"


# --- PDF ------------------------------------------------------------------------------------------------


def _pdf_text(text: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252), which covers Indonesian text and the en dash."""
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _pdf_unicode(text: str) -> bytes:
    # Document-information strings are PDFDocEncoding or UTF-16BE with a BOM; UTF-16 is right for any text.
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def pdf_document(*, title: str, agency: str, lines: Sequence[str], subtitle: str = "") -> bytes:
    """A one-page A4 PDF with a letterhead (region and agency), a bold title and wrapped body lines."""
    ops: list[bytes] = [
        b"0.12 0.30 0.55 rg",
        b"BT /F2 13 Tf %d 790 Td " % LEFT_MARGIN + _pdf_text(REGION_HEADER) + b" Tj ET",
        b"BT /F2 11 Tf %d 774 Td " % LEFT_MARGIN + _pdf_text(agency.upper()) + b" Tj ET",
        b"0 g 1.2 w %d 764 m %d 764 l S" % (LEFT_MARGIN, PAGE_WIDTH - LEFT_MARGIN),
    ]
    y = 730
    for chunk in textwrap.wrap(title, TITLE_WRAP_AT):
        ops.append(b"BT /F2 14 Tf %d %d Td " % (LEFT_MARGIN, y) + _pdf_text(chunk) + b" Tj ET")
        y -= 19
    if subtitle:
        ops.append(b"BT /F1 11 Tf %d %d Td " % (LEFT_MARGIN, y) + _pdf_text(subtitle) + b" Tj ET")
        y -= 17
    y -= 10
    for line in lines:
        for chunk in textwrap.wrap(line, WRAP_AT) or [""]:
            if y < 72:
                break  # one page only: the demo documents are short, and a cut is better than a broken file
            ops.append(b"BT /F1 11 Tf %d %d Td " % (LEFT_MARGIN, y) + _pdf_text(chunk) + b" Tj ET")
            y -= 15
        y -= 4
    content = b"\n".join(ops) + b"\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>" % (PAGE_WIDTH, PAGE_HEIGHT),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Title "
        + _pdf_unicode(title)
        + b" /Author "
        + _pdf_unicode(agency)
        + b" /Producer "
        + _pdf_unicode("Smart City Banjar (data demo)")
        + b" >>",
    ]
    # The header's second line holds bytes above 127 so tools treat the file as binary (PDF 1.7, 7.5.2).
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    # Each cross-reference entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, space + LF.
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects))
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


# --- Photos ---------------------------------------------------------------------------------------------

# Sky, ground and accent colours of a few outdoor scenes, so the photos of one library do not look alike.
PALETTES: tuple[tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]], ...] = (
    ((118, 170, 220), (96, 140, 80), (200, 40, 40)),
    ((160, 200, 235), (150, 120, 90), (20, 110, 170)),
    ((230, 180, 120), (70, 110, 70), (240, 200, 30)),
    ((140, 190, 210), (110, 130, 140), (30, 140, 90)),
)


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def _scene(caption: str, size: tuple[int, int]) -> Image.Image:
    """A documentation-photo lookalike: sky, a building with windows, a crowd and a captioned banner."""
    width, height = size
    # Layout only, never security: a seeded generator keeps the picture the same on every run.
    rng = random.Random(_seed(caption))  # noqa: S311
    sky, ground, accent = PALETTES[rng.randrange(len(PALETTES))]
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    horizon = int(height * 0.62)
    for y in range(horizon):  # the sky lightens towards the horizon
        shade = y / horizon
        draw.line([(0, y), (width, y)], fill=tuple(int(c + (255 - c) * shade * 0.5) for c in sky))
    draw.rectangle([0, horizon, width, height], fill=ground)
    left = rng.randrange(40, width // 3)
    top = rng.randrange(height // 5, height // 3)
    right = left + rng.randrange(width // 3, width // 2)
    draw.rectangle([left, top, right, horizon], fill=(235, 228, 210), outline=(90, 80, 70), width=2)
    draw.polygon([(left - 12, top), ((left + right) // 2, top - 40), (right + 12, top)], fill=(150, 60, 50))
    for wx in range(left + 14, right - 24, 34):
        for wy in range(top + 14, horizon - 30, 38):
            draw.rectangle([wx, wy, wx + 18, wy + 22], fill=(80, 110, 140))
    for _ in range(rng.randrange(9, 16)):  # people standing in front of the building
        x = rng.randrange(20, width - 20)
        y = rng.randrange(horizon + 10, height - 70)
        shirt = (rng.randrange(40, 230), rng.randrange(40, 230), rng.randrange(40, 230))
        draw.ellipse([x - 7, y - 30, x + 7, y - 16], fill=(200, 160, 120))
        draw.rectangle([x - 9, y - 16, x + 9, y + 12], fill=shirt)
    banner_top = height - 58
    draw.rectangle([0, banner_top, width, height], fill=accent)
    font = ImageFont.load_default(size=20)
    draw.text((16, banner_top + 8), caption[:56], fill=(255, 255, 255), font=font)
    small = ImageFont.load_default(size=13)
    draw.text((16, banner_top + 34), "Dokumentasi kegiatan - Kabupaten Banjar", fill=(255, 255, 255), font=small)
    return image


def photo_jpeg(caption: str, size: tuple[int, int] = (640, 400)) -> bytes:
    """A JPEG documentation photo (about 20–40 KB) with the caption on a banner."""
    out = io.BytesIO()
    _scene(caption, size).save(out, format="JPEG", quality=70)
    return out.getvalue()


def photo_png(caption: str, size: tuple[int, int] = (560, 350)) -> bytes:
    """A PNG documentation photo; a palette image keeps it small (PNG is lossless)."""
    out = io.BytesIO()
    _scene(caption, size).quantize(colors=64).save(out, format="PNG", optimize=True)
    return out.getvalue()


# --- Spreadsheet ----------------------------------------------------------------------------------------


def xlsx_table(*, title: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A one-sheet xlsx (title row, header, rows) made with openpyxl, with its timestamps fixed."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([])
    sheet.append(list(header))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for column, width in zip("ABCDEFG", (6, 48, 20, 20, 20, 14, 14), strict=False):
        sheet.column_dimensions[column].width = width
    workbook.properties.creator = "Smart City Banjar (data demo)"
    workbook.properties.created = workbook.properties.modified = FIXED_DOC_TIME
    raw = io.BytesIO()
    workbook.save(raw)
    return _normalised_zip(raw.getvalue())


def _normalised_zip(data: bytes) -> bytes:
    """The same archive with fixed entry times and core-property dates, so equal content gives equal bytes."""
    stamp = FIXED_DOC_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            info = zipfile.ZipInfo(entry.filename, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            target.writestr(info, content)
    return out.getvalue()
