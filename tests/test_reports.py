"""Progress reports: every transition, every forbidden one, locking, conflicts, mail, queue and history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.models import AuditEvent
from common.workflow import VersionConflict
from masterplan.models import ProgressReport
from masterplan.selectors.reports import indicator_progress, overall_progress, progress_rows, report_slots
from masterplan.services.reports import (
    report_approve,
    report_bulk_approve,
    report_reopen,
    report_return,
    report_start,
    report_submit,
    report_update,
)
from tests.conftest import World, client_for, make_programme, make_report

Status = ProgressReport.Status
REASON = "Bukti dukung belum lengkap: lampirkan notulen rapat."


def submitted(world: World) -> ProgressReport:
    return report_submit(report=world.report_a, by=world.operator_a)


def actions(report: ProgressReport) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_id=str(report.pk), action__startswith="report.")
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- The services ---------------------------------------------------------------------------------------


def test_a_report_goes_from_draft_to_submitted_to_approved(world: World) -> None:
    report = submitted(world)
    assert report.status == Status.SUBMITTED and report.submitted_at is not None
    report = report_approve(report=report, by=world.coordinator)
    assert report.status == Status.APPROVED and report.decided_by == world.coordinator
    assert actions(report) == ["report.created", "report.updated", "report.submitted", "report.approved"]


def test_a_returned_report_needs_a_reason_and_becomes_a_draft_again_when_edited(world: World) -> None:
    report = submitted(world)
    with pytest.raises(ValidationError):
        report_return(report=report, by=world.coordinator, reason="  no ")
    report = report_return(report=report, by=world.coordinator, reason=REASON)
    assert report.status == Status.RETURNED and report.return_reason == REASON
    assert AuditEvent.objects.get(action="report.returned").reason == REASON
    report = report_update(
        report=report, by=world.operator_a, expected_version=report.version, data={"narrative": "Notulen dilampirkan."}
    )
    assert report.status == Status.DRAFT
    assert report_submit(report=report, by=world.operator_a).status == Status.SUBMITTED


def test_an_approved_report_can_be_reopened_with_a_reason(world: World) -> None:
    report = report_approve(report=submitted(world), by=world.coordinator)
    with pytest.raises(ValidationError):
        report_reopen(report=report, by=world.coordinator, reason="")
    report = report_reopen(report=report, by=world.coordinator, reason="Angka realisasi triwulan salah ketik.")
    assert report.status == Status.RETURNED
    assert AuditEvent.objects.get(action="report.reopened").reason == "Angka realisasi triwulan salah ketik."


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ("draft", "approve"),
        ("draft", "return"),
        ("draft", "reopen"),
        ("submitted", "submit"),
        ("submitted", "reopen"),
        ("approved", "submit"),
        ("approved", "approve"),
        ("approved", "return"),
        ("returned", "approve"),
        ("returned", "reopen"),
    ],
)
def test_forbidden_transitions_change_nothing(world: World, setup: str, action: str) -> None:
    report = world.report_a
    if setup != "draft":
        report = submitted(world)
    if setup == "approved":
        report = report_approve(report=report, by=world.coordinator)
    if setup == "returned":
        report = report_return(report=report, by=world.coordinator, reason=REASON)
    before = (report.status, report.version, AuditEvent.objects.count())
    call = {
        "submit": lambda: report_submit(report=report, by=world.operator_a),
        "approve": lambda: report_approve(report=report, by=world.coordinator),
        "return": lambda: report_return(report=report, by=world.coordinator, reason=REASON),
        "reopen": lambda: report_reopen(report=report, by=world.coordinator, reason=REASON),
    }[action]
    with pytest.raises(ValidationError):
        call()
    report.refresh_from_db()
    assert (report.status, report.version, AuditEvent.objects.count()) == before


def test_an_incomplete_report_cannot_be_submitted_and_says_why(world: World) -> None:
    report = report_start(programme=world.programme_a, agency=world.agency_a, year=2025, period=2, by=world.operator_a)
    with pytest.raises(ValidationError) as caught:
        report_submit(report=report, by=world.operator_a)
    text = " ".join(caught.value.messages)
    assert "Puskesmas terhubung" in text and "narasi" in text.lower() and "bukti dukung" in text


def test_approved_and_submitted_reports_are_locked_against_edits(world: World) -> None:
    report = submitted(world)
    with pytest.raises(ValidationError, match="tidak dapat diubah lagi"):
        report_update(report=report, by=world.operator_a, expected_version=report.version, data={"narrative": "x"})
    report = report_approve(report=report, by=world.coordinator)
    with pytest.raises(ValidationError):
        report_update(report=report, by=world.operator_a, expected_version=report.version, data={"narrative": "x"})
    report.refresh_from_db()
    assert report.narrative == "Berjalan sesuai rencana."


def test_a_save_based_on_an_older_version_is_a_conflict(world: World) -> None:
    report = world.report_a
    opened_at = report.version
    report_update(report=report, by=world.operator_a, expected_version=opened_at, data={"narrative": "Versi Ani."})
    with pytest.raises(VersionConflict) as caught:
        report_update(report=report, by=world.operator_a, expected_version=opened_at, data={"narrative": "Versi Budi."})
    assert caught.value.current.narrative == "Versi Ani."
    report.refresh_from_db()
    assert report.narrative == "Versi Ani."


def test_two_approvals_of_one_report_make_one_transition(world: World) -> None:
    report = submitted(world)
    # Both coordinators loaded the report while it was submitted.
    first, second = ProgressReport.objects.get(pk=report.pk), ProgressReport.objects.get(pk=report.pk)
    report_approve(report=first, by=world.coordinator)
    with pytest.raises(ValidationError, match="sudah"):
        report_approve(report=second, by=world.coordinator)
    assert AuditEvent.objects.filter(action="report.approved", target_id=str(report.pk)).count() == 1


def test_bulk_approve_approves_submitted_ones_and_explains_the_rest(world: World) -> None:
    report = submitted(world)
    draft = make_report(world.programme_a, world.agency_a, world.operator_a, period=2, complete=False)
    approved, skipped = report_bulk_approve(reports=[report, draft], by=world.coordinator)
    assert [r.pk for r in approved] == [report.pk]
    assert skipped[0][0].pk == draft.pk and "draf" in skipped[0][1].lower()


def test_a_report_is_started_only_by_a_lead_or_supporting_agency_within_the_programme_years(world: World) -> None:
    with pytest.raises(ValidationError):
        report_start(programme=world.programme_a, agency=world.agency_b, year=2025, period=1, by=world.operator_b)
    with pytest.raises(ValidationError):
        report_start(programme=world.programme_a, agency=world.agency_a, year=2030, period=1, by=world.operator_a)
    with pytest.raises(ValidationError):
        report_start(programme=world.programme_a, agency=world.agency_a, year=2025, period=5, by=world.operator_a)
    again = report_start(programme=world.programme_a, agency=world.agency_a, year=2025, period=1, by=world.operator_a)
    assert again.pk == world.report_a.pk


# --- Progress ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "baseline", "expected"),
    [
        ("5", "10", "3", "50.00"),  # rising indicator: half the target
        ("12", "10", None, "120.00"),  # overshoot is shown as it is
        ("10", "5", "14", "44.44"),  # falling indicator (days to a permit): 4 of the 9 planned days saved
        ("1", "0", None, None),  # no target to measure against
        (None, "10", None, None),
    ],
)
def test_indicator_progress(value, target, baseline, expected) -> None:
    as_dec = lambda v: None if v is None else Decimal(v)  # noqa: E731
    assert indicator_progress(as_dec(value), as_dec(target), as_dec(baseline)) == as_dec(expected)


def test_progress_rows_use_the_targets_of_the_report_year(world: World) -> None:
    report = make_report(world.programme_a, world.agency_a, world.operator_a, year=2022, period=3)
    rows = progress_rows(report)
    assert [(r.target, r.value, r.progress) for r in rows] == [(Decimal("10.00"), Decimal("4.00"), Decimal("40.00"))]
    assert overall_progress(rows) == Decimal("40.00")


# --- "Laporan saya" -----------------------------------------------------------------------------------


def test_report_slots_show_due_overdue_and_the_reports_states(world: World) -> None:
    submitted(world)
    slots = report_slots(agency=world.agency_a, masterplan=world.masterplan, year=2025, today=dt.date(2025, 7, 5))
    states = {(s.programme.code, s.period): s.state for s in slots}
    assert states == {("LIV-01", 1): "submitted", ("LIV-01", 2): "due", ("LIV-01", 3): "not_due"}
    later = report_slots(agency=world.agency_a, masterplan=world.masterplan, year=2025, today=dt.date(2025, 7, 11))
    assert {(s.programme.code, s.period): s.state for s in later}[("LIV-01", 2)] == "overdue"


def test_supporting_agencies_see_optional_slots_that_are_never_overdue(world: World) -> None:
    slots = report_slots(agency=world.dkisp, masterplan=world.masterplan, year=2025, today=dt.date(2025, 12, 31))
    assert {s.programme.code for s in slots} == {"SOC-01"}
    assert all(not s.expected and s.state == "optional" for s in slots)


def test_my_reports_page_lists_the_agencys_periods(world: World) -> None:
    response = client_for(world.operator_a).get(reverse("masterplan:my_reports"), {"year": "2025"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "LIV-01" in html and "SOC-01" not in html
    assert "Terlambat" in html  # 2025's periods are long past
    assert client_for(world.operator_a).get(reverse("masterplan:my_reports"), {"year": "abc"}).status_code == 200


# --- Through HTTP ---------------------------------------------------------------------------------------


def form_data(report: ProgressReport, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": report.version,
        "narrative": report.narrative,
        "obstacles": "",
        "follow_up": "",
        "budget_plan": "150.000.000",
        "budget_realisation": "",
        "evidence": [e.pk for e in report.evidence.all()],
        "new_files_kind": "report",
        "action": "save",
    }
    for realisation in report.realisations.all():
        data[f"value_{realisation.indicator_id}"] = str(realisation.value).replace(".", ",")
    data.update(overrides)
    return data


def test_operator_saves_a_draft_with_indonesian_numbers(world: World) -> None:
    client = client_for(world.operator_a)
    indicator = world.programme_a.indicators.get()
    data = form_data(
        world.report_a,
        narrative="Tiga puskesmas terhubung.",
        budget_plan="150000000,50",
        **{f"value_{indicator.pk}": "4,5"},
    )
    response = client.post(reverse("masterplan:report_edit", args=[world.report_a.pk]), data)
    assert response.status_code == 302
    world.report_a.refresh_from_db()
    assert world.report_a.budget_plan == Decimal("150000000.50")
    assert world.report_a.realisations.get().value == Decimal("4.50")


def test_save_and_submit_sends_indonesian_mail_to_the_coordinators(
    world: World, django_capture_on_commit_callbacks
) -> None:
    client = client_for(world.operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("masterplan:report_edit", args=[world.report_a.pk]), form_data(world.report_a, action="submit")
        )
    assert response.status_code == 302
    assert ProgressReport.objects.get(pk=world.report_a.pk).status == Status.SUBMITTED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coordinator@example.org"]
    assert "LIV-01" in message.subject and "diajukan" in message.subject
    assert f"/laporan/{world.report_a.pk}/" in message.body


def test_return_through_the_page_requires_a_reason_and_mails_the_agency(
    world: World, django_capture_on_commit_callbacks
) -> None:
    submitted(world)
    client = client_for(world.coordinator)
    url = reverse("masterplan:report_return", args=[world.report_a.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and empty.context["form"].errors["reason"]
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"reason": REASON}).status_code == 302
    returned = [m for m in mail.outbox if "dikembalikan" in m.subject]
    assert returned and returned[0].to == ["operator_a@example.org"] and REASON in returned[0].body
    page = client_for(world.operator_a).get(world.report_a.get_absolute_url()).content.decode()
    assert REASON in page


def test_approve_and_reopen_through_the_pages_mail_the_agency(world: World, django_capture_on_commit_callbacks) -> None:
    submitted(world)
    client = client_for(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("masterplan:report_approve", args=[world.report_a.pk]))
    assert ProgressReport.objects.get(pk=world.report_a.pk).status == Status.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("masterplan:report_reopen", args=[world.report_a.pk]), {"reason": "Salah periode pelaporan."}
        )
    assert ProgressReport.objects.get(pk=world.report_a.pk).status == Status.RETURNED
    subjects = [m.subject for m in mail.outbox]
    assert any("disetujui" in s for s in subjects) and any("dibuka kembali" in s for s in subjects)


def test_no_post_changes_an_approved_report(world: World) -> None:
    report = report_approve(report=submitted(world), by=world.coordinator)
    client = client_for(world.operator_a)
    response = client.post(
        reverse("masterplan:report_edit", args=[report.pk]), form_data(report, narrative="Diubah setelah disetujui")
    )
    assert response.status_code == 302
    client.post(reverse("masterplan:report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == Status.APPROVED and report.narrative == "Berjalan sesuai rencana."


def test_a_conflicting_save_shows_what_changed_and_keeps_the_input(world: World) -> None:
    stale = form_data(world.report_a, narrative="Versi Budi.")
    report_update(
        report=world.report_a,
        by=world.operator_a,
        expected_version=world.report_a.version,
        data={"narrative": "Versi Ani."},
    )
    response = client_for(world.operator_a).post(reverse("masterplan:report_edit", args=[world.report_a.pk]), stale)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="conflict"' in html and "Versi Ani." in html and "Versi Budi." in html
    assert ProgressReport.objects.get(pk=world.report_a.pk).narrative == "Versi Ani."
    # Saving again from the conflict page is a deliberate overwrite.
    again = response.context["form"].data.copy()
    assert (
        client_for(world.operator_a)
        .post(reverse("masterplan:report_edit", args=[world.report_a.pk]), again)
        .status_code
        == 302
    )
    assert ProgressReport.objects.get(pk=world.report_a.pk).narrative == "Versi Budi."


def test_a_bad_number_keeps_everything_typed(world: World) -> None:
    indicator = world.programme_a.indicators.get()
    data = form_data(world.report_a, narrative="Teks panjang yang diketik", **{f"value_{indicator.pk}": "empat"})
    response = client_for(world.operator_a).post(reverse("masterplan:report_edit", args=[world.report_a.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[f"value_{indicator.pk}"]
    assert "Teks panjang yang diketik" in response.content.decode()


def test_the_history_page_tells_each_transition_with_its_reason(world: World) -> None:
    report_return(report=submitted(world), by=world.coordinator, reason=REASON)
    page = client_for(world.operator_a).get(reverse("masterplan:report_history", args=[world.report_a.pk]))
    html = page.content.decode()
    for label in ("Laporan diajukan", "Laporan dikembalikan", REASON):
        assert label in html


def test_review_queue_lists_submitted_reports_and_filters(world: World) -> None:
    submitted(world)
    client = client_for(world.coordinator)
    queue = client.get(reverse("masterplan:review_queue"))
    assert [r.pk for r in queue.context["page"].object_list] == [world.report_a.pk]
    assert queue.context["page"].object_list[0].evidence_count == 1
    none = client.get(reverse("masterplan:review_queue"), {"status": "approved"})
    assert list(none.context["page"].object_list) == []
    by_agency = client.get(reverse("masterplan:review_queue"), {"status": "", "agency": world.agency_b.pk})
    assert list(by_agency.context["page"].object_list) == []
    bad = client.get(reverse("masterplan:review_queue"), {"year": "abc", "agency": "x"})
    assert bad.status_code == 200 and bad.context["filter"].errors


def test_bulk_approve_through_the_queue(world: World) -> None:
    submitted(world)
    other = make_report(world.programme_a, world.agency_a, world.operator_a, period=2)
    report_submit(report=other, by=world.operator_a)
    response = client_for(world.coordinator).post(
        reverse("masterplan:report_bulk_approve"),
        {"report": [world.report_a.pk, other.pk], "query": "status=submitted"},
    )
    assert response.status_code == 302 and response["Location"].endswith("?status=submitted")
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {Status.APPROVED}


def test_bulk_approve_of_another_regions_report_is_not_found(world: World) -> None:
    submitted(world)
    response = client_for(world.outsider).post(
        reverse("masterplan:report_bulk_approve"), {"report": [world.report_a.pk]}
    )
    assert response.status_code == 404
    assert ProgressReport.objects.get(pk=world.report_a.pk).status == Status.SUBMITTED


def test_starting_a_report_from_my_reports_opens_its_form(world: World) -> None:
    response = client_for(world.operator_a).post(
        reverse("masterplan:report_start"), {"programme": world.programme_a.pk, "year": 2025, "period": 3}
    )
    report = ProgressReport.objects.get(programme=world.programme_a, period=3)
    assert response["Location"] == reverse("masterplan:report_edit", args=[report.pk])
    hidden = client_for(world.operator_b).post(
        reverse("masterplan:report_start"), {"programme": world.programme_a.pk, "year": 2025, "period": 3}
    )
    assert hidden.status_code == 404


@pytest.mark.parametrize("count", [1, 30])
def test_report_pages_keep_constant_query_counts(world: World, count: int, django_assert_max_num_queries) -> None:
    submitted(world)
    for i in range(count):
        programme = make_programme(world.masterplan, world.agency_a, f"GOV-{i:02d}")
        report_submit(report=make_report(programme, world.agency_a, world.operator_a), by=world.operator_a)
    coordinator, operator = client_for(world.coordinator), client_for(world.operator_a)
    with django_assert_max_num_queries(14):
        assert coordinator.get(reverse("masterplan:review_queue")).status_code == 200
    with django_assert_max_num_queries(12):
        assert operator.get(reverse("masterplan:my_reports"), {"year": "2025"}).status_code == 200
    with django_assert_max_num_queries(16):
        assert coordinator.get(world.report_a.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert operator.get(reverse("evidence:library")).status_code == 200
