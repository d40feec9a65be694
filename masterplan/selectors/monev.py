"""The region's programme progress for one year and period, as the monev report and the evaluation package show it.

For each programme of the current masterplan that runs in the year: its indicators' targets for the year and
the values reported up to the period (the latest report of each SKPD in the period, or in the year's latest
period reported when period is 0), its progress, and the SKPDs' narratives, obstacles and follow-up. A fixed
number of queries whatever the size of the plan (programmes, indicators with targets, reports with
realisations), iterated once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch

from agencies.models import Region
from masterplan.models import (
    PERIODS_PER_YEAR,
    Dimension,
    Indicator,
    IndicatorTarget,
    Masterplan,
    Programme,
    ProgressReport,
)
from masterplan.selectors.reports import indicator_progress


@dataclass
class IndicatorLine:
    name: str
    unit: str
    baseline: Decimal | None
    target: Decimal | None
    value: Decimal | None
    progress: Decimal | None


@dataclass
class ReportLine:
    agency: str
    period_label: str
    status: str
    status_label: str
    narrative: str
    obstacles: str
    follow_up: str
    budget_plan: Decimal | None
    budget_realisation: Decimal | None


@dataclass
class ProgrammeLine:
    code: str
    name: str
    term: str
    term_label: str
    status: str
    status_label: str
    is_quick_win: bool
    lead_agency: str
    indicators: list[IndicatorLine] = field(default_factory=list)
    reports: list[ReportLine] = field(default_factory=list)

    @property
    def progress(self) -> Decimal | None:
        """The mean of the indicators' progress, each capped at 100 % (as masterplan.selectors.reports does)."""
        values = [min(i.progress, Decimal(100)) for i in self.indicators if i.progress is not None]
        if not values:
            return None
        return (sum(values) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def is_underway(self) -> bool:
        return self.status in (Programme.Status.RUNNING, Programme.Status.DONE)


@dataclass
class DimensionProgress:
    code: str
    name: str
    order: int
    programmes: list[ProgrammeLine] = field(default_factory=list)

    @property
    def planned(self) -> int:
        return len(self.programmes)

    @property
    def underway(self) -> int:
        return sum(1 for p in self.programmes if p.is_underway)

    @property
    def mean_progress(self) -> Decimal | None:
        values = [p.progress for p in self.programmes if p.progress is not None]
        if not values:
            return None
        return (sum(values) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def budget_plan(self) -> Decimal:
        return sum((r.budget_plan or Decimal(0) for p in self.programmes for r in p.reports), Decimal(0))

    @property
    def budget_realisation(self) -> Decimal:
        return sum((r.budget_realisation or Decimal(0) for p in self.programmes for r in p.reports), Decimal(0))

    @property
    def budget_share(self) -> Decimal | None:
        if not self.budget_plan:
            return None
        return (self.budget_realisation * 100 / self.budget_plan).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class Monev:
    region: Region
    masterplan: Masterplan | None
    year: int
    period: int
    dimensions: list[DimensionProgress]

    def programmes(self) -> Iterator[ProgrammeLine]:
        for dimension in self.dimensions:
            yield from dimension.programmes


def monev(*, region: Region, year: int, period: int = 0) -> Monev:
    """Programme progress of `region` in `year` up to `period` (0: the whole year, each SKPD's latest report)."""
    masterplan = Masterplan.objects.filter(region=region, is_active=True).order_by("-start_year").first()
    dimensions = {d.pk: DimensionProgress(d.code, d.name, d.order) for d in Dimension.objects.order_by("order")}
    if masterplan is None:
        return Monev(region, None, year, period, [])
    reports = ProgressReport.objects.filter(year=year).select_related("agency").order_by("agency__acronym", "-period")
    if period:
        reports = reports.filter(period__lte=period)
    programmes = (
        Programme.objects.filter(masterplan=masterplan, start_year__lte=year, end_year__gte=year)
        .select_related("element", "lead_agency")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("targets", queryset=IndicatorTarget.objects.filter(year=year), to_attr="year_targets")
                ),
            ),
            Prefetch("reports", queryset=reports.prefetch_related("realisations"), to_attr="period_reports"),
        )
        .order_by("element__dimension__order", "code")
    )
    for programme in programmes:
        latest = _latest_per_agency(programme.period_reports)
        values: dict[int, Decimal] = {}
        for report in sorted(latest, key=lambda r: r.agency_id != programme.lead_agency_id):
            for realisation in report.realisations.all():
                values.setdefault(realisation.indicator_id, realisation.value)  # the lead SKPD's figure first
        line = ProgrammeLine(
            code=programme.code,
            name=programme.name,
            term=programme.term,
            term_label=programme.get_term_display(),
            status=programme.status,
            status_label=programme.get_status_display(),
            is_quick_win=programme.is_quick_win,
            lead_agency=programme.lead_agency.acronym,
        )
        for indicator in programme.indicators.all():
            target = indicator.year_targets[0].value if indicator.year_targets else None
            value = values.get(indicator.pk)
            line.indicators.append(
                IndicatorLine(
                    indicator.name,
                    indicator.unit,
                    indicator.baseline,
                    target,
                    value,
                    indicator_progress(value, target, indicator.baseline),
                )
            )
        line.reports = [
            ReportLine(
                agency=report.agency.acronym,
                period_label=report.period_label,
                status=report.status,
                status_label=report.get_status_display(),
                narrative=report.narrative,
                obstacles=report.obstacles,
                follow_up=report.follow_up,
                budget_plan=report.budget_plan,
                budget_realisation=report.budget_realisation,
            )
            for report in latest
        ]
        dimensions[programme.element.dimension_id].programmes.append(line)
    return Monev(region, masterplan, year, period, sorted(dimensions.values(), key=lambda d: d.order))


def _latest_per_agency(reports: list[ProgressReport]) -> list[ProgressReport]:
    # Reports come ordered by agency, newest period first: the first of each agency is its latest.
    seen: dict[int, ProgressReport] = {}
    for report in reports:
        seen.setdefault(report.agency_id, report)
    return list(seen.values())


def monev_choices(*, region: Region) -> tuple[list[int], int]:
    """The years a monev report can be made for (the current masterplan's, and any year with reports) and the
    number of reporting periods a year has under the masterplan."""
    masterplan = Masterplan.objects.filter(region=region, is_active=True).order_by("-start_year").first()
    years = set(
        ProgressReport.objects.filter(programme__masterplan__region=region).order_by().values_list("year", flat=True)
    )
    periods = 4
    if masterplan is not None:
        years |= set(range(masterplan.start_year, masterplan.end_year + 1))
        periods = PERIODS_PER_YEAR[masterplan.period_type]
    return sorted(years, reverse=True), periods
