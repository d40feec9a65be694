"""A preparation meeting in real Chromium: DKISP plans it inviting DINKES with its head required and sends the
invitations; DINKES's operator names a delegate (refused first without a name); on the day DKISP records who came
and uploads the minutes, which are kept as evidence in DKISP's library."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from evaluations.models import Meeting, MeetingInvitation
from evidence.models import Evidence
from tests.browser.conftest import log_in, screenshot
from tests.conftest import PDF_BYTES, Evaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_meeting_from_invitation_to_minutes(
    live_server, evaluation: Evaluation, page: Page, browser: Browser, tmp_path: Path
) -> None:
    w = evaluation.world
    sent_before = len(mail.outbox)  # the fixture's assignment mails
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=5)).replace(hour=9, minute=0)

    # DKISP plans the meeting from the cycle's meetings tab.
    log_in(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}{reverse('evaluations:meetings', args=[evaluation.cycle.pk])}")
    page.locator(f"a[href='{reverse('evaluations:meeting_create', args=[evaluation.cycle.pk])}']").click()
    form = page.get_by_test_id("meeting-form")
    form.locator("#id_title").fill("Rapat persiapan evaluasi Smart City 2023")
    form.locator("#id_starts_at").fill(starts.strftime("%Y-%m-%dT%H:%M"))
    form.locator("#id_place").fill("Aula Barakat, Martapura")
    form.locator("#id_agenda").fill("1. Jadwal pengisian kuesioner\n2. Pembagian tugas SKPD")
    form.locator(f"input[name='invited'][value='{w.agency_a.pk}']").check()
    form.locator(f"input[name='head_required'][value='{w.agency_a.pk}']").check()
    screenshot(page, "meeting-form")
    form.locator("button[type='submit']").click()
    meeting = Meeting.objects.get()
    expect(page).to_have_url(f"{live_server.url}{meeting.get_absolute_url()}")
    expect(page.get_by_test_id("invitations")).to_contain_text("DINKES")
    page.get_by_test_id("send-invitations").click()
    expect(page.get_by_test_id("meeting-details")).not_to_contain_text("–")
    sent = mail.outbox[sent_before:]
    assert [m.to for m in sent] == [["operator_a@example.org"]]
    invitation = MeetingInvitation.objects.get(meeting=meeting)
    respond_url = reverse("evaluations:invitation_respond", args=[invitation.pk])
    assert respond_url in sent[0].body

    # DINKES's operator follows the mail's link; its head was asked, so a delegate needs a name and position.
    skpd = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", viewport={"width": 1366, "height": 900})
    operator = skpd.new_page()
    log_in(operator, live_server.url, "operator_a")
    operator.goto(f"{live_server.url}{respond_url}")
    expect(operator.get_by_test_id("head-required")).to_be_visible()
    answer = operator.get_by_test_id("respond-form")
    answer.locator("input[name='response'][value='delegate']").check()
    answer.locator("button[type='submit']").click()
    expect(operator.locator("#error_1_id_attendee_name")).to_be_visible()
    answer = operator.get_by_test_id("respond-form")
    answer.locator("#id_attendee_name").fill("dr. Rahmat Hidayat")
    answer.locator("#id_attendee_position").fill("Sekretaris Dinas Kesehatan")
    screenshot(operator, "meeting-respond")
    answer.locator("button[type='submit']").click()
    expect(operator.get_by_test_id("invitations")).to_contain_text("dr. Rahmat Hidayat")
    invitation.refresh_from_db()
    assert (invitation.response, invitation.attendee_position) == ("delegate", "Sekretaris Dinas Kesehatan")

    # The day has come (the meeting began an hour ago): DKISP records attendance and uploads the minutes.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    page.reload()
    attendance = page.get_by_test_id("attendance-form")
    attendance.locator(f"input[name='present'][value='{invitation.pk}']").check()
    attendance.locator("button[type='submit']").click()
    expect(page.get_by_test_id("invitations").get_by_role("row", name="DINKES")).to_contain_text("dr. Rahmat Hidayat")
    minutes = tmp_path / "Notulen rapat persiapan.pdf"
    minutes.write_bytes(PDF_BYTES.replace(b"1.4", b"1.5"))
    page.get_by_test_id("minutes-form").locator("#id_minutes_upload").set_input_files(str(minutes))
    page.get_by_test_id("minutes-form").locator("button[type='submit']").click()
    expect(page.get_by_test_id("minutes-download")).to_be_visible()
    screenshot(page, "meeting-held")
    meeting.refresh_from_db()
    invitation.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD and invitation.attended is True
    assert (meeting.minutes.kind, meeting.minutes.agency) == (Evidence.Kind.MINUTES, w.dkisp)
    href = page.get_by_test_id("minutes-download").get_attribute("href")
    assert href == reverse("evidence:download", args=[meeting.minutes_id])
