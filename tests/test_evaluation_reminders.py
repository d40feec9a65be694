"""`send_evaluation_reminders`: one mail per SKPD and step before the internal deadline, and one once it has passed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.core.management.base import CommandError

from evaluations.models import Answer, ReminderLog
from evaluations.services.answers import answer_return, answer_submit, answer_update
from evaluations.services.cycles import assign_questions, cycle_lock
from tests.conftest import Evaluation

# The `evaluation` fixture's cycle: two questions for agency A (DINKES), one for agency B (DISDIK).
DEADLINE = dt.date(2023, 5, 20)


@pytest.fixture
def run(
    mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Callable[..., Any]
) -> Callable[[dt.date], tuple[list[EmailMessage], str]]:
    """Run the command as on `today`, letting its commits go out; returns the new mails and the summary."""

    def run(today: dt.date) -> tuple[list[EmailMessage], str]:
        before = len(mailoutbox)
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_evaluation_reminders", "--today", today.isoformat(), stdout=out)
        return mailoutbox[before:], out.getvalue()

    return run


def days_before(days: int) -> dt.date:
    return DEADLINE - dt.timedelta(days=days)


def mail_to(sent: list[EmailMessage], address: str) -> EmailMessage:
    (found,) = [m for m in sent if address in m.to]
    return found


def test_the_7_day_reminder_goes_to_each_skpds_operators_in_indonesian(evaluation: Evaluation, run: Any) -> None:
    world = evaluation.world

    sent, summary = run(days_before(7))

    assert len(sent) == 2
    to_a = mail_to(sent, world.operator_a.email)
    assert world.operator_b.email not in to_a.to
    assert "2023 Tahap I" in to_a.subject
    assert "7" in to_a.subject
    assert world.agency_a.name in to_a.body
    assert " 2 " in to_a.body  # both of agency A's questions are open
    assert "20 Mei 2023" in to_a.body  # the deadline, written the Indonesian way
    assert "/kuesioner/" in to_a.body
    assert " 1 " in mail_to(sent, world.operator_b.email).body
    logged = set(ReminderLog.objects.values_list("agency__acronym", "days_before", "sent_on"))
    assert logged == {("DINKES", 7, days_before(7)), ("DISDIK", 7, days_before(7))}
    assert "2 sent" in summary


def test_a_second_run_the_same_day_sends_nothing(evaluation: Evaluation, run: Any) -> None:
    run(days_before(7))

    sent, summary = run(days_before(7))

    assert sent == []
    assert "0 sent" in summary
    assert ReminderLog.objects.count() == 2


def test_the_days_before_the_first_step_are_quiet(evaluation: Evaluation, run: Any) -> None:
    for days in (30, 8):
        sent, _summary = run(days_before(days))
        assert sent == [], days
    assert not ReminderLog.objects.exists()


def test_the_days_between_steps_are_quiet_once_the_step_went_out(evaluation: Evaluation, run: Any) -> None:
    run(days_before(7))

    for days in (6, 5, 4):
        sent, _summary = run(days_before(days))
        assert sent == [], days
    assert set(ReminderLog.objects.values_list("days_before", flat=True)) == {7}


def test_a_missed_step_day_is_caught_up_once_by_the_next_run(evaluation: Evaluation, run: Any) -> None:
    # The command did not run on day 7: day 5 sends the step-7 reminder, once.
    sent, _summary = run(days_before(5))
    assert len(sent) == 2
    assert "5 hari" in sent[0].subject  # the mail tells the days really left
    assert run(days_before(4))[0] == []

    # Day 3 is a step day of its own; the missed day 1 is caught up on day 0 by the step-0 reminder alone.
    assert len(run(days_before(3))[0]) == 2
    assert len(run(days_before(0))[0]) == 2
    logged = sorted(ReminderLog.objects.values_list("days_before", "sent_on"))
    assert logged == [
        (0, days_before(0)),
        (0, days_before(0)),
        (3, days_before(3)),
        (3, days_before(3)),
        (7, days_before(5)),
        (7, days_before(5)),
    ]


def test_only_the_latest_missed_step_is_caught_up(evaluation: Evaluation, run: Any) -> None:
    # Nothing ran before the deadline day itself: one reminder (step 0), never the 7, 3 and 1 it skipped.
    sent, _summary = run(days_before(0))

    assert len(sent) == 2
    assert set(ReminderLog.objects.values_list("days_before", flat=True)) == {0}


def test_each_step_is_sent_once(evaluation: Evaluation, run: Any) -> None:
    for days in (7, 3, 1, 0):
        sent, _summary = run(days_before(days))
        assert len(sent) == 2, days

    assert sorted(set(ReminderLog.objects.values_list("days_before", flat=True))) == [0, 1, 3, 7]


def test_the_mails_wait_for_the_commit(evaluation: Evaluation, mailoutbox: list[EmailMessage]) -> None:
    # Without letting the command's transaction commit (the test's own stays open), nothing is delivered.
    call_command("send_evaluation_reminders", "--today", days_before(7).isoformat(), stdout=StringIO())

    assert mailoutbox == []
    assert ReminderLog.objects.count() == 2


def test_a_locked_cycle_gets_nothing(evaluation: Evaluation, run: Any) -> None:
    cycle_lock(cycle=evaluation.cycle, by=evaluation.world.coordinator, reason="Dikunci lebih awal untuk pengujian.")

    sent, _summary = run(days_before(7))

    assert sent == []


def test_an_skpd_that_has_submitted_everything_gets_nothing(evaluation: Evaluation, run: Any) -> None:
    world = evaluation.world
    answer = answer_update(
        answer=evaluation.percentage, by=world.operator_b, expected_version=1, data={"value_number": Decimal("62.5")}
    )
    answer_submit(answer=answer, by=world.operator_b)

    sent, _summary = run(days_before(3))

    assert [m.to for m in sent] == [[world.operator_a.email]]


def test_a_returned_answer_is_open_again(evaluation: Evaluation, run: Any) -> None:
    world = evaluation.world
    answer = answer_update(
        answer=evaluation.percentage, by=world.operator_b, expected_version=1, data={"value_number": Decimal("62.5")}
    )
    answer = answer_submit(answer=answer, by=world.operator_b)
    answer_return(answer=answer, by=world.coordinator, reason="Lampirkan hasil survei sebagai bukti dukung.")
    assert Answer.objects.get(pk=answer.pk).status == Answer.Status.RETURNED

    sent, _summary = run(days_before(1))

    assert " 1 " in mail_to(sent, world.operator_b.email).body


def test_the_earliest_open_deadline_counts(evaluation: Evaluation, run: Any) -> None:
    world = evaluation.world
    earlier = dt.date(2023, 5, 15)
    assign_questions(
        cycle=evaluation.cycle,
        by=world.coordinator,
        questions=[evaluation.yes_no.question],
        agency=world.agency_a,
        supporting=[world.dkisp],
        deadline=earlier,
    )

    sent, _summary = run(earlier - dt.timedelta(days=7))

    assert len(sent) == 1  # agency B's deadline is still twelve days away
    assert "15 Mei 2023" in mail_to(sent, world.operator_a.email).body
    assert " 2 " in sent[0].body  # the reminder counts all of agency A's open questions


def test_an_overdue_skpd_is_reminded_once(evaluation: Evaluation, run: Any) -> None:
    sent, _summary = run(DEADLINE + dt.timedelta(days=2))

    assert len(sent) == 2
    assert set(ReminderLog.objects.values_list("days_before", flat=True)) == {-1}
    assert run(DEADLINE + dt.timedelta(days=3))[0] == []
    assert run(DEADLINE + dt.timedelta(days=40))[0] == []


def test_an_invalid_date_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_evaluation_reminders", "--today", "2023-02-30", stdout=StringIO())
