"""The evidence library through HTTP: safe uploads, one copy per file, reuse, permission-checked downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Agency, AuditEvent
from evidence.models import Evidence, StoredFile
from masterplan.models import ProgressReport
from tests.conftest import PDF_BYTES, World, client_for, make_evidence

OTHER_PDF = PDF_BYTES.replace(b"1.4", b"1.7")
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_operator_uploads_several_files_with_shared_metadata(world: World) -> None:
    response = client_for(world.operator_a).post(
        reverse("evidence:upload"),
        {
            "files": [upload("Notulen rapat.pdf", OTHER_PDF), upload("foto.pdf", OTHER_PDF.replace(b"1.7", b"1.6"))],
            "kind": "minutes",
            "title": "",
            "document_number": "",
            "issuer": "DINKES",
        },
    )
    assert response.status_code == 302
    added = Evidence.objects.filter(agency=world.agency_a, kind="minutes").order_by("title")
    assert [e.title for e in added] == ["Notulen rapat", "foto"]
    assert {e.issuer for e in added} == {"DINKES"}
    assert AuditEvent.objects.filter(action="evidence.uploaded").count() == 3  # two here, one in the world


def test_a_refused_file_is_named_and_the_good_one_and_the_fields_are_kept(world: World) -> None:
    response = client_for(world.operator_a).post(
        reverse("evidence:upload"),
        {
            "files": [upload("evil.pdf", EXE), upload("SK Tim.pdf", OTHER_PDF)],
            "kind": "sk",
            "document_number": "188.45/12/2025",
            "issuer": "Bupati Banjar",
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["files"])
    assert "evil.pdf" in errors and "program" in errors
    html = response.content.decode()
    assert 'value="188.45/12/2025"' in html and 'value="Bupati Banjar"' in html
    assert Evidence.objects.filter(agency=world.agency_a, original_name="SK Tim.pdf").exists()
    assert not Evidence.objects.filter(original_name="evil.pdf").exists()


def test_the_same_file_twice_is_stored_once_and_the_user_is_told(world: World) -> None:
    client = client_for(world.operator_a)
    response = client.post(
        reverse("evidence:upload"), {"files": [upload("lagi.pdf", PDF_BYTES)], "kind": "sk"}, follow=True
    )
    assert "sudah ada di pustaka Anda" in response.content.decode()
    assert Evidence.objects.filter(agency=world.agency_a).count() == 1
    # Another agency uploading the same bytes gets its own entry, pointing at the same stored file.
    make_evidence(world.agency_b, world.operator_b, name="salinan.pdf")
    assert StoredFile.objects.count() == 1
    assert Evidence.objects.count() == 2


def test_download_is_an_attachment_with_nosniff_for_the_owner_and_dkisp_only(world: World) -> None:
    url = reverse("evidence:download", args=[world.evidence_a.pk])
    response = client_for(world.coordinator).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "SK%20Tim%20Smart%20City.pdf" in response["Content-Disposition"] or "SK Tim" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert client_for(world.operator_b).get(url).status_code == 404


def test_pdf_preview_is_inline_and_frameable_only_by_our_pages(world: World) -> None:
    response = client_for(world.operator_a).get(reverse("evidence:preview", args=[world.evidence_a.pk]))
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_the_stored_name_is_the_hash_never_the_uploaded_name(world: World) -> None:
    evil = make_evidence(world.agency_a, world.operator_a, name="../../etc/passwd", content=OTHER_PDF)
    assert evil.original_name == "passwd"
    assert evil.stored_file.file.name.endswith(evil.stored_file.sha256 + ".pdf")
    assert ".." not in evil.stored_file.file.name


def test_library_search_filter_and_where_used(world: World) -> None:
    make_evidence(
        world.agency_a,
        world.operator_a,
        name="Perbup.pdf",
        content=OTHER_PDF,
        kind="perbup",
        title="Perbup Masterplan",
        valid_until=dt.date(2020, 1, 1),
    )
    client = client_for(world.operator_a)
    found = client.get(reverse("evidence:library"), {"q": "masterplan"})
    assert [e.title for e in found.context["page"].object_list] == ["Perbup Masterplan"]
    expired = client.get(reverse("evidence:library"), {"validity": "expired"})
    assert [e.title for e in expired.context["page"].object_list] == ["Perbup Masterplan"]
    by_kind = client.get(reverse("evidence:library"), {"kind": "sk"})
    assert [e.pk for e in by_kind.context["page"].object_list] == [world.evidence_a.pk]
    assert by_kind.context["page"].object_list[0].use_count == 1
    detail = client.get(world.evidence_a.get_absolute_url())
    assert [use.url for use in detail.context["uses"]] == [world.report_a.get_absolute_url()]
    other = client_for(world.operator_b).get(reverse("evidence:library"))
    assert list(other.context["page"].object_list) == []


def test_used_evidence_cannot_be_deleted_but_unused_can(world: World) -> None:
    client = client_for(world.operator_a)
    client.post(reverse("evidence:delete", args=[world.evidence_a.pk]))
    assert Evidence.objects.filter(pk=world.evidence_a.pk).exists()
    spare = make_evidence(world.agency_a, world.operator_a, name="spare.pdf", content=OTHER_PDF)
    path = spare.stored_file.file.path
    assert client.post(reverse("evidence:delete", args=[spare.pk])).status_code == 302
    assert not Evidence.objects.filter(pk=spare.pk).exists()
    assert not StoredFile.objects.filter(sha256=spare.stored_file.sha256).exists()
    assert path  # the file itself goes once the transaction commits


def test_metadata_edit_validates_dates(world: World) -> None:
    url = reverse("evidence:edit", args=[world.evidence_a.pk])
    data = {
        "title": "SK Tim",
        "kind": "sk",
        "document_number": "1",
        "document_date": "2025-06-01",
        "valid_until": "2024-01-01",
        "issuer": "",
    }
    response = client_for(world.operator_a).post(url, data)
    assert response.status_code == 200 and "valid_until" in response.context["form"].errors
    data["valid_until"] = "2026-06-01"
    assert client_for(world.operator_a).post(url, data).status_code == 302
    world.evidence_a.refresh_from_db()
    assert world.evidence_a.valid_until == dt.date(2026, 6, 1)


def test_a_report_form_upload_keeps_the_good_file_and_names_the_bad_one(world: World) -> None:
    from tests.test_reports import form_data

    data = form_data(
        world.report_a,
        narrative="Narasi yang tidak boleh hilang",
        new_files=[upload("laporan.pdf", OTHER_PDF), upload("makro.pdf", EXE)],
    )
    response = client_for(world.operator_a).post(reverse("masterplan:report_edit", args=[world.report_a.pk]), data)
    assert response.status_code == 200
    assert "makro.pdf" in " ".join(response.context["form"].errors["new_files"])
    report = ProgressReport.objects.get(pk=world.report_a.pk)
    assert report.narrative == "Narasi yang tidak boleh hilang"
    assert sorted(e.original_name for e in report.evidence.all()) == ["SK Tim Smart City.pdf", "laporan.pdf"]
    html = response.content.decode()
    assert "Narasi yang tidak boleh hilang" in html


def test_evidence_of_another_agency_cannot_be_attached(world: World) -> None:
    from tests.test_reports import form_data

    foreign = make_evidence(world.agency_b, world.operator_b, name="b.pdf", content=OTHER_PDF)
    data = form_data(world.report_a, evidence=[world.evidence_a.pk, foreign.pk])
    response = client_for(world.operator_a).post(reverse("masterplan:report_edit", args=[world.report_a.pk]), data)
    assert response.status_code == 200 and "evidence" in response.context["form"].errors
    assert list(ProgressReport.objects.get(pk=world.report_a.pk).evidence.all()) == [world.evidence_a]


def test_a_library_entry_carries_its_agencys_region_and_an_agency_never_changes_region(world: World) -> None:
    entry = make_evidence(world.agency_a, world.operator_a)
    assert entry.region_id == world.region.pk
    # The region's library is read by the entry's own region (one index), and holds nothing of another region.
    other = make_evidence(world.other_agency, world.outsider, "Lain.pdf", PDF_BYTES.replace(b"1.4", b"1.6"))
    assert other.region_id == world.other_region.pk
    library = client_for(world.coordinator).get(reverse("evidence:library"))
    assert entry in library.context["page"].object_list
    assert other not in library.context["page"].object_list

    moved = Agency.objects.get(pk=world.agency_a.pk)
    moved.region = world.other_region
    with pytest.raises(ValidationError) as refused:
        moved.full_clean()
    assert "region" in refused.value.message_dict
    root = get_user_model().objects.create_superuser("root-evidence", "root@example.invalid", "x")
    page = client_for(root).get(reverse("admin:agencies_agency_change", args=[world.agency_a.pk]))
    assert page.status_code == 200 and "region" not in page.context["adminform"].form.fields
