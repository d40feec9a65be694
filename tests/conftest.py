"""Shared fixtures: fixed personas (after Healthchecks' hc/test.py) built through the real services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from agencies.models import Agency, Region, Role
from agencies.services import agency_create, membership_grant, region_create
from evidence.models import Evidence
from evidence.services import evidence_upload
from masterplan.framework import ensure_framework
from masterplan.models import Dimension, Element, Masterplan, Programme, ProgressReport
from masterplan.services import indicator_create, masterplan_create, programme_create
from masterplan.services.reports import report_start, report_update

PASSWORD = "correct-horse-battery-staple"


@dataclass
class World:
    region: Region
    other_region: Region
    agency_a: Agency
    agency_b: Agency
    dkisp: Agency
    other_agency: Agency
    operator_a: AbstractBaseUser
    operator_b: AbstractBaseUser
    coordinator: AbstractBaseUser
    assessor: AbstractBaseUser
    outsider: AbstractBaseUser
    masterplan: Masterplan
    programme_a: Programme
    programme_b: Programme
    other_programme: Programme
    evidence_a: Evidence
    report_a: ProgressReport


def make_user(username: str, **extra: object) -> AbstractBaseUser:
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
    )


def make_programme(
    masterplan: Masterplan,
    lead: Agency,
    code: str,
    *,
    element: str = "public-service",
    supporting: tuple[Agency, ...] = (),
    **extra: object,
) -> Programme:
    data = {
        "element": Element.objects.get(code=element),
        "code": code,
        "name": f"Programme {code}",
        "term": Programme.Term.SHORT,
        "lead_agency": lead,
        "start_year": 2021,
        "end_year": 2025,
        "funding_sources": ["apbd"],
        "status": Programme.Status.RUNNING,
    }
    data.update(extra)
    return programme_create(by=None, masterplan=masterplan, data=data, supporting=supporting)


@pytest.fixture
def world(db: None) -> World:
    # Transactional (browser) tests flush the tables, data-migration rows included.
    ensure_framework(Dimension, Element)
    region = region_create(
        by=None, name="Kabupaten Banjar", province="Kalimantan Selatan", bps_code="6303", seat="Martapura"
    )
    other_region = region_create(
        by=None, name="Kota Banjarbaru", kind=Region.Kind.KOTA, province="Kalimantan Selatan", bps_code="6372"
    )
    agency_a = agency_create(by=None, region=region, name="Dinas Kesehatan", acronym="DINKES")
    agency_b = agency_create(by=None, region=region, name="Dinas Pendidikan", acronym="DISDIK")
    dkisp = agency_create(
        by=None, region=region, name="Dinas Komunikasi, Informatika, Statistik dan Persandian", acronym="DKISP"
    )
    other_agency = agency_create(by=None, region=other_region, name="Diskominfo Banjarbaru", acronym="DISKOMINFO")

    operator_a = make_user("operator_a")
    operator_b = make_user("operator_b")
    coordinator = make_user("coordinator")
    assessor = make_user("assessor")
    outsider = make_user("outsider")
    membership_grant(by=None, user=operator_a, region=region, role=Role.OPERATOR, agency=agency_a)
    membership_grant(by=None, user=operator_b, region=region, role=Role.OPERATOR, agency=agency_b)
    membership_grant(by=None, user=coordinator, region=region, role=Role.COORDINATOR, agency=dkisp)
    membership_grant(by=None, user=assessor, region=region, role=Role.ASSESSOR)
    membership_grant(by=None, user=outsider, region=other_region, role=Role.COORDINATOR, agency=other_agency)

    masterplan = masterplan_create(
        by=None,
        region=region,
        data={"title": "Masterplan Smart City Kabupaten Banjar", "start_year": 2021, "end_year": 2025},
    )
    other_masterplan = masterplan_create(
        by=None, region=other_region, data={"title": "Masterplan Banjarbaru", "start_year": 2021, "end_year": 2025}
    )
    programme_a = make_programme(masterplan, agency_a, "LIV-01", element="health")
    programme_b = make_programme(masterplan, agency_b, "SOC-01", element="learning", supporting=(dkisp,))
    indicator_create(
        by=None,
        programme=programme_a,
        data={"name": "Puskesmas terhubung", "unit": "unit", "baseline": 3, "baseline_year": 2020},
        targets={2021: 5, 2022: 10},
    )
    other_programme = make_programme(other_masterplan, other_agency, "GOV-01")
    evidence_a = make_evidence(agency_a, operator_a)
    report_a = make_report(programme_a, agency_a, operator_a, evidence=evidence_a)
    return World(
        region,
        other_region,
        agency_a,
        agency_b,
        dkisp,
        other_agency,
        operator_a,
        operator_b,
        coordinator,
        assessor,
        outsider,
        masterplan,
        programme_a,
        programme_b,
        other_programme,
        evidence_a,
        report_a,
    )


@pytest.fixture
def national(world: World) -> AbstractBaseUser:
    """National programme staff (Kominfo / Ditjen Aptika): no role in any region, the national view's reader."""
    from agencies.services import national_staff_grant

    user = make_user("national")
    national_staff_grant(by=None, user=user, unit="Direktorat Tata Kelola Aptika")
    return user


def client_for(user: AbstractBaseUser | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# The smallest PDF a PDF library opens (uploads are opened with pypdf) and a browser shows: one blank page and a
# cross-reference table. Tests make distinct files with PDF_BYTES.replace(b"1.4", b"1.7"), which keeps every offset.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n0000000101 00000 n \n"
    b"trailer<</Size 4/Root 1 0 R>>\nstartxref\n164\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _questionnaire_calendar() -> Iterator[None]:
    # The fixtures' cycles are 2023's (questionnaire window 1–31 May 2023), and SKPD writes are refused once a
    # window has closed: tests judge windows as on 15 May 2023 unless they pin another day themselves.
    from evaluations.services.windows import pinned_today

    with pinned_today(dt.date(2023, 5, 15)):
        yield


@pytest.fixture(autouse=True)
def _framework_after_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    # A transactional test (the browser tests' live server) ends by flushing every table, the six dimensions
    # and eighteen elements the migrations wrote included. Later tests in the same worker (the demo load) need
    # them, as any database that was migrated has them: put them back, as `migrate` would.
    yield
    marker = request.node.get_closest_marker("django_db")
    flushed = marker is not None and marker.kwargs.get("transaction", False)
    if flushed or {"transactional_db", "live_server"} & set(request.fixturenames):
        with request.getfixturevalue("django_db_blocker").unblock():
            ensure_framework(Dimension, Element)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request leaves its language active in the thread (the middleware activates, nothing deactivates), so an
    # English page in one test would make the next test's service messages English. Each test starts as a
    # fresh process would: in the site's default language.
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings: object, tmp_path: object) -> None:
    # Uploaded files of a test stay in that test's own folder.
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined, operator]


def make_evidence(
    agency: Agency,
    by: AbstractBaseUser | None,
    name: str = "SK Tim Smart City.pdf",
    content: bytes = PDF_BYTES,
    **data: object,
) -> Evidence:
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return evidence_upload(agency=agency, by=by, upload=upload, data={"kind": "sk", **data}).evidence


def make_report(
    programme: Programme,
    agency: Agency,
    by: AbstractBaseUser | None,
    *,
    year: int = 2025,
    period: int = 1,
    complete: bool = True,
    evidence: Evidence | None = None,
) -> ProgressReport:
    report = report_start(programme=programme, agency=agency, year=year, period=period, by=by)
    if complete:
        realisations = {i.pk: (Decimal("4"), "") for i in programme.indicators.all()}
        report = report_update(
            report=report,
            by=by,
            expected_version=report.version,
            data={"narrative": "Berjalan sesuai rencana."},
            realisations=realisations,
            evidence=[evidence or make_evidence(agency, by)],
        )
    return report


@dataclass
class Evaluation:
    world: World
    cycle: object
    yes_no: object  # answer of agency A, evidence required
    level: object  # answer of agency A
    percentage: object  # answer of agency B


def question_row(code: str, dimension: str, lens: str, kind: str, **extra: object) -> object:
    from evaluations.questionnaire_io import QuestionRow

    data: dict[str, object] = {
        "line": 2,
        "code": code,
        "dimension": dimension,
        "element": None,
        "lens": lens,
        "order": 0,
        "text": f"Pertanyaan {code}?",
        "help_text": "",
        "kind": kind,
        "choices": [],
        "level_criteria": [],
        "evidence_required": False,
        "weight": Decimal(1),
    }
    if kind == "level":
        data["level_criteria"] = [f"Kriteria {n}" for n in range(1, 6)]
    if kind == "choice":
        data["choices"] = ["Belum ada", "Sebagian", "Lengkap"]
    data.update(extra)
    return QuestionRow(**data)


CYCLE_2023 = {
    "year": 2023,
    "stage": "Tahap I",
    "opens_on": dt.date(2023, 5, 1),
    "closes_on": dt.date(2023, 5, 31),
    "internal_deadline": dt.date(2023, 5, 20),
    "meeting_date": dt.date(2023, 6, 12),
    "meeting_place": "Surabaya",
    "weight_baseline": Decimal(10),
    "weight_output": Decimal(20),
    "weight_outcome": Decimal(30),
    "weight_impact": Decimal(20),
    "weight_quick_win": Decimal(20),
}


@pytest.fixture
def evaluation(world: World) -> Evaluation:
    from evaluations.models import Answer
    from evaluations.services.cycles import assign_questions, cycle_create, cycle_set_assessors, questionnaire_import

    cycle = cycle_create(region=world.region, by=world.coordinator, data=CYCLE_2023)
    rows = [
        question_row("SG-B-01", "governance", "baseline", "yes_no", evidence_required=True),
        question_row("SG-O-01", "governance", "output", "level", weight=Decimal(2)),
        question_row("SS-I-01", "society", "impact", "percentage"),
    ]
    questionnaire = questionnaire_import(cycle=cycle, by=world.coordinator, rows=rows, name="Kuesioner 2023")
    by_code = {q.code: q for q in questionnaire.questions.all()}
    assign_questions(
        cycle=cycle,
        by=world.coordinator,
        questions=[by_code["SG-B-01"], by_code["SG-O-01"]],
        agency=world.agency_a,
        supporting=[world.dkisp],
    )
    assign_questions(cycle=cycle, by=world.coordinator, questions=[by_code["SS-I-01"]], agency=world.agency_b)
    cycle_set_assessors(cycle=cycle, by=world.coordinator, assessors=[world.assessor])
    answers = {a.question.code: a for a in Answer.objects.filter(cycle=cycle).select_related("question")}
    return Evaluation(world, cycle, answers["SG-B-01"], answers["SG-O-01"], answers["SS-I-01"])
