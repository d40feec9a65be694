"""Reads for progress reports: an SKPD's due list, DKISP's review queue, and a report's progress table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region
from agencies.permissions import User, visible
from common.queries import related_count
from evidence.models import Evidence
from masterplan.models import (
    PERIODS_PER_YEAR,
    Indicator,
    IndicatorTarget,
    Masterplan,
    Programme,
    ProgressReport,
    ReportEvidence,
    period_end,
    period_label,
)

Status = ProgressReport.Status


def indicator_progress(value: Decimal | None, target: Decimal | None, baseline: Decimal | None) -> Decimal | None:
    """Percent of the year's target reached, two decimals.

    When the target is below the baseline the indicator falls to improve (days to issue a permit), so
    progress is the share of the planned fall achieved.
    """
    if value is None or target is None:
        return None
    if baseline is not None and target < baseline:
        planned = baseline - target
        pct = (baseline - value) * 100 / planned
    elif target == 0:
        return None
    else:
        pct = value * 100 / target
    return pct.quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass
class ProgressRow:
    indicator: Indicator
    target: Decimal | None
    value: Decimal | None
    note: str
    progress: Decimal | None


def progress_rows(report: ProgressReport) -> list[ProgressRow]:
    """Each indicator with the year's target, the reported value and the progress (three queries)."""
    indicators = list(
        report.programme.indicators.order_by("order", "pk").prefetch_related(
            Prefetch("targets", queryset=IndicatorTarget.objects.filter(year=report.year), to_attr="year_targets")
        )
    )
    reported = {r.indicator_id: r for r in report.realisations.all()}
    rows = []
    for indicator in indicators:
        target = indicator.year_targets[0].value if indicator.year_targets else None
        realisation = reported.get(indicator.pk)
        value = realisation.value if realisation else None
        rows.append(
            ProgressRow(
                indicator,
                target,
                value,
                realisation.note if realisation else "",
                indicator_progress(value, target, indicator.baseline),
            )
        )
    return rows


def overall_progress(rows: list[ProgressRow]) -> Decimal | None:
    """The mean of the indicators' progress, each capped at 100 % so one overshoot cannot hide a shortfall."""
    values = [min(r.progress, Decimal(100)) for r in rows if r.progress is not None]
    if not values:
        return None
    return (sum(values) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


# --- An SKPD's reports, period by period ---------------------------------------------------------------


class SlotState(models.TextChoices):
    """Where a period without a submitted report stands; a period with one shows the report's status."""

    NOT_DUE = "not_due", _("In progress")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
    OPTIONAL = "optional", _("Optional")  # a supporting SKPD may report, but nobody waits for it


@dataclass
class ReportSlot:
    programme: Programme
    role: str  # "lead" or "support"
    year: int
    period: int
    label: str
    due: dt.date
    report: ProgressReport | None
    state: str  # a SlotState or the report's status

    @property
    def expected(self) -> bool:
        return self.role == "lead"


def due_date(period_type: str, year: int, period: int) -> dt.date:
    return period_end(period_type, year, period) + dt.timedelta(days=settings.REPORT_GRACE_DAYS)


def period_phase(period_type: str, year: int, period: int, today: dt.date) -> str | None:
    """Where a lead SKPD stands with a period on `today`: None before it begins, then NOT_DUE, DUE, OVERDUE.

    The one definition of "due" and "overdue": the slots of "Laporan saya" and the counts above it use it.
    """
    months = 12 // PERIODS_PER_YEAR[period_type]
    if dt.date(year, months * (period - 1) + 1, 1) > today:
        return None
    if today > due_date(period_type, year, period):
        return SlotState.OVERDUE
    if today > period_end(period_type, year, period):
        return SlotState.DUE
    return SlotState.NOT_DUE


def report_slots(*, agency: Agency, masterplan: Masterplan, year: int, today: dt.date) -> list[ReportSlot]:
    """Every (programme, period) of `year` the agency reports on, with its report or how late it is."""
    return report_slots_for_years(agency=agency, masterplan=masterplan, years=[year], today=today)


def report_slots_for_years(
    *, agency: Agency, masterplan: Masterplan, years: Sequence[int], today: dt.date
) -> list[ReportSlot]:
    """The slots of every year in `years`, programme by programme, oldest period first.

    Periods that have not started yet are left out. Two queries whatever the number of programmes and years.
    """
    if not years:
        return []
    programmes = list(
        Programme.objects.filter(masterplan=masterplan, start_year__lte=max(years), end_year__gte=min(years))
        .filter(Q(lead_agency=agency) | Q(pk__in=Programme.objects.filter(supporting_agencies=agency).values("pk")))
        .select_related("element__dimension")
        .order_by("element__dimension__order", "element__order", "code")
    )
    reports = {
        (r.programme_id, r.year, r.period): r
        for r in ProgressReport.objects.filter(agency=agency, year__in=years, programme__masterplan=masterplan)
    }
    slots = []
    periods = PERIODS_PER_YEAR[masterplan.period_type]
    for programme in programmes:
        role = "lead" if programme.lead_agency_id == agency.pk else "support"
        for year in sorted(y for y in years if programme.start_year <= y <= programme.end_year):
            for period in range(1, periods + 1):
                phase = period_phase(masterplan.period_type, year, period, today)
                if phase is None:
                    break  # the period has not begun
                report = reports.get((programme.pk, year, period))
                if report is not None and report.status != Status.DRAFT:
                    state = report.status
                elif role == "support":
                    state = report.status if report else SlotState.OPTIONAL
                elif phase != SlotState.NOT_DUE:
                    state = phase
                else:
                    state = report.status if report else SlotState.NOT_DUE
                slots.append(
                    ReportSlot(
                        programme,
                        role,
                        year,
                        period,
                        period_label(masterplan.period_type, year, period),
                        due_date(masterplan.period_type, year, period),
                        report,
                        state,
                    )
                )
    return slots


@dataclass
class ReportWork:
    """What the SKPDs owe across every year, for the counts above "Laporan saya" and the year it opens on."""

    overdue: int
    returned: int
    oldest_year: int | None  # the oldest year holding due, overdue or returned reports


def _in_periods(pairs: Iterable[tuple[int, int]]) -> Q:
    by_year: dict[int, list[int]] = {}
    for year, period in pairs:
        by_year.setdefault(year, []).append(period)
    condition = Q(pk__in=[])  # matches nothing when no period qualifies
    for year, periods in by_year.items():
        condition |= Q(year=year, period__in=periods)
    return condition


def report_work(
    *, agencies: Sequence[Agency], masterplan: Masterplan, years: Sequence[int], today: dt.date
) -> ReportWork:
    """Count the overdue and returned slots of `report_slots_for_years` in the database (two queries).

    A lead SKPD owes one report per running programme and period; a slot is overdue or due when its period
    says so (`period_phase`) and the SKPD has no report in it beyond a draft. Returned reports count for
    lead and supporting SKPDs alike, as they show in the slots.
    """
    type_ = masterplan.period_type
    phases = {
        (year, period): period_phase(type_, year, period, today)
        for year in years
        for period in range(1, PERIODS_PER_YEAR[type_] + 1)
    }
    overdue_pairs = [pair for pair, phase in phases.items() if phase == SlotState.OVERDUE]
    due_pairs = [pair for pair, phase in phases.items() if phase == SlotState.DUE]
    begun_pairs = [pair for pair, phase in phases.items() if phase is not None]
    # How many programmes each SKPD leads in each year; each owes a report for every period past its end.
    running = Programme.objects.filter(masterplan=masterplan, lead_agency__in=agencies).aggregate(
        **{f"y{year}": Count("pk", filter=Q(start_year__lte=year, end_year__gte=year)) for year in years}
    )
    led = Q(agency=F("programme__lead_agency"))
    supported = Exists(
        Programme.supporting_agencies.through.objects.filter(programme=OuterRef("programme"), agency=OuterRef("agency"))
    )
    handed_in = led & ~Q(status=Status.DRAFT)
    per_year = {
        row["year"]: row
        for row in ProgressReport.objects.filter(
            agency__in=agencies,
            programme__masterplan=masterplan,
            year__gte=F("programme__start_year"),
            year__lte=F("programme__end_year"),
        )
        .filter(led | supported)
        .order_by()  # the model's ordering would join the GROUP BY
        .values("year")
        .annotate(
            handed_in_overdue=Count("pk", filter=handed_in & _in_periods(overdue_pairs)),
            handed_in_due=Count("pk", filter=handed_in & _in_periods(due_pairs)),
            returned=Count("pk", filter=Q(status=Status.RETURNED) & _in_periods(begun_pairs)),
        )
    }
    overdue_total = returned_total = 0
    oldest = None
    for year in sorted(years):
        programmes = running.get(f"y{year}") or 0
        row = per_year.get(year, {})
        overdue = programmes * sum(1 for y, _p in overdue_pairs if y == year) - row.get("handed_in_overdue", 0)
        due = programmes * sum(1 for y, _p in due_pairs if y == year) - row.get("handed_in_due", 0)
        returned = row.get("returned", 0)
        overdue_total += overdue
        returned_total += returned
        if oldest is None and (overdue or due or returned):
            oldest = year
    return ReportWork(overdue=overdue_total, returned=returned_total, oldest_year=oldest)


# --- DKISP's review queue -------------------------------------------------------------------------------


def review_queue(*, user: User, region: Region) -> QuerySet[ProgressReport]:
    """Reports of the region the user may see, oldest submission first, with what a queue row shows."""
    return (
        visible(user, ProgressReport.objects.filter(programme__masterplan__region=region))
        .select_related("programme__element__dimension", "agency")
        .annotate(evidence_count=related_count(ReportEvidence, "report"))
        .order_by("submitted_at", "pk")
    )


def report_detail_queryset() -> QuerySet[ProgressReport]:
    return ProgressReport.objects.select_related(
        "programme__element__dimension", "programme__masterplan__region", "agency", "decided_by"
    ).prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.select_related("stored_file").order_by("title")),
    )
