"""The recommendation register: items (an assessors' weakness or recommendation, a meeting's decision), assigned to
SKPDs as tasks that come back with a report and evidence.

An item's status follows its tasks (any task reported → in progress, every task done → done) unless DKISP drops it
with a reason; dropping and reopening are guarded steps of `common.workflow`. Every write re-reads the item under a
row lock, so an SKPD's report and DKISP's drop of the same item cannot both win.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.audit import audit_record, diff, snapshot
from agencies.models import Agency
from agencies.notifications import addresses, notify
from agencies.permissions import CHANGE, who_may, who_may_for_agency
from common.forms import clean_reason
from common.workflow import VersionConflict, transition
from evaluations.actions import EvaluationAction
from evaluations.models import (
    AssessmentNote,
    EvaluationCycle,
    FollowUpEvidence,
    FollowUpItem,
    FollowUpTask,
    Meeting,
    Question,
)
from evaluations.rules import REPORT
from evidence.models import Evidence
from masterplan.models import Dimension

Actor = AbstractBaseUser | None
Status = FollowUpItem.Status
TaskStatus = FollowUpTask.Status
Source = FollowUpItem.Source
EDITABLE = (Status.OPEN, Status.IN_PROGRESS)
MAX_TEXT = 4000
# A list marker at the start of a line of notes ("- ", "• ", "1. ", "a) "): not part of the recommendation.
_MARKER = re.compile(r"^\s*(?:[-*•·–]|\(?[0-9]{1,2}[.)]|\(?[a-zA-Z][.)])\s+")


def normalise(text: str) -> str:
    """The text as recurrence compares it: whitespace collapsed, case folded."""
    return " ".join((text or "").split()).casefold()


def _items() -> QuerySet[FollowUpItem]:
    return FollowUpItem.objects.select_related("region", "cycle", "dimension")


def _locked_item(item: FollowUpItem) -> FollowUpItem:
    """The item as committed now, its row locked until the caller's transaction ends."""
    return FollowUpItem.objects.select_for_update(of=("self",)).select_related("region", "cycle").get(pk=item.pk)


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what the region must do.")})
    if "\x00" in text:
        raise ValidationError({"text": _("The text contains a character that cannot be stored.")})
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": _("Keep it under %(n)s characters.") % {"n": MAX_TEXT}})
    return text


def _check_questions(cycle: EvaluationCycle, questions: Iterable[Question]) -> list[Question]:
    chosen = list(questions)
    if any(q.questionnaire.region_id != cycle.region_id for q in chosen):
        raise ValidationError({"questions": _("Only questions of this region's questionnaires can be linked.")})
    return chosen


def _check_recurs(item_cycle: EvaluationCycle, recurs: FollowUpItem | None, *, item: FollowUpItem | None) -> None:
    if recurs is None:
        return
    if item is not None and recurs.pk == item.pk:
        raise ValidationError({"recurs": _("An item cannot recur from itself.")})
    if recurs.region_id != item_cycle.region_id or recurs.cycle.year >= item_cycle.year:
        raise ValidationError({"recurs": _("Choose an item of an earlier year of this region.")})


def find_recurrence(*, cycle: EvaluationCycle, text: str) -> FollowUpItem | None:
    """The latest item of an earlier year of the cycle's region with the same text (normalised), if any."""
    key = normalise(text)
    earlier = (
        FollowUpItem.objects.filter(region_id=cycle.region_id, cycle__year__lt=cycle.year)
        .order_by("-cycle__year", "-pk")
        .values_list("pk", "text")
    )
    # Normalising (whitespace, case) is not portable SQL; this runs once per new item, over one region's register.
    match = next((pk for pk, other in earlier.iterator() if normalise(other) == key), None)
    return FollowUpItem.objects.get(pk=match) if match else None


@transaction.atomic
def item_create(
    *,
    cycle: EvaluationCycle,
    by: Actor,
    source: str,
    text: str,
    dimension: Dimension | None = None,
    meeting: Meeting | None = None,
    questions: Iterable[Question] = (),
    tasks: Sequence[tuple[Agency, dt.date]] = (),
) -> FollowUpItem:
    """Enter one item in the register (marked as recurring when an earlier year had the same text), and assign it
    to SKPDs when `tasks` names them."""
    text = _clean_text(text)
    if source not in Source.values:
        raise ValidationError({"source": _("Choose where the item comes from.")})
    if meeting is not None and meeting.cycle_id != cycle.pk:
        raise ValidationError({"meeting": _("The meeting is not one of this cycle.")})
    chosen = _check_questions(cycle, questions)
    item = FollowUpItem.objects.create(
        region_id=cycle.region_id,
        cycle=cycle,
        meeting=meeting,
        source=source,
        dimension=dimension,
        text=text,
        recurs=find_recurrence(cycle=cycle, text=text),
        created_by=by if by is not None and by.is_authenticated else None,
    )
    if chosen:
        item.questions.set(chosen)
    changes: dict[str, Any] = snapshot(item, ("source", "dimension", "text", "recurs"))
    if chosen:
        changes["questions"] = sorted(q.code for q in chosen)
    audit_record(actor=by, action=EvaluationAction.FOLLOWUP_CREATED, target=item, region=cycle.region, changes=changes)
    if tasks:
        tasks_assign(item=item, by=by, agencies_with_due_dates=tasks)
    return _items().get(pk=item.pk)


def _note_lines(text: str) -> list[str]:
    """One item per non-empty line of a note (paragraphs are lines too), list markers removed."""
    lines = (_MARKER.sub("", line).strip() for line in (text or "").splitlines())
    return [line for line in lines if line]


@transaction.atomic
def items_from_notes(*, cycle: EvaluationCycle, by: Actor) -> list[FollowUpItem]:
    """Turn the assessors' weaknesses and recommendations of the cycle into items, each once: a line already in the
    register (same source, dimension and normalised text) is skipped, so running it again creates nothing."""
    # Two coordinators pressing the button at once: the second waits here and then sees the first one's items.
    EvaluationCycle.objects.select_for_update(no_key=True).filter(pk=cycle.pk).first()
    cycle = EvaluationCycle.objects.select_related("region").get(pk=cycle.pk)
    existing = {
        (source, dimension_id, normalise(text))
        for source, dimension_id, text in FollowUpItem.objects.filter(cycle=cycle).values_list(
            "source", "dimension_id", "text"
        )
    }
    created = []
    notes = AssessmentNote.objects.filter(cycle=cycle).select_related("dimension").order_by("dimension__order")
    for note in notes:
        for field, source in (("weaknesses", Source.WEAKNESS), ("recommendations", Source.RECOMMENDATION)):
            for line in _note_lines(getattr(note, field)):
                key = (str(source), note.dimension_id, normalise(line))
                if key in existing or len(line) > MAX_TEXT:
                    continue
                existing.add(key)
                created.append(item_create(cycle=cycle, by=by, source=source, text=line, dimension=note.dimension))
    return created


ITEM_FIELDS = ("source", "dimension", "text", "recurs")


@transaction.atomic
def item_update(*, item: FollowUpItem, by: Actor, expected_version: int, data: Mapping[str, Any]) -> FollowUpItem:
    """Change an open item's text, source, dimension, earlier item and questions; VersionConflict when someone
    saved it after `expected_version`."""
    current = _locked_item(item)
    if current.status not in EDITABLE:
        raise ValidationError(
            _("This item is %(status)s; reopen it to change it.") % {"status": current.get_status_display().lower()}
        )
    if current.version != expected_version:
        raise VersionConflict(_items().get(pk=item.pk))
    fields = {k: v for k, v in data.items() if k in ITEM_FIELDS}
    if "text" in fields:
        fields["text"] = _clean_text(fields["text"])
    if "source" in fields and fields["source"] not in Source.values:
        raise ValidationError({"source": _("Choose where the item comes from.")})
    if "recurs" in fields:
        _check_recurs(current.cycle, fields["recurs"], item=current)
    before = snapshot(current, fields.keys())
    for name, value in fields.items():
        setattr(current, name, value)
    changes = diff(before, snapshot(current, fields.keys()))
    if "questions" in data:
        # The form names questions of the item's own cycle; links made to later questionnaires stay (readiness and
        # the assessors of those cycles rely on them).
        chosen = _check_questions(current.cycle, data["questions"])
        own = current.questions.filter(questionnaire_id=current.cycle.questionnaire_id)
        old = sorted(own.values_list("code", flat=True))
        new = sorted(q.code for q in chosen)
        if old != new:
            kept = list(current.questions.exclude(pk__in=own.values("pk")))
            current.questions.set([*chosen, *kept])
            changes["questions"] = [old, new]
    current.version = F("version") + 1
    current.save()
    audit_record(
        actor=by, action=EvaluationAction.FOLLOWUP_UPDATED, target=current, region=current.region, changes=changes
    )
    return _items().get(pk=item.pk)


@transaction.atomic
def tasks_assign(
    *, item: FollowUpItem, by: Actor, agencies_with_due_dates: Sequence[tuple[Agency, dt.date]]
) -> list[FollowUpTask]:
    """Give the item to SKPDs, each with its due date (a new date for an SKPD that has it already); each newly
    assigned SKPD is told by mail."""
    current = _locked_item(item)
    if current.status not in EDITABLE:
        raise ValidationError(
            _("This item is %(status)s; reopen it before assigning it.")
            % {"status": current.get_status_display().lower()}
        )
    wanted = list(agencies_with_due_dates)
    if not wanted:
        raise ValidationError({"agencies": _("Choose at least one SKPD.")})
    if any(agency.region_id != current.region_id for agency, _due in wanted):
        raise ValidationError({"agencies": _("Only SKPDs of this region can be assigned.")})
    existing = {task.agency_id: task for task in current.tasks.select_for_update()}
    tasks, changes, new_agencies = [], {}, []
    for agency, due_on in wanted:
        task = existing.get(agency.pk)
        if task is None:
            task = FollowUpTask.objects.create(item=current, agency=agency, due_on=due_on)
            new_agencies.append(agency)
            changes[agency.acronym] = [None, due_on.isoformat()]
        elif task.due_on != due_on:
            changes[agency.acronym] = [task.due_on.isoformat(), due_on.isoformat()]
            task.due_on = due_on
            task.version = F("version") + 1
            task.save(update_fields=["due_on", "version"])
            task.refresh_from_db()
        tasks.append(task)
    if changes:
        audit_record(
            actor=by,
            action=EvaluationAction.FOLLOWUP_ASSIGNED,
            target=current,
            region=current.region,
            changes={"tasks": changes},
        )
    _follow_tasks(current, by=by)
    for task in tasks:
        if task.agency in new_agencies:
            notify(
                template="followup_assigned",
                recipients=addresses(who_may_for_agency(REPORT, FollowUpTask, task.agency), agency=task.agency),
                context={"item": current, "task": task, "actor": by},
            )
    return tasks


def _derived_status(statuses: list[str]) -> str:
    """What the tasks say: every one done → done; any reported on → in progress; else open."""
    if statuses and all(s == TaskStatus.DONE for s in statuses):
        return Status.DONE
    if any(s in (TaskStatus.IN_PROGRESS, TaskStatus.DONE) for s in statuses):
        return Status.IN_PROGRESS
    return Status.OPEN


def _follow_tasks(item: FollowUpItem, *, by: Actor) -> FollowUpItem:
    """Set a locked, not dropped item's status from its tasks, audited when it moves."""
    if item.status == Status.DROPPED:
        return item
    status = _derived_status(list(item.tasks.values_list("status", flat=True)))
    if status != item.status:
        before = item.status
        # The version guards what people type (text, source…): a status that follows the tasks is no edit conflict.
        FollowUpItem.objects.filter(pk=item.pk).update(status=status, updated_at=timezone.now())
        item.status = status
        audit_record(
            actor=by,
            action=EvaluationAction.FOLLOWUP_STATUS,
            target=item,
            region=item.region,
            changes={"status": [before, status]},
        )
    return item


def _item_transition(
    item: FollowUpItem, *, from_states: Iterable[str], to: str, by: Actor, action: EvaluationAction, reason: str
) -> FollowUpItem:
    return transition(
        _items(),
        pk=item.pk,
        from_states=from_states,
        to=to,
        refused=_("This item is already %(status)s; nothing was changed."),
        audit=lambda moved: audit_record(
            actor=by,
            action=action,
            target=moved,
            region=moved.region,
            changes={"status": [item.status, to]},
            reason=reason,
        ),
        drop_reason=reason if to == Status.DROPPED else "",
    )


@transaction.atomic
def item_drop(*, item: FollowUpItem, by: Actor, reason: str) -> FollowUpItem:
    """Take an item off the region's to-do list with a reason; its SKPDs can no longer report on it."""
    reason = clean_reason(reason)
    current = _locked_item(item)
    return _item_transition(
        current,
        from_states=[Status.OPEN, Status.IN_PROGRESS, Status.DONE],
        to=Status.DROPPED,
        by=by,
        action=EvaluationAction.FOLLOWUP_DROPPED,
        reason=reason,
    )


@transaction.atomic
def item_reopen(*, item: FollowUpItem, by: Actor, reason: str) -> FollowUpItem:
    """Open a dropped or done item again: its done tasks go back to the SKPDs (in progress) to report again."""
    reason = clean_reason(reason)
    current = _locked_item(item)
    if current.status not in FollowUpItem.CLOSED:
        raise ValidationError(
            _("This item is %(status)s, not closed; nothing was changed.")
            % {"status": current.get_status_display().lower()}
        )
    statuses = list(current.tasks.values_list("status", flat=True))
    reported = any(s != TaskStatus.OPEN for s in statuses)
    moved = _item_transition(
        current,
        from_states=FollowUpItem.CLOSED,
        to=Status.IN_PROGRESS if reported else Status.OPEN,
        by=by,
        action=EvaluationAction.FOLLOWUP_REOPENED,
        reason=reason,
    )
    current.tasks.filter(status=TaskStatus.DONE).update(status=TaskStatus.IN_PROGRESS, version=F("version") + 1)
    return moved


def _link_task_evidence(task: FollowUpTask, evidence: list[Evidence]) -> dict[str, list[Any]]:
    if any(e.agency_id != task.agency_id for e in evidence):
        raise ValidationError({"evidence": _("Only evidence from your own agency's library can be attached.")})
    wanted = {e.pk for e in evidence}
    current = set(task.evidence_links.values_list("evidence_id", flat=True))
    if wanted == current:
        return {}
    task.evidence_links.filter(evidence_id__in=current - wanted).delete()
    FollowUpEvidence.objects.bulk_create([FollowUpEvidence(task=task, evidence_id=pk) for pk in wanted - current])
    titles = dict(Evidence.objects.filter(pk__in=current | wanted).values_list("pk", "title"))
    return {"evidence": [sorted(titles[pk] for pk in current), sorted(titles[pk] for pk in wanted)]}


@transaction.atomic
def task_report(
    *,
    task: FollowUpTask,
    by: Actor,
    report: str,
    evidence: Iterable[Evidence],
    done: bool,
    expected_version: int | None = None,
) -> FollowUpTask:
    """The SKPD says what it did, with evidence from its library; `done` closes its task (a report text and at
    least one piece of evidence needed). The item follows: in progress, or done once every task is."""
    # The item first, then the task, in every writer: DKISP's drop and this report are ordered by the item's lock.
    item = _locked_item(task.item)
    current = FollowUpTask.objects.select_for_update().select_related("agency").get(pk=task.pk)
    if item.status in FollowUpItem.CLOSED:
        raise ValidationError(
            _("The item was %(status)s by DKISP; this task takes no more reports.")
            % {"status": item.get_status_display().lower()}
        )
    if current.status == TaskStatus.DONE:
        raise ValidationError(_("This task is already done; nothing was changed."))
    if expected_version is not None and current.version != expected_version:
        raise VersionConflict(current)
    text = (report or "").strip()
    if "\x00" in text:
        raise ValidationError({"report": _("The text contains a character that cannot be stored.")})
    chosen = list(evidence)
    if done:
        problems = {}
        if not text:
            problems["report"] = _("Describe what was done before marking the task done.")
        if not chosen:
            problems["evidence"] = _("Attach at least one piece of evidence before marking the task done.")
        if problems:
            raise ValidationError(problems)
    elif not text and not chosen:
        raise ValidationError({"report": _("Describe what was done so far, or attach evidence.")})
    before = snapshot(current, ("report", "status"))
    changes: dict[str, Any] = _link_task_evidence(current, chosen)
    current.report = text
    current.status = TaskStatus.DONE if done else TaskStatus.IN_PROGRESS
    current.reported_at = timezone.now()
    current.reported_by = by if by is not None and by.is_authenticated else None
    current.version = F("version") + 1
    current.save()
    current.refresh_from_db()
    changes.update(diff(before, snapshot(current, ("report", "status"))))
    audit_record(
        actor=by,
        action=EvaluationAction.FOLLOWUP_TASK_REPORTED,
        target=current,
        region=item.region,
        changes=changes,
    )
    _follow_tasks(item, by=by)
    if done:
        notify(
            template="followup_reported",
            recipients=addresses(who_may(CHANGE, item)),
            context={"item": item, "task": current, "actor": by},
        )
    return current


@transaction.atomic
def link_items_to_cycle(cycle: EvaluationCycle, *, by: Actor = None) -> int:
    """Link the items of the region's earlier cycles to the questions of `cycle`'s questionnaire that have the code
    of a question they concern, so readiness and the assessors see them; returns how many links were added."""
    if cycle.questionnaire_id is None:
        return 0
    through = FollowUpItem.questions.through
    rows = through.objects.filter(
        followupitem__region_id=cycle.region_id, followupitem__cycle__year__lt=cycle.year
    ).values_list("followupitem_id", "question__code")
    new_questions = dict(Question.objects.filter(questionnaire_id=cycle.questionnaire_id).values_list("code", "pk"))
    wanted = {(item_id, new_questions[code]) for item_id, code in rows if code in new_questions}
    have = set(
        through.objects.filter(question__questionnaire_id=cycle.questionnaire_id).values_list(
            "followupitem_id", "question_id"
        )
    )
    missing = sorted(wanted - have)
    if not missing:
        return 0
    through.objects.bulk_create(
        [through(followupitem_id=item_id, question_id=question_id) for item_id, question_id in missing],
        ignore_conflicts=True,
    )
    audit_record(
        actor=by,
        action=EvaluationAction.FOLLOWUP_LINKED,
        target=cycle,
        region=cycle.region,
        changes={"items": len({item_id for item_id, _q in missing}), "links": len(missing)},
    )
    return len(missing)
