"""What-if on a cycle's results: the indices with some scores or lens weights changed, and the questions whose
next point raises the final index most. Pure computation over `scoring.compute_indices`; nothing is saved.

How the gains are defined (the page says so in one sentence): a question's gain is how much the final index
rises when its score goes up by one point, capped at 5, every other score and weight as now. Because the index
leaves unscored questions out, an unscored question counts as scored 0 for this purpose: its gain is the rise
from scoring it 0 to scoring it 1. Scoring it at all changes which questions its lens averages over, so its gain
is what each point adds once it is scored, not the move from today's figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from evaluations.models import EvaluationCycle, Question, Score
from evaluations.scoring import Indices, ScoredItem, compute_indices

MAX_SCORE = Decimal(5)
ONE_POINT = Decimal(1)
GAINS_SHOWN = 10


@dataclass(frozen=True)
class WhatIfQuestion:
    """One question of the cycle's questionnaire with its current score (None: not scored yet)."""

    pk: int
    code: str
    text: str
    dimension: str  # Dimension.code
    dimension_name: str
    lens: str
    weight: Decimal
    score: Decimal | None


def whatif_questions(cycle: EvaluationCycle) -> list[WhatIfQuestion]:
    """The cycle's questions in questionnaire order with their current scores (two queries, none without one)."""
    if cycle.questionnaire_id is None:
        return []
    scores = dict(Score.objects.filter(cycle=cycle).values_list("question_id", "value"))
    questions = (
        Question.objects.filter(questionnaire_id=cycle.questionnaire_id)
        .select_related("dimension")
        .order_by("dimension__order", "order", "code")
    )
    return [
        WhatIfQuestion(q.pk, q.code, q.text, q.dimension.code, q.dimension.name, q.lens, q.weight, scores.get(q.pk))
        for q in questions
    ]


def scored_items(questions: Iterable[WhatIfQuestion], scores: Mapping[int, Decimal] | None = None) -> list[ScoredItem]:
    """The questions as `compute_indices` takes them, with `scores` (by question pk) in place of the current ones."""
    changed = scores or {}
    return [ScoredItem(q.dimension, q.lens, q.weight, changed.get(q.pk, q.score)) for q in questions]


@dataclass(frozen=True)
class Simulation:
    """The indices as they are and as they would be, with the weights each was computed with."""

    weights: dict[str, Decimal]
    simulated_weights: dict[str, Decimal]
    current: Indices
    simulated: Indices
    changed_questions: frozenset[int]

    @property
    def changed(self) -> bool:
        return bool(self.changed_questions) or self.weights != self.simulated_weights


def simulate(
    *,
    questions: Sequence[WhatIfQuestion],
    weights: Mapping[str, Decimal],
    scores: Mapping[int, Decimal] | None = None,
    new_weights: Mapping[str, Decimal] | None = None,
) -> Simulation:
    """The indices now and with `scores` (question pk → score) and `new_weights` (lens → %) in place.

    Scores for questions not in `questions` are ignored; a lens missing from `new_weights` keeps its weight.
    """
    known = {q.pk for q in questions}
    changed = {pk: value for pk, value in (scores or {}).items() if pk in known}
    simulated_weights = {lens: (new_weights or {}).get(lens, weight) for lens, weight in weights.items()}
    return Simulation(
        weights=dict(weights),
        simulated_weights=simulated_weights,
        current=compute_indices(weights=weights, items=scored_items(questions)),
        simulated=compute_indices(weights=simulated_weights, items=scored_items(questions, changed)),
        changed_questions=frozenset(pk for pk, value in changed.items() if value != _score_of(questions, pk)),
    )


def _score_of(questions: Sequence[WhatIfQuestion], pk: int) -> Decimal | None:
    return next((q.score for q in questions if q.pk == pk), None)


@dataclass(frozen=True)
class Gain:
    """What one more point on a question does to the final index (see the module's docstring)."""

    question: WhatIfQuestion
    score_from: Decimal  # the current score, or 0 for an unscored question
    score_to: Decimal  # one point more, capped at 5
    final_after: Decimal
    gain: Decimal  # final index with score_to − final index with score_from


def best_gains(
    *, questions: Sequence[WhatIfQuestion], weights: Mapping[str, Decimal], limit: int = GAINS_SHOWN
) -> list[Gain]:
    """The `limit` questions whose next point raises the final index most, from the current scores and weights.

    Questions already at 5 (or whose point changes nothing, e.g. of weight 0) are left out. Each gain is read from
    `compute_indices` itself, so it is exactly what the simulation would show. Quadratic in the number of
    questions, which is fine for a questionnaire's hundred or two.
    """
    base_items = scored_items(questions)
    current_final = compute_indices(weights=weights, items=base_items).final
    gains = []
    for index, question in enumerate(questions):
        start = question.score if question.score is not None else Decimal(0)
        if start >= MAX_SCORE:
            continue
        end = min(start + ONE_POINT, MAX_SCORE)
        before = current_final if question.score is not None else _final_with(weights, base_items, index, start)
        after = _final_with(weights, base_items, index, end)
        if before is None or after is None or after <= before:
            continue
        gains.append(Gain(question, start, end, after, after - before))
    gains.sort(key=lambda g: (-g.gain, g.question.code))
    return gains[:limit]


def _final_with(weights: Mapping[str, Decimal], items: list[ScoredItem], index: int, score: Decimal) -> Decimal | None:
    item = items[index]
    changed = [*items[:index], ScoredItem(item.dimension, item.lens, item.weight, score), *items[index + 1 :]]
    return compute_indices(weights=weights, items=changed).final
