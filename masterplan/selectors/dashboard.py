"""The coordinator's dashboard, masterplan side: where the region's progress reports stand, how far the programmes
and their budgets have come, the quick wins, and the SKPDs most behind, for one year and reporting period.

Every figure is made by the database (GROUP BY with conditional counts, EXISTS and correlated subqueries), so the
dashboard costs the same few queries whatever the number of programmes, indicators, SKPDs and reports. The mean
indicator progress follows masterplan.selectors.monev step by step (which report's realisation counts, each
indicator's progress rounded and capped at 100 %, each programme's mean rounded), so the dashboard and the monev
report agree; tests/test_dashboard.py compares the two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

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
from django.db.models.functions import Coalesce, Least, Round

from agencies.models import Agency, Region
from common.queries import Dividend
from masterplan.models import (
    PERIODS_PER_YEAR,
    Dimension,
    Indicator,
    IndicatorRealisation,
    Masterplan,
    Programme,
    ProgressReport,
    period_label,
)
from masterplan.selectors.monev import Monev
from masterplan.selectors.reports import due_date

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
) -> ReportDashboard:
    """The masterplan side of the dashboard for `year` and `period` of the region's current masterplan.

    Reports count for the SKPD that wrote them (lead or supporting); "not started" and "overdue" are the lead
    SKPD's programmes running in the year with no report, or no submitted or approved report once the period's
    due date has passed. `progress` is no longer read (the mean indicator progress is computed by the database);
    it stays so that callers written for the earlier signature keep working.
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

    dimensions = list(Dimension.objects.order_by("order"))
    if dimension is not None:
        dimensions = [d for d in dimensions if d.pk == dimension.pk]
    agencies = {
        a.pk: a
        for a in Agency.objects.filter(region=region).filter(
            Q(pk__in=programmes.values("lead_agency")) | Q(pk__in=reports.values("agency"))
        )
    }
    agency_rows = {pk: ReportRow(str(pk), a.acronym) for pk, a in agencies.items()}
    dimension_rows = {d.pk: ReportRow(d.code, d.name) for d in dimensions}
    for rows, group in ((agency_rows, "lead_agency"), (dimension_rows, "element__dimension")):
        for row in _lead_slots(programmes, year, period, dashboard.past_due, group):
            line = rows.get(row[group])
            if line is not None:
                line.expected, line.not_started, line.overdue = row["expected"], row["not_started"], row["overdue"]
    for rows, group in ((agency_rows, "agency"), (dimension_rows, "programme__element__dimension")):
        for row in _report_states(reports, group):
            line = rows.get(row[group])
            if line is not None:
                for state in ("draft", "submitted", "returned", "approved"):
                    setattr(line, state, row[state])
    dashboard.by_agency = sorted(agency_rows.values(), key=lambda row: row.label.lower())
    dashboard.by_dimension = list(dimension_rows.values())

    _realisation(dashboard, programmes, dimensions, year, period)
    _budget(dashboard, reports, dimensions)
    _quick_wins(dashboard, programmes, year, period)
    return dashboard


def _lead_slots(programmes: QuerySet[Programme], year: int, period: int, past_due: bool, group: str) -> QuerySet:
    """Per `group`: lead programmes running in the year, those whose lead SKPD has no report for the period, and
    (once the due date has passed) those with no submitted or approved one."""
    lead_report = ProgressReport.objects.filter(
        programme=OuterRef("pk"), agency=OuterRef("lead_agency"), year=year, period=period
    )
    annotated = programmes.annotate(
        started=Exists(lead_report), handed_in=Exists(lead_report.filter(status__in=HANDED_IN))
    )
    overdue = Count("pk", filter=Q(handed_in=False)) if past_due else Count("pk", filter=Q(pk__in=[]))
    return (
        annotated.order_by()
        .values(group)
        .annotate(expected=Count("pk"), not_started=Count("pk", filter=Q(started=False)), overdue=overdue)
    )


def _report_states(reports: QuerySet[ProgressReport], group: str) -> QuerySet:
    counts = {state: Count("pk", filter=Q(status=state)) for state in ("draft", "submitted", "returned", "approved")}
    return reports.order_by().values(group).annotate(**counts)


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


def _quantized(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TWO_PLACES, ROUND_HALF_UP)


def _realisation(
    dashboard: ReportDashboard, programmes: QuerySet[Programme], dimensions: list[Dimension], year: int, period: int
) -> None:
    """Per dimension and per term: programmes planned, underway, and the mean of their progress (as the monev
    report's DimensionProgress.mean_progress), over the programmes the filters keep: two GROUP BY queries."""
    underway = Q(status__in=(Programme.Status.RUNNING, Programme.Status.DONE))
    counts = {"planned": Count("pk"), "underway": Count("pk", filter=underway), "mean": Avg("progress")}
    annotated = programmes.annotate(progress=programme_progress(year, period)).order_by()
    by_dimension = {r["element__dimension"]: r for r in annotated.values("element__dimension").annotate(**counts)}
    by_term = {r["term"]: r for r in annotated.values("term").annotate(**counts)}
    for d in dimensions:
        row = by_dimension.get(d.pk, {})
        dashboard.realisation_by_dimension.append(
            RealisationRow(d.code, d.name, row.get("planned", 0), row.get("underway", 0), _quantized(row.get("mean")))
        )
    for term, label in Programme.Term.choices:
        row = by_term.get(term, {})
        dashboard.realisation_by_term.append(
            RealisationRow(term, str(label), row.get("planned", 0), row.get("underway", 0), _quantized(row.get("mean")))
        )


def _budget(dashboard: ReportDashboard, reports: QuerySet[ProgressReport], dimensions: list[Dimension]) -> None:
    zero = Decimal(0)
    sums = {
        r["programme__element__dimension"]: r
        for r in reports.order_by()
        .values("programme__element__dimension")
        .annotate(plan=Coalesce(Sum("budget_plan"), zero), realisation=Coalesce(Sum("budget_realisation"), zero))
    }
    for d in dimensions:
        row = sums.get(d.pk, {})
        dashboard.budget_by_dimension.append(
            BudgetRow(d.code, d.name, row.get("plan") or zero, row.get("realisation") or zero)
        )


def _quick_wins(dashboard: ReportDashboard, programmes: QuerySet[Programme], year: int, period: int) -> None:
    lead_report = ProgressReport.objects.filter(
        programme=OuterRef("pk"), agency=OuterRef("lead_agency"), year=year, period=period
    ).values("status")[:1]
    rows = (
        programmes.filter(is_quick_win=True)
        .select_related("element__dimension", "lead_agency")
        .annotate(report_status=Subquery(lead_report))
        .order_by("element__dimension__order", "code")
    )
    for p in rows:
        dashboard.quick_wins.append(
            QuickWin(
                p.pk,
                p.code,
                p.name,
                p.element.dimension.name,
                p.lead_agency_id,
                p.lead_agency.acronym,
                p.status,
                p.get_status_display(),
                p.report_status,
            )
        )
    dashboard.quick_win_status = {
        row["status"]: row["n"]
        for row in programmes.filter(is_quick_win=True).order_by().values("status").annotate(n=Count("pk"))
    }
