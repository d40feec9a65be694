"""What the meeting services share: the policy asked again under the meeting's row lock, and when a meeting counts
as started or its day as reached.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.audit import register_change_labels
from agencies.permissions import can
from evaluations.models import Meeting, MeetingInvitation

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
