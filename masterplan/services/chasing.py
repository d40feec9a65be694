"""Chasing late progress reports: DKISP's reminder to an SKPD, the daily scheduled reminders, and escalations.

Every mail names only the SKPD's own operators and head (and its official address): the recipients come from the
policy (`who_may_for_agency`), which never reaches beyond the agency's region. Each mail is queued on the commit of
the ReportReminder row that records it, so a row is a mail sent and a mail is a row written.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies.audit import audit_record
from agencies.models import Agency, Region
from agencies.notifications import addresses, notify, render_mail
from agencies.permissions import CREATE, VIEW, can_in_region, who_may_for_agency
from masterplan.actions import MasterplanAction
from masterplan.models import ProgressReport, ReportReminder
from masterplan.rules import SKPD_STAFF
from masterplan.selectors.chasing import (
    LateAgency,
    LatePeriod,
    begun_pairs,
    late_agencies,
    missing_reports,
    region_masterplan,
)
from masterplan.selectors.reports import SlotState, due_date

logger = logging.getLogger(__name__)
Actor = AbstractBaseUser | None
Kind = ReportReminder.Kind

STEPS = (7, 3, 1, 0)  # days before a period's due date
OVERDUE = -1  # ReportReminder.days_before of the one reminder once the due date has passed


def skpd_recipients(agency: Agency) -> list[str]:
    """The agency's active operators and head (whom the policy lets read its reports, narrowed to SKPD roles) and
    its official address. Coordinators read the reports too, but a reminder is not theirs to answer."""
    people = who_may_for_agency(VIEW, ProgressReport, agency).filter(
        memberships__agency=agency, memberships__role__in=SKPD_STAFF, memberships__is_active=True
    )
    return addresses(people, agency=agency)


def coordinator_recipients(agency: Agency) -> list[str]:
    """The region's coordinators: whom the policy lets send reminders to this agency (any agency of the region)."""
    return addresses(who_may_for_agency(CREATE, ReportReminder, agency))


# --- DKISP's chase: one SKPD or all late ones, once a day each ---------------------------------------------


@dataclass
class ChasePreview:
    agency: Agency
    late: LateAgency | None
    recipients: list[str]
    subject: str = ""
    body: str = ""
    skip_reason: str = ""  # why it will not be sent; "" when it will

    @property
    def will_send(self) -> bool:
        return not self.skip_reason


def _chase_context(agency: Agency, late: LateAgency, today: dt.date) -> dict[str, object]:
    return {"agency": agency, "late": late, "periods": late.periods, "today": today}


def _skip_reason(late: LateAgency | None, recipients: list[str], chased_today: bool) -> str:
    if chased_today:
        return _("Already reminded today.")
    if late is None:
        return _("No reports are due or overdue.")
    if not recipients:
        return _("The SKPD has no operator, head or official address to write to.")
    return ""


def chase_previews(*, region: Region, agencies: Sequence[Agency], today: dt.date) -> list[ChasePreview]:
    """The mail each agency would get today, or why it gets none (already reminded, not late, no address)."""
    late = {a.agency.pk: a for a in late_agencies(region=region, today=today, agency_ids=[a.pk for a in agencies])}
    chased = set(
        ReportReminder.objects.filter(kind=Kind.CHASE, sent_on=today, agency__in=agencies).values_list(
            "agency_id", flat=True
        )
    )
    previews = []
    for agency in agencies:
        recipients = skpd_recipients(agency)
        preview = ChasePreview(agency, late.get(agency.pk), recipients)
        preview.skip_reason = _skip_reason(preview.late, recipients, agency.pk in chased)
        if preview.late is not None:
            preview.subject, preview.body = render_mail("report_chase", _chase_context(agency, preview.late, today))
        previews.append(preview)
    return previews


def chase_preview(*, agency: Agency, today: dt.date) -> ChasePreview:
    """The Indonesian mail `agency` would get today from DKISP: subject, body and recipients."""
    return chase_previews(region=agency.region, agencies=[agency], today=today)[0]


@dataclass
class ChaseOutcome:
    sent: list[ReportReminder] = field(default_factory=list)
    refused: list[tuple[Agency, str]] = field(default_factory=list)


def chase_send(*, agencies: Sequence[Agency], by: Actor, today: dt.date) -> ChaseOutcome:
    """Mail each SKPD its late reports and record the CHASE; an SKPD already chased today, not late, without an
    address, or outside the sender's region is refused and reported back, the others are sent."""
    outcome = ChaseOutcome()
    by_region: dict[int, list[Agency]] = {}
    for agency in agencies:
        by_region.setdefault(agency.region_id, []).append(agency)
    for group in by_region.values():
        region = group[0].region
        if by is None or not can_in_region(by, CREATE, ReportReminder, region):
            outcome.refused += [(agency, _("You may not send reminders to this SKPD.")) for agency in group]
            continue
        late = {a.agency.pk: a for a in late_agencies(region=region, today=today, agency_ids=[a.pk for a in group])}
        for agency in group:
            reminder, why = _chase_one(agency, late.get(agency.pk), by=by, today=today)
            if reminder is None:
                outcome.refused.append((agency, why))
            else:
                outcome.sent.append(reminder)
    return outcome


def _chase_one(
    agency: Agency, late: LateAgency | None, *, by: AbstractBaseUser, today: dt.date
) -> tuple[ReportReminder | None, str]:
    recipients = skpd_recipients(agency)
    with transaction.atomic():
        # Read in the transaction that writes the row; the unique constraint settles two requests that both read
        # "not yet" (the second insert waits for the first to commit, then fails).
        chased = ReportReminder.objects.filter(kind=Kind.CHASE, agency=agency, sent_on=today).exists()
        why = _skip_reason(late, recipients, chased)
        if why:
            return None, why
        assert late is not None  # noqa: S101 (the skip reason says so)
        oldest = late.oldest or late.periods[0]
        try:
            with transaction.atomic():
                reminder = ReportReminder.objects.create(
                    region_id=agency.region_id,
                    agency=agency,
                    kind=Kind.CHASE,
                    year=oldest.year,
                    period=oldest.period,
                    sent_on=today,
                    sent_by=by,
                    recipients=recipients,
                    late_count=late.late_count,
                )
        except IntegrityError:
            return None, _("Already reminded today.")
        audit_record(
            actor=by,
            action=MasterplanAction.REPORTS_CHASED,
            target=reminder,
            region=agency.region,
            changes={"recipients": recipients, "late_count": late.late_count},
        )
        notify(template="report_chase", recipients=recipients, context=_chase_context(agency, late, today))
    return reminder, ""


# --- The daily command: steps before the due date, one after, catching up a missed day ----------------------


def latest_step(due: dt.date, today: dt.date) -> int | None:
    """The latest reminder step reached by `today`: a missed step day is caught up by the next run, which sends
    only the latest step passed (never every missed one). None while the first step is still ahead."""
    days = (due - today).days
    if days < 0:
        return OVERDUE
    passed = [step for step in STEPS if step >= days]
    return min(passed) if passed else None


@dataclass(frozen=True)
class StepReminder:
    agency: Agency
    periods: list[tuple[LatePeriod, int]]  # each period and the step it is reminded at

    def __str__(self) -> str:
        listed = ", ".join(f"{p.label} ({'overdue' if s == OVERDUE else f'{s} d'})" for p, s in self.periods)
        return f"{self.agency.region} · {self.agency.acronym}: {listed}"


@dataclass(frozen=True)
class Escalation:
    agency: Agency
    period: LatePeriod
    since: dt.date  # when its overdue reminder went out (or the day after the due date, when none could)

    def __str__(self) -> str:
        return f"{self.agency.region} · {self.agency.acronym}: {self.period.label}, {self.period.missing} late"


@dataclass
class ReminderRun:
    sent: list[StepReminder] = field(default_factory=list)
    skipped: list[StepReminder] = field(default_factory=list)  # the SKPD has no address
    escalations: list[Escalation] = field(default_factory=list)
    digests: int = 0
    official_mails: int = 0


def report_reminders_send(*, today: dt.date) -> ReminderRun:
    """Send today's scheduled reminders, escalations and digests for every active region."""
    run = ReminderRun()
    for region in Region.objects.filter(is_active=True).order_by("pk"):
        _region_reminders(region, today, run)
    return run


def _region_reminders(region: Region, today: dt.date, run: ReminderRun) -> None:
    masterplan = region_masterplan(region)
    if masterplan is None:
        return
    begun = begun_pairs(masterplan, today)
    steps = {pair: latest_step(due_date(masterplan.period_type, *pair), today) for pair in begun}
    phases = {pair: phase for pair, phase in begun.items() if steps[pair] is not None}
    owing = missing_reports(masterplan=masterplan, phases=phases)
    if not owing:
        return
    logged = ReportReminder.objects.filter(
        region=region, agency__in=[a.agency for a in owing], kind__in=[Kind.STEP, Kind.ESCALATION]
    ).values_list("kind", "agency_id", "year", "period", "days_before", "sent_on")
    sent_steps = {(a, y, p, d) for kind, a, y, p, d, _on in logged if kind == Kind.STEP}
    overdue_sent = {(a, y, p): on for kind, a, y, p, d, on in logged if kind == Kind.STEP and d == OVERDUE}
    escalated = {(a, y, p) for kind, a, y, p, _d, _on in logged if kind == Kind.ESCALATION}
    sent_today = 0
    for late in owing:
        wanted = [
            (period, step)
            for period in late.periods
            if (step := steps[(period.year, period.period)]) is not None
            and (late.agency.pk, period.year, period.period, step) not in sent_steps
        ]
        if not wanted:
            continue
        reminder = StepReminder(late.agency, wanted)
        recipients = skpd_recipients(late.agency)
        if not recipients:
            # Not logged: once someone adds an address, the next run reaches them (escalation does not wait).
            run.skipped.append(reminder)
            continue
        if _send_steps(reminder, recipients, today):
            run.sent.append(reminder)
            sent_today += 1
            for period, step in wanted:
                if step == OVERDUE:
                    overdue_sent.setdefault((late.agency.pk, period.year, period.period), today)
    escalations = _escalate(region, owing, overdue_sent, escalated, today)
    run.escalations += escalations
    if escalations and region.escalation_email:
        notify(
            template="report_escalation",
            recipients=[region.escalation_email],
            context={
                "region": region,
                "escalations": escalations,
                "escalation_days": settings.REPORT_ESCALATION_DAYS,
                "today": today,
            },
        )
        run.official_mails += 1
    late_skpds = sum(1 for a in owing if a.overdue)
    if escalations or sent_today:
        # One digest a region, only on a day the command did something: a second run the same day says nothing.
        coordinators = coordinator_recipients(owing[0].agency)
        if coordinators:
            notify(
                template="coordinator_digest",
                recipients=coordinators,
                context={
                    "region": region,
                    "escalations": escalations,
                    "late_skpds": late_skpds,
                    "reminded": sent_today,
                    "today": today,
                },
            )
            run.digests += 1


def _send_steps(reminder: StepReminder, recipients: list[str], today: dt.date) -> bool:
    """Log each period's step and queue the one mail listing them, in one transaction; False when a concurrent
    run logged them first."""
    agency = reminder.agency
    with transaction.atomic():
        written = []
        for period, step in reminder.periods:
            try:
                with transaction.atomic():
                    written.append(
                        ReportReminder.objects.create(
                            region_id=agency.region_id,
                            agency=agency,
                            kind=Kind.STEP,
                            year=period.year,
                            period=period.period,
                            days_before=step,
                            sent_on=today,
                            recipients=recipients,
                            late_count=period.missing,
                        )
                    )
            except IntegrityError:
                continue  # a concurrent run got there first
        if not written:
            return False
        notify(
            template="report_reminder",
            recipients=recipients,
            context={
                "agency": agency,
                "periods": [
                    {"period": period, "step": step, "overdue": step == OVERDUE} for period, step in reminder.periods
                ],
                "overdue": any(step == OVERDUE for _period, step in reminder.periods),
                "today": today,
            },
        )
    return True


def _escalate(
    region: Region,
    owing: list[LateAgency],
    overdue_sent: dict[tuple[int, int, int], dt.date],
    escalated: set[tuple[int, int, int]],
    today: dt.date,
) -> list[Escalation]:
    """Escalate, once per period, each SKPD still late REPORT_ESCALATION_DAYS after its overdue reminder.

    An SKPD that could not be reminded (no address) is counted from the day after the due date: having nobody to
    write to is no reason to stay off DKISP's list.
    """
    wait = dt.timedelta(days=settings.REPORT_ESCALATION_DAYS)
    done = []
    for late in owing:
        for period in late.periods:
            if period.phase != SlotState.OVERDUE:
                continue
            key = (late.agency.pk, period.year, period.period)
            since = overdue_sent.get(key) or period.due + dt.timedelta(days=1)
            if key in escalated or today < since + wait:
                continue
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        row = ReportReminder.objects.create(
                            region_id=late.agency.region_id,
                            agency=late.agency,
                            kind=Kind.ESCALATION,
                            year=period.year,
                            period=period.period,
                            sent_on=today,
                            recipients=[region.escalation_email] if region.escalation_email else [],
                            late_count=period.missing,
                        )
                except IntegrityError:
                    continue  # a concurrent run escalated it
                audit_record(
                    actor=None,
                    action=MasterplanAction.REPORTS_ESCALATED,
                    target=row,
                    region=region,
                    changes={"period": period.label, "late_count": period.missing},
                )
            done.append(Escalation(late.agency, period, since))
    return done
