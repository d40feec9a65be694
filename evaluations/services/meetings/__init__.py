"""Preparation meetings of a cycle: planning them, inviting SKPDs by mail, their answers (the head or a named
delegate), attendance on the day, the minutes and attendance list kept as evidence in DKISP's library, and
cancelling.

Every write locks the meeting's row first and asks the policy again under that lock, so a meeting cancelled or
started while an SKPD was answering, or changed while DKISP was editing it, is refused rather than overwritten.

By capability: `planning` (create, change, cancel), `invitations` (send, answer), `record` (attendance, minutes),
`base` (the checks all of them share). Import the services from here.
"""

from __future__ import annotations

from evaluations.services.meetings.base import MEETING_FIELDS, Actor, Response, day_reached, has_started
from evaluations.services.meetings.invitations import (
    changed_since_sent,
    invitation_addresses,
    invitation_respond,
    invitations_send,
)
from evaluations.services.meetings.planning import meeting_cancel, meeting_create, meeting_update
from evaluations.services.meetings.record import attendance_record, minutes_attach

__all__ = [
    "MEETING_FIELDS",
    "Actor",
    "Response",
    "attendance_record",
    "changed_since_sent",
    "day_reached",
    "has_started",
    "invitation_addresses",
    "invitation_respond",
    "invitations_send",
    "meeting_cancel",
    "meeting_create",
    "meeting_update",
    "minutes_attach",
]
