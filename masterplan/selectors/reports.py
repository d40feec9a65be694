"""Reads for progress reports: an SKPD's due list, DKISP's review queue, and a report's progress table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from agencies.models import Agency, Region
from agencies.permissions import User, visible
from masterplan.models import (
    PERIODS_PER_YEAR,
    Evidence,
    Indicator,
    IndicatorTarget,
    Masterplan,
    Programme,
    ProgressReport,
    ReportEvidence,
    period_end,
    period_label,
)
from smartcity.lib.queries import related_count

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


class SlotState:
    NOT_DUE = "not_due"
    DUE = "due"
    OVERDUE = "overdue"
    OPTIONAL = "optional"  # a supporting SKPD may report, but nobody waits for it


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


def report_slots(*, agency: Agency, masterplan: Masterplan, year: int, today: dt.date) -> list[ReportSlot]:
    """Every (programme, period) of `year` the agency reports on, with its report or how late it is.

    Periods that have not started yet are left out. Two queries whatever the number of programmes.
    """
    programmes = list(
        Programme.objects.filter(masterplan=masterplan, start_year__lte=year, end_year__gte=year)
        .filter(Q(lead_agency=agency) | Q(pk__in=Programme.objects.filter(supporting_agencies=agency).values("pk")))
        .select_related("element__dimension")
        .order_by("element__dimension__order", "element__order", "code")
    )
    reports = {
        (r.programme_id, r.period): r
        for r in ProgressReport.objects.filter(agency=agency, year=year, programme__masterplan=masterplan)
    }
    slots = []
    periods = PERIODS_PER_YEAR[masterplan.period_type]
    months = 12 // periods
    for programme in programmes:
        role = "lead" if programme.lead_agency_id == agency.pk else "support"
        for period in range(1, periods + 1):
            if dt.date(year, months * (period - 1) + 1, 1) > today:
                break  # the period has not begun
            report = reports.get((programme.pk, period))
            due = due_date(masterplan.period_type, year, period)
            if report is not None and report.status != Status.DRAFT:
                state = report.status
            elif role == "support":
                state = report.status if report else SlotState.OPTIONAL
            elif today > due:
                state = SlotState.OVERDUE
            elif today > period_end(masterplan.period_type, year, period):
                state = SlotState.DUE
            else:
                state = report.status if report else SlotState.NOT_DUE
            slots.append(
                ReportSlot(
                    programme,
                    role,
                    year,
                    period,
                    period_label(masterplan.period_type, year, period),
                    due,
                    report,
                    state,
                )
            )
    return slots


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
