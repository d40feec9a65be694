"""Planning a meeting: creating it with whom it invites, changing it while it is planned, and cancelling it (the
SKPDs already invited are told)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from agencies.audit import audit_record, snapshot
from agencies.models import Agency
from agencies.notifications import notify
from agencies.permissions import CHANGE, CREATE, can_in_region
from common.forms import clean_reason
from common.workflow import VersionConflict
from evaluations.actions import EvaluationAction
from evaluations.models import EvaluationCycle, Meeting, MeetingInvitation
from evaluations.services.meetings.base import MEETING_FIELDS, Actor, _ensure, _ensure_planned, _hold
from evaluations.services.meetings.invitations import invitation_addresses


def _clean_invitations(
    cycle: EvaluationCycle, invitations: Sequence[tuple[Agency, bool]], *, invited: Collection[int] = ()
) -> dict[int, tuple[Agency, bool]]:
    """The invitations asked for; an SKPD deactivated since it was `invited` may stay, none may be added."""
    chosen = {agency.pk: (agency, bool(head)) for agency, head in invitations}
    if not chosen:
        raise ValidationError({"invited": [_("Invite at least one SKPD.")]})
    if any(
        agency.region_id != cycle.region_id or not (agency.is_active or agency.pk in invited)
        for agency, _head in chosen.values()
    ):
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
    # Compared as values, not as their snapshots: the same moment typed in another time zone is no change.
    changed = {name for name, value in fields.items() if getattr(current, name) != value}
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    after = snapshot(current, fields.keys())
    changes = {key: [before[key], after[key]] for key in after if key in changed}
    if invitations is not None:
        existing = {i.agency_id: i for i in current.invitations.select_related("agency")}
        old_labels = _labels({pk: (i.agency, i.head_required) for pk, i in existing.items()})
        chosen = _clean_invitations(current.cycle, invitations, invited=set(existing))
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
