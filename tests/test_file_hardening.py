"""Evidence files: served under their detected kind's extension, one kind per file, PDFs opened with pypdf
(no JavaScript, launch actions or embedded files), and a stored file missing from storage is a clear 404 page.

Every file is built here, in the test, so no binary fixture is committed.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.http.response import HttpResponseBase
from django.urls import reverse
from PIL import Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link

from common.downloads import content_disposition
from common.uploads import CHUNK_SIZE, inspect_upload, served_filename, validate_pdf
from common.uploads import pdf as pdf_check
from evaluations.services.answers import answer_update
from evaluations.services.cycles import cycle_lock
from evidence.models import Evidence, StoredFile
from smartcity.demo import files
from tests.conftest import Evaluation, World, client_for, make_evidence, make_report

# --- Building files -----------------------------------------------------------------------------------------

CONTENT = b"BT /F1 12 Tf 72 720 Td (Laporan capaian triwulan II) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def assemble(objects: list[bytes]) -> bytes:
    """A classic PDF file: header, numbered objects, cross-reference table, trailer (object 1 is the catalog)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref_at)
    return bytes(out)


def make_pdf(*, catalog: bytes = b"", page: bytes = b"", extra: tuple[bytes, ...] = ()) -> bytes:
    """One page of text; `catalog` and `page` go into those dictionaries, `extra` are objects 6, 7, ..."""
    return assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> " + page + b" >>",
            b"<< /Length %d >>\nstream\n" % len(CONTENT) + CONTENT + b"\nendstream",
            FONT,
            *extra,
        ]
    )


def make_compressed_pdf(*, catalog: bytes = b"") -> bytes:
    """The same page as PDF 1.5+ producers write it: the dictionaries inside a deflated object stream, found
    through a deflated cross-reference stream, so none of them is in the file's bytes as text."""
    inner = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R "
        b">> >> >>",
        5: FONT,
    }
    body, index = b"", []
    for number, obj in inner.items():
        index.append(b"%d %d" % (number, len(body)))
        body += obj + b"\n"
    header = b" ".join(index) + b"\n"
    packed = zlib.compress(header + body)
    stream_number, xref_number = 6, 7
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {4: len(out)}
    out += b"4 0 obj\n<< /Length %d >>\nstream\n" % len(CONTENT) + CONTENT + b"\nendstream\nendobj\n"
    offsets[stream_number] = len(out)
    out += (
        b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (stream_number, len(inner), len(header), len(packed))
        + packed
        + b"\nendstream\nendobj\n"
    )
    offsets[xref_number] = len(out)
    rows = [struct.pack(">BIH", 0, 0, 0xFFFF)]
    for number in range(1, xref_number + 1):
        if number in inner:
            rows.append(struct.pack(">BIH", 2, stream_number, list(inner).index(number)))
        else:
            rows.append(struct.pack(">BIH", 1, offsets[number], 0))
    table = zlib.compress(b"".join(rows))
    out += (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
        % (xref_number, xref_number + 1, len(table))
        + table
        + b"\nendstream\nendobj\n"
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[xref_number]
    return bytes(out)


def demo_pdf(title: str = "SK Tim Pelaksana Smart City") -> bytes:
    return files.pdf_document(title=title, agency="Dinas Kesehatan", lines=["Menimbang: bahwa ..."] * 12)


def pypdf_made_pdf() -> bytes:
    """Written by another producer (pypdf): deflated content streams, a web link and a bookmark."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(demo_pdf("Notulen rapat koordinasi"))))
    for page in writer.pages:
        page.compress_content_streams()
    writer.add_annotation(0, Link(rect=(72, 60, 300, 80), url="https://jdih.banjarkab.go.id/"))
    writer.add_outline_item(title="Notulen", page_number=0)
    writer.add_metadata({"/Title": "Notulen rapat koordinasi"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def scan_pdf() -> bytes:
    """A scanned page as Pillow writes it: the photo's JPEG bytes as a binary DCT stream."""
    buffer = io.BytesIO()
    Image.open(io.BytesIO(files.photo_jpeg("Rapat koordinasi", (800, 600)))).save(buffer, "PDF", resolution=96)
    return buffer.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(demo_pdf())))
    writer.encrypt(user_password=user_password, owner_password="pemilik-dokumen", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_with_text(text: str) -> bytes:
    info = PngInfo()
    info.add_text("Comment", text)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 110, 170)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def small_zip() -> bytes:
    return files.xlsx_table(title="Lampiran", header=["No", "Isi"], rows=[[1, "tersembunyi"]])


def upload_of(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def refusal(content: bytes, name: str = "bukti.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        inspect_upload(upload_of(content, name))
    return caught.value


JS = b"<< /S /JavaScript /JS (app.alert\\('x'\\)) >>"
LAUNCH = b"<< /S /Launch /F (C:\\\\Windows\\\\System32\\\\cmd.exe) >>"
# "  JavaScript:alert(1)" as a PDF hex string: what a viewer reads, but not in the file's bytes as text.
JS_URI = b"<" + b"  JavaScript:alert(1)".hex().upper().encode() + b">"
EMBEDDED_FILE = b"<< /Type /EmbeddedFile /Length 4 >>\nstream\nMZ\x90\x00\nendstream"


# --- The detected extension on every file-serving URL -------------------------------------------------------


@dataclass
class Disguised:
    """Two library files whose names lie about what they are."""

    pdf: Evidence  # uploaded as laporan.hta, its bytes a PDF
    png: Evidence  # uploaded as foto.exe, its bytes a PNG


@pytest.fixture
def disguised(world: World) -> Disguised:
    pdf = make_evidence(world.agency_a, world.operator_a, name="laporan.hta", content=demo_pdf())
    png = make_evidence(world.agency_a, world.operator_a, name="foto.exe", content=files.photo_png("Posyandu"))
    return Disguised(pdf, png)


def assert_served_as(response: HttpResponseBase, filename: str, content_type: str, *, inline: bool = False) -> None:
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert (
        disposition
        == f"{'inline' if inline else 'attachment'}; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    )
    assert response["Content-Type"] == content_type
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_is_stored_and_downloaded_under_its_detected_extension(disguised: Disguised, world: World) -> None:
    for evidence, extension in ((disguised.pdf, ".pdf"), (disguised.png, ".png")):
        stored = evidence.stored_file
        assert stored.extension == extension
        assert stored.file.name.endswith(stored.sha256 + extension)
    assert (disguised.pdf.original_name, disguised.png.original_name) == ("laporan.hta", "foto.exe")  # display only
    for user in (world.operator_a, world.coordinator):
        client = client_for(user)
        pdf = client.get(reverse("evidence:download", args=[disguised.pdf.pk]))
        assert_served_as(pdf, "laporan.pdf", "application/pdf")
        assert "sandbox" in pdf["Content-Security-Policy"]
        png = client.get(reverse("evidence:download", args=[disguised.png.pk]))
        assert_served_as(png, "foto.png", "image/png")


def test_previews_are_inline_under_the_detected_extension(disguised: Disguised, world: World) -> None:
    client = client_for(world.operator_a)
    pdf = client.get(reverse("evidence:preview", args=[disguised.pdf.pk]))
    assert_served_as(pdf, "laporan.pdf", "application/pdf", inline=True)
    png = client.get(reverse("evidence:preview", args=[disguised.png.pk]))
    assert_served_as(png, "foto.png", "image/png", inline=True)
    assert png["Content-Security-Policy"].startswith("sandbox;")


def test_report_evidence_links_download_under_the_detected_extension(disguised: Disguised, world: World) -> None:
    report = make_report(world.programme_a, world.agency_a, world.operator_a, period=2, evidence=disguised.pdf)
    client = client_for(world.coordinator)
    page = client.get(report.get_absolute_url()).content.decode()
    links = re.findall(r'href="([^"]+/unduh/)"', page)
    assert links == [reverse("evidence:download", args=[disguised.pdf.pk])]
    assert_served_as(client.get(links[0]), "laporan.pdf", "application/pdf")
    previews = re.findall(r'src="([^"]+/pratinjau/)"', page)
    assert_served_as(client.get(previews[0]), "laporan.pdf", "application/pdf", inline=True)


def lock_with(evaluation: Evaluation, evidence: list[Evidence]) -> None:
    w = evaluation.world
    answer_update(
        answer=evaluation.yes_no,
        by=w.operator_a,
        expected_version=evaluation.yes_no.version,
        data={"value_bool": True},
        evidence=evidence,
    )
    cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason="Dikunci lebih awal untuk pengujian berkas.")


def test_the_assessors_download_evidence_under_the_detected_extension(
    evaluation: Evaluation, disguised: Disguised
) -> None:
    lock_with(evaluation, [disguised.pdf, disguised.png])
    client = client_for(evaluation.world.assessor)
    for evidence, filename, content_type in (
        (disguised.pdf, "laporan.pdf", "application/pdf"),
        (disguised.png, "foto.png", "image/png"),
    ):
        url = reverse("evaluations:assessment_evidence", args=[evaluation.cycle.pk, evidence.pk])
        assert_served_as(client.get(url), filename, content_type)


def test_the_masterplan_document_downloads_as_pdf_named_after_the_masterplan(world: World) -> None:
    world.masterplan.document.save("Masterplan final.hta", ContentFile(demo_pdf()))
    assert world.masterplan.document.name.endswith(".pdf")
    response = client_for(world.operator_b).get(reverse("masterplan:masterplan_document"))
    assert_served_as(response, "masterplan-smart-city-kabupaten-banjar.pdf", "application/pdf")
    assert "sandbox" in response["Content-Security-Policy"]


def test_a_stored_type_we_never_detect_is_served_as_opaque_bytes(world: World) -> None:
    # A row written outside inspect_upload (an old import, a hand edit) cannot make the browser render HTML.
    StoredFile.objects.filter(pk=world.evidence_a.stored_file_id).update(content_type="text/html")
    response = client_for(world.operator_a).get(reverse("evidence:download", args=[world.evidence_a.pk]))
    assert_served_as(response, "SK Tim Smart City.bin", "application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("laporan.hta", "application/pdf", "laporan.pdf"),
        ("foto.exe", "image/png", "foto.png"),
        ("Laporan.PDF.exe", "application/pdf", "Laporan.PDF.pdf"),
        ("capaian", "text/csv", "capaian.csv"),
        (".htaccess", "image/jpeg", "htaccess.jpg"),
        ('a";b\r\n.pdf', "application/pdf", "a_b.pdf"),
        ("../../etc/passwd.svg", "image/png", "passwd.png"),
        ("", "application/pdf", "file.pdf"),
        ("data.pdf", "application/x-unknown", "data.bin"),
    ],
)
def test_the_served_name_is_the_stem_and_the_detected_extension(name: str, content_type: str, expected: str) -> None:
    assert served_filename(name, content_type) == expected


def test_a_non_ascii_name_has_an_ascii_fallback_and_the_exact_rfc_5987_name() -> None:
    assert content_disposition("Notulen Rapat – Kecamatan Martapura ñ.pdf", inline=False) == (
        'attachment; filename="Notulen Rapat _ Kecamatan Martapura n.pdf"; '
        "filename*=UTF-8''Notulen%20Rapat%20%E2%80%93%20Kecamatan%20Martapura%20%C3%B1.pdf"
    )


# --- One kind only: polyglots refused on the library form --------------------------------------------------

POLYGLOTS = [
    pytest.param(
        "laporan.pdf",
        demo_pdf().replace(b"%PDF-1.4\n", b"%PDF-1.4\n<html><script>alert(1)</script>\n"),
        "PDF",
        "skrip",
        id="pdf-then-html",
    ),
    pytest.param(
        "laporan.pdf", demo_pdf() + b"<!DOCTYPE html><body onload=alert(1)>", "PDF", "skrip", id="html-after-pdf-eof"
    ),
    pytest.param("laporan.pdf", demo_pdf() + small_zip(), "PDF", "arsip ZIP", id="zip-after-pdf-eof"),
    pytest.param("foto.png", files.photo_png("Posyandu") + small_zip(), "PNG", "arsip ZIP", id="zip-after-png"),
    pytest.param("foto.jpg", files.photo_jpeg("Posyandu") + small_zip(), "JPEG", "arsip ZIP", id="zip-after-jpeg"),
    pytest.param(
        "foto.png",
        png_with_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        "PNG",
        "skrip",
        id="svg-in-png-text",
    ),
    pytest.param(
        "capaian.xlsx", small_zip() + b"<script>fetch('/admin/')</script>", "XLSX", "skrip", id="script-after-xlsx"
    ),
]


@pytest.mark.parametrize(("name", "content", "kind", "says"), POLYGLOTS)
def test_a_file_that_is_two_kinds_at_once_is_refused_next_to_the_file_field(
    world: World, name: str, content: bytes, kind: str, says: str
) -> None:
    response = client_for(world.operator_a).post(
        reverse("evidence:upload"),
        {
            "files": [upload_of(content, name)],
            "kind": "report",
            "document_number": "050/117/DINKES/2025",
            "issuer": "Kepala Dinas Kesehatan",
        },
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["files"]
    assert f"“{name}” adalah berkas {kind}" in error and says in error and "dua jenis" in error
    html = response.content.decode()
    # Next to the file field (crispy's feedback for it), and every other field kept as typed.
    feedback = re.search(r'id="error_1_id_files"[^>]*>(.*?)</', html, re.S)
    assert feedback and "dua jenis" in feedback.group(1)
    assert 'value="050/117/DINKES/2025"' in html and 'value="Kepala Dinas Kesehatan"' in html
    assert not Evidence.objects.filter(original_name=name).exists()


def test_a_zip_signature_inside_an_image_before_its_end_is_not_a_polyglot() -> None:
    # JPEG scan data and PNG chunks may hold any bytes: only what follows the end marker counts.
    photo = Image.open(io.BytesIO(files.photo_jpeg("Posyandu")))
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", comment=b"PK\x03\x04 in a comment")
    assert inspect_upload(upload_of(buffer.getvalue(), "foto.jpg")).kind == "jpeg"
    assert inspect_upload(upload_of(png_with_text("PK\x03\x04 in a text chunk"), "foto.png")).kind == "png"


# --- PDFs opened with pypdf ---------------------------------------------------------------------------------

DANGEROUS_PDFS = [
    pytest.param(make_pdf(catalog=b"/OpenAction 6 0 R", extra=(JS,)), "pdf_javascript", id="openaction-js"),
    pytest.param(
        make_pdf(catalog=b"/Names << /JavaScript << /Names [(init) 6 0 R] >> >>", extra=(JS,)),
        "pdf_javascript",
        id="names-javascript",
    ),
    pytest.param(make_pdf(catalog=b"/AA << /WC " + JS + b" >>"), "pdf_javascript", id="document-aa-js"),
    pytest.param(make_pdf(page=b"/AA << /O 6 0 R >>", extra=(JS,)), "pdf_javascript", id="page-open-js"),
    pytest.param(
        make_pdf(page=b"/Annots [<< /Subtype /Link /Rect [0 0 9 9] /A " + JS + b" >>]"),
        "pdf_javascript",
        id="link-annotation-js",
    ),
    pytest.param(
        make_pdf(catalog=b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next [6 0 R] >>", extra=(JS,)),
        "pdf_javascript",
        id="js-chained-after-goto",
    ),
    pytest.param(
        make_pdf(page=b"/Annots [<< /Subtype /Link /Rect [0 0 9 9] /A << /S /URI /URI " + JS_URI + b" >> >>]"),
        "pdf_javascript",
        id="javascript-uri",
    ),
    pytest.param(
        make_pdf(catalog=b"/Outlines << /First 6 0 R /Count 1 >>", extra=(b"<< /Title (Bab 1) /A " + JS + b" >>",)),
        "pdf_javascript",
        id="bookmark-js",
    ),
    pytest.param(
        make_pdf(
            catalog=b"/AcroForm << /Fields [6 0 R] >>", extra=(b"<< /FT /Tx /T (jumlah) /AA << /K " + JS + b" >> >>",)
        ),
        "pdf_javascript",
        id="form-field-keystroke-js",
    ),
    pytest.param(
        make_pdf(
            catalog=b"/AcroForm << /Fields [] /XFA 6 0 R >>", extra=(b"<< /Length 9 >>\nstream\n<xdp:xdp>\nendstream",)
        ),
        "pdf_javascript",
        id="xfa",
    ),
    pytest.param(
        make_compressed_pdf(catalog=b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>"),
        "pdf_javascript",
        id="js-inside-a-compressed-object-stream",
    ),
    pytest.param(make_pdf(catalog=b"/OpenAction " + LAUNCH), "pdf_launch", id="openaction-launch"),
    pytest.param(
        make_pdf(page=b"/Annots [<< /Subtype /Link /Rect [0 0 9 9] /A " + LAUNCH + b" >>]"),
        "pdf_launch",
        id="link-annotation-launch",
    ),
    pytest.param(
        make_pdf(
            catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) << /Type /Filespec /F (a.exe) "
            b"/EF << /F 6 0 R >> >>] >> >>",
            extra=(EMBEDDED_FILE,),
        ),
        "pdf_embedded",
        id="embedded-files",
    ),
    pytest.param(
        make_pdf(
            page=b"/Annots [<< /Subtype /FileAttachment /Rect [0 0 9 9] /FS << /Type /Filespec "
            b"/F (a.exe) /EF << /F 6 0 R >> >> >>]",
            extra=(EMBEDDED_FILE,),
        ),
        "pdf_embedded",
        id="file-attachment-annotation",
    ),
]


@pytest.mark.parametrize(("content", "code"), DANGEROUS_PDFS)
def test_a_pdf_with_javascript_launch_actions_or_embedded_files_is_refused(content: bytes, code: str) -> None:
    assert PdfReader(io.BytesIO(content)).pages  # a PDF a library opens: refused for what it holds, not damage
    error = refusal(content, "laporan.pdf")
    assert error.code == code
    says = {
        "pdf_javascript": "berisi JavaScript",
        "pdf_launch": "menjalankan program",
        "pdf_embedded": "memuat berkas lain",
    }[code]
    assert error.messages[0].startswith("Berkas “laporan.pdf” adalah PDF") and says in error.messages[0]


def test_the_check_reads_the_pdf_structure_not_its_bytes() -> None:
    hidden = make_compressed_pdf(catalog=b"/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>")
    assert b"JavaScript" not in hidden and b"/JS" not in hidden  # no byte scanner could have seen it
    assert inspect_upload(upload_of(make_compressed_pdf(), "bersih.pdf")).kind == "pdf"


def test_a_refused_pdf_is_named_on_the_library_form(world: World) -> None:
    response = client_for(world.operator_a).post(
        reverse("evidence:upload"),
        {"files": [upload_of(make_pdf(catalog=b"/OpenAction " + LAUNCH), "SK.pdf")], "kind": "sk", "issuer": "Bupati"},
    )
    [error] = response.context["form"].errors["files"]
    assert "“SK.pdf” adalah PDF dengan aksi yang menjalankan program" in error
    assert 'value="Bupati"' in response.content.decode()


DAMAGED_PDFS = [
    pytest.param(demo_pdf()[: len(demo_pdf()) // 2], id="cut-in-half"),
    pytest.param(b"%PDF-1.7\n% survei\n%%EOF\n", id="header-and-eof-only"),
    pytest.param(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\nstartxref\n9\n%%EOF\n", id="garbage-inside"),
    pytest.param(
        demo_pdf().replace(b"/Root 1 0 R", b"/Root 9 0 R").replace(b"/Type /Catalog", b"/Type /Katalog"),
        id="no-catalog",
    ),
]


@pytest.mark.parametrize("content", DAMAGED_PDFS)
def test_a_pdf_the_library_cannot_open_is_refused_as_damaged(content: bytes) -> None:
    error = refusal(content, "rusak.pdf")
    assert error.code == "pdf_damaged"
    assert error.messages == ["Berkas “rusak.pdf” rusak atau tidak lengkap sehingga tidak dapat dibaca."]


def test_a_pdf_that_needs_a_password_is_refused_one_only_restricted_is_accepted() -> None:
    error = refusal(encrypted_pdf("rahasia"), "terkunci.pdf")
    assert error.code == "pdf_encrypted" and "dilindungi kata sandi" in error.messages[0]
    # "No editing" restrictions with an empty open password: pypdf reads it, and it is checked like any other.
    assert inspect_upload(upload_of(encrypted_pdf(""), "dibatasi.pdf")).kind == "pdf"


NORMAL_PDFS = [
    pytest.param(demo_pdf(), id="demo-generator"),
    pytest.param(pypdf_made_pdf(), id="pypdf-deflated-streams-link-bookmark"),
    pytest.param(scan_pdf(), id="pillow-scan-with-binary-jpeg-stream"),
    pytest.param(make_compressed_pdf(), id="object-and-xref-streams"),
    pytest.param(b"\r\n\x00junk from a scanner\n" + demo_pdf(), id="junk-before-the-header"),
    pytest.param(demo_pdf() + b"\r\n\x00\x00", id="bytes-after-eof"),
]


@pytest.mark.parametrize("content", NORMAL_PDFS)
def test_real_world_pdfs_are_accepted(content: bytes) -> None:
    inspected = inspect_upload(upload_of(content, "Laporan Triwulan II.pdf"))
    assert (inspected.kind, inspected.extension, inspected.size) == ("pdf", ".pdf", len(content))


def test_every_demo_pdf_kind_of_file_passes(world: World) -> None:
    client = client_for(world.operator_a)
    uploads_ = [
        upload_of(demo_pdf("Perbup Masterplan"), "perbup.pdf"),
        upload_of(files.photo_jpeg("Posyandu"), "foto.jpg"),
        upload_of(files.photo_png("Peta"), "peta.png"),
        upload_of(small_zip(), "capaian.xlsx"),
        upload_of(pypdf_made_pdf(), "notulen.pdf"),
    ]
    response = client.post(reverse("evidence:upload"), {"files": uploads_, "kind": "report"})
    assert response.status_code == 302
    assert Evidence.objects.filter(agency=world.agency_a).count() == 1 + len(uploads_)


def test_the_masterplan_document_validator_says_why_a_pdf_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_pdf(upload_of(make_pdf(catalog=b"/OpenAction 6 0 R", extra=(JS,)), "Perbup.pdf"))
    assert caught.value.code == "pdf_javascript"
    with pytest.raises(ValidationError) as caught:
        validate_pdf(upload_of(files.photo_png("x"), "Perbup.pdf"))
    assert caught.value.code == "not_pdf"


class ReadSpy(io.BytesIO):
    """Records every read() size."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads: list[int | None] = []

    def read(self, size: int | None = -1) -> bytes:
        self.reads.append(size)
        return super().read(size)


def test_a_large_pdf_is_checked_in_chunks_reading_only_its_structure(settings) -> None:
    settings.MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    stream = b"% isi halaman\n" * 300_000  # a 4 MB page, like a scan
    content = assemble(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        ]
    )
    spy = ReadSpy(content)
    inspect_upload(UploadedFile(spy, name="besar.pdf", size=len(content)))
    assert all(size is not None and 0 < size <= CHUNK_SIZE for size in spy.reads)


def test_a_broken_pdf_larger_than_the_read_budget_is_refused_not_loaded(monkeypatch, settings) -> None:
    settings.MAX_UPLOAD_SIZE = 10 * 1024 * 1024
    monkeypatch.setattr(pdf_check, "MAX_PDF_READ", 256 * 1024)
    # Its cross-reference table points nowhere: pypdf would rebuild it by reading the whole file.
    content = demo_pdf().replace(b"1 0 obj", b"%" * 1_000_000 + b"\n1 0 obj", 1)
    spy = ReadSpy(content)
    with pytest.raises(ValidationError) as caught:
        inspect_upload(UploadedFile(spy, name="besar.pdf", size=len(content)))
    assert caught.value.code == "pdf_too_complex"
    assert "terlalu besar atau terlalu rumit" in caught.value.messages[0]
    assert all(size is not None and 0 < size <= CHUNK_SIZE for size in spy.reads)


# --- A stored file missing from storage ---------------------------------------------------------------------

MISSING_PAGE = "Berkas tidak tersedia"


def remove_bytes(evidence: Evidence) -> str:
    stored = evidence.stored_file
    stored.file.storage.delete(stored.file.name)
    return stored.sha256


def assert_logged_missing(caplog: pytest.LogCaptureFixture, reference: str) -> None:
    [record] = [r for r in caplog.records if r.name == "common.downloads"]
    assert record.levelno == logging.ERROR and reference in record.getMessage()


MISSING_URLS: list[tuple[str, Callable[[World], str], bool]] = [
    ("download", lambda w: reverse("evidence:download", args=[w.evidence_a.pk]), False),
    ("preview", lambda w: reverse("evidence:preview", args=[w.evidence_a.pk]), True),
]


@pytest.mark.parametrize(("label", "url_of", "inline"), MISSING_URLS, ids=[m[0] for m in MISSING_URLS])
def test_a_missing_stored_file_is_a_404_page_and_an_error_naming_its_hash(
    world: World, caplog: pytest.LogCaptureFixture, label: str, url_of: Callable[[World], str], inline: bool
) -> None:
    sha256 = remove_bytes(world.evidence_a)
    response = client_for(world.operator_a).get(url_of(world))
    assert response.status_code == 404
    html = response.content.decode()
    assert MISSING_PAGE in html and "“SK Tim Smart City.pdf” tercatat di sini" in html and "DKISP" in html
    assert_logged_missing(caplog, sha256)
    if inline:  # shown inside our own preview frame, without the site's navigation
        assert (
            response["X-Frame-Options"] == "SAMEORIGIN"
            and "frame-ancestors 'self'" in response["Content-Security-Policy"]
        )
        assert "navbar" not in html


def test_a_missing_file_in_the_assessors_workspace_is_a_404_page(
    evaluation: Evaluation, caplog: pytest.LogCaptureFixture
) -> None:
    w = evaluation.world
    lock_with(evaluation, [w.evidence_a])
    sha256 = remove_bytes(w.evidence_a)
    response = client_for(w.assessor).get(
        reverse("evaluations:assessment_evidence", args=[evaluation.cycle.pk, w.evidence_a.pk])
    )
    assert response.status_code == 404 and MISSING_PAGE in response.content.decode()
    assert_logged_missing(caplog, sha256)


def test_a_missing_masterplan_document_is_a_404_page(world: World, caplog: pytest.LogCaptureFixture) -> None:
    world.masterplan.document.save("dokumen.pdf", ContentFile(demo_pdf()))
    world.masterplan.document.storage.delete(world.masterplan.document.name)
    page = client_for(world.operator_a).get(reverse("masterplan:masterplan_document"))
    assert page.status_code == 404 and MISSING_PAGE in page.content.decode()
    assert_logged_missing(caplog, f"masterplan {world.masterplan.pk} document")
