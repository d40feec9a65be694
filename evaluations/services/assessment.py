"""The assessors' work on a locked cycle, and the official result entered by DKISP."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from agencies.audit import audit_record
from evaluations.actions import EvaluationAction
from evaluations.models import Answer, AssessmentNote, EvaluationCycle, Lens, OfficialResult, Question, Score
from evaluations.scoring import combine_lenses, rounded
from evaluations.services.cycles import hold_cycle
from masterplan.models import Dimension

Actor = AbstractBaseUser | None
NOTE_FIELDS = ("strengths", "weaknesses", "recommendations")


def _ensure_assessable(cycle: EvaluationCycle, by: Actor) -> None:
    # Read the lock under the cycle's row lock: an unlock committing meanwhile waits for this score, or wins.
    if not hold_cycle(cycle).is_locked:
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
    """Save a page of scores at once (None clears one); every value is checked before anything is written.

    Each saved score remembers the version of the answer it was given for. Saving a score again for an answer
    that changed since (the cycle was unlocked and the SKPD edited it) records that the assessor has seen the
    change, even when the value stays the same.
    """
    _ensure_assessable(cycle, by)
    cleaned = {q: (None if v is None else _clean_score(q, v), note) for q, (v, note) in scores.items()}
    if any(q.questionnaire_id != cycle.questionnaire_id for q in cleaned):
        raise ValidationError(_("These questions are not in this cycle's questionnaire."))
    existing = {s.question_id: s for s in cycle.scores.filter(question__in=list(cleaned))}
    # A locked cycle's answers cannot change, so the versions read here are the ones the assessor saw.
    versions = dict(
        Answer.objects.filter(cycle=cycle, question__in=list(cleaned)).values_list("question_id", "version")
    )
    changes: dict[str, Any] = {}
    reviewed: list[str] = []
    for question, (value, note) in cleaned.items():
        score = existing.get(question.pk)
        version = versions.get(question.pk)
        if value is None:
            if score is not None:
                changes[question.code] = [str(score.value), None]
                score.delete()
            continue
        if score is None:
            Score.objects.create(
                cycle=cycle,
                question=question,
                value=value,
                note=note,
                scored_by=by,
                answer_version=version,
            )
            changes[question.code] = [None, str(value)]
        elif score.value != value or score.note != note or score.answer_version != version:
            if score.value != value or score.note != note:
                changes[question.code] = [str(score.value), str(value)]
            else:
                reviewed.append(question.code)
            score.value, score.note, score.scored_by, score.answer_version = value, note, by, version
            score.save()
    touched = len(changes) + len(reviewed)
    if reviewed:
        changes["reviewed_after_change"] = reviewed
    if changes:
        audit_record(actor=by, action=EvaluationAction.SCORE_SAVED, target=cycle, region=cycle.region, changes=changes)
    return touched


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
        where = dimension.code if dimension else "overall"
        audit_record(
            actor=by,
            action=EvaluationAction.NOTE_SAVED,
            target=cycle,
            region=cycle.region,
            changes={"dimension": where, **changes},
        )
    return note


# Published figures are rounded to two decimals, so a letter's final index within half a hundredth of the one
# its lens figures give is that figure (Kediri 2022: 3.315 published as 3.31).
ROUNDING_TOLERANCE = Decimal("0.005")


def official_final_from_lenses(cycle: EvaluationCycle, lens_indices: Mapping[str, Any]) -> Decimal | None:
    """The final index that the five lens figures give with the cycle's weights; None unless all five are given."""
    values = [lens_indices.get(lens) for lens in Lens.values]
    if any(value in (None, "") for value in values):
        return None
    return combine_lenses(cycle.weights, {lens: Decimal(str(v)) for lens, v in zip(Lens.values, values, strict=True)})


@transaction.atomic
def official_result_save(*, cycle: EvaluationCycle, by: Actor, data: Mapping[str, Any]) -> OfficialResult:
    """Record the result letter's figures (lens and dimension indices on the 0–5 scale, two decimals).

    With all five lens figures, an empty final index is computed from them and the cycle's weights, and a typed
    one that differs by more than the rounding is kept only when confirmed with a note (`difference_confirmed`,
    `difference_note`), so a typing slip cannot pass as the ministry's figure.
    """
    lens_indices = {k: str(v) for k, v in (data.get("lens_indices") or {}).items() if v is not None}
    dimension_indices = {k: str(v) for k, v in (data.get("dimension_indices") or {}).items() if v is not None}
    if set(lens_indices) - set(Lens.values) or set(dimension_indices) - set(
        Dimension.objects.values_list("code", flat=True)
    ):
        raise ValidationError(_("Unknown lens or dimension in the result."))
    for value in [*lens_indices.values(), *dimension_indices.values()]:
        if not Decimal(0) <= Decimal(value) <= Decimal(5):
            raise ValidationError(_("Every index is between 0 and 5."))
    computed = official_final_from_lenses(cycle, lens_indices)
    final = data.get("final_index")
    if final is None:
        if computed is None:
            raise ValidationError({"final_index": _("Enter the final index, or all five lens figures to compute it.")})
        final = rounded(computed)
    final = Decimal(str(final))
    note = (data.get("difference_note") or "").strip()
    if computed is not None and abs(final - computed) > ROUNDING_TOLERANCE:
        errors: dict[str, list[str]] = {}
        if not data.get("difference_confirmed"):
            errors["difference_confirmed"] = [_("Tick to confirm that the letter's figure is meant to differ.")]
        if not note:
            errors["difference_note"] = [_("Write why the letter's final index differs from the computed one.")]
        if errors:
            message = _(
                "The lens figures and the cycle's weights give %(computed)s, not %(final)s. "
                "Check the figures, or tick the confirmation and write a note to keep the "
                "letter's figure."
            )
            figures = {"computed": number_format(rounded(computed), 2), "final": number_format(final, 2)}
            errors["final_index"] = [message % figures]
            raise ValidationError(errors)
    else:
        note = ""  # nothing differs, so there is nothing to explain
    values = {
        "letter_number": data.get("letter_number", ""),
        "letter_date": data.get("letter_date"),
        "final_index": final,
        "lens_indices": lens_indices,
        "dimension_indices": dimension_indices,
        "difference_note": note,
        "entered_by": by,
    }
    result, _created = OfficialResult.objects.update_or_create(cycle=cycle, defaults=values)
    result.full_clean()
    changes = {
        "final_index": str(result.final_index),
        "lens_indices": lens_indices,
        "dimension_indices": dimension_indices,
        "computed_final_index": None if computed is None else str(computed),
        "difference_note": note,
    }
    audit_record(
        actor=by,
        action=EvaluationAction.RESULT_OFFICIAL,
        target=cycle,
        region=cycle.region,
        reason=note,
        changes=changes,
    )
    return result
