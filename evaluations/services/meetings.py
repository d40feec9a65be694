"""Preparation meetings of a cycle: planning them, inviting SKPDs by mail, their answers (the head or a named
delegate), attendance on the day, the minutes and attendance list kept as evidence in DKISP's library, and
cancelling.

Every write locks the meeting's row first and asks the policy again under that lock, so a meeting cancelled or
started while an SKPD was answering, or changed while DKISP was editing it, is refused rather than overwritten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.audit import audit_record, register_change_labels, snapshot
from agencies.models import Agency, Membership, Role
from agencies.notifications import addresses, notify
from agencies.permissions import CHANGE, CREATE, agencies_of, can, can_in_region, scoped, who_may_for_agency
from common.forms import clean_reason
from common.workflow import VersionConflict
from evaluations.actions import EvaluationAction
from evaluations.models import EvaluationCycle, Meeting, MeetingInvitation
from evaluations.rules import RESPOND
from evidence.models import Evidence
from evidence.services import evidence_upload

Actor = AbstractBaseUser | None
MEETING_FIELDS = ("kind", "title", "starts_at", "place", "agenda")
Response = MeetingInvitation.Response

# Keys of meeting events that name no field of Meeting.
register_change_labels(
    {
        "invited": gettext_lazy("Invited SKPDs"),
        "heads_required": gettext_lazy("SKPDs whose head must attend"),
        "recipients": gettext_lazy("Recipients"),
        "changed": gettext_lazy("Changed since the last invitation"),
        "agency": gettext_lazy("SKPD"),
        "attendee": gettext_lazy("Attendee"),
        "present": gettext_lazy("Present"),
        "absent": gettext_lazy("Absent"),
    }
)


def _ensure(by: Actor, action: str, obj: Any) -> None:
    """The policy asked again inside the write's transaction (None: the system itself, e.g. the demo loader)."""
    if by is not None and not can(by, action, obj):
        raise PermissionDenied


def _hold(meeting: Meeting) -> Meeting:
    """The meeting's row locked until the caller's transaction ends, as committed now."""
    return Meeting.objects.select_for_update(of=("self",)).select_related("region", "cycle").get(pk=meeting.pk)


def _ensure_planned(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.PLANNED:
        message = _("This meeting is %(status)s; it can no longer be changed.")
        raise ValidationError(message % {"status": meeting.get_status_display().lower()})


def has_started(meeting: Meeting) -> bool:
    return meeting.starts_at <= timezone.now()


def day_reached(meeting: Meeting) -> bool:
    """Whether the meeting's day (in the site's time zone, Asia/Jakarta) has come: attendance is recorded then."""
    return timezone.localdate(meeting.starts_at) <= timezone.localdate()


def _clean_invitations(
    cycle: EvaluationCycle, invitations: Sequence[tuple[Agency, bool]]
) -> dict[int, tuple[Agency, bool]]:
    chosen = {agency.pk: (agency, bool(head)) for agency, head in invitations}
    if not chosen:
        raise ValidationError({"invited": [_("Invite at least one SKPD.")]})
    if any(agency.region_id != cycle.region_id or not agency.is_active for agency, _head in chosen.values()):
        raise ValidationError({"invited": [_("Only active SKPDs of this region can be invited.")]})
    return chosen


def _labels(chosen: Mapping[int, tuple[Agency, bool]]) -> tuple[list[str], list[str]]:
    invited = sorted(agency.acronym for agency, _head in chosen.values())
    heads = sorted(agency.acronym for agency, head in chosen.values() if head)
    return invited, heads


@transaction.atomic
def meeting_create(
    *, cycle: EvaluationCycle, by: Actor, data: Mapping[str, Any], invitations: Sequence[tuple[Agency, bool]]
) -> Meeting:
    """Plan a meeting on `cycle` and record whom it invites (nobody is told until `invitations_send`)."""
    cycle = EvaluationCycle.objects.select_related("region").get(pk=cycle.pk)
    if by is not None and not can_in_region(by, CREATE, Meeting, cycle.region):
        raise PermissionDenied
    chosen = _clean_invitations(cycle, invitations)
    fields = {k: v for k, v in data.items() if k in MEETING_FIELDS}
    meeting = Meeting(region=cycle.region, cycle=cycle, created_by=by, **fields)
    meeting.full_clean()
    meeting.save()
    MeetingInvitation.objects.bulk_create(
        MeetingInvitation(meeting=meeting, agency=agency, head_required=head) for agency, head in chosen.values()
    )
    changes = snapshot(meeting, fields.keys())
    changes["invited"], changes["heads_required"] = _labels(chosen)
    audit_record(
        actor=by, action=EvaluationAction.MEETING_CREATED, target=meeting, region=cycle.region, changes=changes
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    by: Actor,
    expected_version: int,
    data: Mapping[str, Any],
    invitations: Sequence[tuple[Agency, bool]] | None = None,
) -> Meeting:
    """Change a planned meeting (and whom it invites); VersionConflict when it changed since `expected_version`.

    An SKPD no longer invited loses its invitation (and its answer); one newly invited starts unanswered. When the
    invitations were already sent, the page offers to send them again, and that mail says the meeting changed.
    """
    current = _hold(meeting)
    _ensure(by, CHANGE, current)
    _ensure_planned(current)
    if current.version != expected_version:
        raise VersionConflict(current)
    fields = {k: v for k, v in data.items() if k in MEETING_FIELDS}
    before = snapshot(current, fields.keys())
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    after = snapshot(current, fields.keys())
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if invitations is not None:
        existing = {i.agency_id: i for i in current.invitations.select_related("agency")}
        old_labels = _labels({pk: (i.agency, i.head_required) for pk, i in existing.items()})
        chosen = _clean_invitations(current.cycle, invitations)
        current.invitations.exclude(agency_id__in=list(chosen)).delete()
        for pk, (agency, head) in chosen.items():
            invitation = existing.get(pk)
            if invitation is None:
                MeetingInvitation.objects.create(meeting=current, agency=agency, head_required=head)
            elif invitation.head_required != head:
                invitation.head_required = head
                invitation.save(update_fields=["head_required"])
        new_labels = _labels(chosen)
        for key, old, new in zip(("invited", "heads_required"), old_labels, new_labels, strict=True):
            if old != new:
                changes[key] = [old, new]
    if not changes:
        return current
    Meeting.objects.filter(pk=current.pk).update(**fields, version=F("version") + 1)
    audit_record(
        actor=by, action=EvaluationAction.MEETING_UPDATED, target=current, region=current.region, changes=changes
    )
    return Meeting.objects.select_related("region", "cycle").get(pk=current.pk)


def changed_since_sent(meeting: Meeting) -> bool:
    """Whether the meeting changed after its invitations were last sent (so a new mail must say so)."""
    from agencies.audit import events_for

    if meeting.invitations_sent_at is None:
        return False
    return (
        events_for(meeting)
        .filter(action=EvaluationAction.MEETING_UPDATED, created_at__gt=meeting.invitations_sent_at)
        .exists()
    )


def invitation_addresses(agency: Agency) -> list[str]:
    """Whom an SKPD's invitation goes to: its people who may answer it (operators and head), and its address."""
    return addresses(who_may_for_agency(RESPOND, MeetingInvitation, agency), agency=agency)


@transaction.atomic
def invitations_send(*, meeting: Meeting, by: Actor) -> int:
    """Mail every invited SKPD (operators, head, official address) the date, place, agenda and whether its head
    must come; return the number of SKPDs told. Sent again after a change, the mail says what it replaces."""
    current = _hold(meeting)
    _ensure(by, CHANGE, current)
    _ensure_planned(current)
    if has_started(current):
        raise ValidationError(_("The meeting has already started; invitations can no longer be sent."))
    invitations = list(current.invitations.select_related("agency").order_by("agency__acronym"))
    if not invitations:
        raise ValidationError(_("No SKPD is invited to this meeting."))
    resend = current.invitations_sent_at is not None
    changed = changed_since_sent(current)
    recipients: list[str] = []
    for invitation in invitations:
        to = invitation_addresses(invitation.agency)
        recipients.extend(to)
        context = {
            "meeting": current,
            "invitation": invitation,
            "agency": invitation.agency,
            "resend": resend,
            "changed": changed,
        }
        notify(template="meeting_invitation", recipients=to, context=context)
    now = timezone.now()
    Meeting.objects.filter(pk=current.pk).update(invitations_sent_at=now)
    current.invitations_sent_at = now
    changes = {
        "invited": [i.agency.acronym for i in invitations],
        "recipients": len(set(recipients)),
        "changed": changed,
    }
    audit_record(
        actor=by,
        action=EvaluationAction.MEETING_INVITATIONS_SENT,
        target=current,
        region=current.region,
        changes=changes,
    )
    return len(invitations)


@transaction.atomic
def invitation_respond(
    *,
    invitation: MeetingInvitation,
    by: Actor,
    response: str,
    attendee_name: str = "",
    attendee_position: str = "",
) -> MeetingInvitation:
    """The SKPD says who attends: its head, a named delegate (name and position), or nobody. Refused once the
    meeting has started or was cancelled (judged under the meeting's row lock)."""
    meeting = _hold(invitation.meeting)
    invitation = (
        MeetingInvitation.objects.select_for_update(of=("self",)).select_related("agency").get(pk=invitation.pk)
    )
    if by is not None and not scoped(by, RESPOND, MeetingInvitation.objects.filter(pk=invitation.pk)).exists():
        if meeting.status == Meeting.Status.CANCELLED:
            raise ValidationError(_("This meeting was cancelled."))
        if meeting.status == Meeting.Status.HELD or has_started(meeting):
            raise ValidationError(_("The meeting has already started; the answer can no longer be changed."))
        raise PermissionDenied
    if meeting.status != Meeting.Status.PLANNED or has_started(meeting):
        raise ValidationError(_("The meeting has already started; the answer can no longer be changed."))
    name, position = attendee_name.strip(), attendee_position.strip()
    errors: dict[str, list[str]] = {}
    if response not in (Response.HEAD, Response.DELEGATE, Response.DECLINED):
        errors["response"] = [_("Choose who attends.")]
    elif response == Response.DELEGATE:
        if not name:
            errors["attendee_name"] = [_("Give the name of the delegate who attends.")]
        if not position:
            errors["attendee_position"] = [_("Give the delegate's position.")]
    if errors:
        raise ValidationError(errors)
    if response == Response.DECLINED:
        name, position = "", ""
    before = {"response": invitation.response, "attendee": invitation.attendee_name}
    invitation.response = response
    invitation.attendee_name = name
    invitation.attendee_position = position
    invitation.responded_by = by if by is not None and by.is_authenticated else None
    invitation.responded_at = timezone.now()
    invitation.full_clean()
    invitation.save()
    changes = {
        "agency": invitation.agency.acronym,
        "response": [before["response"], response],
        "attendee": [before["attendee"], name],
    }
    audit_record(
        actor=by, action=EvaluationAction.MEETING_RESPONDED, target=meeting, region=meeting.region, changes=changes
    )
    return invitation


@transaction.atomic
def attendance_record(*, meeting: Meeting, by: Actor, attended: Mapping[int, bool]) -> Meeting:
    """Record which invited SKPDs came (by invitation id), on or after the meeting's day; the meeting is then held."""
    current = _hold(meeting)
    _ensure(by, CHANGE, current)
    if current.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if not day_reached(current):
        raise ValidationError(_("Attendance can be recorded from the day of the meeting."))
    invitations = {i.pk: i for i in current.invitations.select_for_update(of=("self",)).select_related("agency")}
    unknown = set(attended) - set(invitations)
    if unknown:
        raise ValidationError(_("Attendance can only be recorded for the SKPDs invited to this meeting."))
    present, absent = [], []
    for pk, invitation in invitations.items():
        came = bool(attended.get(pk, False))
        (present if came else absent).append(invitation.agency.acronym)
        if invitation.attended is not came:
            invitation.attended = came
            invitation.save(update_fields=["attended"])
    was = current.status
    Meeting.objects.filter(pk=current.pk).update(status=Meeting.Status.HELD, version=F("version") + 1)
    changes: dict[str, Any] = {"present": sorted(present), "absent": sorted(absent)}
    if was != Meeting.Status.HELD:
        changes["status"] = [was, Meeting.Status.HELD]
    audit_record(
        actor=by, action=EvaluationAction.MEETING_ATTENDANCE, target=current, region=current.region, changes=changes
    )
    return Meeting.objects.select_related("region", "cycle").get(pk=current.pk)


def _library_agency(meeting: Meeting, by: Actor) -> Agency:
    """DKISP's agency, whose library keeps the meeting's files: the coordinator's own, else the region's."""
    mine = agencies_of(by, {Role.COORDINATOR}, region=meeting.region) if by is not None else []
    if mine:
        return mine[0]
    membership = (
        Membership.objects.filter(region=meeting.region, role=Role.COORDINATOR, is_active=True, agency__isnull=False)
        .select_related("agency")
        .order_by("pk")
        .first()
    )
    if membership is None or membership.agency is None:
        raise ValidationError(_("The region has no DKISP coordinator whose library could keep the file."))
    return membership.agency


def _store(meeting: Meeting, by: Actor, agency: Agency, upload: UploadedFile, kind: str, field: str) -> Evidence:
    title = {
        Evidence.Kind.MINUTES: _("Minutes: %(meeting)s"),
        Evidence.Kind.ATTENDANCE: _("Attendance list: %(meeting)s"),
    }[kind] % {"meeting": meeting.title}
    data = {"kind": kind, "title": title[:255], "document_date": timezone.localdate(meeting.starts_at)}
    try:
        return evidence_upload(agency=agency, by=by, upload=upload, data=data).evidence
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from None


@transaction.atomic
def minutes_attach(
    *,
    meeting: Meeting,
    by: Actor,
    minutes_upload: UploadedFile | None = None,
    attendance_upload: UploadedFile | None = None,
) -> Meeting:
    """Keep the minutes (notulen) and the signed attendance list as evidence in DKISP's library, linked to the
    meeting; a new file replaces the meeting's link (the earlier entry stays in the library)."""
    current = _hold(meeting)
    _ensure(by, CHANGE, current)
    if current.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if not day_reached(current):
        raise ValidationError(_("Minutes can be attached from the day of the meeting."))
    if minutes_upload is None and attendance_upload is None:
        raise ValidationError({"minutes_upload": [_("Choose a file to upload.")]})
    agency = _library_agency(current, by)
    changes: dict[str, Any] = {}
    updates: dict[str, Any] = {}
    if minutes_upload is not None:
        minutes = _store(current, by, agency, minutes_upload, Evidence.Kind.MINUTES, "minutes_upload")
        updates["minutes"] = minutes
        changes["minutes"] = [str(current.minutes) if current.minutes_id else None, str(minutes)]
    if attendance_upload is not None:
        attendance = _store(current, by, agency, attendance_upload, Evidence.Kind.ATTENDANCE, "attendance_upload")
        updates["attendance_list"] = attendance
        changes["attendance_list"] = [
            str(current.attendance_list) if current.attendance_list_id else None,
            str(attendance),
        ]
    Meeting.objects.filter(pk=current.pk).update(**updates, version=F("version") + 1)
    audit_record(
        actor=by, action=EvaluationAction.MEETING_MINUTES, target=current, region=current.region, changes=changes
    )
    return Meeting.objects.select_related("region", "cycle").get(pk=current.pk)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: Actor, reason: str) -> Meeting:
    """Cancel a planned meeting with a reason; SKPDs already invited are told by mail."""
    current = _hold(meeting)
    _ensure(by, CHANGE, current)
    _ensure_planned(current)
    reason = clean_reason(reason)
    Meeting.objects.filter(pk=current.pk).update(status=Meeting.Status.CANCELLED, version=F("version") + 1)
    current.status = Meeting.Status.CANCELLED
    audit_record(
        actor=by,
        action=EvaluationAction.MEETING_CANCELLED,
        target=current,
        region=current.region,
        reason=reason,
        changes={"status": [Meeting.Status.PLANNED, Meeting.Status.CANCELLED]},
    )
    if current.invitations_sent_at is not None:
        for invitation in current.invitations.select_related("agency"):
            notify(
                template="meeting_cancelled",
                recipients=invitation_addresses(invitation.agency),
                context={"meeting": current, "agency": invitation.agency, "reason": reason},
            )
    return current
