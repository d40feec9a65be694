"""The assessors' work on a locked cycle, and the official result entered by DKISP."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.audit import audit_record
from evaluations.models import AssessmentNote, EvaluationCycle, Lens, OfficialResult, Question, Score
from masterplan.models import Dimension

Actor = AbstractBaseUser | None
NOTE_FIELDS = ("strengths", "weaknesses", "recommendations")


def _ensure_assessable(cycle: EvaluationCycle, by: Actor) -> None:
    if not cycle.is_locked:
        raise ValidationError(_("Only a locked cycle can be assessed."))
    if by is not None and not (by.is_superuser or cycle.assessors.filter(pk=by.pk).exists()):
        raise ValidationError(_("You are not an assessor of this cycle."))


def _clean_score(question: Question, value: Decimal) -> Decimal:
    if not Decimal(0) <= value <= Decimal(5):
        raise ValidationError(_("%(code)s: a score is between 0 and 5.") % {"code": question.code})
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("%(code)s: use at most two decimals.") % {"code": question.code})
    if question.kind == Question.Kind.LEVEL and value not in {Decimal(n) for n in range(1, 6)}:
        raise ValidationError(_("%(code)s: choose a level from 1 to 5.") % {"code": question.code})
    return value


@transaction.atomic
def scores_save(*, cycle: EvaluationCycle, by: Actor, scores: Mapping[Question, tuple[Decimal | None, str]]) -> int:
    """Save a page of scores at once (None clears one); every value is checked before anything is written."""
    _ensure_assessable(cycle, by)
    cleaned = {q: (None if v is None else _clean_score(q, v), note) for q, (v, note) in scores.items()}
    if any(q.questionnaire_id != cycle.questionnaire_id for q in cleaned):
        raise ValidationError(_("These questions are not in this cycle's questionnaire."))
    existing = {s.question_id: s for s in cycle.scores.filter(question__in=list(cleaned))}
    changes: dict[str, list[Any]] = {}
    for question, (value, note) in cleaned.items():
        score = existing.get(question.pk)
        if value is None:
            if score is not None:
                changes[question.code] = [str(score.value), None]
                score.delete()
            continue
        if score is None:
            Score.objects.create(cycle=cycle, question=question, value=value, note=note, scored_by=by)
            changes[question.code] = [None, str(value)]
        elif score.value != value or score.note != note:
            changes[question.code] = [str(score.value), str(value)]
            score.value, score.note, score.scored_by = value, note, by
            score.save()
    if changes:
        audit_record(actor=by, action="score.saved", target=cycle, region=cycle.region, changes=changes)
    return len(changes)


@transaction.atomic
def note_save(
    *, cycle: EvaluationCycle, by: Actor, dimension: Dimension | None, data: Mapping[str, str]
) -> AssessmentNote:
    _ensure_assessable(cycle, by)
    note, _created = AssessmentNote.objects.get_or_create(cycle=cycle, dimension=dimension)
    changes = {}
    for name in NOTE_FIELDS:
        value = (data.get(name) or "").strip()
        if getattr(note, name) != value:
            changes[name] = [getattr(note, name), value]
            setattr(note, name, value)
    if changes:
        note.save()
        audit_record(actor=by, action="note.saved", target=cycle, region=cycle.region,
                     changes={"dimension": dimension.code if dimension else "overall", **changes})  # fmt: skip
    return note


@transaction.atomic
def official_result_save(*, cycle: EvaluationCycle, by: Actor, data: Mapping[str, Any]) -> OfficialResult:
    """Record the result letter's figures (lens and dimension indices on the 0–5 scale, two decimals)."""
    lens_indices = {k: str(v) for k, v in (data.get("lens_indices") or {}).items() if v is not None}
    dimension_indices = {k: str(v) for k, v in (data.get("dimension_indices") or {}).items() if v is not None}
    if set(lens_indices) - set(Lens.values) or set(dimension_indices) - set(
        Dimension.objects.values_list("code", flat=True)
    ):
        raise ValidationError(_("Unknown lens or dimension in the result."))
    for value in [*lens_indices.values(), *dimension_indices.values()]:
        if not Decimal(0) <= Decimal(value) <= Decimal(5):
            raise ValidationError(_("Every index is between 0 and 5."))
    result, _created = OfficialResult.objects.update_or_create(cycle=cycle, defaults={
        "letter_number": data.get("letter_number", ""), "letter_date": data.get("letter_date"),
        "final_index": data["final_index"], "lens_indices": lens_indices, "dimension_indices": dimension_indices,
        "entered_by": by,
    })  # fmt: skip
    result.full_clean()
    audit_record(actor=by, action="result.official", target=cycle, region=cycle.region, changes={
        "final_index": str(result.final_index), "lens_indices": lens_indices, "dimension_indices": dimension_indices,
    })  # fmt: skip
    return result
