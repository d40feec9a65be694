"""Reads for preparation meetings: a cycle's meetings with their answers counted in the database, an SKPD's
invitations still to answer, and one meeting's page in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from agencies.permissions import VIEW, User, scoped, visible
from evaluations.models import EvaluationCycle, FollowUpItem, Meeting, MeetingInvitation
from evaluations.rules import RESPOND
from evidence.models import Evidence

Response = MeetingInvitation.Response


def cycle_meetings(*, user: User, cycle: EvaluationCycle) -> QuerySet[Meeting]:
    """The meetings of `cycle` the user may see (newest first), each with `invited`, `pending`, `head`,
    `delegate`, `declined` and `attended_count`: one query."""

    def responses(value: str) -> Count:
        return Count("invitations", filter=Q(invitations__response=value))

    return visible(user, Meeting.objects.filter(cycle=cycle)).annotate(
        invited=Count("invitations"),
        pending=responses(Response.PENDING),
        head=responses(Response.HEAD),
        delegate=responses(Response.DELEGATE),
        declined=responses(Response.DECLINED),
        attended_count=Count("invitations", filter=Q(invitations__attended=True)),
    )


def own_invitations(*, user: User, meetings: list[Meeting]) -> dict[int, MeetingInvitation]:
    """{meeting id: the invitation of the user's SKPD} for the listed meetings (one query), for an SKPD's list.
    Only for SKPD staff: DKISP sees every invitation of a meeting, so the map would hold an arbitrary one."""
    rows = visible(user, MeetingInvitation.objects.filter(meeting_id__in=[m.pk for m in meetings]))
    return {i.meeting_id: i for i in rows.select_related("agency").order_by("-pk")}


def pending_invitations(*, user: User) -> QuerySet[MeetingInvitation]:
    """The invitations the user's SKPD has still to answer, soonest meeting first (one query)."""
    open_ones = scoped(user, RESPOND, MeetingInvitation.objects.filter(response=Response.PENDING))
    return open_ones.select_related("meeting__cycle", "agency").order_by("meeting__starts_at", "pk")


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting
    invitations: list[MeetingInvitation]
    decisions: list[FollowUpItem]
    readable_evidence: frozenset[int]  # ids of the meeting's files the user may download through the library

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Response.values, 0)
        for invitation in self.invitations:
            counts[invitation.response] += 1
        return counts


def meeting_queryset() -> QuerySet[Meeting]:
    return Meeting.objects.select_related("region", "cycle__region", "minutes", "attendance_list", "created_by")


def meeting_page(*, user: User, meeting: Meeting, coordinator: bool) -> MeetingPage:
    """One meeting's page: its invitations (all of them for DKISP, only the user's SKPD's otherwise), its
    decisions with their SKPD tasks, and which of its files the user may download: at most four queries."""
    invitations: Any = meeting.invitations.select_related("agency", "responded_by").order_by("agency__acronym")
    if not coordinator:
        invitations = visible(user, invitations)
    decisions: Any = meeting.decisions.select_related("dimension")
    if not coordinator:
        decisions = visible(user, decisions)  # an SKPD sees the decisions it has a task in
    decisions = decisions.prefetch_related(Prefetch("tasks", queryset=_tasks())).order_by("pk")
    files = [pk for pk in (meeting.minutes_id, meeting.attendance_list_id) if pk]
    readable = (
        frozenset(scoped(user, VIEW, Evidence.objects.filter(pk__in=files)).values_list("pk", flat=True))
        if files
        else frozenset()
    )
    return MeetingPage(meeting, list(invitations), list(decisions), readable)


def _tasks() -> QuerySet[Any]:
    from evaluations.models import FollowUpTask

    return FollowUpTask.objects.select_related("agency").order_by("due_on", "agency__acronym")
