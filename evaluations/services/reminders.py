"""Deadline reminders for SKPDs with open evaluation answers (sent by the daily command)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, Min, OuterRef

from agencies.models import Agency
from agencies.notifications import notify
from evaluations.models import Answer, Assignment, EvaluationCycle, ReminderLog
from evaluations.services.cycles import skpd_addresses

STEPS = (7, 3, 1, 0)  # days before the deadline
OVERDUE = -1  # ReminderLog.days_before of the one reminder after the deadline has passed


@dataclass(frozen=True)
class Reminder:
    cycle: EvaluationCycle
    agency: Agency
    count: int  # answers still open
    deadline: dt.date  # the earliest deadline among them
    days_before: int  # a step, or OVERDUE

    def __str__(self) -> str:
        when = "overdue" if self.days_before == OVERDUE else f"{self.days_before} day(s) before"
        return f"{self.cycle} · {self.agency.acronym}: {self.count} open, deadline {self.deadline:%Y-%m-%d} ({when})"


def step_for(deadline: dt.date, today: dt.date) -> int | None:
    """The latest reminder step reached by `today`, if any.

    A step day the command did not run on is caught up by the next run, which sends that latest step passed (once:
    `reminders_due` skips a step already logged, and never all the missed ones). None while the first step is ahead.
    """
    days = (deadline - today).days
    if days < 0:
        return OVERDUE
    passed = [step for step in STEPS if step >= days]
    return min(passed) if passed else None


def reminders_due(*, today: dt.date) -> list[Reminder]:
    """The reminders to send today that have not been sent yet (four queries)."""
    open_answer = Answer.objects.filter(
        cycle=OuterRef("cycle"), question=OuterRef("question"), status__in=Answer.EDITABLE
    )
    # Grouped on the assignment, which holds the deadline; assign_questions keeps its agency the answer's.
    groups = (
        Assignment.objects.filter(cycle__locked_at__isnull=True)
        .filter(Exists(open_answer))
        .values("cycle_id", "agency_id")
        .annotate(count=Count("pk"), deadline=Min("deadline"))
        .order_by("cycle_id", "agency_id")
    )
    wanted = []
    for group in groups:
        step = step_for(group["deadline"], today)
        if step is not None:
            wanted.append((group, step))
    if not wanted:
        return []
    cycle_ids = {group["cycle_id"] for group, _ in wanted}
    sent = set(ReminderLog.objects.filter(cycle_id__in=cycle_ids).values_list("cycle_id", "agency_id", "days_before"))
    cycles = EvaluationCycle.objects.select_related("region").in_bulk(cycle_ids)
    agencies = Agency.objects.in_bulk({group["agency_id"] for group, _ in wanted})
    return [
        Reminder(cycles[g["cycle_id"]], agencies[g["agency_id"]], g["count"], g["deadline"], step)
        for g, step in wanted
        if (g["cycle_id"], g["agency_id"], step) not in sent
    ]


def reminders_send(*, today: dt.date) -> tuple[list[Reminder], list[Reminder]]:
    """Mail and log today's reminders; returns (sent, skipped because the SKPD has no mail address)."""
    sent, skipped = [], []
    for reminder in reminders_due(today=today):
        recipients = skpd_addresses(reminder.agency)
        if not recipients:
            # Not logged: once someone adds an address, the next run on a step day reaches them.
            skipped.append(reminder)
            continue
        # One transaction per reminder: the log row and the mail (queued on commit) go together, and a
        # failure halfway keeps the reminders already sent from being sent again by the next run.
        with transaction.atomic():
            _log, created = ReminderLog.objects.get_or_create(
                cycle=reminder.cycle,
                agency=reminder.agency,
                days_before=reminder.days_before,
                defaults={"sent_on": today},
            )
            if not created:  # a concurrent run got there first
                continue
            notify(
                template="evaluation_reminder",
                recipients=recipients,
                context={
                    "cycle": reminder.cycle,
                    "agency": reminder.agency,
                    "count": reminder.count,
                    "deadline": reminder.deadline,
                    # The days really left: a caught-up step's mail tells the truth, not the step's day.
                    "days_before": OVERDUE if reminder.days_before == OVERDUE else (reminder.deadline - today).days,
                },
            )
        sent.append(reminder)
    return sent, skipped
