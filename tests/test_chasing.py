"""Chasing late SKPDs: the late list agrees with "Laporan saya", the preview, the sending (once a day, never to
another region), the SKPD page's contacts and reminders, and bad input."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.mail import EmailMessage
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies.models import AuditEvent, Role
from agencies.services import membership_grant
from masterplan.actions import MasterplanAction
from masterplan.models import ProgressReport, ReportReminder
from masterplan.selectors.chasing import late_agencies
from masterplan.selectors.reports import SlotState, period_phase, report_slots_for_years, report_work
from masterplan.services.chasing import chase_preview, chase_send
from masterplan.services.reports import report_return, report_submit
from tests.conftest import World, client_for, make_programme, make_report, make_user

TODAY = dt.date(2025, 5, 1)  # 2025 Q1 is overdue (due 10 April), Q2 has begun
CHASE = reverse("masterplan:chase")


def independent_late(world: World, agency: Any, today: dt.date) -> tuple[int, int, int]:
    """(overdue, due, returned) of `agency` counted slot by slot from "Laporan saya"'s own slots."""
    mp = world.masterplan
    years = [y for y in mp.years if y <= today.year]
    overdue = due = returned = 0
    for slot in report_slots_for_years(agency=agency, masterplan=mp, years=years, today=today):
        if slot.role != "lead":
            continue
        phase = period_phase(mp.period_type, slot.year, slot.period, today)
        late = slot.report is None or slot.report.status in ProgressReport.EDITABLE
        if late and phase == SlotState.OVERDUE:
            overdue += 1
        if late and phase == SlotState.DUE:
            due += 1
        if late and phase != SlotState.NOT_DUE and slot.report and slot.report.status == ProgressReport.Status.RETURNED:
            returned += 1
    return overdue, due, returned


@pytest.fixture
def busy(world: World) -> World:
    """A second programme for agency A from 2024, one report submitted and one returned, one approved for B."""
    make_programme(world.masterplan, world.agency_a, "LIV-02", element="health", start_year=2024, end_year=2025)
    report_submit(report=world.report_a, by=world.operator_a)  # 2025 Q1, submitted: not late any more
    returned = make_report(world.programme_a, world.agency_a, world.operator_a, year=2024, period=4)
    returned = report_submit(report=returned, by=world.operator_a)
    report_return(report=returned, by=world.coordinator, reason="Lengkapi bukti dukung kegiatan.")
    make_report(world.programme_a, world.agency_a, world.operator_a, year=2024, period=3)  # a draft: still late
    submitted_b = make_report(world.programme_b, world.agency_b, world.operator_b, year=2021, period=1)
    report_submit(report=submitted_b, by=world.operator_b)
    return world


@pytest.mark.parametrize("today", [TODAY, dt.date(2025, 4, 5), dt.date(2024, 1, 3), dt.date(2021, 2, 1)])
def test_the_late_list_agrees_with_the_slots_of_laporan_saya(busy: World, today: dt.date) -> None:
    late = {a.agency.acronym: a for a in late_agencies(region=busy.region, today=today)}

    for agency in (busy.agency_a, busy.agency_b, busy.dkisp):
        expected = independent_late(busy, agency, today)
        row = late.get(agency.acronym)
        got = (row.overdue, row.due, row.returned) if row else (0, 0, 0)
        assert got == expected, (agency.acronym, today)
    assert "DISKOMINFO" not in late  # another region's SKPD
    assert "DKISP" not in late  # it only supports a programme: nobody waits for its reports


def test_the_late_list_and_laporan_saya_count_the_same_overdue_reports(busy: World) -> None:
    years = [y for y in busy.masterplan.years if y <= TODAY.year]
    (row,) = [a for a in late_agencies(region=busy.region, today=TODAY) if a.agency == busy.agency_a]

    work = report_work(agencies=[busy.agency_a], masterplan=busy.masterplan, years=years, today=TODAY)

    # "Laporan saya" shows a returned report as returned, not overdue; the late list counts it as late.
    assert row.overdue - row.returned == work.overdue
    assert row.returned == work.returned == 1


def test_the_late_list_names_the_oldest_late_period(busy: World) -> None:
    late = {a.agency.acronym: a for a in late_agencies(region=busy.region, today=TODAY)}

    assert (late["DINKES"].oldest.year, late["DINKES"].oldest.period) == (2021, 1)
    assert (late["DISDIK"].oldest.year, late["DISDIK"].oldest.period) == (2021, 2)  # 2021 Q1 was submitted
    assert late["DINKES"].oldest.is_overdue


def test_the_late_list_counts_a_due_period_apart(busy: World) -> None:
    # 5 April 2025: 2025 Q1 ended on 31 March but its grace runs to 10 April.
    late = {a.agency.acronym: a for a in late_agencies(region=busy.region, today=dt.date(2025, 4, 5))}

    assert late["DINKES"].due == 1  # LIV-02 (LIV-01's Q1 report is submitted)
    assert late["DISDIK"].due == 1


def test_the_late_list_runs_a_fixed_number_of_queries(
    busy: World, django_assert_max_num_queries: Callable[..., Any]
) -> None:
    for n in range(6):
        make_programme(busy.masterplan, busy.agency_b, f"SOC-1{n}", element="learning")
    with django_assert_max_num_queries(3):
        late = late_agencies(region=busy.region, today=TODAY)
    assert len(late) == 2


# --- Preview and sending --------------------------------------------------------------------------------


def test_the_preview_is_the_indonesian_mail_to_the_skpds_own_people(world: World) -> None:
    world.agency_a.email = "dinkes@banjarkab.go.id"
    world.agency_a.save()
    head = make_user("kepala_dinkes")
    membership_grant(by=None, user=head, region=world.region, role=Role.HEAD, agency=world.agency_a)
    # Someone who is operator of agency A in another region's sense cannot exist; an operator of B must not appear.

    preview = chase_preview(agency=world.agency_a, today=TODAY)

    assert preview.will_send
    assert preview.recipients == ["kepala_dinkes@example.org", "operator_a@example.org", "dinkes@banjarkab.go.id"]
    assert "DINKES" in preview.subject
    assert "Dinas Kesehatan" in preview.body
    assert "/laporan/" in preview.body
    assert world.coordinator.email not in preview.recipients
    assert world.operator_b.email not in preview.recipients


def test_send_mails_the_skpd_and_records_the_chase(
    world: World, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        outcome = chase_send(agencies=[world.agency_a], by=world.coordinator, today=TODAY)

    (reminder,) = outcome.sent
    assert outcome.refused == []
    assert reminder.kind == ReportReminder.Kind.CHASE
    assert reminder.sent_by == world.coordinator
    assert reminder.recipients == [world.operator_a.email]
    (late,) = late_agencies(region=world.region, today=TODAY, agency_ids=[world.agency_a.pk])
    assert reminder.late_count == late.late_count
    assert (reminder.year, reminder.period) == (2021, 1)
    (mail,) = mailoutbox
    assert mail.to == [world.operator_a.email]
    assert AuditEvent.objects.filter(action=MasterplanAction.REPORTS_CHASED, actor=world.coordinator).count() == 1


def test_an_skpd_is_never_chased_twice_the_same_day(world: World, mailoutbox: list[EmailMessage]) -> None:
    chase_send(agencies=[world.agency_a], by=world.coordinator, today=TODAY)

    outcome = chase_send(agencies=[world.agency_a, world.agency_b], by=world.coordinator, today=TODAY)

    assert [r.agency for r in outcome.sent] == [world.agency_b]
    assert [(a, why) for a, why in outcome.refused] == [(world.agency_a, _("Already reminded today."))]
    assert ReportReminder.objects.filter(agency=world.agency_a).count() == 1
    # The next day is another day.
    assert chase_send(agencies=[world.agency_a], by=world.coordinator, today=TODAY + dt.timedelta(days=1)).sent


def test_an_skpd_that_is_not_late_is_refused(world: World) -> None:
    outcome = chase_send(agencies=[world.dkisp], by=world.coordinator, today=TODAY)

    assert outcome.sent == []
    assert outcome.refused == [(world.dkisp, _("No reports are due or overdue."))]
    assert not ReportReminder.objects.exists()


def test_an_skpd_with_nobody_to_write_to_is_refused(world: World) -> None:
    world.operator_a.is_active = False
    world.operator_a.save()

    outcome = chase_send(agencies=[world.agency_a], by=world.coordinator, today=TODAY)

    assert outcome.sent == []
    assert outcome.refused[0][1] == _("The SKPD has no operator, head or official address to write to.")


def test_another_regions_coordinator_cannot_chase(world: World) -> None:
    outcome = chase_send(agencies=[world.agency_a], by=world.outsider, today=TODAY)

    assert outcome.sent == []
    assert not ReportReminder.objects.exists()


def test_no_one_of_another_region_is_written_to(world: World) -> None:
    # The outsider also operates another region's SKPD; agency A's people are still only agency A's.
    membership_grant(
        by=None, user=world.outsider, region=world.other_region, role=Role.OPERATOR, agency=world.other_agency
    )

    preview = chase_preview(agency=world.agency_a, today=TODAY)

    assert world.outsider.email not in preview.recipients
    assert preview.recipients == [world.operator_a.email]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_chases_send_one_mail(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each request reads "not chased yet" in its own transaction; the unique constraint lets one insert through.
    import threading
    import time

    from masterplan.services import chasing

    original = chasing._skip_reason

    def slowed(*args: Any) -> str:
        # A pause between the read and the write, so both requests have read "not yet" before either writes.
        why = original(*args)
        time.sleep(0.2)
        return why

    monkeypatch.setattr(chasing, "_skip_reason", slowed)
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = chase_send(agencies=[world.agency_a], by=world.coordinator, today=TODAY)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(len(r.sent) for r in results) == [0, 1]
    assert sorted(len(r.refused) for r in results) == [0, 1]
    assert ReportReminder.objects.filter(agency=world.agency_a, kind=ReportReminder.Kind.CHASE).count() == 1


# --- Through HTTP ---------------------------------------------------------------------------------------


def test_the_coordinator_previews_a_reminder(world: World) -> None:
    response = client_for(world.coordinator).get(CHASE, {"agency": world.agency_a.pk})

    assert response.status_code == 200
    (preview,) = response.context["previews"]
    assert preview.agency == world.agency_a
    assert world.operator_a.email in response.content.decode()
    assert preview.subject in response.content.decode()


def test_late_1_previews_every_late_skpd_of_the_region(world: World) -> None:
    today = timezone.localdate()
    expected = {a.agency for a in late_agencies(region=world.region, today=today)}

    response = client_for(world.coordinator).get(CHASE, {"late": "1"})

    assert {p.agency for p in response.context["previews"]} == expected
    assert expected == {world.agency_a, world.agency_b}


def test_the_preview_says_who_is_skipped_and_why(world: World) -> None:
    chase_send(agencies=[world.agency_a], by=world.coordinator, today=timezone.localdate())

    response = client_for(world.coordinator).get(
        CHASE + "?" + urlencode([("agency", world.agency_a.pk), ("agency", world.dkisp.pk)])
    )

    skipped = {p.agency.acronym: p.skip_reason for p in response.context["skipped"]}
    assert skipped == {
        "DINKES": _("Already reminded today."),
        "DKISP": _("No reports are due or overdue."),
    }
    assert response.context["previews"] == []


def test_post_sends_and_goes_back_to_a_safe_next(world: World, mailoutbox: list[EmailMessage]) -> None:
    back = reverse("masterplan:agency", args=[world.agency_a.pk])

    response = client_for(world.coordinator).post(CHASE, {"agency": world.agency_a.pk, "next": back}, follow=True)

    assert response.redirect_chain[0][0] == back
    assert escape(ngettext("Reminder sent to %(n)d SKPD.", "Reminders sent to %(n)d SKPDs.", 1) % {"n": 1}) in (
        response.content.decode()
    )
    assert ReportReminder.objects.filter(agency=world.agency_a, kind=ReportReminder.Kind.CHASE).count() == 1


def test_post_never_goes_to_another_site(world: World) -> None:
    response = client_for(world.coordinator).post(CHASE, {"agency": world.agency_a.pk, "next": "https://evil.example/"})

    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert response["Location"] in _home_urls()


def _home_urls() -> set[str]:
    import contextlib

    from django.urls import NoReverseMatch

    urls = {reverse("masterplan:agencies")}
    with contextlib.suppress(NoReverseMatch):
        urls.add(reverse("evaluations:dashboard"))
    return urls


def test_a_second_post_the_same_day_says_so(world: World) -> None:
    client = client_for(world.coordinator)
    client.post(CHASE, {"agency": world.agency_a.pk})

    response = client.post(CHASE, {"agency": world.agency_a.pk}, follow=True)

    assert escape(f"DINKES: {_('Already reminded today.')}") in response.content.decode()
    assert ReportReminder.objects.count() == 1


def test_another_regions_skpd_is_a_404(world: World) -> None:
    client = client_for(world.coordinator)

    assert client.get(CHASE, {"agency": world.other_agency.pk}).status_code == 404
    assert client.post(CHASE, {"agency": world.other_agency.pk}).status_code == 404
    assert client_for(world.outsider).get(CHASE, {"agency": world.agency_a.pk}).status_code == 404
    assert not ReportReminder.objects.exists()


@pytest.mark.parametrize("bad", ["abc", "99999999999999999999", "-1", "0", "١٢", "²"])
def test_bad_ids_get_a_clear_message(world: World, bad: str) -> None:
    client = client_for(world.coordinator)

    response = client.get(CHASE, {"agency": bad})
    assert response.status_code == 200
    assert escape(_("Some of the SKPDs asked for are not valid SKPD numbers and were left out.")) in (
        response.content.decode()
    )

    response = client.post(CHASE, {"agency": bad}, follow=True)
    assert response.status_code == 200
    assert not ReportReminder.objects.exists()


def test_a_nul_byte_is_refused_with_a_message(world: World) -> None:
    # The site refuses NUL in an address (PostgreSQL cannot store it) with a 400 that says so...
    response = client_for(world.coordinator).get(CHASE, {"agency": "1\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    # ...and in a posted form it is no SKPD number.
    response = client_for(world.coordinator).post(CHASE, {"agency": "1\x00"}, follow=True)
    assert response.status_code == 200
    assert escape(_("Some of the SKPDs asked for are not valid SKPD numbers and were left out.")) in (
        response.content.decode()
    )
    assert not ReportReminder.objects.exists()


@pytest.mark.parametrize("persona", ["operator_a", "operator_b", "assessor"])
def test_only_coordinators_chase(world: World, persona: str) -> None:
    client = client_for(getattr(world, persona))

    assert client.get(CHASE, {"agency": world.agency_a.pk}).status_code == 403
    assert client.post(CHASE, {"agency": world.agency_a.pk}).status_code == 403
    assert not ReportReminder.objects.exists()


def test_the_pages_offer_the_button_to_coordinators_only(world: World) -> None:
    agency_page = reverse("masterplan:agency", args=[world.agency_a.pk])
    button = f"{CHASE}?agency={world.agency_a.pk}"

    assert button in client_for(world.coordinator).get(agency_page).content.decode()
    assert button in client_for(world.coordinator).get(reverse("masterplan:agencies")).content.decode()
    assert f"{CHASE}?late=1" in client_for(world.coordinator).get(reverse("masterplan:review_queue")).content.decode()
    assert CHASE not in client_for(world.operator_a).get(agency_page).content.decode()
    assert CHASE not in client_for(world.assessor).get(agency_page).content.decode()


# --- The SKPD page: contacts and reminders ----------------------------------------------------------------


def test_the_skpd_page_lists_its_contacts_for_dkisp_and_its_own_staff(world: World) -> None:
    world.agency_a.email = "dinkes@banjarkab.go.id"
    world.agency_a.phone = "(0511) 4721234"
    world.agency_a.save()
    head = make_user("kepala_dinkes", first_name="Siti", last_name="Rahmah")
    membership = membership_grant(by=None, user=head, region=world.region, role=Role.HEAD, agency=world.agency_a)
    membership.phone = "+62 812 5000 1111"
    membership.save()
    chase_send(agencies=[world.agency_a], by=world.coordinator, today=TODAY)
    page = reverse("masterplan:agency", args=[world.agency_a.pk])

    for user in (world.coordinator, world.operator_a):
        response = client_for(user).get(page)
        html = response.content.decode()
        assert "dinkes@banjarkab.go.id" in html and "(0511) 4721234" in html
        assert "Siti Rahmah" in html and "+62 812 5000 1111" in html and str(Role.HEAD.label) in html
        assert world.operator_a.email in html
        (reminder,) = response.context["reminders"]
        assert reminder.kind == ReportReminder.Kind.CHASE

    # The assessor reads the SKPD page but not its people's numbers.
    html = client_for(world.assessor).get(page).content.decode()
    assert "+62 812 5000 1111" not in html
    assert "dinkes@banjarkab.go.id" not in html


def test_the_skpd_page_shows_the_last_ten_reminders(world: World) -> None:
    for day in range(12):
        chase_send(agencies=[world.agency_a], by=world.coordinator, today=TODAY + dt.timedelta(days=day))

    response = client_for(world.operator_a).get(reverse("masterplan:agency", args=[world.agency_a.pk]))

    reminders = list(response.context["reminders"])
    assert len(reminders) == 10
    assert reminders[0].sent_on == TODAY + dt.timedelta(days=11)
