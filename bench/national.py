"""A national-scale dataset on PostgreSQL: up to ~500 regions with SKPDs, programmes, five years of quarterly
progress reports, evidence, two evaluation cycles and the audit rows that go with them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartcity_bench_region \\
        .venv/bin/python bench/national.py --scale region        # 1 region: 60 SKPDs, 300 programmes, 6,000 reports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartcity_bench_national \\
        .venv/bin/python bench/national.py --scale national      # 500 regions, ~3 million reports
    ... bench/national.py --scale demo                            # 3 small regions, a few seconds
    ... bench/national.py --regions 50                            # the national shapes, 50 regions

The database is migrated first and must hold no regions yet (`--reset` drops and recreates it). Rows are written
with PostgreSQL's COPY, streamed from generators in chunks, into the tables and columns the app's models name
(`_meta`), with the choices, foreign keys and constraints of those models, all indexes in place; the national
framework (dimensions, elements) comes from the migrations, the questionnaire from the Banjar demo's questions.
Foreign keys are checked once per key at the end (one anti-join each) instead of by a trigger per row, and a sample
of every model's rows goes through `full_clean()` (`--check`, on by default): the app's own rules, not ours.

Region 1 (the "probe") always has the shape of the issue's region-scale probe: 60 SKPDs, 300 programmes each
reported by its lead SKPD for 20 quarters (6,000 reports) and 20,000 evidence rows, so the load bench can compare
the same region's pages at region and national scale. The other regions draw 30–60 SKPDs, 60–300 programmes,
some reported by a supporting SKPD too, and 20–60 evidence rows per SKPD. Everything is seeded per region:
the same region is row for row the same in every run and every preset.

Evidence files: every Evidence row points at one of 512 StoredFile rows, each a tiny real placeholder PDF
(~400 bytes, written to MEDIA_ROOT if missing) whose SHA-256 is the stored one. A library holds each file at most
once (the model's constraint), so an agency's evidence points at distinct placeholders; agencies share them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import json
import os
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the project root

SEED = 20261201
# The day the data is "as of": the 2026 cycle's questionnaire window is open around it (1 Oct 2026 – 31 Jan 2027).
AS_OF = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
YEARS = range(2022, 2027)  # the masterplan's five years; every quarter has begun by AS_OF
PERIODS = [(year, period) for year in YEARS for period in range(1, 5)]
PLACEHOLDERS = 512
BENCH_PASSWORD = "bench-national-2026"  # noqa: S105 - a throwaway bench database's shared password
CHUNK = 50_000  # rows per COPY statement's read buffer fill


@dataclass(frozen=True)
class Shape:
    """How big one region is."""

    agencies: tuple[int, int]
    programmes: tuple[int, int]
    extra_reporter: float  # chance that a supporting SKPD also reports on a programme
    evidence_per_agency: tuple[int, int]


PROBE = Shape(agencies=(60, 60), programmes=(300, 300), extra_reporter=0.0, evidence_per_agency=(333, 334))
NATIONAL = Shape(agencies=(30, 60), programmes=(60, 300), extra_reporter=0.667, evidence_per_agency=(20, 60))
SMALL = Shape(agencies=(30, 30), programmes=(60, 60), extra_reporter=0.0, evidence_per_agency=(20, 20))
PRESETS: dict[str, tuple[int, Shape]] = {"demo": (3, SMALL), "region": (1, NATIONAL), "national": (500, NATIONAL)}

# (BPS code, province, regencies, cities): the real counts, so 500 regions look like the programme's.
PROVINCES = (
    ("11", "Aceh", 18, 5),
    ("12", "Sumatera Utara", 25, 8),
    ("13", "Sumatera Barat", 12, 7),
    ("14", "Riau", 10, 2),
    ("15", "Jambi", 9, 2),
    ("16", "Sumatera Selatan", 13, 4),
    ("17", "Bengkulu", 9, 1),
    ("18", "Lampung", 13, 2),
    ("19", "Kepulauan Bangka Belitung", 6, 1),
    ("21", "Kepulauan Riau", 5, 2),
    ("32", "Jawa Barat", 18, 9),
    ("33", "Jawa Tengah", 29, 6),
    ("34", "Daerah Istimewa Yogyakarta", 4, 1),
    ("35", "Jawa Timur", 29, 9),
    ("36", "Banten", 4, 4),
    ("51", "Bali", 8, 1),
    ("52", "Nusa Tenggara Barat", 8, 2),
    ("53", "Nusa Tenggara Timur", 21, 1),
    ("61", "Kalimantan Barat", 12, 2),
    ("62", "Kalimantan Tengah", 13, 1),
    ("63", "Kalimantan Selatan", 11, 2),
    ("64", "Kalimantan Timur", 7, 3),
    ("65", "Kalimantan Utara", 4, 1),
    ("71", "Sulawesi Utara", 11, 4),
    ("72", "Sulawesi Tengah", 12, 1),
    ("73", "Sulawesi Selatan", 21, 3),
    ("74", "Sulawesi Tenggara", 15, 2),
    ("75", "Gorontalo", 5, 1),
    ("76", "Sulawesi Barat", 6, 0),
    ("81", "Maluku", 9, 2),
    ("82", "Maluku Utara", 8, 2),
    ("91", "Papua Barat", 7, 0),
    ("92", "Papua Barat Daya", 5, 1),
    ("94", "Papua", 8, 1),
    ("95", "Papua Selatan", 4, 0),
    ("96", "Papua Tengah", 8, 0),
    ("97", "Papua Pegunungan", 8, 0),
)
SYLLABLES = ("ba", "ma", "ta", "sa", "ka", "la", "ra", "wa", "nga", "pa", "ga", "di", "ri", "su", "lu", "ja", "to")
SYLLABLES += ("bo", "ne", "ku", "pe", "ngan", "rang", "tang", "jung", "gu", "mi", "na", "dang", "kem", "sum")
KECAMATAN = ("Utara", "Selatan", "Timur", "Barat", "Tengah", "Kota", "Hulu", "Hilir", "Pesisir", "Raya", "Baru")
EVIDENCE_KINDS = (
    ("minutes", "Notulen rapat koordinasi"),
    ("attendance", "Daftar hadir rapat"),
    ("photo", "Dokumentasi foto kegiatan"),
    ("report", "Laporan kegiatan"),
    ("sk", "SK Tim Pelaksana"),
    ("dpa", "DPA"),
    ("presentation", "Bahan paparan"),
    ("app_inventory", "Inventaris aplikasi"),
    ("perbup", "Peraturan Bupati"),
    ("other", "Dokumen pendukung"),
)
UNITS = ("%", "unit", "orang", "layanan", "kegiatan", "dokumen", "km", "indeks")
ROMAN = ("I", "II", "III", "IV")


def placeholder_pdf(n: int) -> bytes:
    """A minimal valid one-page PDF, different for each n (so each has its own SHA-256)."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    )
    return body + f"% bench placeholder {n}\ntrailer<</Root 1 0 R>>\n%%EOF\n".encode()


# --- COPY ------------------------------------------------------------------------------------------------


def _escape(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _json(value: Any) -> str:
    return _escape(json.dumps(value, ensure_ascii=False))


# One value in COPY's text format, by its type: a dict lookup per value is most of the generator's Python time.
_FORMAT: dict[type, Callable[[Any], str]] = {
    type(None): lambda _: "\\N",
    bool: lambda v: "t" if v else "f",
    int: str,
    Decimal: str,
    str: _escape,
    dt.datetime: dt.datetime.isoformat,
    dt.date: dt.date.isoformat,
    dict: _json,
    list: _json,
}


def _text(value: Any) -> str:
    convert = _FORMAT.get(type(value))
    if convert is None:  # str subclasses (choices enums) and the rare other type
        return _escape(str(value))
    return convert(value)


class RowStream(io.TextIOBase):
    """A file COPY reads from, filled from a generator of tuples as it reads: nothing is held whole."""

    def __init__(self, rows: Iterable[Sequence[Any]]) -> None:
        self.rows = iter(rows)
        self.buffer = ""
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> str:
        want = size if size and size > 0 else 1 << 20
        parts = [self.buffer]
        fmt = _FORMAT
        length = len(self.buffer)
        for row in self.rows:
            line = "\t".join([fmt.get(type(v), _text)(v) for v in row]) + "\n"
            parts.append(line)
            length += len(line)
            self.count += 1
            if length >= want:
                break
        text = "".join(parts)
        self.buffer = text[want:]
        return text[:want]


@dataclass
class Table:
    """One model's table: its columns from `_meta`, the next id to hand out, and the time spent writing it."""

    model: Any
    fields: Sequence[str]
    next_id: int = 0
    rows: int = 0
    seconds: float = 0.0
    buffer: list[Sequence[Any]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.model._meta.db_table

    @property
    def columns(self) -> list[str]:
        return [self.model._meta.get_field(name).column for name in self.fields]

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


class Writer:
    """Buffers each table's rows and COPYs them in chunks; times every COPY per table."""

    def __init__(self, connection: Any) -> None:
        self.connection = connection
        self.tables: dict[str, Table] = {}

    def table(self, model: Any, fields: Sequence[str]) -> Table:
        key = model._meta.label
        if key not in self.tables:
            with self.connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608
                first = cursor.fetchone()[0]
            self.tables[key] = Table(model, ["id", *fields], next_id=first)
        return self.tables[key]

    def add(self, table: Table, row: Sequence[Any]) -> None:
        table.buffer.append(row)
        if len(table.buffer) >= CHUNK:
            self.flush(table)

    def flush(self, table: Table) -> None:
        if not table.buffer:
            return
        rows, table.buffer = table.buffer, []
        columns = ", ".join(f'"{c}"' for c in table.columns)
        started = time.perf_counter()
        with self.connection.cursor() as cursor:
            cursor.cursor.copy_expert(f'COPY "{table.name}" ({columns}) FROM STDIN', RowStream(rows), size=1 << 20)
        table.seconds += time.perf_counter() - started
        table.rows += len(rows)

    def flush_all(self) -> None:
        # Parents before children, in the order the tables were first used: foreign keys are checked per row.
        for table in self.tables.values():
            self.flush(table)

    def reset_sequences(self) -> None:
        with self.connection.cursor() as cursor:
            for table in self.tables.values():
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608
                    f'(SELECT COALESCE(MAX(id), 1) FROM "{table.name}"))'
                )


# --- The generator ---------------------------------------------------------------------------------------


@dataclass
class Framework:
    """What every region shares: the national framework, content types, the questionnaire and the assessors."""

    dimensions: dict[str, int]
    elements: list[tuple[int, str, int]]  # (id, code, dimension id)
    element_ids: dict[str, int]
    content_types: dict[str, int]
    questions: list[Any]  # the demo's QuestionSpec, in order
    question_kwargs: list[dict[str, Any]]
    programmes: list[Any]  # the demo's ProgrammeSpec, reused as names and elements
    agencies: list[Any]  # the demo's AgencySpec (without the Banjar kecamatan)
    placeholders: list[int]  # StoredFile ids
    password: str
    assessors: list[tuple[int, str]] = field(default_factory=list)  # (user id, username)
    report_labels: dict[tuple[int, int], str] = field(default_factory=dict)


class Generator:
    def __init__(self, writer: Writer, framework: Framework) -> None:
        self.w = writer
        self.f = framework
        from django.contrib.auth import get_user_model

        from agencies.models import Agency, AuditEvent, Membership, Region
        from evaluations.models import (
            Answer,
            AnswerEvidence,
            AssessmentNote,
            Assignment,
            EvaluationCycle,
            Question,
            Questionnaire,
            Score,
        )
        from evidence.models import Evidence
        from masterplan.models import (
            Indicator,
            IndicatorRealisation,
            IndicatorTarget,
            Masterplan,
            Programme,
            ProgressReport,
            ReportEvidence,
        )

        t = writer.table
        self.region = t(Region, ["name", "kind", "province", "bps_code", "seat", "logo", "is_active",
                                 "escalation_name", "escalation_email"])  # fmt: skip
        self.agency = t(Agency, ["region", "name", "acronym", "kind", "email", "phone", "is_active", "predecessor"])
        self.user = t(get_user_model(), ["password", "last_login", "is_superuser", "username", "first_name",
                                          "last_name", "email", "is_staff", "is_active", "date_joined"])  # fmt: skip
        self.membership = t(Membership, ["user", "region", "agency", "role", "phone", "is_active", "created_at"])
        self.masterplan = t(Masterplan, ["region", "title", "start_year", "end_year", "perbup_number",
                                         "perbup_date", "document", "period_type", "is_active", "created_at",
                                         "updated_at"])  # fmt: skip
        self.programme = t(Programme, ["masterplan", "element", "code", "name", "description", "term", "is_quick_win",
                                       "lead_agency", "start_year", "end_year", "funding_sources", "status",
                                       "created_at", "updated_at"])  # fmt: skip
        self.support = t(Programme.supporting_agencies.through, ["programme", "agency"])
        self.indicator = t(Indicator, ["programme", "name", "unit", "baseline", "baseline_year", "order"])
        self.target = t(IndicatorTarget, ["indicator", "year", "value"])
        self.evidence = t(Evidence, ["agency", "region", "title", "kind", "document_number", "document_date", "issuer",
                                     "valid_until", "stored_file", "original_name", "uploaded_by", "created_at",
                                     "updated_at"])  # fmt: skip
        self.report = t(ProgressReport, ["programme", "agency", "year", "period", "period_type", "status", "narrative",
                                         "obstacles", "follow_up", "budget_plan", "budget_realisation", "version",
                                         "return_reason", "submitted_at", "submitted_by", "decided_at", "decided_by",
                                         "created_by", "created_at", "updated_at"])  # fmt: skip
        self.report_evidence = t(ReportEvidence, ["report", "evidence", "added_at"])
        self.realisation = t(IndicatorRealisation, ["report", "indicator", "value", "note"])
        self.questionnaire = t(Questionnaire, ["region", "name", "version", "parent", "created_by", "created_at"])
        self.question = t(Question, ["questionnaire", "code", "dimension", "element", "lens", "order", "text",
                                     "help_text", "kind", "choices", "level_criteria", "evidence_required",
                                     "weight"])  # fmt: skip
        self.cycle = t(EvaluationCycle, ["region", "year", "stage", "letter_number", "questionnaire", "opens_on",
                                         "closes_on", "internal_deadline", "meeting_date", "meeting_place",
                                         "weight_baseline", "weight_output", "weight_outcome", "weight_impact",
                                         "weight_quick_win", "previous", "locked_at", "locked_by",
                                         "created_at"])  # fmt: skip
        self.cycle_assessor = t(EvaluationCycle.assessors.through, ["evaluationcycle", "user"])
        self.assignment = t(Assignment, ["cycle", "question", "agency", "deadline"])
        self.answer = t(Answer, ["cycle", "question", "agency", "status", "value_bool", "value_choice", "value_level",
                                 "value_number", "value_text", "narrative", "version", "return_reason", "submitted_at",
                                 "submitted_by", "verified_at", "verified_by", "carried_from",
                                 "updated_at"])  # fmt: skip
        self.answer_evidence = t(AnswerEvidence, ["answer", "evidence", "carried"])
        self.score = t(Score, ["cycle", "question", "value", "note", "scored_by", "scored_at", "answer_version"])
        self.note = t(AssessmentNote, ["cycle", "dimension", "strengths", "weaknesses", "recommendations",
                                       "updated_at"])  # fmt: skip
        self.audit = t(AuditEvent, ["created_at", "actor", "actor_label", "region", "action", "target_type",
                                    "target_id", "target_label", "changes", "reason", "ip_address"])  # fmt: skip

    # -- helpers

    def add(self, table: Table, *values: Any) -> int:
        pk = table.new_id()
        self.w.add(table, (pk, *values))
        return pk

    def audit_row(
        self,
        at: dt.datetime,
        actor: tuple[int, str] | None,
        region: int,
        action: str,
        model: str,
        target: int,
        label: str,
        changes: dict[str, Any] | None = None,
        reason: str = "",
    ) -> None:
        self.add(
            self.audit,
            at,
            actor[0] if actor else None,
            actor[1] if actor else "",
            region,
            action,
            self.f.content_types[model],
            str(target),
            label[:255],
            changes or {},
            reason,
            None,
        )

    def user_row(self, username: str, first: str, last: str, email: str, joined: dt.datetime) -> tuple[int, str]:
        pk = self.add(self.user, self.f.password, None, False, username, first, last, email, False, True, joined)
        return pk, username

    # -- one region

    def region_rows(self, index: int, code: str, province: str, kind: str, shape: Shape) -> None:
        rng = random.Random(f"{SEED}:{index}")
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
        title = f"{'Kota' if kind == 'kota' else 'Kabupaten'} {name}"
        domain = f"{name.lower()}{code}.example"
        region = self.add(self.region, title, kind, province, code, name, "", True, "Asisten Administrasi Umum",
                          f"asisten@{domain}")  # fmt: skip
        t0 = dt.datetime(2021, 11, 1, 2, 0, tzinfo=dt.UTC) + dt.timedelta(hours=index)
        self.audit_row(t0, None, region, "region.created", "agencies.region", region, title)

        # SKPDs: the demo's core agencies, then kecamatan up to the region's count.
        count = rng.randint(*shape.agencies)
        agencies: list[tuple[int, str]] = []
        specs = [(a.acronym, a.name, a.kind) for a in self.f.agencies]
        extra = [f"KEC {name.upper()} {k}" for k in KECAMATAN] + [f"KEC {n:02d}" for n in range(1, 60)]
        while len(specs) < count:
            acronym = extra[len(specs) - len(self.f.agencies)]
            specs.append((acronym, f"Kecamatan {acronym[4:].title()}", "kecamatan"))
        for acronym, agency_name, agency_kind in specs[:count]:
            slug = acronym.lower().replace(" ", ".")
            pk = self.add(self.agency, region, agency_name, acronym, agency_kind, f"{slug}@{domain}",
                          f"(0{rng.randint(100, 999)}) {rng.randint(100000, 999999)}", True, None)  # fmt: skip
            agencies.append((pk, acronym))
            self.audit_row(t0, None, region, "agency.created", "agencies.agency", pk, acronym)
        by_acronym = {acronym: pk for pk, acronym in agencies}
        dkisp = by_acronym["DKISP"]

        # People: DKISP's coordinator, an operator per SKPD, the head of DPMPTSP; two national assessors.
        prefix = f"r{code}"
        coordinator = self.user_row(f"{prefix}.dkisp", "Koordinator", name, f"dkisp@{domain}", t0)
        self._grant(coordinator, region, dkisp, "coordinator", t0)
        operators: dict[int, tuple[int, str]] = {}
        for pk, acronym in agencies:
            slug = acronym.lower().replace(" ", ".")
            operators[pk] = self.user_row(f"{prefix}.op.{slug}", "Operator", acronym, f"op.{slug}@{domain}", t0)
            self._grant(operators[pk], region, pk, "operator", t0)
        head = self.user_row(f"{prefix}.kepala.dpmptsp", "Kepala", "DPMPTSP", f"kepala.dpmptsp@{domain}", t0)
        self._grant(head, region, by_acronym["DPMPTSP"], "head", t0)
        assessors = [self.f.assessors[index % 50], self.f.assessors[(index + 25) % 50]]
        for assessor in assessors:
            self._grant(assessor, region, None, "assessor", t0)

        libraries = self._evidence(rng, region, agencies, operators, shape)
        self._plan_and_reports(rng, region, title, agencies, operators, coordinator, libraries, shape)
        self._evaluations(rng, region, by_acronym, operators, coordinator, assessors, libraries)

    def _grant(self, user: tuple[int, str], region: int, agency: int | None, role: str, at: dt.datetime) -> None:
        pk = self.add(self.membership, user[0], region, agency, role, "", True, at)
        self.audit_row(at, None, region, "membership.granted", "agencies.membership", pk, f"{user[1]} · {role}",
                       {"role": role})  # fmt: skip

    def _evidence(
        self,
        rng: random.Random,
        region: int,
        agencies: list[tuple[int, str]],
        operators: dict[int, tuple[int, str]],
        shape: Shape,
    ) -> dict[int, list[int]]:
        libraries: dict[int, list[int]] = {}
        for agency, acronym in agencies:
            count = min(rng.randint(*shape.evidence_per_agency), PLACEHOLDERS)
            offset = rng.randrange(PLACEHOLDERS)
            ids = []
            for n in range(count):
                kind, words = EVIDENCE_KINDS[n % len(EVIDENCE_KINDS)]
                year = YEARS[n % len(YEARS)]
                at = dt.datetime(year, 1 + n % 12, 1 + n % 28, 3, n % 60, tzinfo=dt.UTC)
                at = min(at, AS_OF - dt.timedelta(days=1))
                pk = self.add(
                    self.evidence,
                    agency,
                    region,
                    f"{words} {acronym} {year} ({n + 1})",
                    kind,
                    f"{n + 1}/{acronym}/{year}",
                    at.date(),
                    acronym,
                    None,
                    self.f.placeholders[(offset + n) % PLACEHOLDERS],
                    f"bukti-{n + 1}.pdf",
                    operators[agency][0],
                    at,
                    at,
                )
                ids.append(pk)
                self.audit_row(at, operators[agency], region, "evidence.uploaded", "evidence.evidence", pk,
                               f"{words} {acronym} {year} ({n + 1})")  # fmt: skip
            libraries[agency] = ids
        return libraries

    def _plan_and_reports(
        self,
        rng: random.Random,
        region: int,
        title: str,
        agencies: list[tuple[int, str]],
        operators: dict[int, tuple[int, str]],
        coordinator: tuple[int, str],
        libraries: dict[int, list[int]],
        shape: Shape,
    ) -> None:
        at = dt.datetime(2021, 12, 1, 2, 0, tzinfo=dt.UTC)
        masterplan = self.add(self.masterplan, region, f"Masterplan Smart City {title} 2022–2026", 2022, 2026,
                              f"{rng.randint(10, 90)} Tahun 2021", dt.date(2021, 11, 15), "", "quarterly", True, at,
                              at)  # fmt: skip
        self.audit_row(at, coordinator, region, "masterplan.created", "masterplan.masterplan", masterplan, title)
        count = rng.randint(*shape.programmes)
        acronyms = dict(agencies)
        agency_ids = [pk for pk, _ in agencies]
        for n in range(count):
            spec = self.f.programmes[n % len(self.f.programmes)]
            element = self.f.element_ids[spec.element]
            code = f"{spec.code[:3]}-{n + 1:03d}"
            lead = agency_ids[n % len(agency_ids)]
            status = rng.choices(("running", "done", "planned", "postponed"), (70, 15, 10, 5))[0]
            programme = self.add(self.programme, masterplan, element, code, f"{spec.name} ({n + 1})",
                                 spec.description, spec.term, spec.quick_win, lead, 2022, 2026,
                                 list(spec.funding), status, at, at)  # fmt: skip
            self.audit_row(at, coordinator, region, "programme.created", "masterplan.programme", programme, code)
            supporters = rng.sample([a for a in agency_ids if a != lead], rng.randint(1, 2))
            for agency in supporters:
                self.add(self.support, programme, agency)
            indicators = []
            for k in range(1 if rng.random() < 0.7 else 2):
                unit = UNITS[(n + k) % len(UNITS)]
                baseline = Decimal(rng.randint(10, 500))
                step = Decimal(rng.randint(5, 60))
                indicator = self.add(self.indicator, programme, f"Indikator {k + 1} {code}", unit, baseline, 2021,
                                     k + 1)  # fmt: skip
                targets = {year: baseline + step * (year - 2021) for year in YEARS}
                for year, value in targets.items():
                    self.add(self.target, indicator, year, value)
                indicators.append((indicator, targets))
            reporters = [lead]
            if rng.random() < shape.extra_reporter:
                reporters.append(supporters[0])
            for agency in reporters:
                self._reports(rng, region, programme, code, agency, acronyms[agency], operators[agency], coordinator,
                              indicators, libraries[agency])  # fmt: skip

    def _reports(
        self,
        rng: random.Random,
        region: int,
        programme: int,
        code: str,
        agency: int,
        acronym: str,
        operator: tuple[int, str],
        coordinator: tuple[int, str],
        indicators: list[tuple[int, dict[int, Decimal]]],
        library: list[int],
    ) -> None:
        last = len(PERIODS) - 1
        for index, (year, period) in enumerate(PERIODS):
            if index < last - 1:
                fate = "approved" if rng.random() < 0.96 else "bounced"  # bounced: returned once, then approved
            elif index == last - 1:
                fate = rng.choices(("approved", "submitted", "returned"), (70, 20, 10))[0]
            else:
                fate = rng.choices(("draft", "submitted", "returned", "approved"), (30, 45, 10, 15))[0]
            start = dt.datetime(year, 3 * period - 2, 1, 1, 0, tzinfo=dt.UTC)
            created = start + dt.timedelta(days=rng.randint(20, 80), minutes=rng.randint(0, 600))
            submitted = created + dt.timedelta(days=rng.randint(1, 10))
            decided = submitted + dt.timedelta(days=rng.randint(1, 7), minutes=rng.randint(0, 300))
            created, submitted, decided = (min(t, AS_OF - dt.timedelta(hours=1)) for t in (created, submitted, decided))
            words = f"triwulan {ROMAN[period - 1]} {year}"
            draft = fate == "draft"
            plan = Decimal(rng.randint(50, 900) * 1_000_000)
            spent = (
                None
                if draft
                else (plan * Decimal(period) / 4 * Decimal(rng.randint(70, 100)) / 100).quantize(Decimal("0.01"))
            )
            returned = fate == "returned"
            report = self.add(
                self.report,
                programme,
                agency,
                year,
                period,
                "quarterly",
                fate if fate != "bounced" else "approved",
                f"Pada {words}: kegiatan {code} berjalan sesuai rencana aksi {acronym}.",
                "" if draft else "Keterbatasan anggaran dan jadwal rapat lintas SKPD.",
                "" if draft else "Koordinasi dengan Bappedalitbang dan DKISP pada triwulan berikutnya.",
                plan,
                spent,
                {"draft": 2, "submitted": 3, "returned": 4, "approved": 4, "bounced": 7}[fate],
                "Bukti dukung belum lengkap: lampirkan notulen dan daftar hadir." if returned else "",
                None if draft else submitted,
                None if draft else operator[0],
                decided if fate in ("approved", "bounced", "returned") else None,
                coordinator[0] if fate in ("approved", "bounced", "returned") else None,
                operator[0],
                created,
                decided if fate != "draft" else created,
            )
            label = f"{code} · {acronym} · {self.f.report_labels[(year, period)]}"
            audit = self.audit_row
            audit(created, operator, region, "report.created", "masterplan.progressreport", report, label)
            if not draft:
                for k in range(index % 4):  # 0-3 pieces of the SKPD's own evidence
                    self.add(self.report_evidence, report, library[(index * 7 + k * 3) % len(library)], created)
                for indicator, targets in indicators:
                    value = (targets[year] * Decimal(rng.randint(60, 110)) / 100).quantize(Decimal("0.01"))
                    self.add(self.realisation, report, indicator, value, "")
                audit(submitted, operator, region, "report.submitted", "masterplan.progressreport", report, label,
                      {"status": ["draft", "submitted"]})  # fmt: skip
            if fate == "bounced":
                back = submitted + dt.timedelta(days=1)
                audit(back, coordinator, region, "report.returned", "masterplan.progressreport", report, label,
                      {"status": ["submitted", "returned"]}, "Bukti dukung belum lengkap.")  # fmt: skip
                audit(back + dt.timedelta(days=1), operator, region, "report.submitted", "masterplan.progressreport",
                      report, label, {"status": ["returned", "submitted"]})  # fmt: skip
            if fate in ("approved", "bounced"):
                audit(decided, coordinator, region, "report.approved", "masterplan.progressreport", report, label,
                      {"status": ["submitted", "approved"]})  # fmt: skip
            elif returned:
                audit(decided, coordinator, region, "report.returned", "masterplan.progressreport", report, label,
                      {"status": ["submitted", "returned"]}, "Bukti dukung belum lengkap.")  # fmt: skip

    def _evaluations(
        self,
        rng: random.Random,
        region: int,
        by_acronym: dict[str, int],
        operators: dict[int, tuple[int, str]],
        coordinator: tuple[int, str],
        assessors: list[tuple[int, str]],
        libraries: dict[int, list[int]],
    ) -> None:
        """2025 Tahap I (answered, verified, locked, scored) and 2026 Tahap I carried from it (open now)."""
        at = dt.datetime(2025, 4, 20, 2, 0, tzinfo=dt.UTC)
        questionnaire = self.add(self.questionnaire, region, "Kuesioner Evaluasi Smart City", 1, None,
                                 coordinator[0], at)  # fmt: skip
        questions = []
        for kwargs in self.f.question_kwargs:
            pk = self.add(self.question, questionnaire, kwargs["code"], kwargs["dimension"].pk,
                          kwargs["element"].pk if kwargs["element"] else None, kwargs["lens"], kwargs["order"],
                          kwargs["text"], kwargs["help_text"], kwargs["kind"], kwargs["choices"],
                          kwargs["level_criteria"], kwargs["evidence_required"], kwargs["weight"])  # fmt: skip
            questions.append(pk)
        weights = (Decimal(10), Decimal(20), Decimal(30), Decimal(20), Decimal(20))
        locked = dt.datetime(2025, 6, 20, 3, 0, tzinfo=dt.UTC)
        first = self.add(self.cycle, region, 2025, "Tahap I", "B-1013/DJAI.01.02/04/2025", questionnaire,
                         dt.date(2025, 5, 1), dt.date(2025, 6, 15), dt.date(2025, 6, 1), dt.date(2025, 6, 12),
                         "Surabaya", *weights, None, locked, coordinator[0], at)  # fmt: skip
        second_at = dt.datetime(2026, 9, 20, 2, 0, tzinfo=dt.UTC)
        second = self.add(self.cycle, region, 2026, "Tahap I", "B-0877/DJAI.01.02/09/2026", questionnaire,
                          dt.date(2026, 10, 1), dt.date(2027, 1, 31), dt.date(2027, 1, 15), None, "", *weights,
                          first, None, None, second_at)  # fmt: skip
        audit = self.audit_row
        audit(at, coordinator, region, "cycle.created", "evaluations.evaluationcycle", first, "2025 Tahap I")
        audit(at, coordinator, region, "questionnaire.imported", "evaluations.questionnaire", questionnaire,
              "Kuesioner Evaluasi Smart City v1", {"questions": len(questions)})  # fmt: skip
        audit(locked, coordinator, region, "cycle.locked", "evaluations.evaluationcycle", first, "2025 Tahap I")
        audit(second_at, coordinator, region, "cycle.carried_forward", "evaluations.evaluationcycle", second,
              "2026 Tahap I")  # fmt: skip
        for cycle in (first, second):
            for assessor in assessors:
                self.add(self.cycle_assessor, cycle, assessor[0])
        verified = dt.datetime(2025, 6, 5, 2, 0, tzinfo=dt.UTC)
        for number, (spec, question) in enumerate(zip(self.f.questions, questions, strict=True)):
            agency = by_acronym[spec.agency]
            operator = operators[agency]
            library = libraries[agency]
            self.add(self.assignment, first, question, agency, dt.date(2025, 6, 1))
            self.add(self.assignment, second, question, agency, dt.date(2027, 1, 15))
            value = _answer_values(spec)
            submitted = dt.datetime(2025, 5, 20, 2, number, tzinfo=dt.UTC)
            answer = self.add(self.answer, first, question, agency, "verified", *value, spec.narrative, 3, "",
                              submitted, operator[0], verified, coordinator[0], None, verified)  # fmt: skip
            attached = [library[(number + k) % len(library)] for k in range(len(spec.evidence) or 1)]
            for evidence in dict.fromkeys(attached):
                self.add(self.answer_evidence, answer, evidence, False)
            label = f"{spec.code} · {spec.agency}"
            audit(submitted, operator, region, "answer.submitted", "evaluations.answer", answer, label)
            audit(verified, coordinator, region, "answer.verified", "evaluations.answer", answer, label)
            scorer = assessors[number % 2]
            self.add(self.score, first, question, spec.score, spec.score_note, scorer[0], locked, 3)
            # 2026: carried forward; some untouched, some updated, submitted, verified or returned.
            fate = rng.choices(("carried", "draft", "submitted", "verified", "returned"), (40, 15, 25, 15, 5))[0]
            status = "draft" if fate == "carried" else fate
            when = dt.datetime(2026, 10, 20, 2, number, tzinfo=dt.UTC)
            carried = self.add(self.answer, second, question, agency, status, *value, spec.narrative,
                               {"carried": 1, "draft": 2, "submitted": 3, "verified": 4, "returned": 4}[fate],
                               "Lengkapi bukti tahun 2026." if fate == "returned" else "",
                               when if fate in ("submitted", "verified", "returned") else None,
                               operator[0] if fate in ("submitted", "verified", "returned") else None,
                               when if fate == "verified" else None, coordinator[0] if fate == "verified" else None,
                               answer, when)  # fmt: skip
            for evidence in dict.fromkeys(attached):
                self.add(self.answer_evidence, carried, evidence, True)
            if fate in ("submitted", "verified", "returned"):
                audit(when, operator, region, "answer.submitted", "evaluations.answer", carried, label)
            if fate in ("verified", "returned"):
                audit(when, coordinator, region, f"answer.{fate}", "evaluations.answer", carried, label)
        for dimension in [None, *self.f.dimensions.values()]:
            self.add(self.note, first, dimension, "Komitmen pimpinan kuat.", "Forum rutin belum terjadwal.",
                     "Tetapkan jadwal forum smart city dan anggaran di luar APBD.", locked)  # fmt: skip
        for assessor in assessors:
            audit(locked, assessor, region, "score.saved", "evaluations.evaluationcycle", first, "2025 Tahap I",
                  {"scores": len(questions) // 2})  # fmt: skip


def _answer_values(spec: Any) -> tuple[Any, ...]:
    """(value_bool, value_choice, value_level, value_number, value_text) for the question's kind."""
    kind, value = spec.kind, spec.value
    return (
        value if kind == "yes_no" else None,
        value if kind == "choice" else "",
        value if kind == "level" else None,
        value if kind in ("number", "percentage") else None,
        value if kind == "text" else "",
    )


# --- Setup and the run -----------------------------------------------------------------------------------


def region_codes(count: int, taken: set[str]) -> Iterator[tuple[str, str, str]]:
    """(BPS code, province, kind) for `count` regions, round-robin over the provinces so a few mix them."""
    pools = []
    for prefix, province, regencies, cities in PROVINCES:
        pool = [(f"{prefix}{n:02d}", province, "kabupaten") for n in range(1, regencies + 1)]
        pool += [(f"{prefix}{70 + n:02d}", province, "kota") for n in range(1, cities + 1)]
        pools.append([entry for entry in pool if entry[0] not in taken])
    given = 0
    while given < count:
        progressed = False
        for pool in pools:
            if pool and given < count:
                yield pool.pop(0)
                given += 1
                progressed = True
        if not progressed:
            raise SystemExit(f"Only {given} BPS codes are available; ask for fewer regions.")


def framework(writer: Writer, generator_factory: Callable[[Framework], Generator]) -> tuple[Framework, Generator]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import translation

    from evaluations.services.cycles import _question_kwargs
    from evidence.models import StoredFile, stored_file_path
    from masterplan.models import Dimension, Element, period_label
    from smartcity.demo.people import AGENCIES
    from smartcity.demo.programmes import PROGRAMMES
    from smartcity.demo.questions import QUESTIONS

    dimensions = {d.code: d for d in Dimension.objects.all()}
    elements = {e.code: e for e in Element.objects.all()}
    if len(dimensions) != 6 or len(elements) != 18:
        raise SystemExit("The national framework is missing: run `manage.py migrate` first.")
    content_types = {
        f"{ct.app_label}.{ct.model}": ct.pk
        for ct in ContentType.objects.filter(app_label__in=["agencies", "evidence", "masterplan", "evaluations"])
    }
    # The same placeholders in every region; their files are written once if missing.
    placeholders = []
    for n in range(PLACEHOLDERS):
        content = placeholder_pdf(n)
        sha = hashlib.sha256(content).hexdigest()
        stored = StoredFile.objects.filter(sha256=sha).first()
        if stored is None:
            stored = StoredFile(sha256=sha, size=len(content), content_type="application/pdf", extension=".pdf")
            path = stored_file_path(stored, "x.pdf")
            if not default_storage.exists(path):
                default_storage.save(path, ContentFile(content))
            stored.file.name = path
            stored.save()
        placeholders.append(stored.pk)
    with translation.override("id"):
        labels = {(y, p): str(period_label("quarterly", y, p)) for y, p in PERIODS}
    f = Framework(
        dimensions={code: d.pk for code, d in dimensions.items()},
        elements=[(e.pk, e.code, e.dimension_id) for e in elements.values()],
        element_ids={code: e.pk for code, e in elements.items()},
        content_types=content_types,
        questions=list(QUESTIONS),
        question_kwargs=[_question_kwargs(q, dimensions, elements) for q in QUESTIONS],
        programmes=list(PROGRAMMES),
        agencies=[a for a in AGENCIES if a.is_active and not a.acronym.startswith(("KEC ", "KEL "))],
        placeholders=placeholders,
        password=make_password(BENCH_PASSWORD),
        report_labels=labels,
    )
    generator = generator_factory(f)
    joined = dt.datetime(2021, 10, 1, 2, 0, tzinfo=dt.UTC)
    for n in range(1, 51):
        f.assessors.append(
            generator.user_row(
                f"asesor.{n:02d}", "Asesor", f"Nasional {n:02d}", f"asesor{n:02d}@kominfo.example", joined
            )
        )
    return f, generator


def check_foreign_keys(connection: Any, models: Iterable[Any]) -> list[str]:
    """Every foreign key of the generated tables points at a row: one anti-join per key, as PostgreSQL's own
    VALIDATE CONSTRAINT does."""
    broken = []
    with connection.cursor() as cursor:
        for model in models:
            for fk in model._meta.concrete_fields:
                if not fk.many_to_one:
                    continue
                target = fk.target_field
                child, parent = model._meta.db_table, target.model._meta.db_table
                cursor.execute(
                    f'SELECT COUNT(*) FROM "{child}" c LEFT JOIN "{parent}" p ON p."{target.column}" = c."{fk.column}" '  # noqa: S608
                    f'WHERE c."{fk.column}" IS NOT NULL AND p."{target.column}" IS NULL'
                )
                missing = cursor.fetchone()[0]
                if missing:
                    broken.append(f"{model._meta.db_table}.{fk.column}: {missing} rows point at nothing")
    return broken


def check_sample(per_model: int) -> list[str]:
    """`full_clean()` on a seeded sample of each generated model's rows: the app's own rules, not ours."""
    from django.apps import apps
    from django.core.exceptions import ValidationError

    problems = []
    labels = [
        "agencies.Region", "agencies.Agency", "agencies.Membership", "masterplan.Masterplan", "masterplan.Programme",
        "masterplan.Indicator", "masterplan.IndicatorTarget", "evidence.Evidence", "masterplan.ProgressReport",
        "masterplan.ReportEvidence", "masterplan.IndicatorRealisation", "evaluations.Questionnaire",
        "evaluations.Question", "evaluations.EvaluationCycle", "evaluations.Assignment", "evaluations.Answer",
        "evaluations.AnswerEvidence", "evaluations.Score", "evaluations.AssessmentNote", "agencies.AuditEvent",
    ]  # fmt: skip
    rng = random.Random(SEED)
    for label in labels:
        model = apps.get_model(label)
        last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for pk in sorted({rng.randint(1, last) for _ in range(per_model)}):
            obj = model.objects.filter(pk__gte=pk).order_by("pk").first()
            if obj is None:
                continue
            try:
                obj.full_clean()
            except ValidationError as error:
                problems.append(f"{label} #{obj.pk}: {error.message_dict}")
    return problems


def reset_database() -> None:
    """Drop and recreate the configured database, then migrate it (a bench database only)."""
    import psycopg2
    from django.core.management import call_command
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if not name.startswith("smartcity_bench"):
        raise SystemExit(f"--reset drops the database: only smartcity_bench* names are allowed, not {name!r}.")
    params = connection.get_connection_params()
    params.pop("database", None)
    params["dbname"] = "postgres"
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    connection.close()
    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(PRESETS), default="region")
    parser.add_argument("--regions", type=int, help="number of regions (default: the preset's)")
    parser.add_argument("--reset", action="store_true", help="drop, recreate and migrate the database first")
    parser.add_argument("--check", type=int, default=30, help="rows per model checked with full_clean (0: none)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # DEBUG only lets settings load without a secret; queries aren't kept
    import django

    django.setup()
    from django.db import connection, reset_queries, transaction

    from agencies.models import Region

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database: the generator writes with COPY.")
    connection.force_debug_cursor = False
    if args.reset:
        reset_database()
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    if Region.objects.exists():
        raise SystemExit("The database already holds regions: pass --reset (it drops and recreates the database).")
    count, shape = PRESETS[args.scale]
    count = args.regions or count
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        # Foreign keys are checked once per table at the end (check_foreign_keys: one anti-join per key), not by
        # a trigger per row at commit, which took half the time. Needs a superuser, as the bench database's is.
        cursor.execute("SET session_replication_role = replica")
    writer = Writer(connection)
    _, generator = framework(writer, lambda f: Generator(writer, f))
    print(f"database   {connection.settings_dict['NAME']}: {count} regions ({args.scale} shapes), seed {SEED}")
    last_report = time.perf_counter()
    codes = list(region_codes(count, taken=set()))
    # Ten regions per transaction, so a failure loses at most ten and memory stays bounded.
    for batch in range(0, len(codes), 10):
        with transaction.atomic():
            for index in range(batch, min(batch + 10, len(codes))):
                code, province, kind = codes[index]
                region_shape = PROBE if index == 0 and args.scale != "demo" else shape
                generator.region_rows(index, code, province, kind, region_shape)
            writer.flush_all()
        reset_queries()
        if time.perf_counter() - last_report > 30 or index == len(codes) - 1:
            last_report = time.perf_counter()
            print(f"  {index + 1:>4}/{len(codes)} regions, {generator.report.rows:,} reports, "
                  f"{last_report - started:,.0f} s", flush=True)  # fmt: skip
    writer.flush_all()
    writer.reset_sequences()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
    written = time.perf_counter() - started
    checked = time.perf_counter()
    broken = check_foreign_keys(connection, [t.model for t in writer.tables.values()])
    print(f"foreign keys: {len(broken)} broken, checked in {time.perf_counter() - checked:.1f} s")
    if broken:
        raise SystemExit("\n".join(broken))
    analyse_started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE)"
        )  # autovacuum may be off (it is on the bench machine): set the visibility map too
    analysed = time.perf_counter() - analyse_started
    print(f"\n{'table':<40} {'rows':>12} {'COPY s':>8} {'rows/s':>10}")
    for table in sorted(writer.tables.values(), key=lambda t: -t.rows):
        rate = table.rows / table.seconds if table.seconds else 0
        print(f"{table.name:<40} {table.rows:>12,} {table.seconds:>8.1f} {rate:>10,.0f}")
    total = sum(t.rows for t in writer.tables.values())
    copy_seconds = sum(t.seconds for t in writer.tables.values())
    print(f"{'all tables':<40} {total:>12,} {copy_seconds:>8.1f} {total / copy_seconds:>10,.0f}")
    print(
        f"\nwritten in {written:,.1f} s ({total / written:,.0f} rows/s including Python), vacuumed in {analysed:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        print(f"database size {cursor.fetchone()[0]}")
    if args.check:
        checked = time.perf_counter()
        problems = check_sample(args.check)
        print(f"full_clean on up to {args.check} rows per model: {len(problems)} problems "
              f"({time.perf_counter() - checked:.1f} s)")  # fmt: skip
        for problem in problems[:20]:
            print(f"  {problem}")
    print(f"logins: every generated user's password is {BENCH_PASSWORD!r} (e.g. r{codes[0][0]}.dkisp, asesor.01)")


if __name__ == "__main__":
    main()
