"""The record of the day: which invited SKPDs came, and the minutes and attendance list kept as evidence in
DKISP's library."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.audit import audit_record
from agencies.models import Agency, Membership, Role
from agencies.permissions import CHANGE, agencies_of
from evaluations.actions import EvaluationAction
from evaluations.models import Meeting
from evaluations.services.meetings.base import Actor, _ensure, _hold, day_reached
from evidence.models import Evidence
from evidence.services import evidence_upload


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
