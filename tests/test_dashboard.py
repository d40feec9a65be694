"""The coordinator's dashboard: every figure against counts made here from the data, a fixed number of queries,
hostile filters, who may see it, and the Excel export of each table."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Answer, EvaluationCycle, Lens, Question
from evaluations.scoring import rounded
from evaluations.selectors.dashboard import cycle_readiness, indices_history
from evaluations.selectors.results import cycle_indices, headline
from evaluations.services.answers import answer_submit, answer_update, answer_verify
from evaluations.services.assessment import official_result_save, scores_save
from evaluations.services.cycles import cycle_carry_forward, cycle_create, cycle_lock, questionnaire_import
from masterplan.models import Dimension, Element, Programme, ProgressReport
from masterplan.selectors.dashboard import STATES, programme_progress, report_dashboard
from masterplan.selectors.monev import monev
from masterplan.selectors.reports import due_date
from masterplan.services import indicator_create
from masterplan.services.reports import report_approve, report_return, report_submit, report_update
from tests.conftest import (
    CYCLE_2023,
    Evaluation,
    client_for,
    make_evidence,
    make_programme,
    make_report,
    question_row,
)

YEAR, PERIOD = 2025, 1
ELEMENTS = ("public-service", "health", "learning", "tourism-branding", "industry", "waste")
URL = "/dasbor/"


def grow(ev: Evaluation, n: int) -> None:
    """`n` more programmes per SKPD, in every dimension and term, with reports in every state and budgets."""
    w = ev.world
    operators = {w.agency_a.pk: w.operator_a, w.agency_b.pk: w.operator_b}
    terms = list(Programme.Term.values)
    statuses = [Programme.Status.RUNNING, Programme.Status.PLANNED, Programme.Status.DONE]
    for agency in (w.agency_a, w.agency_b):
        for i in range(n):
            programme = make_programme(
                w.masterplan,
                agency,
                f"{agency.acronym}-{n}-{i}",
                element=ELEMENTS[i % len(ELEMENTS)],
                term=terms[i % 3],
                status=statuses[i % 3],
                is_quick_win=i % 4 == 0,
                start_year=2022 if i % 5 == 0 else 2024,
                end_year=2024 if i % 5 == 0 else 2025,  # one in five ended before 2025: not running then
            )
            indicator_create(
                by=None,
                programme=programme,
                data={"name": "Capaian", "unit": "%", "baseline": 0, "baseline_year": 2024},
                targets={programme.end_year: 5 + i},
            )
            if programme.end_year < YEAR or i % 6 == 5:
                continue  # never started
            report = make_report(programme, agency, operators[agency.pk], year=YEAR, period=PERIOD)
            report = report_update(
                report=report,
                by=operators[agency.pk],
                expected_version=report.version,
                data={"budget_plan": Decimal(1000 * (i + 1)), "budget_realisation": Decimal(300 * (i + 1))},
            )
            step = i % 6
            if step >= 1:
                report = report_submit(report=report, by=operators[agency.pk])
            if step == 2:
                report_approve(report=report, by=w.coordinator)
            if step == 3:
                report_return(report=report, by=w.coordinator, reason="Lengkapi bukti realisasi anggaran.")


def _running(w: object) -> list[Programme]:
    return [
        p
        for p in Programme.objects.filter(masterplan=w.masterplan).select_related("element__dimension")  # type: ignore[attr-defined]
        if p.start_year <= YEAR <= p.end_year
    ]


def expected_reports(w: object) -> dict[str, dict[str, int]]:
    """Per SKPD acronym: the dashboard's report counts, made the long way."""
    programmes = _running(w)
    reports = list(
        ProgressReport.objects.filter(programme__in=programmes, year=YEAR, period=PERIOD).select_related(
            "agency", "programme"
        )
    )
    past_due = timezone.localdate() > due_date(w.masterplan.period_type, YEAR, PERIOD)  # type: ignore[attr-defined]
    rows: dict[str, Counter] = {}
    for p in programmes:
        row = rows.setdefault(p.lead_agency.acronym, Counter())
        row["expected"] += 1
        lead = [r for r in reports if r.programme_id == p.pk and r.agency_id == p.lead_agency_id]
        row["not_started"] += not lead
        row["overdue"] += past_due and not any(r.status in ("submitted", "approved") for r in lead)
    for r in reports:
        rows.setdefault(r.agency.acronym, Counter())[r.status] += 1
    return {k: {s: v[s] for s in ("expected", *STATES)} for k, v in rows.items()}


@pytest.fixture
def dashboard_world(evaluation: Evaluation) -> Evaluation:
    grow(evaluation, 7)
    return evaluation


def test_report_counts_per_skpd_and_dimension_match_the_data(dashboard_world: Evaluation) -> None:
    w = dashboard_world.world
    data = report_dashboard(region=w.region, year=YEAR, period=PERIOD, today=timezone.localdate())
    got = {row.label: {"expected": row.expected, **dict(row.cells)} for row in data.by_agency}
    assert got == expected_reports(w)
    assert got["DINKES"]["approved"] and got["DINKES"]["returned"] and got["DINKES"]["overdue"]
    # Per dimension: the same figures grouped by the programme's dimension.
    programmes = _running(w)
    reports = ProgressReport.objects.filter(programme__in=programmes, year=YEAR, period=PERIOD)
    for row in data.by_dimension:
        mine = [p for p in programmes if p.element.dimension.code == row.key]
        assert row.expected == len(mine)
        assert row.approved == reports.filter(programme__in=mine, status="approved").count()
        assert row.draft == reports.filter(programme__in=mine, status="draft").count()
    # The SKPDs most behind: those with overdue reports, most overdue first.
    behind = [row.label for row in data.most_behind]
    overdue = {k: v["overdue"] for k, v in expected_reports(w).items() if v["overdue"]}
    assert set(behind) == set(overdue)
    assert [overdue[k] for k in behind] == sorted(overdue.values(), reverse=True)


def test_filters_narrow_the_counts_to_a_dimension_and_an_skpd(dashboard_world: Evaluation) -> None:
    w = dashboard_world.world
    living = Dimension.objects.get(code="living")
    data = report_dashboard(
        region=w.region, year=YEAR, period=PERIOD, today=timezone.localdate(), dimension=living, agency=w.agency_a
    )
    mine = [p for p in _running(w) if p.element.dimension_id == living.pk and p.lead_agency_id == w.agency_a.pk]
    assert [row.key for row in data.by_dimension] == ["living"]
    assert data.by_dimension[0].expected == len(mine)
    assert [row.label for row in data.by_agency] == ["DINKES"]


def test_realisation_budget_and_quick_wins_match_the_data(dashboard_world: Evaluation) -> None:
    w = dashboard_world.world
    data = report_dashboard(region=w.region, year=YEAR, period=PERIOD, today=timezone.localdate())
    programmes = _running(w)
    progress = monev(region=w.region, year=YEAR, period=PERIOD)
    for row in data.realisation_by_dimension:
        mine = [p for p in programmes if p.element.dimension.code == row.key]
        assert row.planned == len(mine)
        assert row.underway == sum(p.status in ("running", "done") for p in mine)
        expected = next(d.mean_progress for d in progress.dimensions if d.code == row.key)
        assert row.mean_progress == expected
    for row in data.realisation_by_term:
        mine = [p for p in programmes if p.term == row.key]
        assert (row.planned, row.underway) == (len(mine), sum(p.status in ("running", "done") for p in mine))
    reports = ProgressReport.objects.filter(programme__in=programmes, year=YEAR, period=PERIOD)
    for row in data.budget_by_dimension:
        mine = [r for r in reports if r.programme.element.dimension.code == row.key]
        assert row.plan == sum((r.budget_plan or 0 for r in mine), Decimal(0))
        assert row.realisation == sum((r.budget_realisation or 0 for r in mine), Decimal(0))
    assert any(row.share for row in data.budget_by_dimension)
    wins = [p for p in programmes if p.is_quick_win]
    assert sorted(q.code for q in data.quick_wins) == sorted(p.code for p in wins)
    assert data.quick_win_status == dict(Counter(p.status for p in wins))


def _prepare_evaluation(ev: Evaluation) -> EvaluationCycle:
    """Answers in every state in 2023, scored and with an official result; 2024 carried from it (untouched)."""
    w = ev.world
    evidence = make_evidence(w.agency_a, w.operator_a, name="Perbup.pdf", document_date=dt.date(2023, 2, 1))
    yes = answer_update(
        answer=ev.yes_no, by=w.operator_a, expected_version=1, data={"value_bool": True}, evidence=[evidence]
    )
    answer_verify(answer=answer_submit(answer=yes, by=w.operator_a), by=w.coordinator)
    answer_update(answer=ev.level, by=w.operator_a, expected_version=1, data={"value_level": 3})
    cycle = cycle_lock(cycle=ev.cycle, by=w.coordinator, reason="Dikunci lebih awal untuk pengujian.")
    questions = {q.code: q for q in Question.objects.filter(questionnaire=cycle.questionnaire)}
    scores_save(
        cycle=cycle,
        by=w.assessor,
        scores={questions["SG-B-01"]: (Decimal("4.00"), ""), questions["SG-O-01"]: (Decimal("3.00"), "")},
    )
    later = cycle_carry_forward(previous=cycle, by=w.coordinator, data={**CYCLE_2023, "year": 2024, "stage": "Tahap I"})
    return later


def test_readiness_per_dimension_and_skpd_match_the_answers(dashboard_world: Evaluation) -> None:
    ev = dashboard_world
    _prepare_evaluation(ev)
    today = dt.date(2023, 5, 15)
    for cycle in EvaluationCycle.objects.filter(region=ev.world.region):
        data = cycle_readiness(cycle=cycle, today=today)
        answers = list(Answer.objects.filter(cycle=cycle).select_related("question__dimension", "agency"))
        reference = cycle.meeting_date or today
        for row in data.by_agency:
            mine = [a for a in answers if str(a.agency_id) == row.key]
            assert row.questions == len(mine)
            assert row.answered == sum(a.has_value and not a.is_carried_untouched for a in mine)
            assert row.carried_untouched == sum(a.is_carried_untouched for a in mine)
            assert row.verified == sum(a.status == "verified" for a in mine)
            assert row.with_valid_evidence == sum(
                any(
                    (e.valid_until is None or e.valid_until >= reference)
                    and (e.document_date is None or e.document_date >= dt.date(cycle.year, 1, 1))
                    for e in a.evidence.all()
                )
                for a in mine
            )
        for row in data.by_dimension:
            mine = [a for a in answers if a.question.dimension.code == row.key]
            assert row.questions == len(mine)
            assert row.verified == sum(a.status == "verified" for a in mine)
    readiness_2023 = cycle_readiness(cycle=ev.cycle, today=today)
    assert {r.label: (r.answered, r.verified, r.with_valid_evidence) for r in readiness_2023.by_agency} == {
        "DINKES": (2, 1, 1),
        "DISDIK": (0, 0, 0),
    }
    carried = cycle_readiness(cycle=EvaluationCycle.objects.get(year=2024), today=today)
    assert sum(r.carried_untouched for r in carried.by_agency) == 3  # every answer of last year, untouched since


def test_the_indices_of_every_cycle_are_those_of_the_results_page(dashboard_world: Evaluation) -> None:
    ev = dashboard_world
    later = _prepare_evaluation(ev)
    history = indices_history(region=ev.world.region)
    assert [e.label for e in history] == ["2023", "2024"]
    for entry in history:
        page = headline(EvaluationCycle.objects.get(pk=entry.cycle.pk))
        assert (entry.final, entry.by_lens, entry.by_dimension) == (
            page["final"],
            page["by_lens"],
            page["by_dimension"],
        )
    official_result_save(
        cycle=ev.cycle,
        by=ev.world.coordinator,
        data={"final_index": Decimal("3.31"), "lens_indices": {"baseline": "3.60"}, "dimension_indices": {}},
    )
    entry = indices_history(region=ev.world.region, up_to=later)[0]
    assert (entry.source, entry.final, entry.by_lens["baseline"]) == ("official", Decimal("3.31"), Decimal("3.60"))


def test_the_page_shows_the_numbers_with_links_to_the_lists_behind_them(dashboard_world: Evaluation) -> None:
    ev = dashboard_world
    w = ev.world
    _prepare_evaluation(ev)
    response = client_for(w.coordinator).get(URL, {"year": YEAR, "period": PERIOD, "cycle": ev.cycle.pk})
    assert response.status_code == 200
    html = response.content.decode()
    tables = response.context["tables"]
    expected = expected_reports(w)
    dinkes = next(row for row in tables["laporan_skpd"].rows if row[0].text == "DINKES")
    assert [c.value for c in dinkes[1:]] == [expected["DINKES"][k] for k in ("expected", *STATES)]
    approved = dinkes[1 + 1 + STATES.index("approved")]
    assert approved.url == (
        reverse("masterplan:review_queue") + f"?status=approved&year={YEAR}&period={PERIOD}&agency={w.agency_a.pk}"
    )
    assert f'href="{approved.url.replace("&", "&amp;")}"' in html
    assert dinkes[0].url == reverse("masterplan:agency", args=[w.agency_a.pk])
    verified = tables["kesiapan_dimensi"].rows[0][-1]
    assert verified.url.startswith(reverse("evaluations:answers_review", args=[ev.cycle.pk]) + "?status=verified")
    assert verified.value == 1
    # The charts are there, each with its table of figures, and the heat table of the assessed cycle.
    charts = response.context["charts"]
    assert {"reports", "realisation", "readiness", "dimension_trend", "final_trend", "heat"} <= set(charts)
    assert html.count('role="img"') >= 5 and "heat-table" in html
    # A late SKPD can be chased from its row.
    assert f"{reverse('masterplan:chase')}?agency={w.agency_a.pk}" in html


def test_a_fixed_number_of_queries_whatever_the_size(evaluation: Evaluation, django_assert_max_num_queries) -> None:
    client = client_for(evaluation.world.coordinator)
    query = {"year": YEAR, "period": PERIOD}
    client.get(URL, query)  # sessions and caches warm
    grow(evaluation, 2)
    # 16: session, user, memberships; the filters (masterplan, cycles, dimensions, SKPDs, whose acronyms label the
    # report rows too); the reports (programmes, report counts, realisations, quick wins); readiness (counts,
    # unassigned); the indices (three).
    with django_assert_max_num_queries(16) as small:
        assert client.get(URL, query).status_code == 200
    grow(evaluation, 12)
    _prepare_evaluation(evaluation)
    with django_assert_max_num_queries(16) as large:
        assert client.get(URL, query).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    with django_assert_max_num_queries(len(large.captured_queries)):
        assert client.get(reverse("evaluations:dashboard_export", args=["laporan-skpd"]), query).status_code == 200


BAD_VALUES = ("abc", str(2**64 + 1), "-1", "²", "١٢٣", "2025.5", "<script>")


@pytest.mark.parametrize("field", ["year", "period", "cycle", "dimension", "agency"])
def test_bad_filter_values_get_a_message_next_to_the_field(evaluation: Evaluation, field: str) -> None:
    client = client_for(evaluation.world.coordinator)
    for value in BAD_VALUES:
        response = client.get(URL, {field: value})
        assert response.status_code == 200, value
        assert f'data-error="{field}"' in response.content.decode(), value
        assert response.context["form"][field].value() == value  # what was typed is kept
    response = client.get(URL, {field: "a\x00b"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    for table in ("laporan-skpd", "indeks"):
        response = client.get(reverse("evaluations:dashboard_export", args=[table]), {field: BAD_VALUES[1]})
        assert response.status_code == 200


@pytest.mark.parametrize("persona", ["operator_a", "operator_b", "assessor"])
def test_only_coordinators_see_the_dashboard(evaluation: Evaluation, persona: str) -> None:
    client = client_for(getattr(evaluation.world, persona))
    for value in ("", "abc", str(2**64)):
        assert client.get(URL, {"year": value}).status_code == 403
        assert client.get(reverse("evaluations:dashboard_export", args=["indeks"]), {"year": value}).status_code == 403


def test_another_regions_coordinator_sees_only_their_own_region(dashboard_world: Evaluation) -> None:
    w = dashboard_world.world
    response = client_for(w.outsider).get(URL, {"year": YEAR, "period": PERIOD, "cycle": dashboard_world.cycle.pk})
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]  # the site's name (settings) is in the header
    assert "DINKES" not in main and "DISDIK" not in main and "Kabupaten Banjar" not in main
    assert "Kota Banjarbaru" in main
    assert response.context["selection"].cycle is None  # Banjar's cycle is no choice there
    assert 'data-error="cycle"' in html
    labels = [row[0].text for row in response.context["tables"]["laporan_skpd"].rows]
    assert labels == ["DISKOMINFO"]


def test_the_coordinator_lands_on_the_dashboard(evaluation: Evaluation) -> None:
    assert client_for(evaluation.world.coordinator).get("/").url == reverse("evaluations:dashboard")


def test_each_table_exports_to_excel_and_a_formula_stays_text(dashboard_world: Evaluation) -> None:
    w = dashboard_world.world
    hostile = make_programme(
        w.masterplan, w.agency_a, "QW-99", name='=HYPERLINK("http://evil.example","klik")', is_quick_win=True
    )
    client = client_for(w.coordinator)
    query = {"year": YEAR, "period": PERIOD}
    slugs = [t.slug for t in client.get(URL, query).context["tables"].values()]
    assert len(slugs) == 10
    for slug in slugs:
        response = client.get(reverse("evaluations:dashboard_export", args=[slug]), query)
        assert response.status_code == 200, slug
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    response = client.get(reverse("evaluations:dashboard_export", args=["quick-win"]), query)
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == hostile.name)
    assert cell.data_type == "s"  # text, never a live formula
    skpd = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("evaluations:dashboard_export", args=["laporan-skpd"]), query).getvalue())
    ).active
    rows = {row[0]: row[1:] for row in skpd.iter_rows(min_row=2, values_only=True)}
    # The workbook speaks the UI's language (Indonesian unless chosen otherwise), whatever the browser asks for.
    header = next(skpd.iter_rows(max_row=1, values_only=True))
    assert header[:3] == ("SKPD", "Program yang diampu", "Belum dimulai")
    english = client.get(
        reverse("evaluations:dashboard_export", args=["laporan-skpd"]), query, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )
    assert next(openpyxl.load_workbook(io.BytesIO(english.getvalue())).active.iter_rows(max_row=1, values_only=True))[
        1
    ] == ("Program yang diampu")
    assert rows["DINKES"][0] == expected_reports(w)["DINKES"]["expected"]
    assert client.get(reverse("evaluations:dashboard_export", args=["nope"])).status_code == 404


def test_the_table_rows_escape_what_they_show(dashboard_world: Evaluation) -> None:
    """The rows are written by Table.body rather than the template, so they escape names themselves."""
    w = dashboard_world.world
    make_programme(w.masterplan, w.agency_a, "QW-98", name="<script>alert('x')</script> & \"co\"", is_quick_win=True)
    html = client_for(w.coordinator).get(URL, {"year": YEAR, "period": PERIOD}).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;co&quot;" in html
    assert "<script>alert(" not in html
    # The links' parameters are escaped too.
    assert f"?status=draft&amp;year={YEAR}&amp;period={PERIOD}&amp;agency={w.agency_a.pk}" in html


def test_the_submission_pdf_of_an_assessed_cycle_draws_the_heat_table_and_the_years(evaluation: Evaluation) -> None:
    from django.template.loader import render_to_string

    from evaluations.packages.charts import summary_charts
    from evaluations.selectors.package import collect

    _prepare_evaluation(evaluation)
    cycle = EvaluationCycle.objects.get(pk=evaluation.cycle.pk)
    data = collect(cycle, today=dt.date(2023, 6, 1), now=timezone.now())
    charts = summary_charts(data)
    assert {"heat", "history"} <= set(charts)
    heat = str(charts["heat"]["table"])
    assert "heat-table" in heat and "Smart Governance" in heat
    # Governance's baseline question scored 4.00: its cell says so, shaded for a 4 out of 5.
    assert "<td class='num heat-4'>4,00</td>" in heat or "<td class='num heat-4'>4.00</td>" in heat
    assert "2023" in str(charts["history"]["svg"])
    # ...and the submission template puts both in the summary.
    from evaluations.models import Package
    from evaluations.packages.build import submission_context

    package = Package(cycle=cycle, region=cycle.region)
    html = render_to_string("packages/submission.html", submission_context(package, data, logo=None))
    summary = html[html.index('id="summary"') : html.index('id="progress"')]
    assert 'id="chart-heat"' in summary and 'id="chart-history"' in summary and "heat-4" in summary
    unassessed = collect(EvaluationCycle.objects.get(year=2024), today=dt.date(2024, 6, 1), now=timezone.now())
    assert "heat" not in summary_charts(unassessed)


def test_the_filters_show_the_year_and_period_the_figures_are_for(evaluation: Evaluation) -> None:
    # Unfiltered, and filtered on another field only: the year and period shown are the defaults used, not
    # the first entries of the lists.
    client = client_for(evaluation.world.coordinator)
    for query in ({}, {"dimension": "governance"}, {"year": "abc"}):
        response = client.get(URL, query)
        selection = response.context["selection"]
        form = response.context["form"]
        if "year" not in query:
            assert str(form["year"].value()) == str(selection.year)
            assert f'<option value="{selection.year}" selected>' in str(form["year"])
        assert str(form["period"].value()) == str(selection.period)
        assert f'<option value="{selection.period}" selected>' in str(form["period"])


# --- The figures computed in SQL equal the Python reference (monev, compute_indices) ---------------------------

SQL_PERIOD = 2


def _indicator(programme: Programme, name: str, target: Decimal | None, baseline: Decimal | None = None) -> int:
    data = {"name": name, "unit": "unit", "baseline": baseline, "baseline_year": 2024 if baseline is not None else None}
    targets = {YEAR: target} if target is not None else {2024: Decimal(1)}  # no target in 2025
    return indicator_create(by=None, programme=programme, data=data, targets=targets).pk


def _report(programme: Programme, agency: object, period: int, values: dict[int, str]) -> None:
    report = make_report(programme, agency, None, year=YEAR, period=period, complete=False)  # type: ignore[arg-type]
    realisations = {pk: (Decimal(value), "") for pk, value in values.items()}
    report_update(report=report, by=None, expected_version=report.version, data={}, realisations=realisations)


def varied_progress(ev: Evaluation) -> dict[str, dict[str, int]]:
    """Programmes whose progress takes every path of monev(): several reports per SKPD and period, the lead's
    figure before the supporting SKPDs', a falling indicator, a zero target, no target, no realisation, an
    overshoot, reports after the period, a rounding tie and a programme without indicators."""
    w = ev.world
    # Lead DISDIK, supported by DINKES and DKISP: DINKES sorts before the lead by acronym.
    shared = make_programme(w.masterplan, w.agency_b, "SQL-1", supporting=(w.agency_a, w.dkisp), term="short")
    p1 = {
        "up": _indicator(shared, "Naik", Decimal(8), Decimal(0)),
        "falls": _indicator(shared, "Turun", Decimal(10), Decimal(20)),
        "zero": _indicator(shared, "Nol", Decimal(0)),
        "none": _indicator(shared, "Kosong", Decimal(10)),
        "over": _indicator(shared, "Lebih", Decimal(3), Decimal(0)),
        "no_target": _indicator(shared, "Tanpa target", None),
        "third": _indicator(shared, "Sepertiga", Decimal(3)),
        "tie": _indicator(shared, "Seri", Decimal(800)),
    }
    _report(shared, w.agency_b, 1, {p1["up"]: "3", p1["falls"]: "12", p1["tie"]: "2"})
    _report(shared, w.agency_b, 2, {p1["up"]: "5", p1["zero"]: "5", p1["over"]: "10", p1["no_target"]: "4"})
    _report(shared, w.agency_b, 3, {p1["up"]: "8", p1["falls"]: "10", p1["third"]: "3"})  # after the period
    _report(shared, w.agency_a, 1, {p1["up"]: "7", p1["falls"]: "17", p1["third"]: "1", p1["tie"]: "1"})
    _report(shared, w.dkisp, 1, {p1["none"]: "9"})  # DKISP's older report: its period 2 one is its latest
    _report(shared, w.dkisp, 2, {p1["up"]: "6", p1["falls"]: "14", p1["third"]: "2"})
    # Lead DINKES in another dimension and term: figures that do not divide evenly, one falling below baseline.
    medium = make_programme(w.masterplan, w.agency_a, "SQL-2", element="industry", term="medium")
    p2 = [
        _indicator(medium, "A", Decimal(7)),
        _indicator(medium, "B", Decimal(9)),
        _indicator(medium, "C", Decimal("2.5"), Decimal("10.5")),
    ]
    _report(medium, w.agency_a, 2, {p2[0]: "2", p2[1]: "1", p2[2]: "11.75"})
    make_programme(w.masterplan, w.agency_a, "SQL-3", element="industry", term="long")  # no indicators
    later = make_programme(w.masterplan, w.agency_b, "SQL-4", element="waste", term="long")
    _report(later, w.agency_b, 3, {_indicator(later, "Nanti", Decimal(4)): "4"})  # only after the period
    half = make_programme(w.masterplan, w.agency_b, "SQL-5", element="waste", term="long")
    _report(
        half, w.agency_b, 2, {_indicator(half, "Setengah", Decimal(6)): "3", _indicator(half, "Penuh", Decimal(2)): "2"}
    )
    # Two indicators at 0.13 (a tie, 0.125) and 0.12: the programme's mean is a tie again, 0.125 → 0.13.
    ties = make_programme(w.masterplan, w.agency_b, "SQL-6", element="health", term="medium")
    _report(
        ties, w.agency_b, 2, {_indicator(ties, "T1", Decimal(800)): "1", _indicator(ties, "T2", Decimal(2500)): "3"}
    )
    return {"SQL-1": p1}


def _term_means(progress: object) -> dict[str, Decimal | None]:
    """The mean of the programmes' progress per term, made from the monev report the long way."""
    means = {}
    for term in Programme.Term.values:
        values = [line.progress for line in progress.programmes() if line.term == term and line.progress is not None]  # type: ignore[attr-defined]
        means[term] = (sum(values) / len(values)).quantize(Decimal("0.01"), "ROUND_HALF_UP") if values else None
    return means


def test_the_mean_indicator_progress_computed_in_sql_is_the_monev_reports(evaluation: Evaluation) -> None:
    w = evaluation.world
    varied_progress(evaluation)
    grow(evaluation, 4)
    progress = monev(region=w.region, year=YEAR, period=SQL_PERIOD)
    lines = {line.code: line for line in progress.programmes()}
    # The data takes the paths it was made for (so the comparison below is not between two empty tables).
    shared = {i.name: (i.value, i.progress) for i in lines["SQL-1"].indicators}
    assert shared == {
        "Naik": (Decimal(5), Decimal("62.50")),  # the lead's latest figure, before DINKES's 7
        "Turun": (Decimal(17), Decimal("30.00")),  # DINKES's latest (period 1), before DKISP's 14; not the lead's
        # older 12: the lead's latest report (period 2) has no figure for it
        "Nol": (Decimal(5), None),
        "Kosong": (None, None),  # DKISP's figure is in a report that is not its latest
        "Lebih": (Decimal(10), Decimal("333.33")),
        "Tanpa target": (Decimal(4), None),
        "Sepertiga": (Decimal(1), Decimal("33.33")),  # DINKES before DKISP; the lead's is after the period
        "Seri": (Decimal(1), Decimal("0.13")),  # 0.125, half up
    }
    assert lines["SQL-1"].progress == Decimal("45.19")  # (62.50 + 30 + 100 + 33.33 + 0.13) / 5, rounded
    assert lines["SQL-2"].progress == Decimal("8.02")  # (28.57 + 11.11 - 15.63) / 3: a fall that went up
    assert lines["SQL-3"].progress is None and lines["SQL-4"].progress is None
    assert (lines["SQL-5"].progress, lines["SQL-6"].progress) == (Decimal("75.00"), Decimal("0.13"))
    # Each programme's mean, as the database computes it (rounded there, so compared as it comes).
    running = Programme.objects.filter(masterplan=w.masterplan, start_year__lte=YEAR, end_year__gte=YEAR)
    computed = running.annotate(mean=programme_progress(YEAR, SQL_PERIOD)).values_list("code", "mean")
    assert dict(computed) == {code: line.progress for code, line in lines.items()}
    data = report_dashboard(region=w.region, year=YEAR, period=SQL_PERIOD, today=timezone.localdate())
    expected = {d.code: d.mean_progress for d in progress.dimensions}
    assert {row.key: row.mean_progress for row in data.realisation_by_dimension} == expected
    assert all(v is not None for v in expected.values())
    assert {row.key: row.mean_progress for row in data.realisation_by_term} == _term_means(progress)
    # Filtered to one SKPD (the programmes it leads) and to one dimension.
    mine = monev(region=w.region, year=YEAR, period=SQL_PERIOD)
    for dimension in mine.dimensions:
        dimension.programmes = [line for line in dimension.programmes if line.lead_agency == "DISDIK"]
    data = report_dashboard(
        region=w.region, year=YEAR, period=SQL_PERIOD, today=timezone.localdate(), agency=w.agency_b
    )
    assert {row.key: row.mean_progress for row in data.realisation_by_dimension} == {
        d.code: d.mean_progress for d in mine.dimensions
    }
    assert {row.key: row.mean_progress for row in data.realisation_by_term} == _term_means(mine)
    assert None in {row.mean_progress for row in data.realisation_by_dimension}  # dimensions DISDIK leads none in
    waste = Element.objects.get(code="waste").dimension
    data = report_dashboard(region=w.region, year=YEAR, period=SQL_PERIOD, today=timezone.localdate(), dimension=waste)
    assert [(row.key, row.mean_progress) for row in data.realisation_by_dimension] == [
        (waste.code, next(d.mean_progress for d in progress.dimensions if d.code == waste.code))
    ]
    # The last period of the year: the reports of period 3 count now.
    year_end = monev(region=w.region, year=YEAR, period=4)
    assert next(line for line in year_end.programmes() if line.code == "SQL-4").progress == Decimal("100.00")
    data = report_dashboard(region=w.region, year=YEAR, period=4, today=timezone.localdate())
    assert {row.key: row.mean_progress for row in data.realisation_by_dimension} == {
        d.code: d.mean_progress for d in year_end.dimensions
    }
    assert {row.key: row.mean_progress for row in data.realisation_by_term} == _term_means(year_end)


def test_the_report_dashboard_runs_the_same_queries_whatever_the_data(
    evaluation: Evaluation, django_assert_num_queries
) -> None:
    w = evaluation.world
    today = timezone.localdate()
    grow(evaluation, 1)
    with CaptureQueriesContext(connection) as small:
        report_dashboard(region=w.region, year=YEAR, period=SQL_PERIOD, today=today)
    varied_progress(evaluation)
    grow(evaluation, 9)
    with django_assert_num_queries(len(small.captured_queries)):
        data = report_dashboard(region=w.region, year=YEAR, period=SQL_PERIOD, today=today)
    assert any(row.mean_progress is not None for row in data.realisation_by_dimension)


def _assessed_cycle(
    ev: Evaluation, year: int, stage: str, weights: tuple[int, ...], rows: list, scores: dict
) -> object:
    """A cycle of `year` with its own questionnaire (`rows`), locked and scored (`scores`: code → score)."""
    w = ev.world
    dates = {k: v.replace(year=year) for k, v in CYCLE_2023.items() if isinstance(v, dt.date)}
    lens_weights = {f"weight_{lens}": Decimal(n) for lens, n in zip(Lens.values, weights, strict=True)}
    cycle = cycle_create(
        region=w.region, by=w.coordinator, data={**CYCLE_2023, **dates, **lens_weights, "year": year, "stage": stage}
    )
    if not rows:
        return cycle
    questionnaire = questionnaire_import(cycle=cycle, by=w.coordinator, rows=rows, name=f"Kuesioner {year}")
    cycle = cycle_lock(cycle=cycle, by=w.coordinator, reason="Dikunci untuk penilaian pengujian.")
    by_code = {q.code: q for q in questionnaire.questions.all()}
    scores_save(cycle=cycle, by=None, scores={by_code[code]: (Decimal(v), "") for code, v in scores.items()})
    return cycle


def varied_cycles(ev: Evaluation) -> None:
    """Cycles whose indices take every path of compute_indices: odd question weights, means that do not divide
    evenly, a weight of zero, unscored questions, a lens and a dimension without scores, a cycle without a
    questionnaire, two cycles in one year, and one with an official result."""
    rows = [
        question_row("G-B-1", "governance", "baseline", "percentage", weight=Decimal("1.5")),
        question_row("G-B-2", "governance", "baseline", "percentage", weight=Decimal("2.25")),
        question_row("G-O-1", "governance", "output", "percentage", weight=Decimal("0.75")),
        question_row("G-C-1", "governance", "outcome", "percentage", weight=Decimal(3)),  # never scored
        question_row("G-Q-1", "governance", "quick_win", "percentage"),  # never scored: a lens without scores
        question_row("S-O-1", "society", "output", "percentage", weight=Decimal("1.1")),
        question_row("S-I-1", "society", "impact", "percentage", weight=Decimal(0)),  # scored, weighs nothing
        question_row("S-I-2", "society", "impact", "percentage", weight=Decimal(0)),
        question_row("E-C-1", "economy", "outcome", "percentage", weight=Decimal("1.3")),  # a dimension unscored
        question_row("L-C-1", "living", "outcome", "level", weight=Decimal(2)),
        question_row("L-I-1", "living", "impact", "percentage", weight=Decimal(3)),
    ]
    scores = {"G-B-1": "3.33", "G-B-2": "2.17", "G-O-1": "4.01", "S-O-1": "1.99", "S-I-1": "5", "S-I-2": "0.5"}
    _assessed_cycle(ev, 2021, "Tahap I", (10, 20, 30, 20, 20), rows, {**scores, "L-C-1": "3", "L-I-1": "4.07"})
    rows_2022 = [question_row(r.code.replace("-", "2-", 1), r.dimension, r.lens, r.kind, weight=r.weight) for r in rows]
    _assessed_cycle(
        ev, 2022, "Tahap I", (15, 25, 20, 25, 15), rows_2022, {"G2-B-1": "1", "G2-O-1": "2.5", "L2-I-1": "0.01"}
    )
    _assessed_cycle(ev, 2022, "Tahap II", (20, 20, 20, 20, 20), [], {})  # no questionnaire yet
    _prepare_evaluation(ev)  # 2023 scored, 2024 carried from it
    official_result_save(
        cycle=ev.cycle,
        by=ev.world.coordinator,
        data={"final_index": Decimal("3.31"), "lens_indices": {"baseline": "3.60"}, "dimension_indices": {}},
    )


def _close(got: Decimal | None, expected: Decimal | None) -> bool:
    """Equal once rounded as published, and equal to far more places than any page shows (PostgreSQL divides
    to 16 significant digits, SQLite in floating point, Python's Decimal to 28)."""
    if got is None or expected is None:
        return got is expected
    return rounded(got) == rounded(expected) and abs(got - expected) < Decimal("1e-12")


def test_the_indices_computed_in_sql_are_those_of_compute_indices(
    evaluation: Evaluation, django_assert_num_queries
) -> None:
    varied_cycles(evaluation)
    region = evaluation.world.region
    with django_assert_num_queries(4):  # the cycles, then three GROUP BY queries for all of them
        history = indices_history(region=region)
    assert [e.label for e in history] == ["2021", "2022 Tahap I", "2022 Tahap II", "2023", "2024"]
    for entry in history:
        cycle = EvaluationCycle.objects.get(pk=entry.cycle.pk)
        reference, got = cycle_indices(cycle), entry.computed
        assert (got.scored, got.total) == (reference.scored, reference.total), entry.label
        for name in ("by_lens", "by_dimension", "by_dimension_lens"):
            mine, theirs = getattr(got, name), getattr(reference, name)
            assert list(mine) == list(theirs), (entry.label, name)
            assert all(_close(mine[k], theirs[k]) for k in theirs), (entry.label, name, mine, theirs)
        assert _close(got.final, reference.final), entry.label
        page = headline(cycle)
        assert (entry.source, entry.provisional) == (page["source"], page["provisional"])
        assert _close(entry.final, page["final"])  # type: ignore[arg-type]
        for name in ("by_lens", "by_dimension"):
            assert list(getattr(entry, name)) == list(page[name])  # type: ignore[arg-type]
            assert all(_close(v, page[name][k]) for k, v in getattr(entry, name).items())  # type: ignore[index]
    # The data takes the paths it was made for.
    first = history[0].computed
    assert first.by_lens["quick_win"] is None and first.by_dimension["economy"] is None
    assert first.by_dimension_lens[("society", "impact")] is None  # scored, but every weight is zero
    assert rounded(first.by_lens["baseline"]) == Decimal("2.63")  # (1.5·3.33 + 2.25·2.17) / 3.75 = 2.634
    assert first.final is not None and first.final != rounded(first.final)  # does not divide evenly
    assert history[2].computed.total == 0 and history[2].final is None
    assert (history[3].source, history[3].final) == ("official", Decimal("3.31"))
