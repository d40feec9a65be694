"""The evaluation package and the monev report: built through the pages, checked from outside (pdftotext,
qpdf, openpyxl, the manifest), guarded against double builds, dead workers, foreign data and hostile URLs."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import re
import shutil
import signal
import subprocess
import threading
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agencies.models import AuditEvent
from evaluations.models import Answer, EvaluationCycle, Package
from evaluations.packages.archive import MANIFEST_JSON, verify_archive
from evaluations.packages.pdf import BASE_URL, PackageFetcher, RefusedURL, RenderTimeout, render_parts, render_pdf
from evaluations.services.answers import answer_submit, answer_update, answer_verify
from evaluations.services.cycles import (
    assign_questions,
    cycle_create,
    cycle_lock,
    questionnaire_import,
)
from evaluations.services.packages import expire_stale, package_request, package_run
from tests.conftest import CYCLE_2023, PDF_BYTES, client_for, make_evidence, question_row

FORMULA = '=HYPERLINK("http://evil.example/","klik")'


def pdf_text(path: Path | str) -> str:
    """The PDF's text as poppler's pdftotext reads it (poppler-utils: installed by make test and .ci/run)."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing: apt-get install poppler-utils"
    return subprocess.run([tool, str(path), "-"], capture_output=True, check=True).stdout.decode()  # noqa: S603


def pdf_text_pages(path: Path, first: int, last: int) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing: apt-get install poppler-utils"
    command = [tool, "-layout", "-f", str(first), "-l", str(last), str(path), "-"]
    return subprocess.run(command, capture_output=True, check=True).stdout.decode()  # noqa: S603


def qpdf_check(path: Path) -> int:
    tool = shutil.which("qpdf")
    assert tool, "qpdf is missing: apt-get install qpdf"
    return subprocess.run([tool, "--check", str(path)], capture_output=True).returncode  # noqa: S603


def fresh(answer: Answer) -> Answer:
    return Answer.objects.get(pk=answer.pk)


def answer_all(ev, *, verify: bool = True) -> None:
    w = ev.world
    answer_update(
        answer=ev.yes_no,
        by=w.operator_a,
        expected_version=fresh(ev.yes_no).version,
        data={"value_bool": True, "narrative": FORMULA},
        evidence=[w.evidence_a],
    )
    answer_update(answer=ev.level, by=w.operator_a, expected_version=fresh(ev.level).version, data={"value_level": 3})
    answer_update(
        answer=ev.percentage,
        by=w.operator_b,
        expected_version=fresh(ev.percentage).version,
        data={"value_number": Decimal("62.5")},
    )
    for answer, user in ((ev.yes_no, w.operator_a), (ev.level, w.operator_a), (ev.percentage, w.operator_b)):
        answer_submit(answer=answer, by=user)
        if verify:
            answer_verify(answer=answer, by=w.coordinator)


def build_through_the_page(client, cycle: EvaluationCycle, capture) -> Package:
    with capture(execute=True):
        response = client.post(reverse("evaluations:packages", args=[cycle.pk]))
    assert response.status_code == 302
    package = Package.objects.get(cycle=cycle, pk=int(response["Location"].rstrip("/").split("/")[-1]))
    assert package.status == Package.Status.DONE, package.error
    return package


def download(client, package: Package, part: str, tmp_path: Path) -> Path:
    response = client.get(reverse("evaluations:package_download", args=[package.pk, part]))
    assert response.status_code == 200
    assert int(response["Content-Length"]) == getattr(package, f"{part}_size")
    target = tmp_path / package.file_name(part)
    target.write_bytes(b"".join(response.streaming_content))
    return target


def test_the_coordinator_builds_a_draft_package_whose_parts_check_out_from_outside(
    evaluation, django_capture_on_commit_callbacks, tmp_path
) -> None:
    answer_all(evaluation)
    client = client_for(evaluation.world.coordinator)

    package = build_through_the_page(client, evaluation.cycle, django_capture_on_commit_callbacks)

    assert not package.is_final and package.progress == 100 and package.pdf_pages >= 4
    archive = download(client, package, "archive", tmp_path)
    assert hashlib.sha256(archive.read_bytes()).hexdigest() == package.archive_sha256
    with zipfile.ZipFile(archive) as bundle:
        names = bundle.namelist()
        manifest = json.loads(bundle.read(MANIFEST_JSON))["members"]
        assert {m["path"] for m in manifest} | {"manifest.csv", "manifest.json", "BACA-SAYA.txt"} == set(names)
        for member in manifest:
            assert hashlib.sha256(bundle.read(member["path"])).hexdigest() == member["sha256"]
        evidence = [m["path"] for m in manifest if m["role"] == "evidence"]
        assert evidence == ["01-Smart-Governance/SG-B-01/SK-Tim-Smart-City.pdf"]
        assert bundle.read(evidence[0]) == PDF_BYTES
        assert all(info.compress_type == zipfile.ZIP_STORED for info in bundle.infolist())
        assert "sha256sum" in bundle.read("BACA-SAYA.txt").decode()
        (tmp_path / "paket.pdf").write_bytes(bundle.read(package.file_name("pdf")))
        (tmp_path / "paket.xlsx").write_bytes(bundle.read(package.file_name("workbook")))
    assert verify_archive(archive) == (len(manifest), [])

    text = pdf_text(tmp_path / "paket.pdf")
    for code in ("SG-B-01", "SG-O-01", "SS-I-01"):
        assert code in text
    assert "Daftar isi" in text and "Ringkasan" in text and "DRAF" in text and "Kabupaten Banjar" in text
    assert "SK Tim" in text and "SK-Tim-Smart-City.pdf" in text  # the evidence row, wrapped by the table
    assert evaluation.world.evidence_a.stored_file.sha256[:12] in text
    assert qpdf_check(tmp_path / "paket.pdf") == 0

    workbook = openpyxl.load_workbook(tmp_path / "paket.xlsx")
    assert workbook.sheetnames[:4] == ["Ringkasan", "Jawaban", "Indeks bukti dukung", "Kurang dan belum diverifikasi"]
    answers = workbook["Jawaban"]
    assert answers.freeze_panes == "A2" and answers.auto_filter.ref == "A1:L4"
    rows = {row[0].value: row for row in answers.iter_rows(min_row=2)}
    narrative = rows["SG-B-01"][6]
    assert narrative.value == FORMULA and narrative.data_type == "s"  # text, never a live formula
    assert rows["SS-I-01"][5].value == Decimal("62.5") or rows["SS-I-01"][5].value == 62.5
    assert isinstance(rows["SG-B-01"][9].value, dt.datetime)  # the deadline is an Excel date
    events = set(AuditEvent.objects.filter(target_id=str(package.pk)).values_list("action", flat=True))
    assert {"package.requested", "package.built", "package.downloaded"} <= events


def test_a_locked_cycle_gives_the_final_package_which_its_assessor_downloads(
    evaluation, django_capture_on_commit_callbacks, tmp_path
) -> None:
    answer_all(evaluation)
    w = evaluation.world
    cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason="Siap untuk rapat penilaian tahap I.")
    package = build_through_the_page(client_for(w.coordinator), evaluation.cycle, django_capture_on_commit_callbacks)
    assert package.is_final

    pdf = download(client_for(w.assessor), package, "pdf", tmp_path)
    text = pdf_text(str(pdf))
    assert "DRAF" not in text
    page = client_for(w.assessor).get(reverse("evaluations:assessment", args=[evaluation.cycle.pk])).content.decode()
    assert reverse("evaluations:package_download", args=[package.pk, "archive"]) in page


def test_pressing_twice_starts_one_build(evaluation) -> None:
    client = client_for(evaluation.world.coordinator)
    url = reverse("evaluations:packages", args=[evaluation.cycle.pk])

    first = client.post(url)  # the task is queued on commit, which a test transaction never reaches
    second = client.post(url, follow=True)

    assert first["Location"] == second.redirect_chain[0][0]
    assert Package.objects.filter(cycle=evaluation.cycle).count() == 1
    assert "sudah berjalan" in second.content.decode()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds the rule too
        Package.objects.create(region=evaluation.cycle.region, cycle=evaluation.cycle, year=2023)


def test_a_build_whose_worker_died_is_marked_failed_and_can_be_built_again(evaluation, settings) -> None:
    package, started = package_request(cycle=evaluation.cycle, by=evaluation.world.coordinator)
    assert started
    long_ago = timezone.now() - dt.timedelta(seconds=settings.PACKAGE_STALE_SECONDS + 5)
    Package.objects.filter(pk=package.pk).update(status=Package.Status.RUNNING, heartbeat_at=long_ago, progress=40)
    client = client_for(evaluation.world.coordinator)

    page = client.get(reverse("evaluations:package_progress", args=[package.pk])).content.decode()

    package.refresh_from_db()
    assert package.status == Package.Status.FAILED and not package.archive
    assert 'data-status="failed"' in page and "hx-get" not in page
    assert AuditEvent.objects.filter(action="package.failed", target_id=str(package.pk)).exists()
    assert package_run(package_id=package.pk) is None  # a late worker finds nothing to claim
    again, started = package_request(cycle=evaluation.cycle, by=evaluation.world.coordinator)
    assert started and again.pk != package.pk


def test_a_worker_claims_a_build_once_and_a_build_error_is_recorded(evaluation, monkeypatch) -> None:
    package, _started = package_request(cycle=evaluation.cycle, by=evaluation.world.coordinator)

    def broken(*args, **kwargs):
        raise RuntimeError("renderer exploded")

    monkeypatch.setattr("evaluations.packages.build.render_parts", broken)
    assert package_run(package_id=package.pk) is None
    package.refresh_from_db()
    assert package.status == Package.Status.FAILED and "renderer exploded" in package.error
    assert not package.pdf and not package.archive and package.attempts == 1
    assert package_run(package_id=package.pk) is None and Package.objects.get(pk=package.pk).attempts == 1


def test_the_package_holds_only_what_its_cycle_owns(evaluation, django_capture_on_commit_callbacks, tmp_path) -> None:
    answer_all(evaluation)
    w = evaluation.world
    unused = make_evidence(
        w.agency_a, w.operator_a, name="Tidak dipakai.pdf", content=PDF_BYTES.replace(b"1.4", b"1.5")
    )
    other_cycle = cycle_create(region=w.other_region, by=w.outsider, data=CYCLE_2023)
    questionnaire = questionnaire_import(
        cycle=other_cycle, by=w.outsider, rows=[question_row("SG-B-09", "governance", "baseline", "yes_no")]
    )
    assign_questions(
        cycle=other_cycle, by=w.outsider, questions=list(questionnaire.questions.all()), agency=w.other_agency
    )
    foreign = make_evidence(
        w.other_agency, w.outsider, name="Banjarbaru.pdf", content=PDF_BYTES.replace(b"1.4", b"1.6")
    )
    other_answer = Answer.objects.get(cycle=other_cycle)
    answer_update(answer=other_answer, by=w.outsider, expected_version=1, data={"value_bool": True}, evidence=[foreign])

    ours = build_through_the_page(client_for(w.coordinator), evaluation.cycle, django_capture_on_commit_callbacks)
    theirs = build_through_the_page(client_for(w.outsider), other_cycle, django_capture_on_commit_callbacks)

    with zipfile.ZipFile(download(client_for(w.coordinator), ours, "archive", tmp_path)) as bundle:
        contents = [bundle.read(n) for n in bundle.namelist() if n.endswith(".pdf") and "/" in n]
        listing = bundle.read("manifest.csv").decode()
    assert contents == [PDF_BYTES]  # neither the unused file nor the other region's
    assert "SG-B-09" not in listing and unused.stored_file.sha256 not in listing
    assert foreign.stored_file.sha256 not in listing
    assert client_for(w.outsider).get(reverse("evaluations:package", args=[ours.pk])).status_code == 404
    assert client_for(w.coordinator).get(reverse("evaluations:package", args=[theirs.pk])).status_code == 404


def test_a_package_is_out_of_date_once_the_data_changes(evaluation, django_capture_on_commit_callbacks) -> None:
    client = client_for(evaluation.world.coordinator)
    package = build_through_the_page(client, evaluation.cycle, django_capture_on_commit_callbacks)
    url = reverse("evaluations:packages", args=[evaluation.cycle.pk])
    assert "Kedaluwarsa" not in client.get(url).content.decode()

    answer_update(answer=evaluation.level, by=evaluation.world.operator_a, expected_version=1, data={"value_level": 4})

    assert "Kedaluwarsa" in client.get(url).content.decode()
    assert 'data-testid="out-of-date"' in client.get(package.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("persona", "draft", "final"),
    [
        ("coordinator", 200, 200),
        ("assessor", 404, 200),
        ("operator_a", 404, 404),
        ("outsider", 404, 404),
        (None, 302, 302),
    ],
)
def test_who_may_see_and_download_packages(evaluation, persona, draft, final) -> None:
    w = evaluation.world
    draft_package = Package.objects.create(
        region=w.region, cycle=evaluation.cycle, year=2023, status=Package.Status.FAILED
    )
    answer_all(evaluation)
    cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason="Siap untuk rapat penilaian tahap I.")
    final_package, _started = package_request(cycle=evaluation.cycle, by=w.coordinator)
    package_run(package_id=final_package.pk)
    client = client_for(getattr(w, persona) if persona else None)

    for package, expected in ((draft_package, draft), (final_package, final)):
        for name, args in (("package", []), ("package_progress", [])):
            assert client.get(reverse(f"evaluations:{name}", args=[package.pk, *args])).status_code == expected
    for part in ("archive", "pdf", "workbook"):
        url = reverse("evaluations:package_download", args=[final_package.pk, part])
        assert client.get(url).status_code == final
    assert client.get(reverse("evaluations:package_download", args=[final_package.pk, "secret"])).status_code in (
        404,
        302,
    )
    build = client.post(reverse("evaluations:packages", args=[evaluation.cycle.pk]))
    expected_build = {"coordinator": 302, "assessor": 403, "operator_a": 403, "outsider": 404, None: 302}
    assert build.status_code == expected_build[persona]
    assert Package.objects.filter(cycle=evaluation.cycle).count() == 2 + (persona == "coordinator")


def test_downloads_resume_with_range_requests(evaluation, django_capture_on_commit_callbacks) -> None:
    client = client_for(evaluation.world.coordinator)
    package = build_through_the_page(client, evaluation.cycle, django_capture_on_commit_callbacks)
    url = reverse("evaluations:package_download", args=[package.pk, "archive"])
    whole = b"".join(client.get(url).streaming_content)
    size = package.archive_size

    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 10-19/{size}"
    assert part["Content-Length"] == "10" and b"".join(part.streaming_content) == whole[10:20]
    tail = client.get(url, HTTP_RANGE="bytes=-7")
    assert tail.status_code == 206 and b"".join(tail.streaming_content) == whole[-7:]
    rest = client.get(url, HTTP_RANGE=f"bytes={size - 3}-")
    assert b"".join(rest.streaming_content) == whole[-3:]
    assert client.get(url, HTTP_RANGE=f"bytes={size}-").status_code == 416
    for odd in ("bytes=abc", "bytes=٠-٩", "bytes=1-2,5-6", "bytes=" + "9" * 40 + "-", "items=0-1"):
        response = client.get(url, HTTP_RANGE=odd)
        assert response.status_code == 200 and response["Content-Length"] == str(size)
    assert AuditEvent.objects.filter(action="package.downloaded", target_id=str(package.pk)).count() == 1


def test_verify_package_names_the_member_that_differs(
    evaluation, django_capture_on_commit_callbacks, tmp_path, capsys
) -> None:
    answer_all(evaluation)
    client = client_for(evaluation.world.coordinator)
    package = build_through_the_page(client, evaluation.cycle, django_capture_on_commit_callbacks)
    archive = download(client, package, "archive", tmp_path)
    call_command("verify_package", str(archive))
    assert "OK: all 3 members match" in capsys.readouterr().out

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith("SK-Tim-Smart-City.pdf"):
                data = data.replace(b"1.4", b"1.7")
            target.writestr(info, data)
    with pytest.raises(CommandError, match="1 of 3 member"):
        call_command("verify_package", str(tampered))
    assert "01-Smart-Governance/SG-B-01/SK-Tim-Smart-City.pdf has a different SHA-256" in capsys.readouterr().err
    assert AuditEvent.objects.filter(action="package.verified").count() == 2
    not_a_zip = tmp_path / "catatan.zip"
    not_a_zip.write_text("bukan zip")
    with pytest.raises(CommandError, match="not a package ZIP"):
        call_command("verify_package", str(not_a_zip))


def test_the_fetcher_reads_only_our_own_files() -> None:
    fetcher = PackageFetcher()
    css = fetcher.fetch(f"{BASE_URL}static/packages/print.css")
    assert b"@page" in css.read()
    for url in (
        "file:///etc/passwd",
        "/etc/passwd",
        "https://example.org/logo.png",
        "http://127.0.0.1:8000/admin/",
        f"{BASE_URL}static/../../../../etc/passwd",
        f"{BASE_URL}static/packages/print.py",
        f"{BASE_URL}media/evidence/x.pdf",
        f"{BASE_URL}logo",  # no logo was handed to this fetcher
        "data:text/plain;base64," + "A" * 70_000,
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,halo").read() == b"halo"
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
    assert PackageFetcher(logo=png).fetch(f"{BASE_URL}logo").read() == png


def test_a_hostile_document_renders_without_reading_local_files(tmp_path, caplog) -> None:
    html = (
        '<link rel="stylesheet" href="file:///etc/passwd"><img src="file:///etc/passwd">'
        '<img src="https://example.org/x.png"><p>Halo</p>'
    )
    rendered = render_pdf(html, tmp_path / "x.pdf", timeout=60)
    text = pdf_text(str(tmp_path / "x.pdf")).encode()
    assert rendered.pages == 1 and b"Halo" in text and b"root:" not in text


def test_a_render_that_overruns_its_limit_is_stopped(tmp_path) -> None:
    with pytest.raises(RenderTimeout):
        render_pdf("<p>" + "kata " * 200_000 + "</p>", tmp_path / "slow.pdf", timeout=0.05)
    assert not (tmp_path / "slow.pdf").exists()


def test_the_monev_report_is_built_from_the_year_and_period_chosen(
    world, django_capture_on_commit_callbacks, tmp_path
) -> None:
    client = client_for(world.coordinator)
    url = reverse("evaluations:monev")
    page = client.get(url)
    assert page.status_code == 200

    for year, period in (("abc", "0"), ("2021", "٣"), ("99999999999999999999", "1"), ("2021", "0\x00")):
        response = client.post(url, {"year": year, "period": period})
        assert response.status_code == 200 and response.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"year": "2021", "period": "0"})
    package = Package.objects.get(kind=Package.Kind.MONEV)
    assert response["Location"] == package.get_absolute_url()
    assert package.status == Package.Status.DONE and not package.archive
    pdf = download(client, package, "pdf", tmp_path)
    text = pdf_text(str(pdf))
    assert "LIV-01" in text and "Puskesmas terhubung" in text and "Laporan monev" in text
    # The dashboard's charts, drawn by the same code, with their figures.
    assert "Realisasi program per dimensi" in text and "Realisasi anggaran per dimensi" in text
    workbook = openpyxl.load_workbook(download(client, package, "workbook", tmp_path))
    rows = list(workbook["Progres program"].iter_rows(min_row=2, values_only=True))
    assert ("LIV-01", "Puskesmas terhubung") in {(r[1], r[7]) for r in rows}
    for persona in (world.operator_a, world.assessor, world.outsider):
        assert client_for(persona).get(package.get_absolute_url()).status_code == 404
    assert client_for(world.operator_a).get(url).status_code == 403
    assert client_for(world.assessor).get(url).status_code == 403
    theirs = client_for(world.outsider).get(url)  # their own region's monev page, without our report
    assert theirs.status_code == 200 and package.get_absolute_url() not in theirs.content.decode()


def test_the_package_list_costs_a_fixed_number_of_queries(
    evaluation, django_capture_on_commit_callbacks, django_assert_max_num_queries
) -> None:
    client = client_for(evaluation.world.coordinator)
    for _ in range(3):
        build_through_the_page(client, evaluation.cycle, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("evaluations:packages", args=[evaluation.cycle.pk])).status_code == 200


def test_the_stale_check_spares_a_live_build(evaluation) -> None:
    package, _started = package_request(cycle=evaluation.cycle, by=evaluation.world.coordinator)
    Package.objects.filter(pk=package.pk).update(status=Package.Status.RUNNING, heartbeat_at=timezone.now())
    assert expire_stale(now=timezone.now()) == 0
    assert Package.objects.get(pk=package.pk).status == Package.Status.RUNNING


def test_the_contents_and_bookmarks_point_at_the_right_pages(
    evaluation, django_capture_on_commit_callbacks, settings
) -> None:
    # Rendered in parts by two processes and joined: the page numbers must still run on and match the contents.
    settings.PACKAGE_PDF_WORKERS = 2
    answer_all(evaluation)
    package = build_through_the_page(
        client_for(evaluation.world.coordinator), evaluation.cycle, django_capture_on_commit_callbacks
    )
    path = Path(package.pdf.path)
    contents = pdf_text_pages(path, 2, 2)
    entries = dict(
        re.findall(
            r"^\s*(Smart Governance|Smart Society|Ringkasan|Catatan tim penilai)\s*\.+\s*(\d+)\s*$", contents, re.M
        )
    )
    assert set(entries) >= {"Smart Governance", "Smart Society", "Ringkasan"}
    assert "SG-B-01" in pdf_text_pages(path, int(entries["Smart Governance"]), int(entries["Smart Governance"]))
    assert "SS-I-01" in pdf_text_pages(path, int(entries["Smart Society"]), int(entries["Smart Society"]))
    total = package.pdf_pages
    for number in range(2, total + 1):  # every page but the cover carries "n / total" and the region
        page = pdf_text_pages(path, number, number)
        assert re.search(rf"\b{number}\s*/\s*{total}\s*$", page, re.M) and "Kabupaten Banjar" in page
    assert not re.search(rf"\b1\s*/\s*{total}\b", pdf_text_pages(path, 1, 1))
    reader = PdfReader(path)

    def flat(items: list) -> list:
        return [leaf for item in items for leaf in (flat(item) if isinstance(item, list) else [item])]

    bookmarks = {item.title: reader.get_destination_page_number(item) + 1 for item in flat(reader.outline)}
    assert bookmarks["Smart Governance"] == int(entries["Smart Governance"])
    assert bookmarks["Smart Society"] == int(entries["Smart Society"])


def test_a_render_on_a_task_worker_is_not_held_by_the_workers_signal_handler(tmp_path) -> None:
    # django-tasks-db's worker turns SIGTERM into "finish the current task first"; forked renderer children
    # must not inherit that, or a killed render (and even a finished pool) would wait on them for ever.
    outcome: dict[str, object] = {}

    def render() -> None:
        try:
            render_parts(["<p>" + "kata " * 200_000 + "</p>"] * 2, tmp_path, workers=2, timeout=0.2)
        except RenderTimeout as error:
            outcome["timeout"] = error
        outcome["rendered"] = render_parts(["<p>satu</p>", "<p>dua</p>"], tmp_path, workers=2, timeout=120)

    previous = signal.signal(signal.SIGTERM, lambda *_args: None)
    try:
        thread = threading.Thread(target=render, daemon=True)
        thread.start()
        thread.join(120)
        held = thread.is_alive()
    finally:
        signal.signal(signal.SIGTERM, previous)
        for child in multiprocessing.active_children():  # what a regression would leave behind
            child.kill()
    assert not held, "the render waited on children that ignored SIGTERM"
    assert "timeout" in outcome
    assert [part.pages for part in outcome["rendered"]] == [1, 1]


def test_the_english_interface_builds_an_english_package(evaluation, django_capture_on_commit_callbacks) -> None:
    client = client_for(evaluation.world.coordinator)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    package = build_through_the_page(client, evaluation.cycle, django_capture_on_commit_callbacks)

    text = pdf_text(package.pdf.path)
    assert package.language == "en"
    assert "Smart city evaluation package" in text and "Contents" in text and "Daftar isi" not in text
    assert openpyxl.load_workbook(package.workbook.path).sheetnames[:2] == ["Summary", "Answers"]


@pytest.mark.parametrize("configured", [False, True])
def test_a_dead_builds_scratch_files_go_when_it_is_marked_failed(evaluation, settings, tmp_path, configured) -> None:
    settings.PACKAGE_SCRATCH_DIR = str(tmp_path / "scratch") if configured else ""
    package, _started = package_request(cycle=evaluation.cycle, by=evaluation.world.coordinator)
    folder = tmp_path / "scratch" if configured else Path(settings.MEDIA_ROOT) / "packages" / ".building"
    scratch = folder / f"paket-{package.pk}-x1y2"
    scratch.mkdir(parents=True)
    (scratch / "half.zip").write_bytes(b"PK\x03\x04 half")  # what a killed worker leaves
    long_ago = timezone.now() - dt.timedelta(seconds=settings.PACKAGE_STALE_SECONDS + 5)
    Package.objects.filter(pk=package.pk).update(status=Package.Status.RUNNING, heartbeat_at=long_ago)

    assert expire_stale(now=timezone.now()) == 1
    assert not scratch.exists()


def test_an_evidence_file_damaged_on_disk_fails_the_build_and_names_it(
    evaluation, django_capture_on_commit_callbacks
) -> None:
    answer_all(evaluation)
    stored = evaluation.world.evidence_a.stored_file
    Path(stored.file.path).write_bytes(PDF_BYTES[:100])  # cut short: what a damaged disk or a bad restore leaves

    with django_capture_on_commit_callbacks(execute=True):
        client_for(evaluation.world.coordinator).post(reverse("evaluations:packages", args=[evaluation.cycle.pk]))

    package = Package.objects.get(cycle=evaluation.cycle)
    assert package.status == Package.Status.FAILED and not package.archive
    assert "SK-Tim-Smart-City.pdf: 100 bytes in storage" in package.error


def test_workbook_cells_get_excel_types_and_text_that_looks_like_a_formula_or_an_error_stays_text(tmp_path) -> None:
    from openpyxl import Workbook

    from evaluations.packages.workbook import SheetWriter

    workbook = Workbook(write_only=True)
    sheet = SheetWriter(workbook, "Uji", [("A", 10)] * 8)
    values = [FORMULA, "#N/A", "teks\x01biasa", dt.date(2024, 6, 12), True, Decimal("62.5"), 7, ""]
    sheet.append(values)
    sheet.close()
    workbook.save(tmp_path / "uji.xlsx")

    row = next(openpyxl.load_workbook(tmp_path / "uji.xlsx")["Uji"].iter_rows(min_row=2))
    assert [(c.value, c.data_type) for c in row[:3]] == [(FORMULA, "s"), ("#N/A", "s"), ("teks\ufffdbiasa", "s")]
    assert row[3].value == dt.datetime(2024, 6, 12) and row[3].number_format == "DD/MM/YYYY"  # noqa: DTZ001 (Excel dates are naive)
    assert [row[4].value, row[5].value, row[6].value, row[7].value] == ["Ya", 62.5, 7, None]


def test_the_workbooks_control_character_class_is_openpyxls() -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from evaluations.packages.workbook import _CONTROL

    chars = [chr(c) for c in range(0x3000)]
    assert [c for c in chars if _CONTROL.match(c)] == [c for c in chars if ILLEGAL_CHARACTERS_RE.match(c)]


def test_a_build_in_a_configured_scratch_folder_moves_its_files_into_media_and_leaves_nothing(
    evaluation, django_capture_on_commit_callbacks, settings, tmp_path
) -> None:
    settings.PACKAGE_SCRATCH_DIR = str(tmp_path / "elsewhere")
    answer_all(evaluation)
    client = client_for(evaluation.world.coordinator)

    package = build_through_the_page(client, evaluation.cycle, django_capture_on_commit_callbacks)

    assert package.status == Package.Status.DONE
    assert Path(package.archive.path).is_relative_to(settings.MEDIA_ROOT)
    assert hashlib.sha256(Path(package.archive.path).read_bytes()).hexdigest() == package.archive_sha256
    assert list((tmp_path / "elsewhere").iterdir()) == []
