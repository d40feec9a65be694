"""The register's items: entered by hand, from the assessors' notes or a meeting's decision, changed, dropped and
reopened (guarded steps of `common.workflow`), and linked to a later cycle's questions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from agencies.audit import audit_record, diff, snapshot
from agencies.models import Agency
from common.forms import clean_reason
from common.workflow import VersionConflict, transition
from evaluations.actions import EvaluationAction
from evaluations.models import AssessmentNote, EvaluationCycle, FollowUpItem, Meeting, Question
from evaluations.services.followup.base import (
    EDITABLE,
    MAX_TEXT,
    Actor,
    Source,
    Status,
    TaskStatus,
    _items,
    _locked_item,
    normalise,
)
from evaluations.services.followup.tasks import tasks_assign
from masterplan.models import Dimension

# A list marker at the start of a line of notes ("- ", "• ", "1. ", "a) "): not part of the recommendation.
_MARKER = re.compile(r"^\s*(?:[-*•·–]|\(?[0-9]{1,2}[.)]|\(?[a-zA-Z][.)])\s+")


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
    if not changes:
        return _items().get(pk=item.pk)  # saved unchanged: no new version (no conflict for others), no history line
    current.version = F("version") + 1
    current.save()
    audit_record(
        actor=by, action=EvaluationAction.FOLLOWUP_UPDATED, target=current, region=current.region, changes=changes
    )
    return _items().get(pk=item.pk)


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
