"""Reads for chasing late SKPDs: who owes which lead-programme reports, an SKPD's contacts and its reminders.

"Due" and "overdue" are `masterplan.selectors.reports.period_phase`'s, so the numbers here agree with the slots
of "Laporan saya". A slot is late when its period is due or overdue and the lead SKPD has no report in it, or only
a draft or a returned one: nothing DKISP is waiting on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from agencies.models import AGENCY_ROLES, Agency, Membership, Region
from masterplan.models import PERIODS_PER_YEAR, Masterplan, ProgressReport, ReportReminder, period_label
from masterplan.selectors.reports import SlotState, due_date, period_phase

Status = ProgressReport.Status
HANDED_IN = (Status.SUBMITTED, Status.APPROVED)
Pair = tuple[int, int]  # (year, period)


def region_masterplan(region: Region) -> Masterplan | None:
    """The region's current masterplan as `current_masterplan` picks it, for the daily command (no user)."""
    return Masterplan.objects.filter(region=region).order_by("-is_active", "-start_year", "-pk").first()


def begun_pairs(masterplan: Masterplan, today: dt.date) -> dict[Pair, str]:
    """Every period of the masterplan's years up to `today` that has begun, with its phase on `today`."""
    phases = {}
    for year in masterplan.years:
        if year > today.year:
            break
        for period in range(1, PERIODS_PER_YEAR[masterplan.period_type] + 1):
            phase = period_phase(masterplan.period_type, year, period, today)
            if phase is None:
                break
            phases[(year, period)] = phase
    return phases


@dataclass(frozen=True)
class LatePeriod:
    period_type: str
    year: int
    period: int
    due: dt.date
    phase: str  # SlotState.DUE or SlotState.OVERDUE (or NOT_DUE for a reminder ahead of the due date)
    missing: int  # running lead programmes without a submitted or approved report in the period
    returned: int  # of those, how many have a report returned for correction

    @property
    def label(self) -> str:
        # Worded when shown, in the language of the page or the mail.
        return str(period_label(self.period_type, self.year, self.period))

    @property
    def is_overdue(self) -> bool:
        return self.phase == SlotState.OVERDUE


@dataclass
class LateAgency:
    agency: Agency
    periods: list[LatePeriod] = field(default_factory=list)  # oldest first

    @property
    def overdue(self) -> int:
        return sum(p.missing for p in self.periods if p.phase == SlotState.OVERDUE)

    @property
    def due(self) -> int:
        return sum(p.missing for p in self.periods if p.phase == SlotState.DUE)

    @property
    def returned(self) -> int:
        return sum(p.returned for p in self.periods if p.phase != SlotState.NOT_DUE)

    @property
    def late_count(self) -> int:
        return self.overdue + self.due

    @property
    def oldest(self) -> LatePeriod | None:
        return next((p for p in self.periods if p.phase != SlotState.NOT_DUE), None)


def missing_reports(
    *, masterplan: Masterplan, phases: dict[Pair, str], agency_ids: Iterable[int] | None = None
) -> list[LateAgency]:
    """For each active lead SKPD of the masterplan's region, its periods among `phases` still missing reports.

    Two queries whatever the number of SKPDs and programmes: the running lead programmes per SKPD and year, and
    the handed-in and returned lead reports per SKPD and period. An SKPD owes one report per programme it leads
    that runs in the year, in each period; SKPDs owing nothing in these periods are left out.
    """
    if not phases:
        return []
    years = sorted({year for year, _period in phases})
    led = Q(led_programmes__masterplan=masterplan)
    agencies = Agency.objects.filter(region_id=masterplan.region_id, is_active=True)
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=list(agency_ids))
    counted = agencies.annotate(
        **{
            f"y{year}": Count(
                "led_programmes",
                filter=led & Q(led_programmes__start_year__lte=year, led_programmes__end_year__gte=year),
            )
            for year in years
        }
    ).order_by("acronym", "pk")
    key = "{0}_{1}_{2}".format  # kind, year, period
    reports = {
        row["agency_id"]: row
        for row in ProgressReport.objects.filter(
            programme__masterplan=masterplan,
            agency__in=agencies,
            agency=F("programme__lead_agency"),
            year__gte=F("programme__start_year"),
            year__lte=F("programme__end_year"),
            year__in=years,
        )
        .order_by()  # the model's ordering would join the GROUP BY
        .values("agency_id")
        .annotate(
            **{
                key(kind, year, period): Count("pk", filter=Q(year=year, period=period, status__in=statuses))
                for year, period in phases
                for kind, statuses in (("h", HANDED_IN), ("r", (Status.RETURNED,)))
            }
        )
    }
    type_ = masterplan.period_type
    result = []
    for agency in counted:
        row: dict[str, Any] = reports.get(agency.pk, {})
        periods = []
        for (year, period), phase in sorted(phases.items()):
            running = getattr(agency, f"y{year}")
            missing = running - row.get(key("h", year, period), 0)
            if running and missing > 0:
                periods.append(
                    LatePeriod(
                        type_,
                        year,
                        period,
                        due_date(type_, year, period),
                        phase,
                        missing,
                        row.get(key("r", year, period), 0),
                    )
                )
        if periods:
            result.append(LateAgency(agency, periods))
    return result


def late_agencies(*, region: Region, today: dt.date, agency_ids: Iterable[int] | None = None) -> list[LateAgency]:
    """The region's SKPDs with lead-programme reports overdue or due on `today`, oldest late period first.

    Three queries: the masterplan, then `missing_reports` over the periods that are due or overdue.
    """
    masterplan = region_masterplan(region)
    if masterplan is None:
        return []
    phases = {
        pair: phase
        for pair, phase in begun_pairs(masterplan, today).items()
        if phase in (SlotState.DUE, SlotState.OVERDUE)
    }
    late = missing_reports(masterplan=masterplan, phases=phases, agency_ids=agency_ids)
    late.sort(key=lambda a: ((a.periods[0].year, a.periods[0].period), a.agency.acronym))
    return late


# --- The SKPD page: who to call, and what it was sent ---------------------------------------------------


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    email: str
    phone: str


def agency_contacts(agency: Agency) -> list[Contact]:
    """The people with an active SKPD role in the agency (heads first), with their mail and phone (one query)."""
    memberships = (
        Membership.objects.filter(agency=agency, role__in=AGENCY_ROLES, is_active=True, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name", "user__username")  # "head" sorts before "operator"
    )
    return [
        Contact(
            m.user.get_full_name() or m.user.get_username(),
            str(m.get_role_display()),
            m.user.email,
            m.phone,
        )
        for m in memberships
    ]


def agency_reminders(agency: Agency, limit: int = 10) -> QuerySet[ReportReminder]:
    """The last reminders the SKPD was sent (scheduled, from DKISP, escalations), newest first."""
    return ReportReminder.objects.filter(agency=agency).select_related("sent_by").order_by("-sent_at", "-pk")[:limit]
