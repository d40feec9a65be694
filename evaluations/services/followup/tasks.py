"""The register's tasks: an item assigned to SKPDs, each task reported on with evidence; the item's status follows
its tasks (any task reported → in progress, every task done → done) unless DKISP dropped it.

The item's row is locked first in every writer, so an SKPD's report and DKISP's drop of the same item cannot both win.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.audit import audit_record, diff, snapshot
from agencies.models import Agency
from agencies.notifications import addresses, notify
from agencies.permissions import CHANGE, who_may, who_may_for_agency
from common.workflow import VersionConflict
from evaluations.actions import EvaluationAction
from evaluations.models import FollowUpEvidence, FollowUpItem, FollowUpTask
from evaluations.rules import REPORT
from evaluations.services.followup.base import EDITABLE, Actor, Status, TaskStatus, _locked_item
from evidence.models import Evidence


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
