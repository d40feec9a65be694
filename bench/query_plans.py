"""EXPLAIN (ANALYZE) of the heaviest queries of the main pages at region scale, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/smartcity DJANGO_DEBUG=1 .venv/bin/python bench/query_plans.py
    ... bench/query_plans.py --keep          # keep the database (<name>_plans) and reuse it next time
    ... bench/query_plans.py --top 3         # plans of the three slowest queries of each page

Fills one region as bench/review_queue.py does (30 SKPDs, 6,000 reports), adds a larger evidence library and an
evaluation cycle with answers, evidence links and scores, requests each page as the coordinator through the test
Client, then runs EXPLAIN (ANALYZE, BUFFERS) on the slowest queries each page sent. Prints plans; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the project root
sys.path.insert(0, str(Path(__file__).resolve().parent))

EXTRA_EVIDENCE_PER_AGENCY = 150  # 30 SKPDs → 4,500 entries
QUESTIONS = 1500


def build(reports: int) -> dict[str, Any]:
    """The region, its reports and library, and an evaluation cycle with answers and scores."""
    from review_queue import add_reports, build_fixture

    from evaluations.models import Answer, AnswerEvidence, Score
    from evaluations.services.cycles import assign_questions, cycle_create, questionnaire_import
    from evidence.models import Evidence, StoredFile
    from tests.conftest import CYCLE_2023, question_row

    fixture = build_fixture()
    add_reports(fixture, reports)
    for index, agency in enumerate(fixture.agencies):
        blobs = StoredFile.objects.bulk_create(
            StoredFile(
                sha256=f"{index + 100:032x}{n:032x}",
                file=f"evidence/bench/x{index}-{n}.pdf",
                size=4096,
                content_type="application/pdf",
                extension=".pdf",
            )
            for n in range(EXTRA_EVIDENCE_PER_AGENCY)
        )
        created = Evidence.objects.bulk_create(
            Evidence(
                agency=agency,
                region_id=agency.region_id,
                title=f"Dokumen {agency.acronym} {n}",
                kind=Evidence.Kind.values[n % len(Evidence.Kind.values)],
                stored_file=blob,
                original_name=f"dokumen-{n}.pdf",
                valid_until=dt.date(2022 + n % 4, 12, 31),
                document_date=dt.date(2020 + n % 4, 6, 1),
            )
            for n, blob in enumerate(blobs)
        )
        fixture.evidence[agency.pk] += [e.pk for e in created]
    cycle = cycle_create(region=fixture.region, by=fixture.coordinator, data=CYCLE_2023)
    dims = ["governance", "branding", "economy", "living", "society", "environment"]
    lenses = ["baseline", "output", "outcome", "impact", "quick_win"]
    kinds = ["text", "level", "yes_no"]
    rows = [
        question_row(f"Q-{i:04d}", dims[i % 6], lenses[i % 5], kinds[i % 3], evidence_required=bool(i % 2))
        for i in range(QUESTIONS)
    ]
    questionnaire = questionnaire_import(cycle=cycle, by=fixture.coordinator, rows=rows)
    questions = list(questionnaire.questions.order_by("pk"))
    count = len(fixture.agencies)
    for n, agency in enumerate(fixture.agencies):
        assign_questions(cycle=cycle, by=fixture.coordinator, questions=questions[n::count], agency=agency)
    answers = list(Answer.objects.filter(cycle=cycle).select_related("question"))
    for n, answer in enumerate(answers):  # two thirds answered, half of those verified
        if n % 3:
            answer.value_text, answer.value_level, answer.value_bool = "Sudah berjalan.", 3, True
            answer.status = Answer.Status.VERIFIED if n % 2 else Answer.Status.SUBMITTED
    Answer.objects.bulk_update(answers, ["value_text", "value_level", "value_bool", "status"], batch_size=1000)
    AnswerEvidence.objects.bulk_create(
        (
            AnswerEvidence(answer=answer, evidence_id=fixture.evidence[answer.agency_id][n % 20])
            for n, answer in enumerate(answers)
            if n % 4
        ),
        batch_size=2000,
    )
    Score.objects.bulk_create(
        Score(cycle=cycle, question=q, value=Decimal(n % 5) + Decimal("0.5"), scored_by=fixture.coordinator)
        for n, q in enumerate(questions)
    )
    return {"coordinator": fixture.coordinator, "cycle": cycle, "region": fixture.region}


def pages(cycle_pk: int) -> list[tuple[str, str]]:
    from django.urls import reverse

    return [
        ("dashboard", reverse("evaluations:dashboard")),
        ("review queue", reverse("masterplan:review_queue")),
        ("review queue, all statuses", reverse("masterplan:review_queue") + "?status="),
        ("evidence library", reverse("evidence:library")),
        ("evidence library, kind=sk", reverse("evidence:library") + "?kind=sk"),
        ("readiness", reverse("evaluations:readiness", args=[cycle_pk])),
        ("results", reverse("evaluations:results", args=[cycle_pk])),
    ]


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=6000)
    parser.add_argument("--top", type=int, default=2, help="plans of the N slowest queries of each page")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the filled database")
    parser.add_argument("--only", default="", help="only pages whose label contains this")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "smartcity.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment, teardown_test_environment

    from evaluations.models import EvaluationCycle

    if connection.vendor != "postgresql":
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database: the plans are PostgreSQL's.")
    setup_test_environment()
    real_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"{real_name}_plans"  # never the suite's test_<name>
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=args.keep)
    try:
        started = time.perf_counter()
        cycle = EvaluationCycle.objects.filter(region__name="Kabupaten Bench").first()
        if cycle is None:
            built = build(args.reports)
            cycle, coordinator = built["cycle"], built["coordinator"]
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        else:
            from django.contrib.auth import get_user_model

            coordinator = get_user_model().objects.get(username="bench.dkisp")
        print(f"database {test_name}, ready in {time.perf_counter() - started:.1f} s\n")
        client = Client()
        client.force_login(coordinator)
        for label, url in pages(cycle.pk):
            if args.only and args.only not in label:
                continue
            client.get(url)  # warm-up
            with CaptureQueriesContext(connection) as captured:
                begun = time.perf_counter()
                status = client.get(url).status_code
                ms = (time.perf_counter() - begun) * 1000
            queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
            print(f"=== {label}: GET {url} -> {status}, {ms:.0f} ms, {len(queries)} queries")
            for query in queries[: args.top]:
                print(f"--- {float(query['time']) * 1000:.1f} ms: {query['sql'][:300]}")
                print(explain(query["sql"]))
            print()
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(real_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
