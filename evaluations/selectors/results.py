"""The cycle's results: its indices (official where entered), last year's cycle, and the assessor's rows."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Prefetch

from evaluations.models import Answer, EvaluationCycle, Lens, Question, Score
from evaluations.scoring import Indices, ScoredItem, compute_indices
from evidence.models import Evidence
from masterplan.models import Dimension


def cycle_indices(cycle: EvaluationCycle) -> Indices:
    """The indices from the assessors' scores (two queries)."""
    if cycle.questionnaire_id is None:
        return compute_indices(weights=cycle.weights, items=[])
    scores = dict(Score.objects.filter(cycle=cycle).values_list("question_id", "value"))
    questions = Question.objects.filter(questionnaire_id=cycle.questionnaire_id).select_related("dimension")
    items = [ScoredItem(q.dimension.code, q.lens, q.weight, scores.get(q.pk)) for q in questions]
    return compute_indices(weights=cycle.weights, items=items)


def previous_cycle(cycle: EvaluationCycle) -> EvaluationCycle | None:
    """Last year's comparable cycle: the one carried from, else the region's latest earlier one."""
    if cycle.previous_id:
        return cycle.previous
    return EvaluationCycle.objects.filter(region=cycle.region, year__lt=cycle.year).order_by("-year", "-pk").first()


def headline(cycle: EvaluationCycle) -> dict[str, object]:
    """Final, per-lens and per-dimension figures of a cycle: the official letter's where entered.

    Figures computed from an unfinished assessment are `provisional`: pages say so, with the coverage, and
    never present them as the final index.
    """
    official = getattr(cycle, "official_result", None)
    computed = cycle_indices(cycle)
    if official is not None:
        return {
            "source": "official",
            "final": official.final_index,
            "by_lens": {lens: _dec(official.lens_indices.get(lens)) for lens in Lens.values},
            "by_dimension": {k: _dec(v) for k, v in official.dimension_indices.items()},
            "computed": computed,
            "provisional": False,
        }
    return {
        "source": "computed",
        "final": computed.final,
        "by_lens": computed.by_lens,
        "by_dimension": computed.by_dimension,
        "computed": computed,
        "provisional": not computed.complete,
    }


def _dec(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


class AssessmentRow(NamedTuple):
    question: Question
    answer: Answer | None
    score: Score | None

    @property
    def changed_since_scored(self) -> bool:
        """The SKPD changed the answer after this score was saved (the cycle was unlocked in between)."""
        return (
            self.answer is not None
            and self.score is not None
            and self.score.answer_version is not None
            and self.answer.version > self.score.answer_version
        )


def assessment_rows(cycle: EvaluationCycle, dimension: Dimension) -> list[AssessmentRow]:
    """The questions of one dimension with their answer (and evidence) and current score (four queries)."""
    questions = list(
        Question.objects.filter(questionnaire_id=cycle.questionnaire_id, dimension=dimension)
        .select_related("element")
        .order_by("order", "code")
    )
    with_evidence = Prefetch("evidence", queryset=Evidence.objects.select_related("stored_file"))
    answer_list = (
        Answer.objects.filter(cycle=cycle, question__in=questions)
        .select_related("agency", "carried_from__cycle")
        .prefetch_related(with_evidence)
    )
    answers = {answer.question_id: answer for answer in answer_list}
    scores = {s.question_id: s for s in Score.objects.filter(cycle=cycle, question__in=questions)}
    for question in questions:
        if question.pk in answers:
            answers[question.pk].question = question  # the templates read the kind through the answer
    return [AssessmentRow(q, answers.get(q.pk), scores.get(q.pk)) for q in questions]


def changed_since_scored(cycle: EvaluationCycle) -> dict[str, list[str]]:
    """{dimension code: [question codes]} whose answer changed after it was scored (one query)."""
    newer = Answer.objects.filter(cycle=cycle, question=OuterRef("question"), version__gt=OuterRef("answer_version"))
    rows = (
        Score.objects.filter(cycle=cycle, answer_version__isnull=False)
        .filter(Exists(newer))
        .order_by("question__dimension__order", "question__order", "question__code")
        .values_list("question__dimension__code", "question__code")
    )
    changed: dict[str, list[str]] = defaultdict(list)
    for dimension, code in rows:
        changed[dimension].append(code)
    return dict(changed)


def assessment_progress(cycle: EvaluationCycle) -> dict[str, tuple[int, int]]:
    """{dimension code: (scored, total)} for the assessor's overview."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    scored = set(Score.objects.filter(cycle=cycle).values_list("question_id", flat=True))
    for pk, code in Question.objects.filter(questionnaire_id=cycle.questionnaire_id).values_list(
        "pk", "dimension__code"
    ):
        totals[code][1] += 1
        totals[code][0] += pk in scored
    return {code: (s, t) for code, (s, t) in totals.items()}
