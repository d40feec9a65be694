"""The large cycle bench/package.py builds its package from, written through the app's own services.

One region with 30 SKPDs, a 2021–2025 quarterly masterplan of 300 programmes (two indicators each) with four
approved or submitted quarterly reports in 2025, and the 2025 Tahap I cycle: 150 questions (six dimensions,
five lenses, every answer kind), assigned five to an SKPD, answered with 2,000 evidence files (about 2 GB of
real PDF, JPEG and XLSX: about 1 MiB each, incompressible, as scans and photos are), submitted, mostly
verified, locked and scored. `scale` multiplies the evidence files and the programmes.

Every file goes through `evidence_upload`, so it is inspected (pypdf, Pillow, the office-zip checks) and
stored under its SHA-256 exactly as an upload from a browser would be. Random bytes can, very rarely, look like
a second file kind (a ZIP record, a script tag) and be refused: such a file is drawn again, and a third refusal
stops the generator. Mails are held, as the demo loader holds them.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MIB = 1024 * 1024
YEAR = 2025
QUESTIONS = 150
AGENCY_COUNT = 30
EVIDENCE_FILES = 2_000
PROGRAMMES = 300
MEAN_FILE_SIZE = MIB
# Out of every 20 files: 12 PDF scans, 5 JPEG photos, 3 XLSX workbooks.
FILE_KINDS = ["pdf"] * 12 + ["jpeg"] * 5 + ["xlsx"] * 3
JPEG_QUALITY = 85
JPEG_BYTES_PER_PIXEL = 0.77  # what Pillow makes of RGB noise at quality 85 (measured)
XLSX_CELL_BYTES = 1500  # random bytes per text cell: 2,000 base64 characters, about 1,500 bytes once zipped

SKPDS = [
    ("DKISP", "Dinas Komunikasi, Informatika, Statistik dan Persandian"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah"),
    ("SETDA", "Sekretariat Daerah"),
    ("INSPEKTORAT", "Inspektorat Daerah"),
    ("BPKPAD", "Badan Pengelolaan Keuangan, Pendapatan dan Aset Daerah"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
    ("DINKES", "Dinas Kesehatan"),
    ("DISDIK", "Dinas Pendidikan"),
    ("DISHUB", "Dinas Perhubungan"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("DINSOS", "Dinas Sosial"),
    ("DLH", "Dinas Lingkungan Hidup"),
    ("DISPAR", "Dinas Pariwisata"),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan"),
    ("DISKOPUKM", "Dinas Koperasi dan Usaha Mikro"),
    ("DPRKP", "Dinas Perumahan Rakyat dan Kawasan Permukiman"),
    ("DISNAKER", "Dinas Tenaga Kerja"),
    ("DPPKB", "Dinas Pengendalian Penduduk dan Keluarga Berencana"),
    ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah"),
    ("DISPORA", "Dinas Kepemudaan dan Olahraga"),
    ("DISPERPUS", "Dinas Perpustakaan dan Kearsipan"),
    ("DKP", "Dinas Ketahanan Pangan dan Perikanan"),
    ("DISTAN", "Dinas Pertanian"),
    ("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik"),
    ("RSUD", "Rumah Sakit Umum Daerah Ratu Zalecha"),
    ("KEC-MTP", "Kecamatan Martapura"),
]
LENSES = ["baseline", "output", "outcome", "impact", "quick_win"]
ANSWER_KINDS = ["yes_no", "level", "choice", "number", "percentage", "text"]
EVIDENCE_KINDS = {"pdf": ["sk", "minutes", "report", "attendance", "perbup"], "jpeg": ["photo"], "xlsx": ["dpa"]}
TOPICS = [
    "layanan administrasi kependudukan daring",
    "integrasi data perencanaan dan penganggaran",
    "jaringan internet kantor kecamatan",
    "aplikasi pengaduan masyarakat terpadu",
    "pemantauan kualitas udara dan air sungai",
    "promosi destinasi wisata Martapura",
    "pasar digital produk UMKM intan dan batu permata",
    "sistem informasi puskesmas dan rujukan",
    "pembelajaran daring sekolah dasar",
    "satu data kabupaten dan portal statistik",
]


@dataclass
class Generated:
    cycle_pk: int
    coordinator_pk: int
    files: int
    bytes: int
    programmes: int
    reports: int
    seconds: dict[str, float]


# --- Files: real, valid, incompressible.


def _random_bytes(size: int) -> bytes:
    # A ZIP end record in the last 64 KB would make the file two kinds at once (common.uploads.polyglot).
    return os.urandom(size).replace(b"PK\x05\x06", b"PK\x05\x07")


def pdf_file(size: int, title: str) -> bytes:
    """A one-page PDF of about `size` bytes: a scanned page, i.e. an uncompressed RGB image of random pixels."""
    width = 600
    height = max(1, (size - 1500) // (width * 3))
    pixels = _random_bytes(width * height * 3)
    text = title.encode("latin-1", "replace").replace(b"\\", b"").replace(b"(", b"").replace(b")", b"")
    content = b"q 595 0 0 %d 0 0 cm /Im1 Do Q BT /F1 11 Tf 40 810 Td (%s) Tj ET" % (
        min(842, height * 595 // width),
        text[:80],
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
        b"/Length %d >>\nstream\n%s\nendstream" % (width, height, len(pixels), pixels),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def jpeg_file(size: int) -> bytes:
    """A photo of about `size` bytes: RGB noise, which JPEG cannot shrink, at quality 85."""
    from PIL import Image

    side = max(16, int((size / JPEG_BYTES_PER_PIXEL) ** 0.5))
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue()


def xlsx_file(size: int, title: str, rng: random.Random) -> bytes:
    """A budget workbook of about `size` bytes: a header, then rows of numbers and a long random text cell."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("DPA")
    sheet.append([title])
    sheet.append(["No", "Kode rekening", "Uraian", "Pagu (Rp)", "Realisasi (Rp)"])
    for n in range(1, max(1, size // XLSX_CELL_BYTES) + 1):
        pagu = rng.randrange(10_000_000, 900_000_000)
        text = base64.b64encode(os.urandom(XLSX_CELL_BYTES)).decode()
        sheet.append([n, f"5.1.02.{n:04d}", text, pagu, rng.randrange(0, pagu)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- The data, through the services.


def generate(scale: float, log: Callable[[str], None]) -> Generated:
    """Write the large cycle into the configured (empty, migrated) database and MEDIA_ROOT."""
    from django.db import transaction

    from agencies.notifications import mail_held

    rng = random.Random(2025)  # the same cycle every run, except the random bytes of the files
    seconds: dict[str, float] = {}
    files = max(30, round(EVIDENCE_FILES * scale))
    programmes = max(6, round(PROGRAMMES * scale))

    def phase(name: str, action: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        with mail_held(), transaction.atomic():
            result = action()
        seconds[name] = time.perf_counter() - started
        log(f"  {name:<22} {seconds[name]:7.1f} s")
        return result

    people = phase("region, SKPDs, people", _people)
    plan = phase("masterplan, programmes", lambda: _programmes(people, programmes, rng))
    cycle, questions = phase("cycle, questionnaire", lambda: _cycle(people, rng))
    uploaded, total = phase(f"{files:,} evidence uploads", lambda: _evidence(people, files, rng))
    phase("answers", lambda: _answers(people, cycle, questions, uploaded, rng))
    reports = phase(f"{len(plan) * 4:,} progress reports", lambda: _reports(people, plan, uploaded, rng))
    phase("lock and scores", lambda: _lock_and_score(people, cycle, questions, rng))
    return Generated(cycle.pk, people.coordinator.pk, files, total, programmes, reports, seconds)


@dataclass
class _People:
    region: Any
    agencies: list[Any]
    operators: list[Any]
    coordinator: Any
    assessor: Any


def _people() -> _People:
    from django.contrib.auth import get_user_model

    from agencies.models import Agency, Role
    from agencies.services import agency_create, membership_grant, region_create

    region = region_create(
        by=None, name="Kabupaten Uji Paket", province="Kalimantan Selatan", bps_code="6398", seat="Martapura"
    )
    users = get_user_model().objects
    agencies, operators = [], []
    for acronym, name in SKPDS[:AGENCY_COUNT]:
        kind = Agency.Kind.BADAN if acronym.startswith("B") else Agency.Kind.DINAS
        agency = agency_create(by=None, region=region, name=name, acronym=acronym, kind=kind)
        operator = users.create_user(username=f"op.{acronym.lower()}", email=f"op.{acronym.lower()}@example.org")
        membership_grant(by=None, user=operator, region=region, role=Role.OPERATOR, agency=agency)
        agencies.append(agency)
        operators.append(operator)
    coordinator = users.create_user(username="dkisp.koordinator", email="dkisp@example.org")
    membership_grant(by=None, user=coordinator, region=region, role=Role.COORDINATOR, agency=agencies[0])
    assessor = users.create_user(username="penilai", email="penilai@example.org")
    membership_grant(by=None, user=assessor, region=region, role=Role.ASSESSOR)
    return _People(region, agencies, operators, coordinator, assessor)


def _programmes(people: _People, count: int, rng: random.Random) -> list[Any]:
    from masterplan.models import Element, Programme
    from masterplan.services import indicator_create, masterplan_create, programme_create

    masterplan = masterplan_create(
        by=None,
        region=people.region,
        data={"title": "Masterplan Smart City 2021–2025", "start_year": 2021, "end_year": 2025},
    )
    elements = list(Element.objects.order_by("dimension__order", "order"))
    agencies = people.agencies
    programmes = []
    for n in range(count):
        topic = TOPICS[n % len(TOPICS)]
        start = 2021 + n % 3
        data = {
            "element": elements[n % len(elements)],
            "code": f"P-{n + 1:03d}",
            "name": f"Program {topic} tahap {n // len(TOPICS) + 1}",
            "description": f"Penguatan {topic} untuk seluruh kecamatan, dengan target tahunan sampai 2025.",
            "term": [Programme.Term.SHORT, Programme.Term.MEDIUM, Programme.Term.LONG][n % 3],
            "is_quick_win": n % 7 == 0,
            "lead_agency": agencies[n % len(agencies)],
            "start_year": start,
            "end_year": 2025,
            "funding_sources": ["apbd"] if n % 4 else ["apbd", "apbn"],
            "status": Programme.Status.DONE if n % 9 == 0 else Programme.Status.RUNNING,
        }
        programme = programme_create(
            by=None, masterplan=masterplan, data=data, supporting=[agencies[(n + 3) % len(agencies)]]
        )
        for order, (name, unit) in enumerate([("Cakupan layanan", "%"), ("Pengguna aktif", "orang")], start=1):
            base = Decimal(rng.randrange(10, 40))
            targets = {year: base + Decimal(10 * (year - start + 1)) for year in range(start, 2026)}
            indicator_create(
                by=None,
                programme=programme,
                data={"name": name, "unit": unit, "baseline": base, "baseline_year": start - 1, "order": order},
                targets=targets,
            )
        programmes.append(programme)
    return programmes


def _question_row(n: int, dimensions: list[Any], elements: dict[str, list[str]], rng: random.Random) -> Any:
    from evaluations.questionnaire_io import QuestionRow

    dimension = dimensions[n % len(dimensions)]
    lens = LENSES[(n // len(dimensions)) % len(LENSES)]
    kind = ANSWER_KINDS[n % len(ANSWER_KINDS)]
    topic = TOPICS[n % len(TOPICS)]
    return QuestionRow(
        line=n + 2,
        code=f"{dimension.abbreviation}-{lens[:2].upper()}-{n + 1:03d}",
        dimension=dimension.code,
        element=elements[dimension.code][n % 3],
        lens=lens,
        order=n + 1,
        text=(
            f"Apakah pemerintah daerah telah menyelenggarakan {topic} secara terpadu, dengan dasar hukum, "
            f"anggaran, dan pemantauan berkala oleh perangkat daerah terkait (pertanyaan {n + 1})?"
        ),
        help_text="Lampirkan SK, notulen rapat, foto kegiatan dan dokumen anggaran yang mendukung jawaban.",
        kind=kind,
        choices=["Belum ada", "Sebagian", "Lengkap"] if kind == "choice" else [],
        level_criteria=[f"Tingkat {level}: {topic}" for level in range(1, 6)] if kind == "level" else [],
        evidence_required=n % 10 != 0,
        weight=Decimal(rng.choice([1, 1, 2])),
    )


def _cycle(people: _People, rng: random.Random) -> tuple[Any, list[Any]]:
    from evaluations.models import Question
    from evaluations.services.cycles import assign_questions, cycle_create, cycle_set_assessors, questionnaire_import
    from masterplan.models import Dimension, Element

    cycle = cycle_create(
        region=people.region,
        by=people.coordinator,
        data={
            "year": YEAR,
            "stage": "Tahap I",
            "letter_number": "B-123/DJAI.5/AI.05.01/04/2025",
            "opens_on": dt.date(YEAR, 5, 1),
            "closes_on": dt.date(YEAR, 5, 31),
            "internal_deadline": dt.date(YEAR, 5, 20),
            "meeting_date": dt.date(YEAR, 6, 12),
            "meeting_place": "Jakarta",
            "weight_baseline": Decimal(10),
            "weight_output": Decimal(20),
            "weight_outcome": Decimal(30),
            "weight_impact": Decimal(20),
            "weight_quick_win": Decimal(20),
        },
    )
    dimensions = list(Dimension.objects.order_by("order"))
    elements: dict[str, list[str]] = {}
    for element in Element.objects.select_related("dimension").order_by("order"):
        elements.setdefault(element.dimension.code, []).append(element.code)
    rows = [_question_row(n, dimensions, elements, rng) for n in range(QUESTIONS)]
    questionnaire = questionnaire_import(cycle=cycle, by=people.coordinator, rows=rows, name=f"Kuesioner {YEAR}")
    questions = list(Question.objects.filter(questionnaire=questionnaire).order_by("order"))
    agencies = people.agencies
    for n, question in enumerate(questions):
        assign_questions(
            cycle=cycle,
            by=people.coordinator,
            questions=[question],
            agency=agencies[n % len(agencies)],
            supporting=[agencies[(n + k) % len(agencies)] for k in (1, 7)][: 1 + n % 2],
        )
    cycle_set_assessors(cycle=cycle, by=people.coordinator, assessors=[people.assessor])
    return cycle, questions


def _evidence(people: _People, count: int, rng: random.Random) -> tuple[dict[int, list[Any]], int]:
    """Upload `count` files, spread over the SKPDs; returns each SKPD's new entries (by agency pk) and bytes."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence.services import evidence_upload

    agencies = people.agencies
    uploaded: dict[int, list[Any]] = {a.pk: [] for a in agencies}
    total = 0
    for n in range(count):
        agency = agencies[n % len(agencies)]
        operator = people.operators[n % len(agencies)]
        file_kind = FILE_KINDS[n % len(FILE_KINDS)]
        kind = rng.choice(EVIDENCE_KINDS[file_kind])
        size = int(MEAN_FILE_SIZE * rng.uniform(0.25, 1.75))
        topic = TOPICS[n % len(TOPICS)]
        title = f"{kind.upper()} {agency.acronym} {topic} {n + 1:04d}"
        date = dt.date(YEAR - (1 if n % 11 == 0 else 0), 1 + n % 12, 1 + n % 28)
        data = {
            "title": title,
            "kind": kind,
            "document_number": f"{n + 1:04d}/{agency.acronym}/{date.year}",
            "document_date": date,
            "issuer": agency.name,
            "valid_until": dt.date(YEAR, 6, 1) if n % 13 == 0 else None,
        }
        for attempt in range(3):
            # Random bytes can, very rarely, look like a second file kind: new bytes are drawn then.
            if file_kind == "pdf":
                content, extension = pdf_file(size, title), "pdf"
            elif file_kind == "jpeg":
                content, extension = jpeg_file(size), "jpg"
            else:
                content, extension = xlsx_file(size, title, rng), "xlsx"
            upload = SimpleUploadedFile(f"{title}.{extension}", content, content_type="application/octet-stream")
            try:
                result = evidence_upload(agency=agency, by=operator, upload=upload, data=data)
            except ValidationError:
                if attempt == 2:
                    raise
                continue
            break
        uploaded[agency.pk].append(result.evidence)
        total += len(content)
    return uploaded, total


def _value(kind: str, n: int) -> dict[str, Any]:
    return {
        "yes_no": {"value_bool": n % 5 != 0},
        "level": {"value_level": 1 + n % 5},
        "choice": {"value_choice": ["Belum ada", "Sebagian", "Lengkap"][n % 3]},
        "number": {"value_number": Decimal(1000 + 37 * n)},
        "percentage": {"value_number": Decimal(n % 100) + Decimal("0.5")},
        "text": {"value_text": f"Sudah berjalan di {5 + n % 15} kecamatan; sisanya dijadwalkan tahun depan."},
    }[kind]


def _answers(
    people: _People, cycle: Any, questions: list[Any], uploaded: dict[int, list[Any]], rng: random.Random
) -> None:
    """Each SKPD's files are shared out over its questions; answered, submitted, and most of them verified."""
    from evaluations.models import Answer
    from evaluations.services.answers import answer_submit, answer_update, answer_verify
    from evaluations.services.windows import pinned_today

    answers = {
        a.question_id: a
        for a in Answer.objects.filter(cycle=cycle).select_related("cycle__region", "question", "agency")
    }
    own: dict[int, list[Any]] = {}
    for question in questions:
        own.setdefault(answers[question.pk].agency_id, []).append(question)
    with pinned_today(dt.date(YEAR, 5, 15)):  # inside the questionnaire window
        for agency_pk, agency_questions in own.items():
            files = uploaded[agency_pk]
            operator = people.operators[[a.pk for a in people.agencies].index(agency_pk)]
            for index, question in enumerate(agency_questions):
                answer = answers[question.pk]
                evidence = files[index :: len(agency_questions)]
                narrative = (
                    f"Pada {YEAR}, {TOPICS[question.order % len(TOPICS)]} telah dijalankan oleh "
                    f"{answer.agency.name}. Rinciannya ada pada {len(evidence)} dokumen terlampir: SK, notulen, "
                    "foto kegiatan dan dokumen anggaran.\nTindak lanjut: perluasan ke seluruh kecamatan."
                )
                answer = answer_update(
                    answer=answer,
                    by=operator,
                    expected_version=answer.version,
                    data={**_value(question.kind, question.order), "narrative": narrative},
                    evidence=evidence,
                )
                fate = rng.random()
                if fate < 0.04 or (question.evidence_required and not evidence):
                    continue  # still a draft (at small scales some SKPDs have fewer files than questions)
                answer = answer_submit(answer=answer, by=operator)
                if fate > 0.10:
                    answer_verify(answer=answer, by=people.coordinator)


def _reports(people: _People, programmes: list[Any], uploaded: dict[int, list[Any]], rng: random.Random) -> int:
    """Four quarterly reports of 2025 per programme by its lead SKPD: three approved, the last one submitted."""
    from masterplan.services.reports import report_approve, report_start, report_submit, report_update

    count = 0
    operators = {a.pk: people.operators[n] for n, a in enumerate(people.agencies)}
    for programme in programmes:
        agency = programme.lead_agency
        indicators = list(programme.indicators.order_by("order"))
        for period in range(1, 5):
            operator = operators[agency.pk]
            report = report_start(programme=programme, agency=agency, year=YEAR, period=period, by=operator)
            plan = Decimal(rng.randrange(100, 900)) * 1_000_000
            report = report_update(
                report=report,
                by=operator,
                expected_version=report.version,
                data={
                    "narrative": f"Triwulan {period} {YEAR}: kegiatan {programme.name.lower()} berjalan sesuai "
                    "rencana; sosialisasi di kecamatan dan pelatihan operator selesai.",
                    "obstacles": "Jaringan di beberapa desa belum stabil." if period % 2 else "",
                    "follow_up": "Koordinasi dengan penyedia jaringan." if period % 2 else "",
                    "budget_plan": plan,
                    "budget_realisation": plan * period / 4,
                },
                realisations={i.pk: (Decimal(rng.randrange(10, 90)), "") for i in indicators},
                evidence=[uploaded[agency.pk][period % len(uploaded[agency.pk])]],
            )
            report = report_submit(report=report, by=operator)
            if period < 4:
                report_approve(report=report, by=people.coordinator)
            count += 1
    return count


def _lock_and_score(people: _People, cycle: Any, questions: list[Any], rng: random.Random) -> None:
    from evaluations.services.assessment import note_save, scores_save
    from evaluations.services.cycles import cycle_lock

    cycle_lock(
        cycle=cycle,
        by=people.coordinator,
        today=dt.date(YEAR, 6, 2),
        reason="Dikunci untuk penilaian; jawaban yang belum terverifikasi dinilai apa adanya.",
    )
    pages: dict[int, dict[Any, tuple[Decimal | None, str]]] = {}
    for question in questions:
        score = Decimal(1 + rng.randrange(5)) if question.kind == "level" else Decimal(rng.randrange(0, 501)) / 100
        pages.setdefault(question.dimension_id, {})[question] = (score, "Sesuai bukti dukung.")
    for page in pages.values():
        scores_save(cycle=cycle, by=people.assessor, scores=page)
    note_save(
        cycle=cycle,
        by=people.assessor,
        dimension=None,
        data={
            "strengths": "Bukti dukung lengkap dan tertata per dimensi.",
            "weaknesses": "Sebagian dokumen anggaran belum ditandatangani.",
            "recommendations": "Lengkapi tanda tangan dan perbarui SK yang habis masa berlakunya.",
        },
    )
