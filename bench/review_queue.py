"""Time and queries of DKISP's review queue at 600 and at 6,000 progress reports: neither should grow with rows.

    DJANGO_DEBUG=1 .venv/bin/python bench/review_queue.py
    DATABASE_URL=postgres://user:pass@localhost:5432/smartcity DJANGO_DEBUG=1 .venv/bin/python bench/review_queue.py

Builds a throwaway test database (in-memory SQLite, or `test_<name>` on PostgreSQL, dropped at the end) with
Django's test-database utilities, fills one region with reports by bulk_create (a benchmark fixture: the
workflow services would take minutes and are not what is measured), then requests the queue and a few filtered
variants as a coordinator through the test Client. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the project root

PERIODS = [(year, period) for year in range(2021, 2026) for period in range(1, 5)]  # 2021–2025, quarterly
AGENCY_COUNT = 30
EVIDENCE_PER_AGENCY = 3
# Out of every 20 reports: 4 submitted, 2 returned, 2 drafts, 12 approved (20 % wait in the queue).
STATUS_CYCLE = ["submitted"] * 4 + ["returned"] * 2 + ["draft"] * 2 + ["approved"] * 12


@dataclass
class Fixture:
    """The region being filled, and how far: programmes are added as more reports are needed."""

    region: Any
    masterplan: Any
    agencies: list[Any]
    elements: list[Any]
    coordinator: Any
    evidence: dict[int, list[int]] = field(default_factory=dict)  # agency pk -> its evidence pks
    programmes: int = 0
    reports: int = 0


def build_fixture() -> Fixture:
    """A region with SKPDs, a coordinator, a 2021–2025 quarterly masterplan and a small evidence library each."""
    from django.contrib.auth import get_user_model

    from agencies.models import Agency, Role
    from agencies.services import agency_create, membership_grant, region_create
    from evidence.models import Evidence, StoredFile
    from masterplan.models import Element
    from masterplan.services import masterplan_create

    region = region_create(by=None, name="Kabupaten Bench", province="Kalimantan Selatan", bps_code="6399")
    agencies = [
        agency_create(by=None, region=region, name=f"Dinas Uji {n:02d}", acronym=f"DU{n:02d}", kind=Agency.Kind.DINAS)
        for n in range(1, AGENCY_COUNT + 1)
    ]
    coordinator = get_user_model().objects.create_user(username="bench.dkisp", email="bench@example.org")
    membership_grant(by=None, user=coordinator, region=region, role=Role.COORDINATOR, agency=agencies[0])
    masterplan = masterplan_create(
        by=None,
        region=region,
        data={"title": "Masterplan Bench 2021–2025", "start_year": 2021, "end_year": 2025, "period_type": "quarterly"},
    )
    fixture = Fixture(region, masterplan, agencies, list(Element.objects.order_by("pk")), coordinator)
    for index, agency in enumerate(agencies):
        blobs = StoredFile.objects.bulk_create(
            StoredFile(
                sha256=f"{index:032x}{n:032x}",
                file=f"evidence/bench/{index}-{n}.pdf",
                size=2048,
                content_type="application/pdf",
                extension=".pdf",
            )
            for n in range(EVIDENCE_PER_AGENCY)
        )
        evidence = Evidence.objects.bulk_create(
            Evidence(
                agency=agency,
                region_id=agency.region_id,
                title=f"Bukti {agency.acronym} {n}",
                kind="minutes",
                stored_file=blob,
                original_name=f"bukti-{n}.pdf",
            )
            for n, blob in enumerate(blobs)
        )
        fixture.evidence[agency.pk] = [e.pk for e in evidence]
    return fixture


def add_reports(fixture: Fixture, total: int) -> None:
    """Bring the region up to `total` reports: each new programme gets a lead and a supporting SKPD, 20 periods."""
    from masterplan.models import Programme, ProgressReport, ReportEvidence

    per_programme = 2 * len(PERIODS)
    first = fixture.programmes
    needed = -(-(total - fixture.reports) // per_programme)  # ceiling division
    count = len(fixture.agencies)
    programmes = Programme.objects.bulk_create(
        Programme(
            masterplan=fixture.masterplan,
            element=fixture.elements[n % len(fixture.elements)],
            code=f"B-{n + 1:04d}",
            name=f"Program uji kinerja {n + 1}",
            term=Programme.Term.MEDIUM,
            lead_agency=fixture.agencies[n % count],
            start_year=2021,
            end_year=2025,
            funding_sources=["apbd"],
            status=Programme.Status.RUNNING,
        )
        for n in range(first, first + needed)
    )
    fixture.programmes += needed
    supporters = {p.pk: fixture.agencies[(n + 7) % count].pk for n, p in enumerate(programmes, start=first)}
    support = Programme.supporting_agencies.through
    support.objects.bulk_create(support(programme_id=pk, agency_id=agency) for pk, agency in supporters.items())
    start = dt.datetime(2021, 4, 5, 8, 0, tzinfo=dt.UTC)
    reports = []
    for programme in programmes:
        for agency_id in (programme.lead_agency_id, supporters[programme.pk]):
            for year, period in PERIODS:
                number = fixture.reports + len(reports)
                if number >= total:
                    break
                status = STATUS_CYCLE[number % len(STATUS_CYCLE)]
                submitted = start + dt.timedelta(minutes=37 * number) if status != "draft" else None
                decided = submitted + dt.timedelta(days=3) if submitted and status != "submitted" else None
                reports.append(
                    ProgressReport(
                        programme=programme,
                        agency_id=agency_id,
                        year=year,
                        period=period,
                        period_type="quarterly",
                        status=status,
                        narrative="Kegiatan berjalan sesuai rencana aksi.",
                        submitted_at=submitted,
                        decided_at=decided,
                        decided_by=fixture.coordinator if decided else None,
                        return_reason="Bukti dukung belum lengkap." if status == "returned" else "",
                    )
                )
    created = ProgressReport.objects.bulk_create(reports, batch_size=1000)
    # 0 to 3 pieces of the agency's own evidence per report, so the queue's evidence count has work to do.
    ReportEvidence.objects.bulk_create(
        (
            ReportEvidence(report_id=report.pk, evidence_id=evidence_id)
            for i, report in enumerate(created)
            for evidence_id in fixture.evidence[report.agency_id][: i % (EVIDENCE_PER_AGENCY + 1)]
        ),
        batch_size=2000,
    )
    fixture.reports += len(created)


def variants(fixture: Fixture) -> list[tuple[str, dict[str, str]]]:
    """The queue as DKISP opens it, and the filters a coordinator uses."""
    agency = fixture.agencies[3]
    return [
        ("queue (submitted, default)", {}),
        ("all statuses", {"status": ""}),
        ("approved, year 2024", {"status": "approved", "year": "2024"}),
        (f"submitted, SKPD {agency.acronym}", {"status": "submitted", "agency": str(agency.pk)}),
        ("all, governance, period 2", {"status": "", "dimension": "governance", "period": "2"}),
        ("submitted, page 10", {"page": "10"}),
    ]


@dataclass(frozen=True)
class Figure:
    rows: int
    ms: float
    queries: int
    sql: list[tuple[float, str]]  # (ms, statement) of each query, from the database wrapper's own timing


def measure(client: Any, url: str, params: dict[str, str], repeat: int) -> Figure:
    """Best-of-`repeat` wall time of one GET, the rows it matched and the queries it ran."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, params)  # warm-up: template compilation and caches are not what is measured
    if response.status_code != 200:
        raise SystemExit(f"{url} {params} answered {response.status_code}")
    rows = response.context["page"].paginator.count
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url, params)
        best = min(best, time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    sql = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    return Figure(rows, best * 1000, len(sql), sql)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=600, help="reports in the first measurement")
    parser.add_argument("--large", type=int, default=6000, help="reports in the second measurement")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per URL (the best one counts)")
    parser.add_argument("--sql", action="store_true", help="also print each query's time at the larger size")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from django.urls import reverse

    # The test environment records template contexts (rows matched) and sends mail nowhere.
    setup_test_environment()
    real_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # Not the test suite's test_<name>: a bench running beside `make test` must not drop its database.
        connection.settings_dict["TEST"]["NAME"] = f"test_{real_name}_bench"
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(f"database   {connection.vendor} (throwaway: {test_name})")
        started = time.perf_counter()
        fixture = build_fixture()
        add_reports(fixture, args.small)
        client = Client()
        client.force_login(fixture.coordinator)
        url = reverse("masterplan:review_queue")
        small = {label: measure(client, url, params, args.repeat) for label, params in variants(fixture)}
        add_reports(fixture, args.large)
        print(
            f"fixture    {fixture.reports} reports in {fixture.programmes} programmes, {len(fixture.agencies)} "
            f"SKPDs (built in {time.perf_counter() - started:.1f} s)"
        )
        large = {label: measure(client, url, params, args.repeat) for label, params in variants(fixture)}
        print(f"timing     best of {args.repeat} requests through the test Client (full middleware and template)\n")
        print_table(url, args.small, small, args.large, large)
        if args.sql:
            print_sql(large)
    finally:
        connection.creation.destroy_test_db(real_name, verbosity=0)
        teardown_test_environment()


def print_table(url: str, n_small: int, small: dict[str, Figure], n_large: int, large: dict[str, Figure]) -> None:
    head = (
        f"{'GET ' + url:<34} {'rows':>6} {'ms':>7} {'q':>3}   {'rows':>6} {'ms':>7} {'q':>3}   "
        f"{'rows x':>6} {'time x':>6} {'q x':>5}"
    )
    print(f"{'':<34} {'at ' + str(n_small) + ' reports':>18}   {'at ' + str(n_large) + ' reports':>18}   ratios")
    print(head)
    print("-" * len(head))
    for label, a in small.items():
        b = large[label]
        rows_ratio = f"{b.rows / a.rows:.1f}" if a.rows else "-"
        print(
            f"{label:<34} {a.rows:>6} {a.ms:>7.1f} {a.queries:>3}   {b.rows:>6} {b.ms:>7.1f} {b.queries:>3}   "
            f"{rows_ratio:>6} {b.ms / a.ms:>6.2f} {b.queries / a.queries:>5.2f}"
        )


def print_sql(figures: dict[str, Figure]) -> None:
    for label, figure in figures.items():
        print(f"\n{label}:")
        for ms, statement in figure.sql:
            print(f"  {ms:7.1f} ms  {statement[:150]}")


if __name__ == "__main__":
    main()
