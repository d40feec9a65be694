"""Cycles, questionnaire versions, assignments, locking and carry-forward."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.audit import apply_changes, audit_record, snapshot
from agencies.models import Agency, Region, Role
from agencies.notifications import addresses, notify
from agencies.permissions import CHANGE, who_may_for_agency
from common.forms import MIN_REASON_LENGTH, clean_reason
from evaluations.actions import EvaluationAction
from evaluations.models import (
    Answer,
    AnswerEvidence,
    Assignment,
    EvaluationCycle,
    Lens,
    Question,
    Questionnaire,
    Score,
)
from evaluations.selectors import Readiness, readiness
from masterplan.models import Dimension, Element

Actor = AbstractBaseUser | None
CYCLE_FIELDS = (
    "year",
    "stage",
    "letter_number",
    "opens_on",
    "closes_on",
    "internal_deadline",
    "meeting_date",
    "meeting_place",
    *(f"weight_{lens}" for lens in Lens.values),
)


def hold_cycle(cycle: EvaluationCycle) -> EvaluationCycle:
    """Lock the cycle's row until the caller's transaction ends, and return it as committed now.

    Every write whose rule depends on the cycle's state (its lock, its window) reads that state through this row
    lock, and lock/unlock change it under the same lock: whichever commits first, the other sees its result, so
    an answer can never change after `locked_at` and a score never lands in an unlocked cycle. FOR NO KEY UPDATE
    leaves rows that merely reference the cycle (new answers, scores, audit events) free to be inserted.
    """
    return EvaluationCycle.objects.select_for_update(no_key=True).get(pk=cycle.pk)


def ensure_open(cycle: EvaluationCycle) -> EvaluationCycle:
    """Refuse any change to a locked cycle, whatever request asked for it; must run inside the write's transaction."""
    current = hold_cycle(cycle)
    if current.is_locked:
        raise ValidationError(_("The %(cycle)s cycle is locked; nothing in it can be changed.") % {"cycle": cycle})
    return current


def skpd_addresses(agency: Agency) -> list[str]:
    """Whom an SKPD's evaluation mails go to: its people who may change its answers (operators and heads), and its
    official address."""
    return addresses(who_may_for_agency(CHANGE, Answer, agency), agency=agency)


def _link_followup(cycle: EvaluationCycle, by: Actor) -> None:
    """Link the region's earlier follow-up items to this cycle's questions (readiness and the assessors see them).

    Imported here, not at the top: the follow-up services import the rules, which import this module.
    """
    from evaluations.services.followup import link_items_to_cycle

    link_items_to_cycle(cycle, by=by)


@transaction.atomic
def cycle_create(*, region: Region, by: Actor, data: Mapping[str, Any]) -> EvaluationCycle:
    fields = {k: v for k, v in data.items() if k in CYCLE_FIELDS}
    cycle = EvaluationCycle(region=region, **fields)
    cycle.full_clean()
    cycle.save()
    audit_record(
        actor=by, action=EvaluationAction.CYCLE_CREATED, target=cycle, region=region, changes=snapshot(cycle, fields)
    )
    if cycle.questionnaire_id:
        _link_followup(cycle, by)
    return cycle


@transaction.atomic
def cycle_update(*, cycle: EvaluationCycle, by: Actor, data: Mapping[str, Any]) -> EvaluationCycle:
    ensure_open(cycle)
    changes = apply_changes(cycle, {k: v for k, v in data.items() if k in CYCLE_FIELDS})
    if changes:
        cycle.full_clean()
        cycle.save()
        audit_record(
            actor=by, action=EvaluationAction.CYCLE_UPDATED, target=cycle, region=cycle.region, changes=changes
        )
    return cycle


@transaction.atomic
def cycle_set_assessors(*, cycle: EvaluationCycle, by: Actor, assessors: Iterable[AbstractBaseUser]) -> None:
    chosen = list(assessors)
    allowed = set(cycle.region.memberships.filter(role=Role.ASSESSOR, is_active=True).values_list("user_id", flat=True))
    if any(user.pk not in allowed for user in chosen):
        raise ValidationError(_("Only assessors of this region can be assigned."))
    before = sorted(u.get_username() for u in cycle.assessors.all())
    cycle.assessors.set(chosen)
    after = sorted(u.get_username() for u in chosen)
    if before != after:
        changes = {"assessors": [before, after]}
        audit_record(
            actor=by, action=EvaluationAction.CYCLE_ASSESSORS, target=cycle, region=cycle.region, changes=changes
        )


# --- Questionnaire versions -------------------------------------------------------------------------------


def _question_kwargs(row: Any, dimensions: Mapping[str, Dimension], elements: Mapping[str, Element]) -> dict:
    return {
        "code": row.code,
        "dimension": dimensions[row.dimension],
        "element": elements[row.element] if row.element else None,
        "lens": row.lens,
        "order": row.order,
        "text": row.text,
        "help_text": row.help_text,
        "kind": row.kind,
        "choices": list(row.choices),
        "level_criteria": list(row.level_criteria),
        "evidence_required": row.evidence_required,
        "weight": row.weight,
    }


def _is_used(questionnaire: Questionnaire, cycle: EvaluationCycle) -> bool:
    """A version is used once another cycle points at it or this cycle has answers against it."""
    return (
        questionnaire.cycles.exclude(pk=cycle.pk).exists()
        or Answer.objects.filter(question__questionnaire=questionnaire).exists()
    )


@transaction.atomic
def questionnaire_import(*, cycle: EvaluationCycle, by: Actor, rows: Sequence[Any], name: str = "") -> Questionnaire:
    """Make `rows` the cycle's questionnaire: in place for an unused version, else as a new version.

    With a new version, this cycle's assignments and answers follow their questions by code; questions that
    are no longer in the file lose their assignment and answer (the audit event counts them).
    """
    ensure_open(cycle)
    if not rows:
        raise ValidationError(_("The file has no questions."))
    dimensions = {d.code: d for d in Dimension.objects.all()}
    elements = {e.code: e for e in Element.objects.all()}
    current = cycle.questionnaire
    removed = 0
    if current is not None and not _is_used(current, cycle):
        current.questions.all().delete()
        questionnaire = current
        if name:
            questionnaire.name = name
            questionnaire.save(update_fields=["name"])
    else:
        default_name = current.name if current else _("Questionnaire %(year)s") % {"year": cycle.year}
        questionnaire = Questionnaire.objects.create(
            region=cycle.region,
            name=name or default_name,
            version=(current.version + 1) if current else 1,
            parent=current,
            created_by=by,
        )
    questions = []
    for row in rows:
        question = Question(questionnaire=questionnaire, **_question_kwargs(row, dimensions, elements))
        question.full_clean(exclude=["questionnaire"])
        questions.append(question)
    Question.objects.bulk_create(questions)
    if current is not None and questionnaire.pk != current.pk:
        by_code = {q.code: q for q in questionnaire.questions.all()}
        for assignment in cycle.assignments.select_related("question"):
            new = by_code.get(assignment.question.code)
            if new is None:
                removed += 1
                Answer.objects.filter(cycle=cycle, question=assignment.question).delete()
                assignment.delete()
            else:
                Answer.objects.filter(cycle=cycle, question=assignment.question).update(question=new)
                assignment.question = new
                assignment.save(update_fields=["question"])
    cycle.questionnaire = questionnaire
    cycle.save(update_fields=["questionnaire"])
    changes = {"questionnaire": str(questionnaire), "questions": len(questions), "removed_assignments": removed}
    audit_record(
        actor=by, action=EvaluationAction.QUESTIONNAIRE_IMPORTED, target=cycle, region=cycle.region, changes=changes
    )
    _link_followup(cycle, by)
    return questionnaire


# --- Assignments ------------------------------------------------------------------------------------------


@transaction.atomic
def assign_questions(
    *,
    cycle: EvaluationCycle,
    by: Actor,
    questions: Iterable[Question],
    agency: Agency,
    supporting: Iterable[Agency] = (),
    deadline: dt.date | None = None,
) -> int:
    """Give questions to a responsible SKPD (re-assigning them if needed); each gets an empty draft answer."""
    ensure_open(cycle)
    questions = list(questions)
    supporters = [a for a in supporting if a.pk != agency.pk]
    if agency.region_id != cycle.region_id or any(a.region_id != cycle.region_id for a in supporters):
        raise ValidationError(_("Only SKPDs of this region can be assigned."))
    if any(q.questionnaire_id != cycle.questionnaire_id for q in questions):
        raise ValidationError(_("These questions are not in this cycle's questionnaire."))
    deadline = deadline or cycle.internal_deadline
    existing = {a.question_id: a for a in cycle.assignments.all()}
    answers = {a.question_id: a for a in cycle.answers.all()}
    for question in questions:
        assignment = existing.get(question.pk)
        if assignment is None:
            assignment = Assignment.objects.create(cycle=cycle, question=question, agency=agency, deadline=deadline)
        else:
            assignment.agency, assignment.deadline = agency, deadline
            assignment.save(update_fields=["agency", "deadline"])
        assignment.supporting_agencies.set(supporters)
        answer = answers.get(question.pk)
        if answer is None:
            Answer.objects.create(cycle=cycle, question=question, agency=agency)
        elif answer.agency_id != agency.pk:
            if answer.status == Answer.Status.VERIFIED:
                message = _("Question %(code)s is already verified and cannot move to another SKPD.")
                raise ValidationError(message % {"code": question.code})
            answer.agency = agency
            answer.save(update_fields=["agency"])
    changes = {
        "agency": agency.acronym,
        "supporting": sorted(a.acronym for a in supporters),
        "questions": sorted(q.code for q in questions),
        "deadline": deadline.isoformat(),
    }
    audit_record(actor=by, action=EvaluationAction.ASSIGNMENT_SET, target=cycle, region=cycle.region, changes=changes)
    context = {"cycle": cycle, "agency": agency, "count": len(questions), "deadline": deadline}
    notify(template="questions_assigned", recipients=skpd_addresses(agency), context=context)
    return len(questions)


# --- Locking ----------------------------------------------------------------------------------------------


def lock_refusal(report: Readiness) -> str:
    """Why locking now needs a reason ("" when it does not): not ready, or the questionnaire still open."""
    problems = []
    if not report.ready:
        red_causes = [cause for cause in report.causes if cause.red]
        named = [f"{cause.label}: {cause.count}" if cause.count else str(cause.label) for cause in red_causes]
        problems.append(_("The cycle is not ready (%(causes)s).") % {"causes": ", ".join(named)})
    if report.window_open:
        problems.append(_("The questionnaire is open until %(date)s.") % {"date": date_format(report.closes_on)})
    if not problems:
        return ""
    return (
        " ".join(problems)
        + " "
        + _("To lock it anyway, give a reason of at least %(n)s characters.") % {"n": MIN_REASON_LENGTH}
    )


@transaction.atomic
def cycle_lock(*, cycle: EvaluationCycle, by: Actor, reason: str = "", today: dt.date | None = None) -> EvaluationCycle:
    """Lock the cycle for the assessors. Locking before it is ready, or while the questionnaire is still open,
    needs a reason; the audit event keeps it with the readiness counts of that moment."""
    today = today or timezone.localdate()
    # The row lock first, then the readiness read in the same transaction: a request that verifies or
    # edits an answer after this read cannot slip in before the lock commits (ensure_open sees it locked).
    locked = EvaluationCycle.objects.select_for_update(of=("self",)).select_related("region").get(pk=cycle.pk)
    if locked.is_locked:
        raise ValidationError(_("The cycle is already locked."))
    report = readiness(cycle=locked, today=today, with_items=False)  # the audit keeps the counts only
    reason = (reason or "").strip()
    refusal = lock_refusal(report)
    if refusal and len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": refusal})
    locked.locked_at, locked.locked_by = timezone.now(), by
    locked.save(update_fields=["locked_at", "locked_by"])
    changes: dict[str, Any] = report.summary()
    if report.window_open:
        changes["window_closes_on"] = report.closes_on.isoformat()
    audit_record(
        actor=by,
        action=EvaluationAction.CYCLE_LOCKED,
        target=locked,
        region=locked.region,
        reason=reason,
        changes=changes,
    )
    cycle.refresh_from_db()
    return cycle


@transaction.atomic
def cycle_unlock(*, cycle: EvaluationCycle, by: Actor, reason: str) -> EvaluationCycle:
    """Open a locked cycle again, e.g. one locked by mistake. Scores already entered stay; the audit event
    says how many, and the assessors see which answers change after their score."""
    reason = clean_reason(reason)
    locked = EvaluationCycle.objects.select_for_update(of=("self",)).select_related("region").get(pk=cycle.pk)
    if not locked.is_locked:
        raise ValidationError(_("The cycle is not locked."))
    kept = Score.objects.filter(cycle=locked).count()
    locked.locked_at, locked.locked_by = None, None
    locked.save(update_fields=["locked_at", "locked_by"])
    changes = {"scores_kept": kept}
    audit_record(
        actor=by,
        action=EvaluationAction.CYCLE_UNLOCKED,
        target=locked,
        region=locked.region,
        reason=reason,
        changes=changes,
    )
    cycle.refresh_from_db()
    return cycle


# --- Carry-forward ----------------------------------------------------------------------------------------

VALUE_FIELDS = ("value_bool", "value_choice", "value_level", "value_number", "value_text", "narrative")


@transaction.atomic
def cycle_carry_forward(*, previous: EvaluationCycle, by: Actor, data: Mapping[str, Any]) -> EvaluationCycle:
    """Start a new cycle from `previous`: same questionnaire, same assignments, last year's answers as drafts.

    Answers follow their question by code (so they also follow into a new questionnaire version imported
    later); their values and evidence links come along, marked as carried, with every status back to draft.
    """
    fields = {k: v for k, v in data.items() if k in CYCLE_FIELDS}
    for lens in Lens.values:
        fields.setdefault(f"weight_{lens}", getattr(previous, f"weight_{lens}"))
    cycle = EvaluationCycle(region=previous.region, questionnaire=previous.questionnaire, previous=previous, **fields)
    cycle.full_clean()
    cycle.save()
    assignments = list(previous.assignments.select_related("question").prefetch_related("supporting_agencies"))
    old_answers = {a.question.code: a for a in previous.answers.select_related("question")}
    links: dict[str, list[AnswerEvidence]] = defaultdict(list)
    for link in AnswerEvidence.objects.filter(answer__cycle=previous).select_related("answer__question"):
        links[link.answer.question.code].append(link)
    carried = 0
    for old in assignments:
        new = Assignment.objects.create(
            cycle=cycle,
            question=old.question,
            agency=old.agency,
            deadline=cycle.internal_deadline,
        )
        new.supporting_agencies.set(old.supporting_agencies.all())
        source = old_answers.get(old.question.code)
        answer = Answer(cycle=cycle, question=old.question, agency=old.agency)
        if source is not None:
            for name in VALUE_FIELDS:
                setattr(answer, name, getattr(source, name))
            answer.carried_from = source
            carried += 1
        answer.save()
        old_links = links.get(old.question.code, [])
        AnswerEvidence.objects.bulk_create(
            [AnswerEvidence(answer=answer, evidence_id=link.evidence_id, carried=True) for link in old_links]
        )
    changes = {"from": str(previous), "assignments": len(assignments), "answers_carried": carried}
    audit_record(
        actor=by, action=EvaluationAction.CYCLE_CARRIED_FORWARD, target=cycle, region=cycle.region, changes=changes
    )
    _link_followup(cycle, by)
    return cycle
