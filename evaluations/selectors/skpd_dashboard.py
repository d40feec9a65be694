"""An SKPD's own dashboard: what it owes, with the deadlines, in a fixed number of queries.

Progress reports come from the same functions as "Laporan saya" (`report_work` for the counts, the slots for the
list), so the numbers agree. Questions, follow-up tasks and meeting invitations are counted in the database;
their lists are capped, the counts are not.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.utils import timezone

from agencies.models import Agency
from agencies.permissions import User
from evaluations.models import (
    Answer,
    Assignment,
    EvaluationCycle,
    FollowUpItem,
    FollowUpTask,
    Meeting,
    MeetingInvitation,
    WindowExtension,
)
from evaluations.services import windows
from masterplan.models import Masterplan, ProgressReport
from masterplan.selectors import current_masterplan
from masterplan.selectors.reports import ReportSlot, ReportWork, SlotState, report_slots_for_years, report_work

ROWS_SHOWN = 20
Status = Answer.Status
# The report slots the SKPD has to act on: the states "Laporan saya" counts above its list, and the due ones.
REPORT_ACTION_STATES = (ProgressReport.Status.RETURNED, SlotState.OVERDUE, SlotState.DUE)
OPEN_TASK = (FollowUpTask.Status.OPEN, FollowUpTask.Status.IN_PROGRESS)


@dataclass
class ReportSummary:
    masterplan: Masterplan | None
    work: ReportWork  # the overdue and returned counts of "Laporan saya", across every year
    due: int  # slots due now (the period ended, the grace days still run)
    slots: list[ReportSlot]  # overdue, due and returned slots, oldest first, at most ROWS_SHOWN
    more: int  # slots to act on beyond those shown


@dataclass
class CycleQuestions:
    """The SKPD's questions of one open cycle, counted by their answer's status."""

    cycle: EvaluationCycle
    closes_on: dt.date  # the cycle's close, or the SKPD's extension when later
    total: int
    draft: int
    returned: int
    submitted: int
    verified: int
    earliest_deadline: dt.date | None  # of the questions still to answer (draft or returned)
    today: dt.date

    @property
    def to_do(self) -> int:
        return self.draft + self.returned

    @property
    def late(self) -> bool:
        return self.earliest_deadline is not None and self.earliest_deadline < self.today


@dataclass
class SkpdDashboard:
    agency: Agency
    today: dt.date
    reports: ReportSummary
    questions: list[CycleQuestions]
    tasks: list[FollowUpTask]  # open, oldest due date first, at most ROWS_SHOWN; `.overdue` set on each
    task_count: int
    task_overdue: int
    invitations: list[MeetingInvitation]  # pending, soonest meeting first, at most ROWS_SHOWN
    invitation_count: int
    counts: dict[str, int] = field(default_factory=dict)


def report_summary(*, user: User, agency: Agency, today: dt.date) -> ReportSummary:
    """The agency's progress reports as "Laporan saya" shows them, over the same years (five queries)."""
    masterplan = current_masterplan(user=user, region=agency.region)
    if masterplan is None:
        return ReportSummary(None, ReportWork(overdue=0, returned=0, oldest_year=None), 0, [], 0)
    years = [y for y in masterplan.years if y <= today.year] or [masterplan.start_year]
    work = report_work(agencies=[agency], masterplan=masterplan, years=years, today=today)
    slots = report_slots_for_years(agency=agency, masterplan=masterplan, years=years, today=today)
    to_act = [slot for slot in slots if slot.state in REPORT_ACTION_STATES]
    # Returned reports first (DKISP said what to fix), then the overdue and the due ones, oldest first.
    to_act.sort(key=lambda slot: (REPORT_ACTION_STATES.index(slot.state), slot.due, slot.programme.code))
    due = sum(1 for slot in to_act if slot.state == SlotState.DUE)
    return ReportSummary(masterplan, work, due, to_act[:ROWS_SHOWN], max(0, len(to_act) - ROWS_SHOWN))


def open_cycle_questions(*, agency: Agency, today: dt.date) -> list[CycleQuestions]:
    """The agency's questions in cycles still open to it: unlocked, and its window (extension included) not yet
    closed on `today`. Counts by answer status and the earliest deadline of what is left (three queries)."""
    extended = WindowExtension.objects.filter(cycle=OuterRef("cycle"), agency=agency, closes_on__gte=today)
    rows = list(
        Answer.objects.filter(agency=agency, cycle__region=agency.region_id, cycle__locked_at__isnull=True)
        .filter(Q(cycle__closes_on__gte=today) | Q(Exists(extended)))
        .order_by()
        .values("cycle")
        .annotate(
            total=Count("pk"),
            draft=Count("pk", filter=Q(status=Status.DRAFT)),
            returned=Count("pk", filter=Q(status=Status.RETURNED)),
            submitted=Count("pk", filter=Q(status=Status.SUBMITTED)),
            verified=Count("pk", filter=Q(status=Status.VERIFIED)),
        )
    )
    if not rows:
        return []
    cycle_ids = [row["cycle"] for row in rows]
    cycles = {c.pk: c for c in EvaluationCycle.objects.filter(pk__in=cycle_ids)}
    still_to_answer = Answer.objects.filter(
        cycle=OuterRef("cycle"), question=OuterRef("question"), agency=agency, status__in=Answer.EDITABLE
    )
    deadlines = dict(
        Assignment.objects.filter(cycle__in=cycle_ids, agency=agency)
        .filter(Exists(still_to_answer))
        .order_by()
        .values("cycle")
        .annotate(earliest=Min("deadline"))
        .values_list("cycle", "earliest")
    )
    extensions = dict(
        WindowExtension.objects.filter(cycle__in=cycle_ids, agency=agency).values_list("cycle", "closes_on")
    )
    result = []
    for row in rows:
        cycle = cycles[row["cycle"]]
        extension = extensions.get(cycle.pk)
        closes_on = max(cycle.closes_on, extension) if extension else cycle.closes_on
        result.append(
            CycleQuestions(
                cycle,
                closes_on,
                row["total"],
                row["draft"],
                row["returned"],
                row["submitted"],
                row["verified"],
                deadlines.get(cycle.pk),
                today,
            )
        )
    result.sort(key=lambda c: (c.earliest_deadline or c.closes_on, c.cycle.pk))
    return result


def skpd_dashboard(*, user: User, agency: Agency) -> SkpdDashboard:
    """Everything the agency owes, with deadlines (about a dozen queries, whatever the number of rows)."""
    today = timezone.localdate()
    reports = report_summary(user=user, agency=agency, today=today)
    questions = open_cycle_questions(agency=agency, today=windows.today())
    task_rows = FollowUpTask.objects.filter(agency=agency, status__in=OPEN_TASK).exclude(
        item__status__in=FollowUpItem.CLOSED
    )
    task_counts = task_rows.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    tasks = list(task_rows.select_related("item__cycle", "item__dimension").order_by("due_on", "pk")[:ROWS_SHOWN])
    for task in tasks:
        task.overdue = task.due_on < today  # type: ignore[attr-defined]
    pending = MeetingInvitation.objects.filter(
        agency=agency,
        response=MeetingInvitation.Response.PENDING,
        meeting__status=Meeting.Status.PLANNED,
        meeting__starts_at__gt=timezone.now(),
    )
    invitation_count = pending.count()
    invitations = list(pending.select_related("meeting__cycle").order_by("meeting__starts_at", "pk")[:ROWS_SHOWN])
    dashboard = SkpdDashboard(
        agency=agency,
        today=today,
        reports=reports,
        questions=questions,
        tasks=tasks,
        task_count=task_counts["total"],
        task_overdue=task_counts["overdue"],
        invitations=invitations,
        invitation_count=invitation_count,
    )
    dashboard.counts = {
        "reports_overdue": reports.work.overdue,
        "reports_returned": reports.work.returned,
        "reports_due": reports.due,
        "questions_to_do": sum(c.to_do for c in questions),
        "tasks_open": dashboard.task_count,
        "tasks_overdue": dashboard.task_overdue,
        "invitations_pending": invitation_count,
    }
    return dashboard
