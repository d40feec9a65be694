"""Inviting SKPDs by mail and their answers: the head, a named delegate, or nobody."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.audit import audit_record
from agencies.models import Agency
from agencies.notifications import addresses, notify
from agencies.permissions import CHANGE, scoped, who_may_for_agency
from evaluations.actions import EvaluationAction
from evaluations.models import Meeting, MeetingInvitation
from evaluations.rules import RESPOND
from evaluations.services.meetings.base import Actor, Response, _ensure, _ensure_planned, _hold, has_started


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
    if (invitation.response, invitation.attendee_name, invitation.attendee_position) == (response, name, position):
        return invitation  # the same answer saved again: nothing to write or to record
    before = {"response": invitation.response, "attendee": invitation.attendee_name}
    invitation.response = response
    invitation.attendee_name = name
    invitation.attendee_position = position
    invitation.responded_by = by if by is not None and by.is_authenticated else None
    invitation.responded_at = timezone.now()
    invitation.full_clean()
    invitation.save()
    changes: dict[str, object] = {"agency": invitation.agency.acronym}
    for key, now in (("response", response), ("attendee", name)):
        if before[key] != now:
            changes[key] = [before[key], now]
    audit_record(
        actor=by, action=EvaluationAction.MEETING_RESPONDED, target=meeting, region=meeting.region, changes=changes
    )
    return invitation
