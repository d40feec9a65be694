"""The coordinator's dashboard, masterplan side: where the region's progress reports stand, how far the programmes
and their budgets have come, the quick wins, and the SKPDs most behind, for one year and reporting period.

The dashboard costs the same few queries whatever the number of programmes, indicators, SKPDs and reports: the
filtered programmes with their lead SKPD's report state (one row each, a few hundred a region), the period's
reports counted by GROUP BY (SKPD, dimension), and the realisations that count for the mean indicator progress;
each is summarised here every way the page shows it, so no figure is computed twice. The mean indicator progress
follows masterplan.selectors.monev step by step (which report's realisation counts, each indicator's progress
rounded and capped at 100 %, each programme's mean rounded), so the dashboard and the monev report agree;
tests/test_dashboard.py compares the two. `programme_progress` computes the same mean in SQL, for a queryset.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Avg,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Least, Round

from agencies.models import Agency, Region
from common.queries import Dividend
from masterplan.models import (
    PERIODS_PER_YEAR,
    Dimension,
    Indicator,
    IndicatorRealisation,
    IndicatorTarget,
    Masterplan,
    Programme,
    ProgressReport,
    period_label,
)
from masterplan.selectors.monev import Monev
from masterplan.selectors.reports import due_date, indicator_progress

Status = ProgressReport.Status
HANDED_IN = (Status.SUBMITTED, Status.APPROVED)
# The report states a dashboard row counts, in the order the columns show them.
STATES = ("not_started", "draft", "submitted", "returned", "approved", "overdue")
HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def current_masterplan(region: Region) -> Masterplan | None:
    return Masterplan.objects.filter(region=region, is_active=True).order_by("-start_year").first()


@dataclass
class ReportRow:
    """One SKPD's (or one dimension's) reports for the period, by state."""

    key: str  # agency pk or dimension code, for the links
    label: str
    expected: int = 0  # lead programmes running in the year: one report each is awaited
    not_started: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    approved: int = 0
    overdue: int = 0

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(state, getattr(self, state)) for state in STATES]


@dataclass
class RealisationRow:
    key: str  # dimension code or term
    label: str
    planned: int = 0  # programmes running in the year
    underway: int = 0  # of which running or done
    mean_progress: Decimal | None = None

    @property
    def share(self) -> Decimal | None:
        if not self.planned:
            return None
        return (Decimal(self.underway) * 100 / self.planned).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class BudgetRow:
    key: str
    label: str
    plan: Decimal = Decimal(0)
    realisation: Decimal = Decimal(0)

    @property
    def share(self) -> Decimal | None:
        if not self.plan:
            return None
        return (self.realisation * 100 / self.plan).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class QuickWin:
    pk: int
    code: str
    name: str
    dimension: str
    lead_agency_id: int
    lead_agency: str
    status: str
    status_label: str
    report_status: str | None  # the lead SKPD's report for the period, if any


@dataclass
class ReportDashboard:
    masterplan: Masterplan | None
    year: int
    period: int
    period_label: str
    due: dt.date | None
    past_due: bool
    by_agency: list[ReportRow] = field(default_factory=list)
    by_dimension: list[ReportRow] = field(default_factory=list)
    realisation_by_dimension: list[RealisationRow] = field(default_factory=list)
    realisation_by_term: list[RealisationRow] = field(default_factory=list)
    budget_by_dimension: list[BudgetRow] = field(default_factory=list)
    quick_wins: list[QuickWin] = field(default_factory=list)
    quick_win_status: dict[str, int] = field(default_factory=dict)

    @property
    def report_totals(self) -> ReportRow:
        total = ReportRow("", "")
        for row in self.by_agency:
            total.expected += row.expected
            for state in STATES:
                setattr(total, state, getattr(total, state) + getattr(row, state))
        return total

    @property
    def most_behind(self) -> list[ReportRow]:
        """The SKPDs with overdue reports, most overdue first (then most not started)."""
        late = [row for row in self.by_agency if row.overdue]
        return sorted(late, key=lambda row: (-row.overdue, -row.not_started, row.label))[:10]


def report_dashboard(
    *,
    region: Region,
    year: int,
    period: int,
    today: dt.date,
    dimension: Dimension | None = None,
    agency: Agency | None = None,
    masterplan: Masterplan | None = None,
    progress: Monev | None = None,
    dimensions: list[Dimension] | None = None,
    agencies: Iterable[Agency] | None = None,
) -> ReportDashboard:
    """The masterplan side of the dashboard for `year` and `period` of the region's current masterplan.

    Reports count for the SKPD that wrote them (lead or supporting); "not started" and "overdue" are the lead
    SKPD's programmes running in the year with no report, or no submitted or approved report once the period's
    due date has passed. `progress` is no longer read (the mean indicator progress is computed here, from one
    query); it stays so that callers written for the earlier signature keep working. `agencies`: the region's
    SKPDs when the caller already holds them (the dashboard's SKPD filter), saving their query.
    """
    masterplan = masterplan or current_masterplan(region)
    if masterplan is None:
        return ReportDashboard(None, year, period, "", None, False)
    period = max(1, min(period, PERIODS_PER_YEAR[masterplan.period_type]))
    due = due_date(masterplan.period_type, year, period)
    dashboard = ReportDashboard(
        masterplan, year, period, period_label(masterplan.period_type, year, period), due, today > due
    )
    programmes = Programme.objects.filter(masterplan=masterplan, start_year__lte=year, end_year__gte=year)
    reports = ProgressReport.objects.filter(programme__masterplan=masterplan, year=year, period=period)
    if dimension is not None:
        programmes = programmes.filter(element__dimension=dimension)
        reports = reports.filter(programme__element__dimension=dimension)
    if agency is not None:
        programmes = programmes.filter(lead_agency=agency)
        reports = reports.filter(agency=agency)
    reports = reports.filter(programme__start_year__lte=year, programme__end_year__gte=year)

    if dimensions is None:
        dimensions = list(Dimension.objects.order_by("order"))
    names = {d.pk: d.name for d in dimensions}
    if dimension is not None:
        dimensions = [d for d in dimensions if d.pk == dimension.pk]
    lines = _programme_lines(programmes, year, period)
    counts = list(_report_counts(reports))
    # The region's SKPDs (a few dozen): their acronyms label the rows and order the supporting SKPDs' figures.
    if agencies is None:
        acronyms = dict(Agency.objects.filter(region=region).values_list("pk", "acronym"))
    else:
        acronyms = {a.pk: a.acronym for a in agencies if a.region_id == region.pk}
    shown = {line.lead_agency for line in lines} | {row["agency"] for row in counts}
    agency_rows = {pk: ReportRow(str(pk), acronym) for pk, acronym in acronyms.items() if pk in shown}
    dimension_rows = {d.pk: ReportRow(d.code, d.name) for d in dimensions}
    for line in lines:
        # The lead SKPD's slot: awaited, not started without a report, overdue without a handed-in one once due.
        for row in (agency_rows.get(line.lead_agency), dimension_rows.get(line.dimension)):
            if row is not None:
                row.expected += 1
                row.not_started += int(line.lead_report is None)
                row.overdue += int(dashboard.past_due and line.lead_report not in HANDED_IN)
    budget = {d.pk: BudgetRow(d.code, d.name) for d in dimensions}
    for count in counts:
        for row in (agency_rows.get(count["agency"]), dimension_rows.get(count["dimension"])):
            if row is not None:
                for state in ("draft", "submitted", "returned", "approved"):
                    setattr(row, state, getattr(row, state) + count[state])
        sums = budget.get(count["dimension"])
        if sums is not None:
            sums.plan += count["plan"] or 0
            sums.realisation += count["realisation"] or 0
    dashboard.by_agency = sorted(agency_rows.values(), key=lambda row: row.label.lower())
    dashboard.by_dimension = list(dimension_rows.values())
    dashboard.budget_by_dimension = list(budget.values())

    _realisation(dashboard, masterplan, lines, dimensions, acronyms, year, period)
    _quick_wins(dashboard, programmes, lines, names)
    return dashboard


class _ProgrammeLine(NamedTuple):
    pk: int
    lead_agency: int
    dimension: int
    term: str
    status: str
    is_quick_win: bool
    lead_report: str | None  # the state of the lead SKPD's report for the period, None without one


def _programme_lines(programmes: QuerySet[Programme], year: int, period: int) -> list[_ProgrammeLine]:
    """The programmes the filters keep, with their lead SKPD's report state for the period: one query, which the
    report slots, the realisation and the quick wins all read (at most a few hundred rows a region)."""
    # One report per programme, SKPD and period: unordered, so the subquery neither sorts nor joins the programme.
    lead_report = (
        ProgressReport.objects.filter(
            programme=OuterRef("pk"), agency=OuterRef("lead_agency"), year=year, period=period
        )
        .order_by()
        .values("status")[:1]
    )
    rows = (
        programmes.annotate(lead_report=Subquery(lead_report))
        .order_by()
        .values_list("pk", "lead_agency", "element__dimension", "term", "status", "is_quick_win", "lead_report")
    )
    return [_ProgrammeLine._make(row) for row in rows]


def _report_counts(reports: QuerySet[ProgressReport]) -> QuerySet:
    """Per SKPD and dimension: the period's reports by state and their budgets (one GROUP BY, summed both ways)."""
    counts = {state: Count("pk", filter=Q(status=state)) for state in ("draft", "submitted", "returned", "approved")}
    return (
        reports.order_by()
        .values("agency", dimension=F("programme__element__dimension"))
        .annotate(**counts, plan=Sum("budget_plan"), realisation=Sum("budget_realisation"))
    )


def _capped(percent: Combinable) -> Least:
    # monev rounds each indicator's progress to two places (reports.indicator_progress), then caps it at 100 %.
    return Least(Round(percent, 2), Value(HUNDRED))


def _realisation_progress() -> Case:
    """masterplan.selectors.reports.indicator_progress of an IndicatorRealisation row joined to its indicator's
    target (`indicator__targets`, filtered to the year), capped at 100 %: when the target is below the baseline
    the indicator improves by falling. Value and target are never NULL here (no row means no progress), so no
    NULL reaches Least (PostgreSQL's LEAST(NULL, 100) is 100)."""
    value, target, baseline = F("value"), F("indicator__targets__value"), F("indicator__baseline")
    return Case(
        When(
            Q(indicator__baseline__isnull=False, indicator__targets__value__lt=baseline),
            then=_capped(Dividend((baseline - value) * HUNDRED) / (baseline - target)),
        ),
        When(indicator__targets__value=0, then=Value(None)),
        default=_capped(Dividend(value * HUNDRED) / target),
        output_field=DecimalField(),
    )


def _indicator_progress(year: int, period: int) -> Subquery:
    """The outer indicator's progress from the realisation monev() reads: among its programme's reports of the
    year up to `period` (0: the whole year), each SKPD's latest one counts, whatever its state; the lead SKPD's
    figure comes first, then the other SKPDs' by acronym (monev orders them so and keeps the first figure).
    NULL without a realisation or without a target for the year."""
    newer = ProgressReport.objects.filter(
        programme=OuterRef("report__programme"),
        agency=OuterRef("report__agency"),
        year=year,
        period__gt=OuterRef("report__period"),
    )
    realisations = IndicatorRealisation.objects.filter(
        indicator=OuterRef("pk"), report__programme=OuterRef("programme"), report__year=year
    )
    if period:
        newer = newer.filter(period__lte=period)
        realisations = realisations.filter(report__period__lte=period)
    # The report's programme is the indicator's (filtered above), so its lead SKPD is the programme's.
    by_another = Case(When(report__agency=F("report__programme__lead_agency"), then=Value(0)), default=Value(1))
    chosen = (
        realisations.filter(~Exists(newer), indicator__targets__year=year)  # one target per indicator and year
        .annotate(progress=_realisation_progress())
        .order_by(by_another, "report__agency__acronym", "report__agency_id")
        .values("progress")[:1]
    )
    return Subquery(chosen, output_field=DecimalField())


def programme_progress(year: int, period: int) -> Subquery:
    """The outer programme's mean indicator progress (ProgrammeLine.progress of the monev report): the mean of its
    indicators' capped progress, rounded to two places, NULL when no indicator has one."""
    means = (
        Indicator.objects.filter(programme=OuterRef("pk"))
        .annotate(progress=_indicator_progress(year, period))
        .order_by()
        .values("programme")
        .annotate(mean=Round(Avg("progress"), 2))
        .values("mean")
    )
    return Subquery(means, output_field=DecimalField())


# (indicator, programme, SKPD, value, target, baseline), as _latest_realisations gives them
_Realisation = tuple[int, int, int, Decimal, Decimal, Decimal | None]


def _latest_realisations(masterplan: Masterplan, year: int, period: int) -> Iterable[_Realisation]:
    """The realisations monev() reads for the masterplan's programmes, with what their progress needs, in one
    query: of each SKPD's latest report of the year up to `period` for a programme, the figures for the
    programme's indicators that have a target for the year. `_progress_by_programme` keeps the programmes the
    filters chose and picks each indicator's figure. The whole masterplan is read (a few hundred rows) rather than
    the filtered programmes as a subquery or a list of keys: each of those cost more to plan (PostgreSQL) or to
    compile (Django) than the rows cost to read.
    """
    connection = connections[router.db_for_read(IndicatorRealisation)]
    if connection.vendor == "postgresql":
        return _latest_realisations_postgresql(connection, masterplan, year, period)
    newer = ProgressReport.objects.filter(
        programme=OuterRef("report__programme"),
        agency=OuterRef("report__agency"),
        year=year,
        period__gt=OuterRef("report__period"),
        period__lte=period,
    )
    rows = IndicatorRealisation.objects.filter(
        report__programme__masterplan=masterplan,
        report__year=year,
        report__period__lte=period,
        indicator__programme=F("report__programme"),
        indicator__targets__year=year,  # one target per indicator and year
    )
    return (
        rows.filter(~Exists(newer))  # the report is its SKPD's latest: an anti-join on the report's unique index
        .order_by()
        .values_list(
            "indicator_id",
            "report__programme_id",
            "report__agency_id",
            "value",
            "indicator__targets__value",
            "indicator__baseline",
        )
    )


def _latest_realisations_postgresql(
    connection: BaseDatabaseWrapper, masterplan: Masterplan, year: int, period: int
) -> list[_Realisation]:
    """_latest_realisations on PostgreSQL: each SKPD's latest report picked first by DISTINCT ON, then joined to
    its realisations. Raw SQL because the ORM cannot join a derived table, and measured at region scale (300
    programmes, 6,000 reports, vacuumed) this takes 7 ms where the portable anti-join over every realisation of
    the masterplan takes 12–13 ms. The tables come from the models. tests/test_dashboard.py compares the
    dashboard's figures with monev()'s on either database (this version when DATABASE_URL names PostgreSQL)."""
    report, programme = ProgressReport._meta.db_table, Programme._meta.db_table
    realisation, indicator = IndicatorRealisation._meta.db_table, Indicator._meta.db_table
    target = IndicatorTarget._meta.db_table
    sql = f"""
        SELECT ir.indicator_id, r.programme_id, r.agency_id, ir.value, t.value, i.baseline
        FROM (
            SELECT DISTINCT ON (r.programme_id, r.agency_id) r.id, r.programme_id, r.agency_id
            FROM {report} r JOIN {programme} p ON p.id = r.programme_id
            WHERE p.masterplan_id = %(masterplan)s AND r.year = %(year)s AND r.period <= %(period)s
            ORDER BY r.programme_id, r.agency_id, r.period DESC
        ) r
        JOIN {realisation} ir ON ir.report_id = r.id
        JOIN {indicator} i ON i.id = ir.indicator_id AND i.programme_id = r.programme_id
        JOIN {target} t ON t.indicator_id = i.id AND t.year = %(year)s
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, {"masterplan": masterplan.pk, "year": year, "period": period})
        return cursor.fetchall()


def _progress_by_programme(
    masterplan: Masterplan, leads: dict[int, int], acronyms: dict[int, str], year: int, period: int
) -> dict[int, Decimal]:
    """{programme pk: its mean indicator progress} (ProgrammeLine.progress of the monev report; programmes with no
    progress left out) for the programmes of `leads` ({pk: lead SKPD's pk}), from one query. Each indicator's
    figure is the lead SKPD's, else the other SKPDs' by acronym (`acronyms`: {SKPD pk: acronym}; monev's order);
    its progress is indicator_progress capped at 100 %, the mean rounded half up."""
    if not leads:
        return {}
    chosen: dict[int, tuple[tuple[bool, str, int], int, Decimal | None]] = {}
    for indicator, programme, agency, value, target, baseline in _latest_realisations(masterplan, year, period):
        if programme not in leads:
            continue  # left out by the filters
        rank = (agency != leads[programme], acronyms.get(agency, ""), agency)
        if indicator not in chosen or rank < chosen[indicator][0]:
            chosen[indicator] = (rank, programme, indicator_progress(value, target, baseline))
    values: dict[int, list[Decimal]] = defaultdict(list)
    for _rank, programme, progress in chosen.values():
        if progress is not None:
            values[programme].append(min(progress, HUNDRED))
    return {programme: _mean(figures) for programme, figures in values.items()}


def _mean(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(TWO_PLACES, ROUND_HALF_UP)


def _realisation(
    dashboard: ReportDashboard,
    masterplan: Masterplan,
    lines: list[_ProgrammeLine],
    dimensions: list[Dimension],
    acronyms: dict[int, str],
    year: int,
    period: int,
) -> None:
    """Per dimension and per term: programmes planned, underway, and the mean of their progress (as the monev
    report's DimensionProgress.mean_progress), over the programmes the filters keep.

    Each programme's progress is computed once from one query and summarised here both ways, rather than by a
    GROUP BY per summary running a correlated subquery per indicator (bench/load.py at region scale: two queries
    of 30–50 ms each → one of a few ms).
    """
    leads = {line.pk: line.lead_agency for line in lines}
    progress = _progress_by_programme(masterplan, leads, acronyms, year, period)
    underway = (Programme.Status.RUNNING, Programme.Status.DONE)
    by_dimension: dict[int, RealisationRow] = {d.pk: RealisationRow(d.code, d.name) for d in dimensions}
    by_term = {term: RealisationRow(term, str(label)) for term, label in Programme.Term.choices}
    means: dict[int, list[Decimal]] = defaultdict(list)  # id() of the row: its programmes' progress
    for line in lines:
        for row in (by_dimension.get(line.dimension), by_term.get(line.term)):
            if row is None:
                continue
            row.planned += 1
            row.underway += int(line.status in underway)
            if line.pk in progress:
                means[id(row)].append(progress[line.pk])
    for row in (*by_dimension.values(), *by_term.values()):
        figures = means.get(id(row))
        row.mean_progress = _mean(figures) if figures else None
    dashboard.realisation_by_dimension = list(by_dimension.values())
    dashboard.realisation_by_term = list(by_term.values())


def _quick_wins(
    dashboard: ReportDashboard, programmes: QuerySet[Programme], lines: list[_ProgrammeLine], names: dict[int, str]
) -> None:
    """The quick wins with their lead SKPD's report for the period (read from `lines`); `names`: {dimension pk:
    name}. Read as values, not model instances: three models per row cost more than the query."""
    report_status = {line.pk: line.lead_report for line in lines}
    status_labels = dict(Programme.Status.choices)
    rows = (
        programmes.filter(is_quick_win=True)
        .order_by("element__dimension__order", "code")
        .values_list("pk", "code", "name", "element__dimension", "lead_agency", "lead_agency__acronym", "status")
    )
    for pk, code, name, dimension, lead, acronym, status in rows:
        dashboard.quick_wins.append(
            QuickWin(
                pk,
                code,
                name,
                names[dimension],
                lead,
                acronym,
                status,
                str(status_labels.get(status, status)),
                report_status.get(pk),
            )
        )
    counts = Counter(line.status for line in lines if line.is_quick_win)
    dashboard.quick_win_status = {status: counts[status] for status in Programme.Status.values if counts[status]}
