"""An SKPD's own dashboard: its numbers against counts made independently, who may see it, and its queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from agencies.services import membership_grant
from evaluations.models import Answer, FollowUpItem, FollowUpTask, Meeting, MeetingInvitation
from evaluations.services.answers import answer_return, answer_submit, answer_update
from evaluations.services.cycles import assign_questions
from evaluations.views.skpd_dashboard import optional_url
from masterplan.models import PERIODS_PER_YEAR, ProgressReport, period_end
from masterplan.services.reports import report_return, report_submit
from tests.conftest import World, client_for, make_programme, make_report, make_user

RETURN_REASON = "Realisasi belum sesuai bukti dukung."


def url_a(world: World) -> str:
    return reverse("evaluations:skpd_dashboard_agency", args=[world.agency_a.pk])


def returned_report(world: World) -> ProgressReport:
    """Report A handed in and sent back by DKISP."""
    report = report_submit(report=world.report_a, by=world.operator_a)
    return report_return(report=report, by=world.coordinator, reason=RETURN_REASON)


def independent_report_counts(world: World, agency: object) -> dict[str, int]:
    """Overdue, due and returned slots of the agency counted from the rows, by the rule "Laporan saya" states."""
    today = timezone.localdate()
    masterplan = world.masterplan
    years = [y for y in masterplan.years if y <= today.year] or [masterplan.start_year]
    grace = dt.timedelta(days=settings.REPORT_GRACE_DAYS)
    handed_in = set(
        ProgressReport.objects.filter(agency=agency)
        .exclude(status=ProgressReport.Status.DRAFT)
        .values_list("programme_id", "year", "period")
    )
    overdue = due = 0
    for programme in masterplan.programmes.filter(lead_agency=agency):
        for year in years:
            if not programme.start_year <= year <= programme.end_year:
                continue
            for period in range(1, PERIODS_PER_YEAR[masterplan.period_type] + 1):
                end = period_end(masterplan.period_type, year, period)
                if (programme.pk, year, period) in handed_in:
                    continue
                overdue += today > end + grace
                due += end < today <= end + grace
    returned = ProgressReport.objects.filter(agency=agency, status=ProgressReport.Status.RETURNED).count()
    return {"reports_overdue": overdue, "reports_due": due, "reports_returned": returned}


# --- Who sees what -----------------------------------------------------------------------------------------


def test_home_sends_skpd_staff_to_their_dashboard(world: World) -> None:
    response = client_for(world.operator_a).get(reverse("home"))
    assert response["Location"] == reverse("evaluations:skpd_dashboard")
    page = client_for(world.operator_a).get(response["Location"])
    assert page.status_code == 200 and page.context["agency"] == world.agency_a


def test_another_agencys_staff_get_404_and_an_assessor_403(world: World) -> None:
    assert client_for(world.operator_b).get(url_a(world)).status_code == 404
    assert client_for(world.outsider).get(url_a(world)).status_code == 404
    assert client_for(world.assessor).get(url_a(world)).status_code == 403
    assert client_for(world.assessor).get(reverse("evaluations:skpd_dashboard")).status_code == 403
    huge = reverse("evaluations:skpd_dashboard_agency", args=[1]).replace("/1/", f"/{2**64}/")
    assert client_for(world.operator_a).get(huge).status_code == 404


def test_the_coordinator_chooses_any_skpd_of_the_region_and_reads_it(world: World) -> None:
    client = client_for(world.coordinator)
    chooser = client.get(reverse("evaluations:skpd_dashboard"))
    assert chooser.status_code == 200
    assert {a.pk for a in chooser.context["choices"]} == {world.agency_a.pk, world.agency_b.pk, world.dkisp.pk}
    assert url_a(world) in chooser.content.decode()
    page = client.get(url_a(world))
    assert page.status_code == 200 and page.context["can_review"] and not page.context["is_own"]
    assert reverse("masterplan:report_start") not in page.content.decode()  # DKISP writes no SKPD's report


def test_someone_working_for_two_agencies_chooses_between_them(world: World) -> None:
    both = make_user("kabid_both")
    membership_grant(by=None, user=both, region=world.region, role=Role.OPERATOR, agency=world.agency_a)
    membership_grant(by=None, user=both, region=world.region, role=Role.HEAD, agency=world.agency_b)
    client = client_for(both)
    chooser = client.get(reverse("evaluations:skpd_dashboard"))
    assert [a.acronym for a in chooser.context["choices"]] == ["DINKES", "DISDIK"]
    assert "agency" not in chooser.context
    page = client.get(reverse("evaluations:skpd_dashboard_agency", args=[world.agency_b.pk]))
    assert page.status_code == 200 and page.context["is_own"]
    assert client.get(reverse("evaluations:skpd_dashboard_agency", args=[world.dkisp.pk])).status_code == 404


# --- The numbers -------------------------------------------------------------------------------------------


def test_report_numbers_match_an_independent_count_and_laporan_saya(world: World) -> None:
    report = returned_report(world)
    make_programme(world.masterplan, world.agency_a, "LIV-02", element="health", start_year=2024, end_year=2025)
    client = client_for(world.operator_a)
    page = client.get(url_a(world))
    counts = page.context["dashboard"].counts
    expected = independent_report_counts(world, world.agency_a)
    assert {k: counts[k] for k in expected} == expected
    assert expected["reports_returned"] == 1 and expected["reports_overdue"] > 0
    mine = client.get(reverse("masterplan:my_reports")).context["work"]
    assert (mine.overdue, mine.returned) == (counts["reports_overdue"], counts["reports_returned"])
    content = page.content.decode()
    assert report.get_absolute_url() in content and RETURN_REASON in content
    # Agency B's work is not on A's page.
    assert world.programme_b.code not in content


def test_question_counts_by_status_with_the_earliest_deadline(evaluation) -> None:
    w = evaluation.world
    level = answer_update(
        answer=evaluation.level, by=w.operator_a, expected_version=evaluation.level.version, data={"value_level": 3}
    )
    level = answer_submit(answer=level, by=w.operator_a)
    answer_return(answer=level, by=w.coordinator, reason=RETURN_REASON)
    assign_questions(
        cycle=evaluation.cycle,
        by=w.coordinator,
        questions=[evaluation.yes_no.question],
        agency=w.agency_a,
        deadline=dt.date(2023, 5, 10),
    )
    page = client_for(w.operator_a).get(url_a(w))
    [row] = page.context["dashboard"].questions
    mine = Answer.objects.filter(agency=w.agency_a, cycle=evaluation.cycle)
    assert row.total == mine.count() == 2
    assert (row.draft, row.returned, row.submitted, row.verified) == (
        mine.filter(status="draft").count(),
        mine.filter(status="returned").count(),
        mine.filter(status="submitted").count(),
        mine.filter(status="verified").count(),
    )
    assert (row.draft, row.returned) == (1, 1)
    assert row.earliest_deadline == dt.date(2023, 5, 10) and row.late  # windows judge as on 15 May 2023
    assert page.context["dashboard"].counts["questions_to_do"] == 2
    content = page.content.decode()
    assert f"{reverse('evaluations:my_questions')}?siklus={evaluation.cycle.pk}" in content
    # B's dashboard counts B's one question only.
    [row_b] = client_for(w.operator_b).get(reverse("evaluations:skpd_dashboard")).context["dashboard"].questions
    assert row_b.total == 1


def test_a_locked_or_closed_cycle_has_no_questions_on_the_dashboard(evaluation) -> None:
    from evaluations.services.cycles import cycle_lock
    from evaluations.services.windows import pinned_today

    w = evaluation.world
    with pinned_today(dt.date(2023, 6, 1)):  # the window closed on 31 May
        assert client_for(w.operator_a).get(url_a(w)).context["dashboard"].questions == []
    cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason="Dikunci lebih awal untuk pengujian.")
    assert client_for(w.operator_a).get(url_a(w)).context["dashboard"].questions == []


def make_item(evaluation, text: str, status: str = FollowUpItem.Status.OPEN) -> FollowUpItem:
    # Rows written directly: the register's services are another part of this issue, built alongside.
    return FollowUpItem.objects.create(
        region=evaluation.world.region,
        cycle=evaluation.cycle,
        source=FollowUpItem.Source.RECOMMENDATION,
        text=text,
        status=status,
    )


def make_task(evaluation, agency, due_on: dt.date, *, item_status: str = "open", status: str = "open") -> FollowUpTask:
    item = make_item(evaluation, f"Fungsikan Dewan Smart City ({due_on}, {status}, {item_status})", item_status)
    return FollowUpTask.objects.create(item=item, agency=agency, due_on=due_on, status=status)


def make_invitation(evaluation, agency, *, days: int, response: str = "pending", status: str = "planned"):
    meeting = Meeting.objects.create(
        region=evaluation.world.region,
        cycle=evaluation.cycle,
        title=f"Rapat persiapan {days} {response} {status}",
        starts_at=timezone.now() + dt.timedelta(days=days),
        place="Aula Barakat, Martapura",
        agenda="Persiapan evaluasi.",
        status=status,
    )
    return MeetingInvitation.objects.create(meeting=meeting, agency=agency, response=response)


def test_open_tasks_and_pending_invitations_with_due_dates(evaluation) -> None:
    w = evaluation.world
    today = timezone.localdate()
    late = make_task(evaluation, w.agency_a, today - dt.timedelta(days=3))
    soon = make_task(evaluation, w.agency_a, today + dt.timedelta(days=7), status="in_progress")
    make_task(evaluation, w.agency_a, today, status="done")
    make_task(evaluation, w.agency_a, today, item_status="dropped")
    make_task(evaluation, w.agency_a, today, item_status="done")
    make_task(evaluation, w.agency_b, today - dt.timedelta(days=9))
    pending = make_invitation(evaluation, w.agency_a, days=5)
    make_invitation(evaluation, w.agency_a, days=6, response="head")
    make_invitation(evaluation, w.agency_a, days=-1)  # already started
    make_invitation(evaluation, w.agency_a, days=8, status="cancelled")
    make_invitation(evaluation, w.agency_b, days=5)
    page = client_for(w.operator_a).get(url_a(w))
    dashboard = page.context["dashboard"]
    expected_tasks = (
        FollowUpTask.objects.filter(agency=w.agency_a, status__in=["open", "in_progress"])
        .exclude(item__status__in=["done", "dropped"])
        .order_by("due_on")
    )
    assert [t.pk for t in dashboard.tasks] == [t.pk for t in expected_tasks] == [late.pk, soon.pk]
    assert [t.overdue for t in dashboard.tasks] == [True, False]
    assert (dashboard.task_count, dashboard.task_overdue) == (2, 1)
    assert [i.pk for i in dashboard.invitations] == [pending.pk] and dashboard.invitation_count == 1
    content = page.content.decode()
    task_url = optional_url("evaluations:followup_task", late.pk)
    meeting_url = optional_url("evaluations:meeting", pending.meeting_id)
    for link in (task_url, meeting_url):
        if link is not None:  # pages built by other parts of the issue; without them, no link is shown
            assert link in content
    assert "Rapat persiapan 5 pending planned" in content


def test_optional_url_is_none_for_a_page_that_does_not_exist() -> None:
    assert optional_url("evaluations:no_such_page", 1) is None
    assert optional_url("evaluations:skpd_dashboard_agency", 7) == "/dasbor/skpd/7/"


# --- Queries -----------------------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["operator_a", "coordinator"])
def test_the_dashboard_runs_a_fixed_number_of_queries(evaluation, persona: str) -> None:
    w = evaluation.world
    client = client_for(getattr(w, persona))
    few = _queries(client, url_a(w))
    today = timezone.localdate()
    for i in range(6):
        programme = make_programme(w.masterplan, w.agency_a, f"LIV-{10 + i}", element="health")
        report = make_report(programme, w.agency_a, w.operator_a, year=2024, period=1 + i % 4)
        if i % 2:
            report_return(report=report_submit(report=report, by=w.operator_a), by=w.coordinator, reason=RETURN_REASON)
        make_task(evaluation, w.agency_a, today + dt.timedelta(days=i - 3))
        make_invitation(evaluation, w.agency_a, days=i + 1)
    answer_update(
        answer=evaluation.level,
        by=w.operator_a,
        expected_version=evaluation.level.version,
        data={"value_level": 4},
    )
    many = _queries(client, url_a(w))
    assert few == many, (few, many)
    assert many <= 18  # session, user, roles and agency; five for reports, four questions, two tasks, two invitations
    assert client.get(url_a(w)).context["dashboard"].task_count == 6
