"""The follow-up loop of `smartcity.demo.followup`, played out through the meeting and register services.

Idempotent: meetings are found by (cycle, title), register items by (cycle, source, dimension, text) or
(meeting, text), tasks by (item, SKPD) and library entries by (agency, title); a step already taken is skipped,
so a second load calls no service.

One step cannot go through a service. `invitation_respond` and `invitations_send` judge "already started" by the
real clock (`timezone.now()`), so an SKPD cannot answer the 2024 preparation meeting after the fact; the loader
writes those answers itself (`_replay_answers`) the way the service does, audit event included. Attendance and the
minutes go through `attendance_record` and `minutes_attach`, which allow a past meeting. The coming rakor is
invited and answered through the services themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agencies.audit import audit_record
from agencies.models import Agency, Region
from evaluations.actions import EvaluationAction
from evaluations.models import EvaluationCycle, FollowUpItem, FollowUpTask, Meeting, MeetingInvitation, Question
from evaluations.services.followup import (
    item_create,
    item_drop,
    item_update,
    items_from_notes,
    link_items_to_cycle,
    normalise,
    task_report,
    tasks_assign,
)
from evaluations.services.meetings import (
    attendance_record,
    has_started,
    invitation_respond,
    invitations_send,
    meeting_create,
    minutes_attach,
)
from evidence.models import Evidence
from evidence.services import evidence_upload
from masterplan.models import Dimension
from smartcity.demo import files
from smartcity.demo.followup import (
    DECISIONS,
    DONE,
    DROPPED,
    ITEMS,
    MINUTES_LINES,
    PREPARATION,
    RAKOR,
    ItemPlan,
    MeetingSpec,
)
from smartcity.demo.people import ANSWER_OPERATORS, COORDINATOR
from smartcity.demo.questions import CYCLE_2023, CYCLE_2024

Response = MeetingInvitation.Response
TaskStatus = FollowUpTask.Status


@dataclass
class _Context:
    region: Region
    agencies: dict[str, Agency]
    today: dt.date
    created: Callable[[str, object], None]
    users: dict[str, AbstractBaseUser] = field(default_factory=dict)

    def user(self, username: str) -> AbstractBaseUser:
        user = self.users.get(username)
        if user is None:
            raise RuntimeError(f"The demo login {username!r} is missing: people.USERS must list it.")
        return user

    def operator(self, acronym: str) -> AbstractBaseUser:
        return self.user(ANSWER_OPERATORS[acronym])

    def due(self, days: int) -> dt.date:
        return self.today + dt.timedelta(days=days)


def load_followup(
    *, region: Region, agencies: dict[str, Agency], today: dt.date, created: Callable[[str, object], None]
) -> None:
    """Create what is missing of the meetings and the register; steps already taken are left alone."""
    ctx = _Context(region, agencies, today, created)
    usernames = {COORDINATOR, *ANSWER_OPERATORS.values()}
    ctx.users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=usernames)}
    first = _cycle(region, CYCLE_2023.year, CYCLE_2023.stage)
    second = _cycle(region, CYCLE_2024.year, CYCLE_2024.stage)
    _register(ctx, first)  # before the meeting: its recurring decision is recognised by the 2023 items
    # The 2024 questions with the codes of the items' questions: its readiness check and assessors see them.
    link_items_to_cycle(second, by=ctx.user(COORDINATOR))
    preparation = _preparation(ctx, second)
    _decisions(ctx, second, preparation)
    _rakor(ctx, second)


def _cycle(region: Region, year: int, stage: str) -> EvaluationCycle:
    cycle = EvaluationCycle.objects.filter(region=region, year=year, stage=stage).select_related("region").first()
    if cycle is None:
        raise RuntimeError(f"The {year} {stage} cycle is missing: load_evaluations must run first.")
    return cycle


# --- Meetings ----------------------------------------------------------------------------------------------


def _find_meeting(cycle: EvaluationCycle, spec: MeetingSpec) -> Meeting | None:
    return Meeting.objects.filter(cycle=cycle, title=spec.title).select_related("region", "cycle").first()


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment, timezone.get_default_timezone())


def _invitations(meeting: Meeting) -> dict[str, MeetingInvitation]:
    return {i.agency.acronym: i for i in meeting.invitations.select_related("agency", "meeting")}


def _create_meeting(ctx: _Context, cycle: EvaluationCycle, spec: MeetingSpec, starts_at: dt.datetime) -> Meeting:
    meeting = meeting_create(
        cycle=cycle,
        by=ctx.user(COORDINATOR),
        data={**spec.data, "starts_at": starts_at},
        invitations=[(ctx.agencies[i.agency], i.head_required) for i in spec.invited],
    )
    ctx.created("meetings", meeting)
    return meeting


def _preparation(ctx: _Context, cycle: EvaluationCycle) -> Meeting:
    """The 2024 preparation meeting: invited, answered, attended, its minutes and attendance list in the library."""
    spec = PREPARATION
    assert spec.starts_at is not None and spec.invitations_sent is not None  # noqa: S101 - data, fixed above
    coordinator = ctx.user(COORDINATOR)
    meeting = _find_meeting(cycle, spec) or _create_meeting(ctx, cycle, spec, _aware(spec.starts_at))
    _replay_answers(ctx, meeting, spec)
    if meeting.status == Meeting.Status.PLANNED:
        invitations = _invitations(meeting)
        attended = {invitations[i.agency].pk: bool(i.attended) for i in spec.invited}
        meeting = attendance_record(meeting=meeting, by=coordinator, attended=attended)
    if meeting.minutes_id is None:
        minutes = files.pdf_document(
            title=f"Notulen {spec.title}", agency=ctx.agencies["DKISP"].name, lines=MINUTES_LINES
        )
        names = [
            f"{n}. {i.agency} – {i.attendee_name or 'Kepala SKPD'} ({'hadir' if i.attended else 'tidak hadir'})"
            for n, i in enumerate(spec.invited, start=1)
        ]
        attendance = files.pdf_document(
            title=f"Daftar Hadir {spec.title}", agency=ctx.agencies["DKISP"].name, lines=names
        )
        meeting = minutes_attach(
            meeting=meeting,
            by=coordinator,
            minutes_upload=SimpleUploadedFile("notulen-rapat-persiapan-2024.pdf", minutes),
            attendance_upload=SimpleUploadedFile("daftar-hadir-rapat-persiapan-2024.pdf", attendance),
        )
        ctx.created("evidence", meeting.minutes)
        ctx.created("evidence", meeting.attendance_list)
    return meeting


def _replay_answers(ctx: _Context, meeting: Meeting, spec: MeetingSpec) -> None:
    """The invitations and answers of a meeting already held, written as `invitations_send` and
    `invitation_respond` write them: those services refuse once the meeting has started (real clock), and no
    replay switch exists for them. Each answer is audited as MEETING_RESPONDED by the SKPD's operator."""
    assert spec.invitations_sent is not None and spec.starts_at is not None  # noqa: S101
    if meeting.invitations_sent_at is None:
        sent = _aware(spec.invitations_sent)
        Meeting.objects.filter(pk=meeting.pk).update(invitations_sent_at=sent)
        meeting.invitations_sent_at = sent
        audit_record(
            actor=ctx.user(COORDINATOR),
            action=EvaluationAction.MEETING_INVITATIONS_SENT,
            target=meeting,
            region=meeting.region,
            changes={"invited": sorted(i.agency for i in spec.invited), "recipients": 0, "changed": False},
        )
    invitations = _invitations(meeting)
    answered = _aware(spec.starts_at) - dt.timedelta(days=2)
    for invited in spec.invited:
        invitation = invitations[invited.agency]
        if invited.response == Response.PENDING or invitation.response != Response.PENDING:
            continue
        operator = ctx.operator(invited.agency)
        invitation.response = invited.response
        invitation.attendee_name = invited.attendee_name
        invitation.attendee_position = invited.attendee_position
        invitation.responded_by = operator
        invitation.responded_at = answered
        invitation.full_clean()
        invitation.save()
        audit_record(
            actor=operator,
            action=EvaluationAction.MEETING_RESPONDED,
            target=meeting,
            region=meeting.region,
            changes={
                "agency": invited.agency,
                "response": [Response.PENDING, invited.response],
                "attendee": ["", invited.attendee_name],
            },
        )


def _rakor(ctx: _Context, cycle: EvaluationCycle) -> None:
    """A rakor two weeks after the first load: invited and answered through the services while it is ahead."""
    spec = RAKOR
    meeting = _find_meeting(cycle, spec)
    if meeting is None:
        day = ctx.due(spec.days_ahead)
        starts_at = _aware(dt.datetime(day.year, day.month, day.day, spec.hour))  # noqa: DTZ001
        meeting = _create_meeting(ctx, cycle, spec, starts_at)
    if meeting.status != Meeting.Status.PLANNED or has_started(meeting):
        return  # loaded again after the rakor's day: what happened since is the demo users' own
    if meeting.invitations_sent_at is None:
        invitations_send(meeting=meeting, by=ctx.user(COORDINATOR))
    invitations = _invitations(meeting)
    for invited in spec.invited:
        invitation = invitations[invited.agency]
        if invited.response == Response.PENDING or invitation.response != Response.PENDING:
            continue
        invitation_respond(
            invitation=invitation,
            by=ctx.operator(invited.agency),
            response=invited.response,
            attendee_name=invited.attendee_name,
            attendee_position=invited.attendee_position,
        )


# --- The register --------------------------------------------------------------------------------------------


def _register(ctx: _Context, cycle: EvaluationCycle) -> None:
    """The 2023 Tahap I notes as items, each assigned, reported on and closed as ITEMS says."""
    items = list(FollowUpItem.objects.filter(cycle=cycle, meeting=None).select_related("dimension"))
    if not items:
        items = items_from_notes(cycle=cycle, by=ctx.user(COORDINATOR))
        for item in items:
            ctx.created("followup items", item)
    for item in items:
        plan = ITEMS.get((item.dimension.code if item.dimension else None, item.source))
        if plan is not None:
            _link_questions(ctx, cycle, item, plan)
            _follow(ctx, item, plan)


def _link_questions(ctx: _Context, cycle: EvaluationCycle, item: FollowUpItem, plan: ItemPlan) -> None:
    """The questions the line concerns, linked while the item is still open (a closed item takes no edit)."""
    if not plan.questions or item.is_closed or item.questions.exists():
        return
    questions = list(Question.objects.filter(questionnaire_id=cycle.questionnaire_id, code__in=plan.questions))
    item_update(item=item, by=ctx.user(COORDINATOR), expected_version=item.version, data={"questions": questions})
    item.refresh_from_db(fields=["version", "status"])


def _follow(ctx: _Context, item: FollowUpItem, plan: ItemPlan) -> None:
    coordinator = ctx.user(COORDINATOR)
    tasks = {t.agency.acronym: t for t in item.tasks.select_related("agency", "item")}
    if not tasks and item.status != DROPPED:
        assigned = tasks_assign(
            item=item, by=coordinator, agencies_with_due_dates=[(ctx.agencies[a], ctx.due(d)) for a, d in plan.tasks]
        )
        tasks = {t.agency.acronym: t for t in assigned}
    item.refresh_from_db(fields=["status"])
    if item.is_closed:
        return
    for report in plan.reports:
        task = tasks.get(report.agency)
        if task is None or task.status == TaskStatus.DONE:
            continue
        if task.status == TaskStatus.IN_PROGRESS and not report.done:
            continue
        evidence = [_task_evidence(ctx, report.agency, item)] if report.done else []
        task_report(task=task, by=ctx.operator(report.agency), report=report.text, evidence=evidence, done=report.done)
    if plan.fate == DROPPED:
        item_drop(item=item, by=coordinator, reason=plan.drop_reason)
    elif plan.fate == DONE:
        item.refresh_from_db(fields=["status"])
        if item.status != DONE:
            raise RuntimeError(f"The demo item {item} should be done: every one of its tasks needs a done report.")


def _task_evidence(ctx: _Context, acronym: str, item: FollowUpItem) -> Evidence:
    """The SKPD's follow-up report on the 2023 recommendations, in its own library (uploaded once)."""
    agency = ctx.agencies[acronym]
    title = f"Laporan Tindak Lanjut Rekomendasi Evaluasi Smart City 2023 – {acronym}"
    evidence = Evidence.objects.filter(agency=agency, title=title).first()
    if evidence is not None:
        return evidence
    content = files.pdf_document(
        title=title, agency=agency.name, lines=["Rekomendasi tim penilai:", item.text, "Tindak lanjut telah selesai."]
    )
    slug = acronym.lower().replace(" ", "-")
    upload = SimpleUploadedFile(f"tindak-lanjut-rekomendasi-2023-{slug}.pdf", content)
    data = {"title": title, "kind": Evidence.Kind.REPORT, "document_date": ctx.today, "issuer": f"Kepala {agency.name}"}
    result = evidence_upload(agency=agency, by=ctx.operator(acronym), upload=upload, data=data)
    if result.created:
        ctx.created("evidence", result.evidence)
    return result.evidence


def _decisions(ctx: _Context, cycle: EvaluationCycle, meeting: Meeting) -> None:
    """The meeting's decisions as items of the 2024 cycle, assigned; one repeats 2023 and shows as recurring."""
    have = {normalise(text) for text in FollowUpItem.objects.filter(meeting=meeting).values_list("text", flat=True)}
    dimensions = {d.code: d for d in Dimension.objects.all()}
    for spec in DECISIONS:
        if normalise(spec.text) in have:
            continue
        item = item_create(
            cycle=cycle,
            by=ctx.user(COORDINATOR),
            source=FollowUpItem.Source.DECISION,
            text=spec.text,
            dimension=dimensions[spec.dimension] if spec.dimension else None,
            meeting=meeting,
            tasks=[(ctx.agencies[a], ctx.due(d)) for a, d in spec.tasks],
        )
        ctx.created("followup items", item)
