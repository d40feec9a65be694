"""The coordinator's dashboard, evaluation side: how ready a cycle's answers are per dimension and per SKPD, and
the indices of every cycle of the region side by side.

Counted by the database (GROUP BY with conditional counts and EXISTS subqueries). The indices of all cycles come
from four queries (cycles with their official result; questions per questionnaire and dimension; the weighted mean
score per cycle and lens; and per cycle, dimension and lens), whatever the number of years, questions and scores;
Python only combines those few means with each cycle's lens weights, through evaluations.scoring.combine_lenses so
the rule stays in one place.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import NullIf

from agencies.models import Region
from common.queries import Dividend
from evaluations.models import Answer, AnswerEvidence, EvaluationCycle, Lens, Question, Score
from evaluations.scoring import Indices, combine_lenses
from evaluations.selectors.cycle_readiness import _answered, trimmed_text
from masterplan.models import Dimension

READINESS = ("questions", "answered", "carried_untouched", "with_valid_evidence", "verified")


@dataclass
class ReadinessRow:
    key: str  # agency pk or dimension code, for the links
    label: str
    questions: int = 0
    answered: int = 0  # a value given this year: carried answers never reviewed are not counted
    carried_untouched: int = 0
    with_valid_evidence: int = 0
    verified: int = 0

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(name, getattr(self, name)) for name in READINESS]


@dataclass
class CycleReadiness:
    cycle: EvaluationCycle | None
    by_dimension: list[ReadinessRow] = field(default_factory=list)
    by_agency: list[ReadinessRow] = field(default_factory=list)
    unassigned: int = 0


def _answers(cycle: EvaluationCycle, today: dt.date) -> QuerySet[Answer]:
    reference = cycle.meeting_date or today  # as the package judges evidence: valid on the meeting's day
    valid = AnswerEvidence.objects.filter(answer=OuterRef("pk")).filter(
        Q(evidence__valid_until__isnull=True) | Q(evidence__valid_until__gte=reference),
        Q(evidence__document_date__isnull=True) | Q(evidence__document_date__gte=dt.date(cycle.year, 1, 1)),
    )
    # Only what readiness_count_expressions reads (the trimmed text `_answered` needs, valid evidence): the readiness
    # page's other annotations (_readiness_answers) cost Python time to build and nothing here reads them.
    return Answer.objects.filter(cycle=cycle).annotate(trimmed_text=trimmed_text(), has_valid_evidence=Exists(valid))


def readiness_count_expressions() -> dict[str, Count]:
    """The readiness counts over answers annotated with `trimmed_text` and `has_valid_evidence` (the dashboard's
    and, for many cycles at once, the national view's)."""
    carried = Q(carried_from__isnull=False, version=1)
    return {
        "questions": Count("pk"),
        "answered": Count("pk", filter=_answered() & ~carried),
        "carried_untouched": Count("pk", filter=carried),
        "with_valid_evidence": Count("pk", filter=Q(has_valid_evidence=True)),
        "verified": Count("pk", filter=Q(status=Answer.Status.VERIFIED)),
    }


def cycle_readiness(
    *,
    cycle: EvaluationCycle | None,
    today: dt.date,
    dimension: Dimension | None = None,
    agency_id: int | None = None,
    dimensions: list[Dimension] | None = None,
) -> CycleReadiness:
    """Per dimension and per SKPD: questions assigned, answered this year, carried and untouched, with valid
    evidence, verified (three queries; two when given `dimensions`, every dimension in order)."""
    result = CycleReadiness(cycle)
    if cycle is None:
        return result
    answers = _answers(cycle, today)
    if dimension is not None:
        answers = answers.filter(question__dimension=dimension)
    if agency_id is not None:
        answers = answers.filter(agency_id=agency_id)
    if dimensions is None:
        dimensions = list(Dimension.objects.order_by("order"))
    if dimension is not None:
        dimensions = [d for d in dimensions if d.pk == dimension.pk]
    # One GROUP BY (SKPD, dimension), summed both ways here (at most SKPDs × 8 rows): two GROUP BYs compiled the
    # conditions twice, which at region scale cost more Python than the database spent on either query.
    by_dimension = {d.pk: ReadinessRow(d.code, d.name) for d in dimensions}
    by_agency: dict[int, ReadinessRow] = {}
    groups = (
        answers.order_by()
        .values("agency", "agency__acronym", "question__dimension")
        .annotate(**readiness_count_expressions())
    )
    for row in groups:
        agency = by_agency.get(row["agency"])
        if agency is None:
            agency = by_agency[row["agency"]] = ReadinessRow(str(row["agency"]), row["agency__acronym"])
        for line in (agency, by_dimension.get(row["question__dimension"])):
            if line is not None:
                for name in READINESS:
                    setattr(line, name, getattr(line, name) + row[name])
    result.by_dimension = list(by_dimension.values())
    result.by_agency = sorted(by_agency.values(), key=lambda line: line.label.lower())
    if cycle.questionnaire_id and agency_id is None:
        questions = Question.objects.filter(questionnaire_id=cycle.questionnaire_id)
        if dimension is not None:
            questions = questions.filter(dimension=dimension)
        result.unassigned = questions.exclude(pk__in=Answer.objects.filter(cycle=cycle).values("question_id")).count()
    return result


@dataclass
class CycleIndices:
    """One cycle's indices, the official letter's where entered (as evaluations.selectors.results.headline)."""

    cycle: EvaluationCycle
    label: str
    source: str  # "official" or "computed"
    final: Decimal | None
    by_lens: dict[str, Decimal | None]
    by_dimension: dict[str, Decimal | None]
    computed: Indices

    @property
    def provisional(self) -> bool:
        return self.source == "computed" and not self.computed.complete

    @property
    def has_figures(self) -> bool:
        return self.final is not None or any(v is not None for v in self.by_dimension.values())


def _dec(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def indices_history(
    *, region: Region, up_to: EvaluationCycle | None = None, cycles: Sequence[EvaluationCycle] | None = None
) -> list[CycleIndices]:
    """The indices of the region's cycles, oldest first (up to `up_to`'s year): four queries in all, three when
    the caller already holds the region's cycles (fetched with their official result)."""
    if cycles is None:
        cycles = list(EvaluationCycle.objects.filter(region=region).select_related("official_result"))
    cycles = sorted(
        (c for c in cycles if c.region_id == region.pk and (up_to is None or c.year <= up_to.year)),
        key=lambda c: (c.year, c.opens_on, c.pk),
    )
    if not cycles:
        return []
    computed_by_cycle = _computed_indices(cycles)
    per_year: dict[int, int] = defaultdict(int)
    for cycle in cycles:
        per_year[cycle.year] += 1
    history = []
    for cycle in cycles:
        label = str(cycle.year) if per_year[cycle.year] == 1 else f"{cycle.year} {cycle.stage}"
        history.append(_cycle_indices(cycle, label, computed_by_cycle[cycle.pk]))
    return history


def indices_by_cycle(cycles: Sequence[EvaluationCycle]) -> dict[int, CycleIndices]:
    """{cycle pk: its indices} for cycles of any regions, fetched with their official result: three GROUP BY
    queries for all of them (the national view's side by side)."""
    computed_by_cycle = _computed_indices(cycles)
    return {c.pk: _cycle_indices(c, f"{c.year} {c.stage}", computed_by_cycle[c.pk]) for c in cycles}


def _cycle_indices(cycle: EvaluationCycle, label: str, computed: Indices) -> CycleIndices:
    """The official letter's figures where entered, else the computed ones."""
    official = getattr(cycle, "official_result", None)
    if official is not None:
        return CycleIndices(
            cycle,
            label,
            "official",
            official.final_index,
            {lens: _dec(official.lens_indices.get(lens)) for lens in Lens.values},
            {k: _dec(v) for k, v in official.dimension_indices.items()},
            computed,
        )
    return CycleIndices(cycle, label, "computed", computed.final, computed.by_lens, computed.by_dimension, computed)


def _weighted_mean() -> Combinable:
    """Σ weight·score / Σ weight of the grouped scores (evaluations.scoring.weighted_mean); NULL when nothing
    carries weight."""
    weight = F("question__weight")
    total = Sum(weight * F("value"), output_field=DecimalField())
    return Dividend(total) / NullIf(Sum(weight, output_field=DecimalField()), Value(Decimal(0)))


def _computed_indices(cycles: Sequence[EvaluationCycle]) -> dict[int, Indices]:
    """Each cycle's Indices, as evaluations.scoring.compute_indices makes them from its questionnaire's questions
    and its scores (three GROUP BY queries for all cycles)."""
    questionnaire_ids = {c.questionnaire_id for c in cycles if c.questionnaire_id}
    totals: dict[int, int] = defaultdict(int)
    dimensions: dict[int, set[str]] = defaultdict(set)
    for questionnaire_id, code, n in (
        Question.objects.filter(questionnaire_id__in=questionnaire_ids)
        .order_by()
        .values_list("questionnaire_id", "dimension__code")
        .annotate(n=Count("pk"))
    ):
        totals[questionnaire_id] += n
        dimensions[questionnaire_id].add(code)
    # A score counts only for a question of the cycle's own questionnaire, as compute_indices sees them.
    scores = Score.objects.filter(cycle__in=cycles, question__questionnaire_id=F("cycle__questionnaire_id")).order_by()
    by_lens: dict[tuple[int, str], Decimal | None] = {}
    scored: dict[int, int] = defaultdict(int)
    for cycle_id, lens, mean, n in scores.values_list("cycle_id", "question__lens").annotate(
        mean=_weighted_mean(), n=Count("pk")
    ):
        by_lens[(cycle_id, lens)] = mean
        scored[cycle_id] += n
    by_dimension_lens = {
        (cycle_id, code, lens): mean
        for cycle_id, code, lens, mean in scores.values_list(
            "cycle_id", "question__dimension__code", "question__lens"
        ).annotate(mean=_weighted_mean())
    }
    result = {}
    for cycle in cycles:
        weights = cycle.weights
        indices = Indices(scored=scored[cycle.pk], total=totals[cycle.questionnaire_id or 0])
        indices.by_lens = {lens: by_lens.get((cycle.pk, lens)) for lens in weights}
        for code in sorted(dimensions[cycle.questionnaire_id or 0]):
            lens_values = {lens: by_dimension_lens.get((cycle.pk, code, lens)) for lens in weights}
            indices.by_dimension_lens.update({(code, lens): v for lens, v in lens_values.items()})
            indices.by_dimension[code] = combine_lenses(weights, lens_values)
        indices.final = combine_lenses(weights, indices.by_lens)
        result[cycle.pk] = indices
    return result
