"""`send_report_reminders`: steps before a period's due date (a missed day caught up once), one reminder after it,
escalation once per period to the coordinators' digest and the region's official, and nothing across regions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.core.management.base import CommandError

from agencies.models import AuditEvent, Region, Role
from agencies.services import membership_grant
from masterplan.actions import MasterplanAction
from masterplan.models import Programme, ReportReminder
from masterplan.selectors.reports import due_date
from masterplan.services.chasing import latest_step
from masterplan.services.reports import report_submit
from tests.conftest import World, make_report, make_user

Kind = ReportReminder.Kind
DUE = due_date("quarterly", 2025, 2)  # 2025 Q2 (ends 30 June) is due after the grace days


def day(offset: int) -> dt.date:
    """`offset` days after the due date (negative: before it)."""
    return DUE + dt.timedelta(days=offset)


@pytest.fixture
def q2(world: World) -> World:
    """Every programme of Banjar starts in 2025 and both lead SKPDs handed in Q1: only Q2 is owed in July.

    Agency A leads LIV-01, agency B leads SOC-01 (DKISP supports it and owes nothing). The other region is
    inactive unless a test wakes it.
    """
    Programme.objects.filter(masterplan=world.masterplan).update(start_year=2025)
    report_submit(report=world.report_a, by=world.operator_a)
    report_b = make_report(world.programme_b, world.agency_b, world.operator_b, year=2025, period=1)
    report_submit(report=report_b, by=world.operator_b)
    Region.objects.filter(pk=world.other_region.pk).update(is_active=False)
    return world


@pytest.fixture
def run(
    mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Callable[..., Any]
) -> Callable[[dt.date], tuple[list[EmailMessage], str]]:
    """Run the command as on `today`, letting its commits go out; returns the new mails and the summary."""

    def run(today: dt.date) -> tuple[list[EmailMessage], str]:
        before = len(mailoutbox)
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_report_reminders", "--today", today.isoformat(), stdout=out)
        return mailoutbox[before:], out.getvalue()

    return run


def to(sent: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in sent if address in m.to]


def steps() -> list[tuple[str, int | None, dt.date]]:
    return sorted(
        ReportReminder.objects.filter(kind=Kind.STEP).values_list("agency__acronym", "days_before", "sent_on")
    )


@pytest.mark.parametrize(
    ("offset", "step"), [(-30, None), (-8, None), (-7, 7), (-5, 7), (-3, 3), (-2, 3), (-1, 1), (0, 0), (1, -1)]
)
def test_the_latest_step_reached(offset: int, step: int | None) -> None:
    assert latest_step(DUE, day(offset)) == step


def test_the_7_day_reminder_goes_to_each_lead_skpd_in_indonesian(q2: World, run: Any) -> None:
    sent, summary = run(day(-7))

    (to_a,) = to(sent, q2.operator_a.email)
    assert to_a.to == [q2.operator_a.email]
    assert "DINKES" in to_a.subject
    assert "Dinas Kesehatan" in to_a.body
    assert "/laporan/" in to_a.body
    assert DUE.strftime("%Y") in to_a.body
    assert len(to(sent, q2.operator_b.email)) == 1
    assert steps() == [("DINKES", 7, day(-7)), ("DISDIK", 7, day(-7))]
    assert "2 sent" in summary


def test_a_second_run_the_same_day_sends_nothing(q2: World, run: Any) -> None:
    run(day(-7))

    sent, summary = run(day(-7))

    assert sent == []
    assert "0 sent" in summary
    assert ReportReminder.objects.count() == 2


def test_the_days_before_the_first_step_are_quiet(q2: World, run: Any) -> None:
    for offset in (-40, -20, -8):
        assert run(day(offset))[0] == [], offset
    assert not ReportReminder.objects.exists()


def test_a_missed_step_day_is_caught_up_once(q2: World, run: Any) -> None:
    # The command did not run on day 7: day 5 sends the step-7 reminder, day 4 nothing, day 3 its own step.
    sent, _summary = run(day(-5))
    assert len(to(sent, q2.operator_a.email)) == 1
    assert run(day(-4))[0] == []
    sent, _summary = run(day(-3))
    assert len(to(sent, q2.operator_a.email)) == 1

    assert steps() == [
        ("DINKES", 3, day(-3)),
        ("DINKES", 7, day(-5)),
        ("DISDIK", 3, day(-3)),
        ("DISDIK", 7, day(-5)),
    ]


def test_only_the_latest_missed_step_is_sent(q2: World, run: Any) -> None:
    # Nothing ran until the due date itself: one reminder, step 0, never the 7, 3 and 1 it skipped.
    sent, _summary = run(day(0))

    assert len(to(sent, q2.operator_a.email)) == 1
    assert {d for _a, d, _on in steps()} == {0}


def test_every_step_is_sent_once_then_the_overdue_one(q2: World, run: Any) -> None:
    for offset in range(-9, 5):
        run(day(offset))

    assert [d for a, d, _on in steps() if a == "DINKES"] == [-1, 0, 1, 3, 7]


def test_an_skpd_that_handed_in_gets_nothing(q2: World, run: Any) -> None:
    report = make_report(q2.programme_b, q2.agency_b, q2.operator_b, year=2025, period=2)
    report_submit(report=report, by=q2.operator_b)

    sent, _summary = run(day(-3))

    assert to(sent, q2.operator_b.email) == []
    assert len(to(sent, q2.operator_a.email)) == 1


def test_one_mail_a_day_lists_every_period_owed(q2: World, run: Any) -> None:
    # Agency A's Q1 report goes back for correction: Q1 (overdue) and Q2 (step 7) go out in one mail.
    from masterplan.services.reports import report_return

    report_return(report=q2.report_a, by=q2.coordinator, reason="Lengkapi data realisasi triwulan.")

    sent, _summary = run(day(-7))

    (mail,) = to(sent, q2.operator_a.email)
    assert "2025" in mail.body
    assert mail.body.count("\n- ") == 2
    assert sorted(ReportReminder.objects.filter(agency=q2.agency_a).values_list("period", "days_before")) == [
        (1, -1),
        (2, 7),
    ]


def test_an_overdue_skpd_is_reminded_once(q2: World, run: Any) -> None:
    sent, _summary = run(day(2))

    assert len(to(sent, q2.operator_a.email)) == 1
    assert {d for _a, d, _on in steps()} == {-1}
    assert to(run(day(3))[0], q2.operator_a.email) == []


def test_an_skpd_without_an_address_is_skipped_and_not_logged(q2: World, run: Any) -> None:
    q2.operator_a.is_active = False
    q2.operator_a.save()

    _sent, summary = run(day(-7))

    assert "1 skipped" in summary
    assert not ReportReminder.objects.filter(agency=q2.agency_a).exists()


# --- Escalation, the coordinators' digest, the official -----------------------------------------------------


def test_the_coordinators_digest_goes_on_days_something_happened(q2: World, run: Any) -> None:
    sent, _summary = run(day(-7))

    (digest,) = to(sent, q2.coordinator.email)
    assert digest.to == [q2.coordinator.email]
    assert "Kabupaten Banjar" in digest.subject
    assert "/laporan/ingatkan/?late=1" in digest.body
    assert to(run(day(-6))[0], q2.coordinator.email) == []  # nothing sent: nothing to say


def test_an_skpd_still_late_is_escalated_once(q2: World, run: Any, settings: Any) -> None:
    settings.REPORT_ESCALATION_DAYS = 7
    Region.objects.filter(pk=q2.region.pk).update(
        escalation_name="Asisten Administrasi Umum", escalation_email="asisten@banjarkab.go.id"
    )
    run(day(1))  # the overdue reminder
    for offset in range(2, 8):
        sent, _summary = run(day(offset))
        assert to(sent, "asisten@banjarkab.go.id") == [], offset
    assert not ReportReminder.objects.filter(kind=Kind.ESCALATION).exists()

    sent, summary = run(day(8))  # seven days after the overdue reminder

    escalations = ReportReminder.objects.filter(kind=Kind.ESCALATION)
    assert sorted(escalations.values_list("agency__acronym", "year", "period")) == [
        ("DINKES", 2025, 2),
        ("DISDIK", 2025, 2),
    ]
    assert "2 escalated" in summary
    (official,) = to(sent, "asisten@banjarkab.go.id")
    assert official.to == ["asisten@banjarkab.go.id"]
    assert "Asisten Administrasi Umum" in official.body
    assert "DINKES" in official.body and "DISDIK" in official.body
    (digest,) = to(sent, q2.coordinator.email)
    assert "DINKES" in digest.body and "DISDIK" in digest.body
    assert " 2" in digest.body  # two SKPDs late
    assert AuditEvent.objects.filter(action=MasterplanAction.REPORTS_ESCALATED).count() == 2

    # Once per period: the next days say nothing more.
    for offset in (9, 30):
        sent, _summary = run(day(offset))
        assert sent == [], offset
    assert escalations.count() == 2


def test_without_an_official_only_the_digest_tells(q2: World, run: Any, settings: Any) -> None:
    settings.REPORT_ESCALATION_DAYS = 3
    run(day(1))

    sent, _summary = run(day(4))

    assert {tuple(m.to) for m in sent} == {(q2.coordinator.email,)}
    assert ReportReminder.objects.filter(kind=Kind.ESCALATION).count() == 2


def test_an_skpd_that_hands_in_is_not_escalated(q2: World, run: Any) -> None:
    run(day(1))
    report = make_report(q2.programme_a, q2.agency_a, q2.operator_a, year=2025, period=2)
    report_submit(report=report, by=q2.operator_a)

    run(day(20))

    assert list(ReportReminder.objects.filter(kind=Kind.ESCALATION).values_list("agency__acronym", flat=True)) == [
        "DISDIK"
    ]


def test_an_skpd_nobody_can_be_reminded_at_is_escalated_from_the_due_date(q2: World, run: Any, settings: Any) -> None:
    settings.REPORT_ESCALATION_DAYS = 7
    q2.operator_a.is_active = False
    q2.operator_a.save()

    run(day(7))
    assert not ReportReminder.objects.filter(kind=Kind.ESCALATION, agency=q2.agency_a).exists()
    run(day(8))

    assert ReportReminder.objects.filter(kind=Kind.ESCALATION, agency=q2.agency_a).count() == 1


def test_no_mail_crosses_a_region(q2: World, run: Any) -> None:
    # The other region wakes up with its own late SKPD, staffed; its mails stay its own.
    Region.objects.filter(pk=q2.other_region.pk).update(is_active=True, escalation_email="sekda@banjarbarukota.go.id")
    Programme.objects.filter(pk=q2.other_programme.pk).update(start_year=2025)
    operator_c = make_user("operator_c")
    membership_grant(by=None, user=operator_c, region=q2.other_region, role=Role.OPERATOR, agency=q2.other_agency)

    sent, _summary = run(day(-7))

    banjar = {q2.operator_a.email, q2.operator_b.email, q2.coordinator.email}
    banjarbaru = {operator_c.email, q2.outsider.email}
    for mail in sent:
        names = set(mail.to)
        assert names <= banjar or names <= banjarbaru, mail.to
        if names <= banjarbaru:
            assert "Banjarbaru" in mail.subject or "DISKOMINFO" in mail.subject
    assert len(to(sent, operator_c.email)) == 1  # DISKOMINFO leads GOV-01 (Q1 also owed: one mail)
    assert len(to(sent, q2.outsider.email)) == 1  # its coordinator's digest


def test_an_invalid_date_is_refused(db: None) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_report_reminders", "--today", "2025-02-30", stdout=StringIO())


def test_the_command_runs_on_today_by_default(q2: World) -> None:
    out = StringIO()
    call_command("send_report_reminders", stdout=out)
    assert "Report reminders for" in out.getvalue()
