"""Upload checks that exist already: the masterplan PDF (the evidence library grows them in issue 3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from smartcity.lib.uploads import clean_filename, validate_pdf
from tests.conftest import World, client_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
