"""Preparation meetings: planning, invitations by mail, an SKPD's answer, attendance, minutes as evidence, and
decisions that become follow-up items; through HTTP and the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from agencies.models import AuditEvent, Role
from agencies.services import membership_grant
from evaluations.models import FollowUpItem, Meeting, MeetingInvitation
from evaluations.selectors.meetings import cycle_meetings, pending_invitations
from evaluations.services import meetings as services
from evidence.models import Evidence
from tests.conftest import PDF_BYTES, client_for, make_user

AGENDA = "1. Persiapan evaluasi Smart City 2023\n2. Pembagian tugas pengisian kuesioner"


def in_indonesian(message: str, **params: Any) -> str:
    """A message as the mails and pages in Indonesian show it (the English source until the catalogue has it)."""
    with translation.override("id"):
        text = gettext(message)
        return text % params if params else text


def subject(kind: str, meeting: Meeting) -> str:
    with translation.override("id"):
        when = date_format(timezone.localtime(meeting.starts_at), "j F Y")
    return in_indonesian(f"[Smart City] {kind}: %(title)s, %(when)s", title=meeting.title, when=when)


HEAD_ASKED = "The head of the SKPD is asked to attend in person."
STARTED = "The meeting has already started; the answer can no longer be changed."


def soon(days: int = 7) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(second=0, microsecond=0)


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def plan(
    evaluation: Any, *, starts_at: dt.datetime | None = None, invite: list[tuple[Any, bool]] | None = None
) -> Meeting:
    w = evaluation.world
    data = {
        "kind": Meeting.Kind.PREPARATION,
        "title": "Rapat persiapan evaluasi Smart City",
        "starts_at": starts_at or soon(),
        "place": "Aula Barakat, Martapura",
        "agenda": AGENDA,
    }
    invitations = invite if invite is not None else [(w.agency_a, True)]
    return services.meeting_create(cycle=evaluation.cycle, by=w.coordinator, data=data, invitations=invitations)


def invitation_of(meeting: Meeting, agency: Any) -> MeetingInvitation:
    return MeetingInvitation.objects.get(meeting=meeting, agency=agency)


def move_to_the_past(meeting: Meeting, hours: int = 1) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=hours))


def form_data(evaluation: Any, **extra: Any) -> dict[str, Any]:
    w = evaluation.world
    data = {
        "kind": "preparation",
        "title": "Rapat persiapan evaluasi Smart City",
        "starts_at": local_input(soon()),
        "place": "Aula Barakat, Martapura",
        "agenda": AGENDA,
        "invited": [str(w.agency_a.pk), str(w.agency_b.pk)],
        "head_required": [str(w.agency_a.pk)],
    }
    data.update(extra)
    return data


@pytest.fixture
def head_a(evaluation: Any) -> Any:
    w = evaluation.world
    head = make_user("kepala_a")
    membership_grant(by=None, user=head, region=w.region, role=Role.HEAD, agency=w.agency_a)
    return head


# --- The whole workflow through HTTP -----------------------------------------------------------------------


def test_the_coordinator_plans_invites_records_and_keeps_the_minutes(
    evaluation, head_a, django_capture_on_commit_callbacks
) -> None:
    w = evaluation.world
    coordinator = client_for(w.coordinator)
    response = coordinator.post(
        reverse("evaluations:meeting_create", args=[evaluation.cycle.pk]), form_data(evaluation)
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert (
        meeting.region == w.region and meeting.status == Meeting.Status.PLANNED and meeting.created_by == w.coordinator
    )
    heads = dict(meeting.invitations.values_list("agency__acronym", "head_required"))
    assert heads == {"DINKES": True, "DISDIK": False}
    assert AuditEvent.objects.filter(action="meeting.created", target_id=str(meeting.pk)).count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(reverse("evaluations:meeting_invitations_send", args=[meeting.pk]))
    assert response.status_code == 302
    by_recipients = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipients) == {("kepala_a@example.org", "operator_a@example.org"), ("operator_b@example.org",)}
    to_a = by_recipients[("kepala_a@example.org", "operator_a@example.org")]
    assert to_a.subject == subject("Invitation", meeting)
    assert "Aula Barakat, Martapura" in to_a.body and "Pembagian tugas" in to_a.body
    assert in_indonesian(HEAD_ASKED) in to_a.body
    assert in_indonesian(HEAD_ASKED) not in by_recipients[("operator_b@example.org",)].body
    invitation = invitation_of(meeting, w.agency_a)
    assert reverse("evaluations:invitation_respond", args=[invitation.pk]) in to_a.body

    # The SKPD operator sees the meeting and the warning that the head was asked, and names a delegate.
    operator = client_for(w.operator_a)
    page = operator.get(reverse("evaluations:invitation_respond", args=[invitation.pk]))
    assert page.status_code == 200 and b'data-testid="head-required"' in page.content
    url = reverse("evaluations:invitation_respond", args=[invitation.pk])
    response = operator.post(url, {"response": "delegate", "attendee_name": "", "attendee_position": ""})
    assert response.status_code == 200 and "attendee_name" in response.context["form"].errors
    assert "attendee_position" in response.context["form"].errors
    response = operator.post(
        url, {"response": "delegate", "attendee_name": "dr. Rahmat Hidayat", "attendee_position": "Sekretaris Dinas"}
    )
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.response, invitation.attendee_name, invitation.responded_by) == (
        "delegate",
        "dr. Rahmat Hidayat",
        w.operator_a,
    )
    detail = coordinator.get(meeting.get_absolute_url())
    assert b"dr. Rahmat Hidayat" in detail.content and b"attendance-form" not in detail.content

    # On the day: attendance, then the minutes and the signed list, kept in DKISP's library.
    move_to_the_past(meeting)
    invitation_b = invitation_of(meeting, w.agency_b)
    response = coordinator.post(
        reverse("evaluations:meeting_attendance", args=[meeting.pk]), {"present": [invitation.pk]}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert dict(meeting.invitations.values_list("pk", "attended")) == {invitation.pk: True, invitation_b.pk: False}

    minutes = SimpleUploadedFile("Notulen rapat.pdf", PDF_BYTES.replace(b"1.4", b"1.5"))
    attendance = SimpleUploadedFile("Daftar hadir.pdf", PDF_BYTES.replace(b"1.4", b"1.6"))
    response = coordinator.post(
        reverse("evaluations:meeting_minutes", args=[meeting.pk]),
        {"minutes_upload": minutes, "attendance_upload": attendance},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.minutes.kind, meeting.minutes.agency) == (Evidence.Kind.MINUTES, w.dkisp)
    assert (meeting.attendance_list.kind, meeting.attendance_list.agency) == (Evidence.Kind.ATTENDANCE, w.dkisp)
    assert meeting.minutes.document_date == timezone.localdate(meeting.starts_at)
    detail = coordinator.get(meeting.get_absolute_url())
    download = reverse("evidence:download", args=[meeting.minutes_id])
    assert download.encode() in detail.content
    fetched = coordinator.get(download)
    assert fetched.status_code == 200 and b"".join(fetched.streaming_content).startswith(b"%PDF-1.5")
    # The SKPD sees that minutes exist, but DKISP's library is not theirs: no link to a download it would refuse.
    seen = operator.get(meeting.get_absolute_url())
    assert seen.status_code == 200 and download.encode() not in seen.content
    assert operator.get(download).status_code == 404


def test_decisions_become_follow_up_items_with_a_task_per_skpd(evaluation) -> None:
    w = evaluation.world
    meeting = plan(evaluation)
    coordinator = client_for(w.coordinator)
    url = reverse("evaluations:meeting_decision", args=[meeting.pk])
    data = {
        "text": "DINKES melengkapi SK Tim Pelaksana sebelum 20 Mei.",
        "dimension": "",
        f"due_{w.agency_a.pk}": "2023-05-20",
        f"due_{w.agency_b.pk}": "",
    }
    response = coordinator.post(url, data)
    assert response.status_code == 302
    item = FollowUpItem.objects.get()
    assert (item.meeting, item.source, item.cycle) == (meeting, FollowUpItem.Source.DECISION, evaluation.cycle)
    assert list(item.tasks.values_list("agency__acronym", "due_on")) == [("DINKES", dt.date(2023, 5, 20))]
    detail = coordinator.get(meeting.get_absolute_url())
    assert reverse("evaluations:followup_item", args=[item.pk]).encode() in detail.content
    assert item.get_status_display().encode() in detail.content
    # The invited SKPD sees the decision it must act on; the other invited SKPD without a task does not.
    assert b"melengkapi SK Tim" in client_for(w.operator_a).get(meeting.get_absolute_url()).content


def test_a_decision_without_any_due_date_is_refused_beside_the_form(evaluation) -> None:
    w = evaluation.world
    meeting = plan(evaluation)
    response = client_for(w.coordinator).post(
        reverse("evaluations:meeting_decision", args=[meeting.pk]), {"text": "Sesuatu harus dilakukan."}
    )
    assert response.status_code == 200 and response.context["decision_form"].non_field_errors()
    assert FollowUpItem.objects.count() == 0


# --- Invitations ------------------------------------------------------------------------------------------


def test_invitations_never_reach_another_region_or_an_uninvited_skpd(
    evaluation, head_a, django_capture_on_commit_callbacks
) -> None:
    w = evaluation.world
    stranger = make_user("operator_banjarbaru")
    membership_grant(by=None, user=stranger, region=w.other_region, role=Role.OPERATOR, agency=w.other_agency)
    meeting = plan(evaluation)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(meeting=meeting, by=w.coordinator) == 1
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {"kepala_a@example.org", "operator_a@example.org"}
    assert meeting.__class__.objects.get(pk=meeting.pk).invitations_sent_at is not None


def test_another_regions_agency_cannot_be_invited(evaluation) -> None:
    w = evaluation.world
    with pytest.raises(ValidationError) as refused:
        plan(evaluation, invite=[(w.agency_a, False), (w.other_agency, True)])
    assert "invited" in refused.value.message_dict and Meeting.objects.count() == 0


def test_sending_again_after_a_change_says_the_meeting_changed(evaluation, django_capture_on_commit_callbacks) -> None:
    w = evaluation.world
    meeting = plan(evaluation)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=meeting, by=w.coordinator)
    assert mail.outbox[0].subject == subject("Invitation", meeting)
    data = {"place": "Ruang Rapat Sekda, Martapura"}
    services.meeting_update(meeting=meeting, by=w.coordinator, expected_version=meeting.version, data=data)
    page = client_for(w.coordinator).get(meeting.get_absolute_url())
    assert b'data-testid="changed-since-sent"' in page.content
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=meeting, by=w.coordinator)
    changed = mail.outbox[-1]
    assert changed.subject == subject("Changed invitation", meeting) and "Ruang Rapat Sekda" in changed.body
    # Sent again without a change since: a plain invitation once more.
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(meeting=meeting, by=w.coordinator)
    assert mail.outbox[-1].subject == subject("Invitation", meeting)


def test_an_edit_based_on_an_old_version_is_a_conflict_not_an_overwrite(evaluation) -> None:
    w = evaluation.world
    meeting = plan(evaluation)
    url = reverse("evaluations:meeting_update", args=[meeting.pk])
    coordinator = client_for(w.coordinator)
    assert coordinator.post(url, form_data(evaluation, version="1", place="Aula A")).status_code == 302
    response = coordinator.post(url, form_data(evaluation, version="1", place="Aula B"))
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    meeting.refresh_from_db()
    assert meeting.place == "Aula A" and meeting.version == 2
    # The edit also changed whom the meeting invites: B is now invited, A's head still required.
    assert set(meeting.invitations.values_list("agency__acronym", "head_required")) == {
        ("DINKES", True),
        ("DISDIK", False),
    }


def test_a_cancelled_meeting_tells_the_invited_skpds_and_takes_no_more_answers(
    evaluation, django_capture_on_commit_callbacks
) -> None:
    w = evaluation.world
    meeting = plan(evaluation)
    services.invitations_send(meeting=meeting, by=w.coordinator)
    coordinator = client_for(w.coordinator)
    url = reverse("evaluations:meeting_cancel", args=[meeting.pk])
    short = coordinator.post(url, {"reason": "Batal"})
    assert short.status_code == 200 and "reason" in short.context["form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        assert coordinator.post(url, {"reason": "Bupati memanggil rapat mendadak."}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert [m.to for m in mail.outbox] == [["operator_a@example.org"]] and mail.outbox[0].subject == subject(
        "Cancelled", meeting
    )
    with pytest.raises(ValidationError):
        services.invitation_respond(invitation=invitation_of(meeting, w.agency_a), by=w.operator_a, response="head")


# --- Answers ----------------------------------------------------------------------------------------------


def test_a_delegate_needs_a_name_and_position_when_the_head_was_asked(evaluation) -> None:
    w = evaluation.world
    invitation = invitation_of(plan(evaluation), w.agency_a)
    with pytest.raises(ValidationError) as refused:
        services.invitation_respond(invitation=invitation, by=w.operator_a, response="delegate", attendee_name=" ")
    assert set(refused.value.message_dict) == {"attendee_name", "attendee_position"}
    services.invitation_respond(invitation=invitation, by=w.operator_a, response="head", attendee_name="Kepala Dinas")
    invitation.refresh_from_db()
    assert invitation.response == "head"
    event = AuditEvent.objects.get(action="meeting.responded")
    assert event.changes["response"] == ["pending", "head"] and event.actor == w.operator_a


def test_an_answer_is_refused_once_the_meeting_has_started_even_from_an_open_page(evaluation) -> None:
    w = evaluation.world
    meeting = plan(evaluation)
    invitation = invitation_of(meeting, w.agency_a)
    url = reverse("evaluations:invitation_respond", args=[invitation.pk])
    operator = client_for(w.operator_a)
    assert b"respond-form" in operator.get(url).content
    move_to_the_past(meeting)  # the page was opened before; the answer arrives after the start
    with pytest.raises(ValidationError) as refused:
        services.invitation_respond(invitation=invitation, by=w.operator_a, response="head")
    assert refused.value.messages == [in_indonesian(STARTED)]
    response = operator.post(url, {"response": "head"})
    assert response.status_code == 200 and b"respond-closed" in response.content
    invitation.refresh_from_db()
    assert invitation.response == "pending" and not AuditEvent.objects.filter(action="meeting.responded").exists()


def test_an_skpd_answers_only_its_own_invitation(evaluation) -> None:
    w = evaluation.world
    meeting = plan(evaluation, invite=[(w.agency_a, False), (w.agency_b, False)])
    invitation_a = invitation_of(meeting, w.agency_a)
    url = reverse("evaluations:invitation_respond", args=[invitation_a.pk])
    assert client_for(w.operator_b).post(url, {"response": "declined"}).status_code == 404
    assert client_for(w.coordinator).post(url, {"response": "declined"}).status_code == 403
    invitation_a.refresh_from_db()
    assert invitation_a.response == "pending"
    # B sees the meeting and its own invitation only.
    page = client_for(w.operator_b).get(meeting.get_absolute_url())
    assert [i.agency.acronym for i in page.context["page"].invitations] == ["DISDIK"]


# --- Attendance and minutes -------------------------------------------------------------------------------


def test_attendance_and_minutes_wait_for_the_day_of_the_meeting(evaluation) -> None:
    w = evaluation.world
    meeting = plan(evaluation)
    invitation = invitation_of(meeting, w.agency_a)
    with pytest.raises(ValidationError):
        services.attendance_record(meeting=meeting, by=w.coordinator, attended={invitation.pk: True})
    with pytest.raises(ValidationError):
        services.minutes_attach(
            meeting=meeting, by=w.coordinator, minutes_upload=SimpleUploadedFile("n.pdf", PDF_BYTES)
        )
    response = client_for(w.coordinator).post(
        reverse("evaluations:meeting_attendance", args=[meeting.pk]), {"present": [invitation.pk]}
    )
    assert response.status_code == 200 and response.context["attendance_form"].non_field_errors()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED and invitation_of(meeting, w.agency_a).attended is None


def test_attendance_only_for_the_meetings_own_invitations(evaluation) -> None:
    w = evaluation.world
    meeting = plan(evaluation, starts_at=timezone.now() - dt.timedelta(hours=2))
    other = plan(evaluation, invite=[(w.agency_b, False)])
    stranger = invitation_of(other, w.agency_b)
    with pytest.raises(ValidationError):
        services.attendance_record(meeting=meeting, by=w.coordinator, attended={stranger.pk: True})
    response = client_for(w.coordinator).post(
        reverse("evaluations:meeting_attendance", args=[meeting.pk]), {"present": [stranger.pk]}
    )
    assert response.status_code == 200 and "present" in response.context["attendance_form"].errors


def test_a_refused_minutes_file_is_named_beside_its_field(evaluation) -> None:
    w = evaluation.world
    meeting = plan(evaluation, starts_at=timezone.now() - dt.timedelta(hours=2))
    fake = SimpleUploadedFile("notulen.pdf", b"<html><script>alert(1)</script></html>")
    response = client_for(w.coordinator).post(
        reverse("evaluations:meeting_minutes", args=[meeting.pk]), {"minutes_upload": fake}
    )
    assert response.status_code == 200 and response.context["minutes_form"].errors["minutes_upload"]
    meeting.refresh_from_db()
    assert meeting.minutes is None and not Evidence.objects.filter(kind=Evidence.Kind.MINUTES).exists()
    empty = client_for(w.coordinator).post(reverse("evaluations:meeting_minutes", args=[meeting.pk]), {})
    assert empty.status_code == 200 and empty.context["minutes_form"].errors["minutes_upload"]


# --- Bad input on every form ------------------------------------------------------------------------------

HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"title": "Rapat\x00"}, "title"),
        ({"agenda": "Agenda\x00"}, "agenda"),
        ({"starts_at": "2023-02-30T10:00"}, "starts_at"),
        ({"starts_at": "20230-06-01T10:00"}, "starts_at"),
        ({"starts_at": "1900-06-01T10:00"}, "starts_at"),
        ({"starts_at": "besok\x00"}, "starts_at"),
        ({"invited": [HUGE]}, "invited"),
        ({"invited": ["-1"]}, "invited"),
        ({"invited": []}, "invited"),
        ({"head_required": [HUGE]}, "head_required"),
        ({"kind": "party"}, "kind"),
    ],
)
def test_bad_meeting_input_is_shown_beside_the_field(evaluation, extra: dict[str, Any], field: str) -> None:
    w = evaluation.world
    response = client_for(w.coordinator).post(
        reverse("evaluations:meeting_create", args=[evaluation.cycle.pk]), form_data(evaluation, **extra)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    # What was typed stays in the form.
    assert form.data["place"] == "Aula Barakat, Martapura"
    assert Meeting.objects.count() == 0


def test_an_other_regions_agency_id_is_not_a_choice(evaluation) -> None:
    w = evaluation.world
    data = form_data(evaluation, invited=[str(w.other_agency.pk)], head_required=[])
    response = client_for(w.coordinator).post(reverse("evaluations:meeting_create", args=[evaluation.cycle.pk]), data)
    assert response.status_code == 200 and "invited" in response.context["form"].errors


def test_head_required_only_for_invited_skpds(evaluation) -> None:
    w = evaluation.world
    data = form_data(evaluation, invited=[str(w.agency_a.pk)], head_required=[str(w.agency_b.pk)])
    response = client_for(w.coordinator).post(reverse("evaluations:meeting_create", args=[evaluation.cycle.pk]), data)
    assert response.status_code == 200 and "head_required" in response.context["form"].errors


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"response": "delegate", "attendee_name": "Nama\x00", "attendee_position": "Sekretaris"}, "attendee_name"),
        ({"response": "delegate", "attendee_name": "x" * 151, "attendee_position": "Sekretaris"}, "attendee_name"),
        ({"response": "pending"}, "response"),
        ({"response": "head\x00"}, "response"),
        ({}, "response"),
    ],
)
def test_bad_answers_are_shown_beside_the_field(evaluation, data: dict[str, Any], field: str) -> None:
    w = evaluation.world
    invitation = invitation_of(plan(evaluation), w.agency_a)
    response = client_for(w.operator_a).post(reverse("evaluations:invitation_respond", args=[invitation.pk]), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    invitation.refresh_from_db()
    assert invitation.response == "pending"


@pytest.mark.parametrize("value", [HUGE, "abc", "1\x00", "-5"])
def test_bad_attendance_ids_are_refused_beside_the_field(evaluation, value: str) -> None:
    w = evaluation.world
    meeting = plan(evaluation, starts_at=timezone.now() - dt.timedelta(hours=2))
    response = client_for(w.coordinator).post(
        reverse("evaluations:meeting_attendance", args=[meeting.pk]), {"present": [value]}
    )
    assert response.status_code == 200 and "present" in response.context["attendance_form"].errors


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"text": "Keputusan\x00"}, "text"),
        ({"text": ""}, "text"),
        ({"dimension": HUGE}, "dimension"),
        ({"due_A": "2023-02-30"}, "due_A"),
        ({"due_A": "20230-01-01"}, "due_A"),
        ({"due_A": "1\x00"}, "due_A"),
    ],
)
def test_bad_decisions_are_shown_beside_the_field(evaluation, extra: dict[str, Any], field: str) -> None:
    w = evaluation.world
    meeting = plan(evaluation)
    key = f"due_{w.agency_a.pk}"
    data = {"text": "Melengkapi SK Tim Pelaksana.", key: "2023-05-20"}
    data.update({(key if k == "due_A" else k): v for k, v in extra.items()})
    response = client_for(w.coordinator).post(reverse("evaluations:meeting_decision", args=[meeting.pk]), data)
    assert response.status_code == 200
    assert (key if field == "due_A" else field) in response.context["decision_form"].errors
    assert FollowUpItem.objects.count() == 0


@pytest.mark.parametrize("name", ["meeting", "meeting_update", "meeting_cancel", "invitation_respond"])
def test_a_huge_id_is_a_404(evaluation, name: str) -> None:
    w = evaluation.world
    user = w.operator_a if name == "invitation_respond" else w.coordinator
    url = reverse(f"evaluations:{name}", args=[10**30])
    assert client_for(user).get(url).status_code == 404


# --- Who sees what ----------------------------------------------------------------------------------------


def test_only_invited_skpds_of_the_region_see_a_meeting(evaluation) -> None:
    w = evaluation.world
    meeting = plan(evaluation)
    url = meeting.get_absolute_url()
    assert client_for(w.operator_a).get(url).status_code == 200
    for stranger in (w.operator_b, w.assessor, w.outsider):
        assert client_for(stranger).get(url).status_code == 404
    # The list: B's operator sees the cycle's meetings page, without the meeting it is not invited to.
    listing = client_for(w.operator_b).get(reverse("evaluations:meetings", args=[evaluation.cycle.pk]))
    assert listing.status_code == 200 and listing.context["meetings"] == []
    assert client_for(w.assessor).get(reverse("evaluations:meetings", args=[evaluation.cycle.pk])).status_code == 404


# --- Selectors and queries --------------------------------------------------------------------------------


def test_the_cycle_list_counts_answers_in_the_database(evaluation) -> None:
    w = evaluation.world
    meeting = plan(evaluation, invite=[(w.agency_a, True), (w.agency_b, False), (w.dkisp, False)])
    services.invitation_respond(
        invitation=invitation_of(meeting, w.agency_b),
        by=w.operator_b,
        response="delegate",
        attendee_name="Budi",
        attendee_position="Kabid",
    )
    plan(evaluation, invite=[(w.agency_b, False)])
    rows = {m.pk: m for m in cycle_meetings(user=w.coordinator, cycle=evaluation.cycle)}
    row = rows[meeting.pk]
    assert (row.invited, row.pending, row.head, row.delegate, row.declined, row.attended_count) == (3, 2, 0, 1, 0, 0)
    assert len(rows) == 2
    assert [m.pk for m in cycle_meetings(user=w.operator_a, cycle=evaluation.cycle)] == [meeting.pk]
    assert [i.meeting_id for i in pending_invitations(user=w.operator_a)] == [meeting.pk]
    assert len(pending_invitations(user=w.operator_b)) == 1  # answered one, pending the other
    assert list(pending_invitations(user=w.coordinator)) == []


def _query_counts(evaluation, agencies: list[Any], django_assert_max_num_queries) -> list[int]:
    from evaluations.services.followup import item_create

    w = evaluation.world
    meeting = plan(
        evaluation,
        starts_at=timezone.now() - dt.timedelta(hours=1),
        invite=[(a, i % 2 == 0) for i, a in enumerate(agencies)],
    )
    for invitation in meeting.invitations.all():
        MeetingInvitation.objects.filter(pk=invitation.pk).update(
            response="delegate", attendee_name="Wakil", attendee_position="Kabid"
        )
    services.minutes_attach(meeting=meeting, by=w.coordinator, minutes_upload=SimpleUploadedFile("n.pdf", PDF_BYTES))
    for n in range(len(agencies)):
        item_create(
            cycle=evaluation.cycle,
            by=w.coordinator,
            source=FollowUpItem.Source.DECISION,
            text=f"Keputusan {n} untuk rapat {meeting.pk}",
            meeting=meeting,
            tasks=[(a, dt.date(2023, 5, 20)) for a in agencies],
        )
    pages = [
        (w.coordinator, meeting.get_absolute_url(), 14),
        (w.coordinator, reverse("evaluations:meetings", args=[evaluation.cycle.pk]), 6),
        (w.operator_a, meeting.get_absolute_url(), 8),
        (w.operator_a, reverse("evaluations:meetings", args=[evaluation.cycle.pk]), 6),
    ]
    counts = []
    for user, url, limit in pages:
        client = client_for(user)
        client.get(url)  # warm the session and the content types
        with django_assert_max_num_queries(limit) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    return counts


def test_the_meeting_pages_run_a_fixed_number_of_queries(evaluation, django_assert_max_num_queries) -> None:
    from agencies.services import agency_create

    w = evaluation.world
    extra = [agency_create(by=None, region=w.region, name=f"Kecamatan {n}", acronym=f"KEC{n}") for n in range(8)]
    small = _query_counts(evaluation, [w.agency_a], django_assert_max_num_queries)
    large = _query_counts(evaluation, [w.agency_a, w.agency_b, *extra], django_assert_max_num_queries)
    assert small == large


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"version": HUGE}, "version"), ({"version": "x"}, "version"), ({"place": "Aula\x00"}, "place")],
)
def test_bad_edits_are_refused_without_a_change(evaluation, extra: dict[str, Any], field: str) -> None:
    w = evaluation.world
    meeting = plan(evaluation)
    data = form_data(evaluation, **{"version": "1", **extra})
    response = client_for(w.coordinator).post(reverse("evaluations:meeting_update", args=[meeting.pk]), data)
    assert response.status_code == 200 and field in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.version == 1 and meeting.place == "Aula Barakat, Martapura"


def test_a_held_or_cancelled_meeting_is_no_longer_edited_or_sent(evaluation) -> None:
    w = evaluation.world
    meeting = plan(evaluation)
    services.meeting_cancel(meeting=meeting, by=w.coordinator, reason="Ditunda sampai bulan depan.")
    coordinator = client_for(w.coordinator)
    assert coordinator.get(reverse("evaluations:meeting_update", args=[meeting.pk])).status_code == 302
    response = coordinator.post(reverse("evaluations:meeting_invitations_send", args=[meeting.pk]))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is None and meeting.status == Meeting.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.meeting_update(meeting=meeting, by=w.coordinator, expected_version=meeting.version, data={})
